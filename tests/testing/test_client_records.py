"""The client calls about one record and the clears, against a real server: explain a request, clear the journal,
read and delete one fault, webhook endpoints, one delivery and its redelivery, empty an inbox (sync, through the
tenant object, and async)."""
from __future__ import annotations

from typing import Any

import pytest
import requests

from sandbox.testing import AsyncSandboxClient, SandboxClient, SandboxControlError, SandboxTenant
from sandbox.testing.calls import Call

# Harness tests: the vendor calls they make say nothing about any operation's behaviour (not counted in
# docs/coverage.md).
pytestmark = pytest.mark.generic
SALE: dict[str, Any] = {"campaignId": "camp_percentage_00001", "affiliateId": "aff_jane_smith_000001", "amount": 100}
ME_NOTE = ("Only keyType is a documented field name; merchant, permissions, plan and rateLimit are guessed "
           "names.")
FAULT: dict[str, Any] = {"vendor": "linkjolt", "operation": "getMe", "kind": "error", "status": 503, "times": 2}


@pytest.fixture
def tenant(server_url: str) -> SandboxTenant:
    control = SandboxClient(server_url)
    return SandboxTenant(control, control.create_tenant())


def get_me(tenant: SandboxTenant) -> requests.Response:
    return requests.get(tenant.base_url("linkjolt") + "/me", headers=tenant.headers("linkjolt"), timeout=10)


def post_sale(tenant: SandboxTenant) -> None:
    answer = requests.post(tenant.base_url("linkjolt") + "/conversions", headers=tenant.headers("linkjolt"),
                           json=SALE, timeout=10)
    assert answer.status_code == 201, answer.text


def refusal(caught: pytest.ExceptionInfo[SandboxControlError]) -> tuple[int, str, str]:
    return caught.value.status, caught.value.code, caught.value.message


def test_explain_a_request_then_clear_the_journal(tenant: SandboxTenant) -> None:
    control = tenant.client
    answer = get_me(tenant)
    request_id = answer.headers["X-Sandbox-Request-Id"]
    entry = control.explain(request_id)
    assert tenant.explain(request_id) == entry
    assert {k: entry[k] for k in ("id", "tenant", "at", "vendor", "operation", "method", "path", "query")} == {
        "id": request_id, "tenant": tenant.id, "at": "2026-06-15T12:00:00Z", "vendor": "linkjolt",
        "operation": "getMe", "method": "GET", "path": "/linkjolt/api/v1/me", "query": ""}
    assert (entry["response"]["status"], entry["response"]["body"]) == (200, answer.json())
    assert entry["request"]["headers"]["Authorization"] == "[redacted]"
    assert (entry["decision"]["stage"], entry["decision"]["reason"]) == ("handle", "ok")
    assert entry["explanation"] == f"handle answered 200: ok; linkjolt getMe is `documented` in the spec ({ME_NOTE})"
    get_me(tenant)
    assert control.clear_requests(tenant.id) == 2
    assert tenant.requests() == []
    assert tenant.clear_requests() == 0
    with pytest.raises(SandboxControlError) as caught:  # the journal that held it is empty now
        tenant.explain(request_id)
    assert refusal(caught) == (404, "request_not_found", (
        f"No request {request_id!r} in any journal (each tenant keeps its last 1,000 requests, the server its last "
        "200 that reached no tenant)"))
    with pytest.raises(SandboxControlError) as missing:
        control.clear_requests("t_nobody")
    assert refusal(missing) == (404, "tenant_not_found", "No tenant 't_nobody'")
    with pytest.raises(ValueError, match="a request id must be a non-empty string"):
        control.explain("")


def test_read_and_delete_one_fault(tenant: SandboxTenant) -> None:
    control = tenant.client
    added = tenant.faults.add(FAULT)
    assert added == {"id": added["id"], "kind": "error", "vendor": "linkjolt", "operation": "getMe", "status": 503,
                     "code": "service_unavailable", "times": 2, "remaining": 2, "probability": 1.0, "fired": 0,
                     "active": True}
    assert control.fault(tenant.id, added["id"]) == added
    assert get_me(tenant).status_code == 503
    assert tenant.faults.get(added["id"]) == {**added, "remaining": 1, "fired": 1}
    control.delete_fault(tenant.id, added["id"])
    assert tenant.faults.list() == []
    assert get_me(tenant).status_code == 200
    for gone in (lambda: tenant.faults.get(added["id"]), lambda: tenant.faults.delete(added["id"])):
        with pytest.raises(SandboxControlError) as caught:
            gone()
        assert refusal(caught) == (404, "fault_not_found", f"No fault {added['id']!r} in tenant {tenant.id!r}")
    tenant.faults.add(FAULT)
    control.add_fault(tenant.id, {key: value for key, value in FAULT.items() if key != "times"})  # until removed
    assert tenant.faults.clear() == 2
    assert control.clear_faults(tenant.id) == 0
    with pytest.raises(ValueError, match="a fault id must be a non-empty string"):
        tenant.faults.get("")


def test_webhook_endpoints_deliveries_and_the_inbox(server_url: str, tenant: SandboxTenant) -> None:
    control = tenant.client
    url = f"{server_url}/_sandbox/inbox/client-sync"
    hook = tenant.webhooks.add("linkjolt", url, ["conversion.created"], secret="s3cret")
    assert hook == {"vendor": "linkjolt", "id": hook["id"], "url": url, "events": ["conversion.created"],
                    "secret": "s3cret", "active": True, "consecutiveFailures": 0, "createdAt": "2026-06-15T12:00:00Z"}
    assert control.webhooks(tenant.id) == [hook]
    assert (tenant.webhooks.list("linkjolt"), tenant.webhooks.list("promotekit")) == ([hook], [])
    post_sale(tenant)
    tenant.advance(0)  # deliveries go out on the tenant's clock
    [sent] = tenant.deliveries()
    assert (sent["subscriptionId"], sent["event"], sent["state"]) == (hook["id"], "conversion.created", "delivered")
    assert control.delivery(tenant.id, sent["id"]) == tenant.delivery(sent["id"]) == sent
    again = tenant.redeliver(sent["id"])
    assert again == {**sent, "attempts": [*sent["attempts"], sent["attempts"][0]]}
    assert [message["body"] for message in control.inbox("client-sync")] == [sent["request"]["body"]] * 2
    assert control.empty_inbox("client-sync") == 2
    assert (control.inbox("client-sync"), control.empty_inbox("client-sync")) == ([], 0)
    tenant.webhooks.delete(hook["id"])
    assert tenant.webhooks.list() == []
    with pytest.raises(SandboxControlError) as caught:
        control.delete_webhook(tenant.id, hook["id"])
    assert refusal(caught) == (404, "webhook_not_found", f"No webhook endpoint {hook['id']!r} in tenant {tenant.id!r}")
    with pytest.raises(SandboxControlError) as missing:
        tenant.delivery("wh_del_nope")
    assert refusal(missing) == (404, "delivery_not_found",
                                f"No delivery 'wh_del_nope' in tenant {tenant.id!r} (the outbox keeps the last 1,000)")
    with pytest.raises(SandboxControlError) as refused:
        control.add_webhook(tenant.id, "everflow", url, ["conversion"])
    assert (refused.value.status, refused.value.code, refused.value.field) == (400, "invalid_body", "vendor")
    with pytest.raises(ValueError, match="a list of event names"):
        control.add_webhook(tenant.id, "linkjolt", url, "conversion.created")  # type: ignore[arg-type]


def test_a_missing_route_is_a_missing_feature_and_a_missing_record_is_not(server_url: str) -> None:
    control = SandboxClient(server_url)
    with pytest.raises(NotImplementedError, match="this sandbox has no time travel: GET /_sandbox/time-machine "
                                                  "answered 404 not_found"):
        control.call(Call("GET", "/time-machine", lambda body: body, feature="time travel"))
    with pytest.raises(NotImplementedError, match="answered 405 method_not_allowed"):
        control.call(Call("PATCH", "/tenants/default/faults", lambda body: body, feature="fault patching"))
    with pytest.raises(SandboxControlError) as caught:
        control.fault("default", "flt_nope")
    assert refusal(caught) == (404, "fault_not_found", "No fault 'flt_nope' in tenant 'default'")


async def test_async_client_record_calls(server_url: str) -> None:
    url = f"{server_url}/_sandbox/inbox/client-async"
    async with AsyncSandboxClient(server_url) as control:
        tenant = await control.create_tenant()
        sync = SandboxTenant(SandboxClient(server_url), tenant)
        request_id = get_me(sync).headers["X-Sandbox-Request-Id"]
        entry: dict[str, Any] = await control.explain(request_id)
        assert (entry["id"], entry["tenant"], entry["operation"], entry["response"]["status"]) == (
            request_id, tenant.id, "getMe", 200)
        assert await control.clear_requests(tenant.id) == 1
        assert await control.requests(tenant.id) == []

        added = await control.add_fault(tenant.id, FAULT)
        assert await control.fault(tenant.id, added["id"]) == added
        await control.delete_fault(tenant.id, added["id"])
        with pytest.raises(SandboxControlError) as caught:
            await control.fault(tenant.id, added["id"])
        assert (caught.value.status, caught.value.code) == (404, "fault_not_found")
        await control.add_fault(tenant.id, FAULT)
        assert await control.clear_faults(tenant.id) == 1

        hook = await control.add_webhook(tenant.id, "linkjolt", url, ["conversion.created"])
        assert len(hook["secret"]) == 64  # a new signing secret when none is given
        assert await control.webhooks(tenant.id, "linkjolt") == [hook]
        post_sale(sync)
        await control.advance(tenant.id, 0)
        [sent] = await control.deliveries(tenant.id)
        assert await control.delivery(tenant.id, sent["id"]) == sent
        assert len((await control.redeliver(tenant.id, sent["id"]))["attempts"]) == 2
        assert await control.empty_inbox("client-async") == 2
        await control.delete_webhook(tenant.id, hook["id"])
        assert await control.webhooks(tenant.id) == []
        await control.delete_tenant(tenant.id)
