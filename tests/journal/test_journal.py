"""The request journal through HTTP: what is recorded, the deciding stage and why, filters, explain, bounds."""
from __future__ import annotations

import asyncio
import logging

from aiohttp.test_utils import TestClient, TestServer

from sandbox.core import journal
from sandbox.core.accesslog import access_logger
from sandbox.core.journal import JOURNALS

from .conftest import CAMPAIGN, LJ, NEW, Sandbox, new_tenant

NOTE = "The 201 status and the 404 for an unknown campaign are guesses; the body and the 409 are documented."


async def test_a_create_is_journaled_with_request_answer_and_decision(sb: Sandbox) -> None:
    status, body, headers = await sb.lj("POST", "/affiliates", NEW)
    assert status == 201
    [entry] = await sb.requests()
    assert entry["id"] == headers["X-Sandbox-Request-Id"]
    assert entry["durationMs"] >= 0
    assert entry["request"]["headers"]["Authorization"] == "[redacted]"
    assert entry["response"]["headers"]["X-Sandbox-Request-Id"] == entry["id"]
    assert entry["response"]["headers"]["Content-Type"] == headers["Content-Type"] == "application/json"
    assert {k: v for k, v in entry.items() if k not in ("durationMs", "request", "response")} == {
        "id": entry["id"], "tenant": sb.tenant, "at": "2026-06-15T12:00:00Z", "vendor": "linkjolt",
        "operation": "createAffiliate", "method": "POST", "path": f"{LJ}/affiliates", "query": "",
        "queryParams": [],
        "decision": {"stage": "handle", "reason": "ok", "fidelity": "documented", "note": NOTE, "fault": None,
                     "rateLimit": {"bucket": "minute", "limit": 300, "remaining": 299,
                                   "resetAt": "2026-06-15T12:01:00Z", "allowed": True}},
        "explanation": f"handle answered 201: ok; linkjolt createAffiliate is `documented` in the spec ({NOTE})",
    }
    assert {k: v for k, v in entry["request"].items() if k != "headers"} == {
        "body": NEW, "bodyEncoding": "json", "size": len(b'{"email": "newbie@example.com", "name": "New Bie", '
                                                         b'"campaignId": "camp_percentage_00001"}'),
        "truncated": False}
    assert entry["response"]["status"] == 201
    assert entry["response"]["body"] == body
    assert entry["response"]["bodyEncoding"] == "json"


async def test_a_refused_body_names_validate_and_the_error_code(sb: Sandbox) -> None:
    status, body, _ = await sb.lj("POST", "/affiliates", {"name": 5, "campaignId": CAMPAIGN})
    assert status == 400
    [entry] = await sb.requests()
    assert entry["decision"]["stage"] == "validate"
    assert entry["decision"]["reason"] == "validation_error"
    assert entry["response"]["body"] == body
    assert entry["request"]["body"] == {"name": 5, "campaignId": CAMPAIGN}


async def test_a_body_that_is_not_json_is_kept_as_text(sb: Sandbox) -> None:
    response = await sb.client.post(LJ + "/affiliates", data=b"{not json", headers=sb.auth())
    assert response.status == 400
    [entry] = await sb.requests()
    assert entry["request"]["body"] == "{not json"
    assert entry["request"]["bodyEncoding"] == "utf-8"
    assert entry["decision"]["stage"] == "validate"


async def test_a_cached_read_names_the_cache(make_client) -> None:  # type: ignore[no-untyped-def]
    client = await make_client(response_cache="on")
    sb = await new_tenant(client)
    for _ in range(2):
        status, _, _ = await sb.lj("GET", "/affiliates", params={"limit": "1"})
        assert status == 200
    first, second = await sb.requests()
    assert (first["decision"]["stage"], first["decision"]["reason"]) == ("handle", "ok")
    assert (second["decision"]["stage"], second["decision"]["reason"]) == ("cache", "cached")
    assert second["response"]["body"] == first["response"]["body"]


async def test_filters_vendor_operation_status_since_and_limit(sb: Sandbox) -> None:
    await sb.lj("POST", "/affiliates", NEW)
    await sb.lj("POST", "/affiliates", NEW)  # 409: the email is taken
    await sb.lj("GET", "/affiliates")
    response = await sb.client.get("/everflow/v1/networks/affiliates", headers=sb.auth("everflow"))
    assert response.status == 200

    def ops(entries: list) -> list:
        return [(e["vendor"], e["operation"], e["response"]["status"]) for e in entries]

    assert ops(await sb.requests()) == [("linkjolt", "createAffiliate", 201), ("linkjolt", "createAffiliate", 409),
                                        ("linkjolt", "listAffiliates", 200), ("everflow", "listAffiliates", 200)]
    assert ops(await sb.requests("?vendor=everflow")) == [("everflow", "listAffiliates", 200)]
    assert ops(await sb.requests("?vendor=linkjolt&operation=createAffiliate")) == [
        ("linkjolt", "createAffiliate", 201), ("linkjolt", "createAffiliate", 409)]
    assert ops(await sb.requests("?status=409")) == [("linkjolt", "createAffiliate", 409)]
    assert ops(await sb.requests("?limit=1")) == [("everflow", "listAffiliates", 200)]
    assert await sb.requests("?since=2026-06-15T12:00:01Z") == []
    assert len(await sb.requests("?since=2026-06-15T12:00:00Z")) == 4


async def test_bad_filters_are_400_naming_the_field(sb: Sandbox) -> None:
    status, body = await sb.control("GET", f"/tenants/{sb.tenant}/requests?operation=createAffiliate")
    assert (status, body["error"]["code"], body["error"]["field"]) == (400, "invalid_body", "vendor")
    status, body = await sb.control("GET", f"/tenants/{sb.tenant}/requests?status=abc")
    assert (status, body["error"]["field"]) == (400, "status")
    status, body = await sb.control("GET", f"/tenants/{sb.tenant}/requests?since=yesterday")
    assert (status, body["error"]["field"]) == (400, "since")
    status, body = await sb.control("GET", f"/tenants/{sb.tenant}/requests?limit=0")
    assert (status, body["error"]["field"]) == (400, "limit")
    status, body = await sb.control("GET", "/tenants/t_nobody/requests")
    assert (status, body["error"]["code"]) == (404, "tenant_not_found")


async def test_explain_finds_a_request_by_its_id(sb: Sandbox) -> None:
    _, _, headers = await sb.lj("POST", "/affiliates", NEW | {"campaignId": "camp_nope"})
    request_id = headers["X-Sandbox-Request-Id"]
    status, entry = await sb.control("GET", f"/requests/{request_id}")
    assert status == 200
    assert entry == (await sb.requests())[0]
    assert entry["response"]["status"] == 404
    assert entry["decision"]["stage"] == "handle"
    assert entry["explanation"].startswith(f"handle answered 404: {entry['decision']['reason']}; linkjolt "
                                           "createAffiliate is `documented`")
    status, body = await sb.control("GET", "/requests/req_999999")
    assert (status, body["error"]["code"]) == (404, "request_not_found")


async def test_requests_that_reach_no_tenant_are_explained_from_the_server_journal(sb: Sandbox) -> None:
    response = await sb.client.get(LJ + "/affiliates", headers={"Authorization": "Bearer not-a-key"})
    assert response.status == 401
    status, entry = await sb.control("GET", f"/requests/{response.headers['X-Sandbox-Request-Id']}")
    assert status == 200
    assert (entry["tenant"], entry["operation"], entry["decision"]["stage"], entry["decision"]["reason"]) == (
        None, "listAffiliates", "authenticate", "unauthorized")
    assert entry["request"]["headers"]["Authorization"] == "[redacted]"

    response = await sb.client.get(LJ + "/no-such-thing", headers=sb.auth())
    assert response.status == 404
    status, entry = await sb.control("GET", f"/requests/{response.headers['X-Sandbox-Request-Id']}")
    assert status == 200
    assert (entry["tenant"], entry["operation"], entry["decision"]["stage"], entry["response"]["status"]) == (
        None, None, "route", 404)
    assert entry["explanation"].endswith(f"GET {LJ}/no-such-thing matches no linkjolt operation")
    assert entry["decision"]["fidelity"] is None
    assert await sb.requests() == []  # neither reached the tenant


async def test_everflow_key_header_is_redacted(sb: Sandbox) -> None:
    response = await sb.client.get("/everflow/v1/networks/affiliates", headers=sb.auth("everflow"))
    assert response.status == 200
    [entry] = await sb.requests()
    assert entry["request"]["headers"]["X-Eflow-Api-Key"] == "[redacted]"
    assert sb.keys["everflow"] not in str(entry)


async def test_the_journal_keeps_the_last_entries_and_counts_the_dropped(client: TestClient,
                                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(journal, "LIMIT", 3)
    sb = await new_tenant(client)
    ids = []
    for _ in range(5):
        _, _, headers = await sb.lj("GET", "/campaigns")
        ids.append(headers["X-Sandbox-Request-Id"])
    status, body = await sb.control("GET", f"/tenants/{sb.tenant}/requests")
    assert [e["id"] for e in body["data"]] == ids[2:]
    assert body["dropped"] == 2
    status, body = await sb.control("GET", f"/requests/{ids[0]}")
    assert (status, body["error"]["code"]) == (404, "request_not_found")


async def test_large_bodies_are_kept_truncated(sb: Sandbox) -> None:
    big = "x" * (journal.MAX_BODY + 10)
    status, _, _ = await sb.lj("POST", "/affiliates", NEW | {"name": big})
    assert status == 400  # too long a name
    [entry] = await sb.requests()
    assert entry["request"]["truncated"] is True
    assert entry["request"]["bodyEncoding"] == "utf-8"
    assert len(entry["request"]["body"]) == journal.MAX_BODY
    assert entry["request"]["size"] > journal.MAX_BODY


async def test_clearing_and_reset(sb: Sandbox) -> None:
    await sb.lj("GET", "/campaigns")
    status, body = await sb.control("POST", f"/reset?tenant={sb.tenant}")
    assert status == 200
    assert len(await sb.requests()) == 1  # a reset keeps the record of what happened
    status, body = await sb.control("DELETE", f"/tenants/{sb.tenant}/requests")
    assert (status, body) == (200, {"tenant": sb.tenant, "deleted": 1})
    assert await sb.requests() == []


async def test_a_deleted_tenants_requests_cannot_be_explained(sb: Sandbox) -> None:
    _, _, headers = await sb.lj("GET", "/campaigns")
    assert (await sb.control("GET", f"/requests/{headers['X-Sandbox-Request-Id']}"))[0] == 200
    status, _ = await sb.control("DELETE", f"/tenants/{sb.tenant}")
    assert status == 200
    status, body = await sb.control("GET", f"/requests/{headers['X-Sandbox-Request-Id']}")
    assert (status, body["error"]["code"]) == (404, "request_not_found")


async def test_access_log_line_names_tenant_operation_status_and_code(aiohttp_client, caplog) -> None:  # type: ignore[no-untyped-def]
    from sandbox import create_app

    from ..conftest import test_settings

    app = create_app(test_settings())
    server = TestServer(app)
    await server.start_server(access_log_class=access_logger(app[JOURNALS]),
                              access_log=logging.getLogger("aiohttp.access"))
    client = await aiohttp_client(server)
    sb = await new_tenant(client)
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        _, _, headers = await sb.lj("POST", "/affiliates", {"name": "x"})
    line = next(r.getMessage() for r in caplog.records if "/affiliates" in r.getMessage())
    assert f'"POST {LJ}/affiliates" 400 ' in line
    assert (f"tenant={sb.tenant} op=linkjolt.createAffiliate stage=validate code=validation_error "
            f"id={headers['X-Sandbox-Request-Id']}") in line


def _record(request_id: str) -> journal.Record:
    """A journal record as the journal stage builds it (a GET answered 200 by the handler)."""
    return (request_id, "t_1", 0.0, "linkjolt", None, "GET", "/linkjolt/api/v1/campaigns", (), None, 200, {},
            b"{}", 0.001, "handle", "ok", None, None, None)


def _tenant_journal(journals: journal.Journals) -> journal.Journal:
    kept = journal.Journal()
    kept.index, kept.settler = journals.index, journals  # as the journal stage links a tenant's journal
    return kept


async def test_a_record_is_kept_once_the_loops_turn_ends() -> None:
    journals = journal.Journals()
    kept = _tenant_journal(journals)
    journals.defer(kept, _record("req_1"))
    journals.defer(kept, _record("req_2"))
    assert not kept._records and "req_1" not in journals.index  # not during the turn that answered it
    await asyncio.sleep(0)
    assert [r[journal.ID] for r in kept._records] == ["req_1", "req_2"]
    assert set(journals.index) == {"req_1", "req_2"}


async def test_every_read_keeps_what_is_pending_first() -> None:
    journals = journal.Journals()
    kept = _tenant_journal(journals)
    reads = [lambda: journals.find("req_1") is not None, lambda: len(kept) == 1,
             lambda: [e.id for e in kept.select()] == ["req_1"], lambda: kept.clear() == 1,
             lambda: journals.server.dropped == 0 and len(journals.server) == 0]
    for read in reads:
        kept.clear()
        journals.defer(kept, _record("req_1"))
        assert read()
    journal_with_one_slot = _tenant_journal(journals)
    journal_with_one_slot.limit = 1
    for n in range(3):
        journals.defer(journal_with_one_slot, _record(f"req_x{n}"))
    assert journal_with_one_slot.dropped == 2


def test_outside_an_event_loop_a_record_is_kept_at_once() -> None:
    journals = journal.Journals()
    journals.defer(journals.server, _record("req_1"))
    assert journals.server._records[0][journal.ID] == "req_1"


async def test_a_request_answered_is_in_the_journal_for_the_next_request(sb: Sandbox) -> None:
    """What a client reads after its answer includes that answer's request, although it is kept a turn later."""
    journals = sb.client.server.app[JOURNALS]
    for _ in range(3):
        _, _, headers = await sb.lj("GET", "/campaigns")
        request_id = headers["X-Sandbox-Request-Id"]
        status, body = await sb.control("GET", f"/requests/{request_id}")
        assert status == 200 and body["id"] == request_id
        assert not journals._pending
