"""Tenant-level controls through HTTP: per-tenant freeze, a clock at creation, rate-limit budgets, tenants found
by key, and X-Sandbox-Tenant on the answers."""
from __future__ import annotations

from aiohttp.test_utils import TestClient

from ..conftest import FROZEN_AT

LINKJOLT = "/linkjolt/api/v1"


async def _tenant(client: TestClient, **body: object) -> dict:
    answer = await client.post("/_sandbox/tenants", json=body)
    assert answer.status == 201, await answer.text()
    assert answer.headers["X-Sandbox-Tenant"] == (await answer.json())["id"]
    return await answer.json()


async def test_freeze_and_unfreeze_one_tenant(make_client) -> None:
    client = await make_client(clock="real")
    tenant = (await _tenant(client))["id"]
    frozen = await client.post(f"/_sandbox/tenants/{tenant}/clock/freeze", json={"at": "2030-01-01T00:00:00Z"})
    assert (frozen.status, await frozen.json()) == (200, {"id": tenant, "now": "2030-01-01T00:00:00Z",
                                                          "frozen": True})
    assert frozen.headers["X-Sandbox-Tenant"] == tenant
    assert (await (await client.get("/_sandbox/tenants/default")).json())["clock"] == "real"  # others run on
    moved = await client.post(f"/_sandbox/tenants/{tenant}/clock", json={"advance": 60})
    assert (await moved.json())["now"] == "2030-01-01T00:01:00Z"
    thawed = await client.post(f"/_sandbox/tenants/{tenant}/clock/unfreeze")
    body = await thawed.json()
    assert (thawed.status, body["frozen"]) == (200, False)
    assert "2030-01-01T00:01:00Z" <= body["now"] < "2030-01-01T01:00:00Z"  # runs on from where it stood
    again = await client.post(f"/_sandbox/tenants/{tenant}/clock/freeze")
    assert (await again.json())["frozen"] is True


async def test_freeze_refuses_a_bad_instant(client: TestClient) -> None:
    answer = await client.post("/_sandbox/tenants/default/clock/freeze", json={"at": "soon"})
    body = await answer.json()
    assert (answer.status, body["error"]["code"], body["error"]["field"]) == (400, "invalid_body", "at")


async def test_create_with_a_clock_kept_across_reset(client: TestClient) -> None:
    tenant = (await _tenant(client, clock="frozen:2031-02-03T04:05:06Z", seed=9))["id"]
    described = await (await client.get(f"/_sandbox/tenants/{tenant}")).json()
    assert (described["now"], described["clock"], described["seed"]) == ("2031-02-03T04:05:06Z", "frozen", 9)
    await client.post(f"/_sandbox/tenants/{tenant}/clock", json={"advance": 3600})
    reset = await client.post(f"/_sandbox/reset?tenant={tenant}")
    assert reset.headers["X-Sandbox-Tenant"] == tenant
    assert (await (await client.get(f"/_sandbox/tenants/{tenant}")).json())["now"] == "2031-02-03T04:05:06Z"
    assert (await (await client.get("/_sandbox/tenants/default")).json())["now"] == FROZEN_AT


async def test_create_refuses_a_bad_clock_and_makes_nothing(client: TestClient) -> None:
    before = len((await (await client.get("/_sandbox/tenants")).json())["data"])
    for clock in ("sometimes", "frozen:yesterday", "frozen:10000-01-01T00:00:00Z"):
        answer = await client.post("/_sandbox/tenants", json={"clock": clock})
        body = await answer.json()
        assert (answer.status, body["error"]["code"], body["error"]["field"]) == (400, "invalid_body", "clock"), clock
    assert len((await (await client.get("/_sandbox/tenants")).json())["data"]) == before


async def test_rate_limit_budget_to_zero_gives_a_429_at_once(client: TestClient) -> None:
    tenant = await _tenant(client)
    key = tenant["keys"]["linkjolt"]
    answer = await client.post(f"/_sandbox/tenants/{tenant['id']}/rate-limits",
                               json={"vendor": "linkjolt", "remaining": 0})
    assert answer.status == 200
    assert await answer.json() == {"id": tenant["id"], "vendor": "linkjolt", "key": key, "limits": [
        {"bucket": "minute", "limit": 300, "remaining": 0, "reset": "2026-06-15T12:01:00Z"},
        {"bucket": "invite", "limit": 10, "remaining": 0, "reset": "2026-06-15T12:01:00Z"}]}
    refused = await client.get(f"{LINKJOLT}/me", headers={"Authorization": f"Bearer {key}"})
    assert refused.status == 429
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    await client.post(f"/_sandbox/tenants/{tenant['id']}/clock", json={"advance": 60})
    assert (await client.get(f"{LINKJOLT}/me", headers={"Authorization": f"Bearer {key}"})).status == 200


async def test_rate_limit_budget_of_two(client: TestClient) -> None:
    tenant = await _tenant(client)
    key = tenant["keys"]["linkjolt"]
    await client.post(f"/_sandbox/tenants/key:{key}/rate-limits", json={"vendor": "linkjolt", "key": key,
                                                                        "remaining": 2})
    statuses = [(await client.get(f"{LINKJOLT}/me", headers={"Authorization": f"Bearer {key}"})).status
                for _ in range(3)]
    assert statuses == [200, 200, 429]


async def test_rate_limit_budget_refusals_name_the_field(client: TestClient) -> None:
    tenant = await _tenant(client)
    cases = [({"vendor": "nope", "remaining": 0}, "vendor"),
             ({"vendor": "linkjolt", "key": "lj_pk_sandbox_ultimate_0001", "remaining": 0}, "key"),
             ({"vendor": "linkjolt", "remaining": -1}, "remaining")]
    for body, field in cases:
        answer = await client.post(f"/_sandbox/tenants/{tenant['id']}/rate-limits", json=body)
        error = (await answer.json())["error"]
        assert (answer.status, error["code"], error["field"]) == (400, "invalid_body", field), body


async def test_a_tenant_found_by_any_of_its_keys(client: TestClient) -> None:
    fresh = "lj_pk_autoprovisioned_0001"
    assert (await client.get(f"{LINKJOLT}/me", headers={"Authorization": f"Bearer {fresh}"})).status == 200
    found = await client.get(f"/_sandbox/tenants/key:{fresh}")
    body = await found.json()
    assert found.status == 200 and body["keys"] == {"linkjolt": [fresh]}
    assert found.headers["X-Sandbox-Tenant"] == body["id"] != "default"
    default = await client.get("/_sandbox/tenants/key:ef_sandbox_network_0001")
    assert (default.headers["X-Sandbox-Tenant"], (await default.json())["id"]) == ("default", "default")
    moved = await client.post(f"/_sandbox/tenants/key:{fresh}/clock", json={"advance": 1})
    assert (await moved.json())["id"] == body["id"]
    snapshot = await client.get(f"/_sandbox/tenants/key:{fresh}/snapshot")
    assert snapshot.status == 200 and snapshot.headers["X-Sandbox-Tenant"] == body["id"]
    action = await client.post(f"/_sandbox/tenants/key:{fresh}/linkjolt/payouts/run")
    assert action.status == 200 and action.headers["X-Sandbox-Tenant"] == body["id"]
    dropped = await client.delete(f"/_sandbox/tenants/key:{fresh}")
    assert (dropped.status, await dropped.json()) == (200, {"id": body["id"], "deleted": True})
    gone = await client.get(f"/_sandbox/tenants/key:{fresh}")
    error = (await gone.json())["error"]
    assert (gone.status, error["code"], error["message"]) == (404, "tenant_not_found",
                                                              f"No tenant has the key {fresh!r}")
    assert "X-Sandbox-Tenant" not in gone.headers


async def test_answers_about_no_single_tenant_name_none(client: TestClient) -> None:
    for path in ("/_sandbox/health", "/_sandbox/tenants"):
        assert "X-Sandbox-Tenant" not in (await client.get(path)).headers
    assert "X-Sandbox-Tenant" not in (await client.post("/_sandbox/reset")).headers
