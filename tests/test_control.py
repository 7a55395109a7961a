"""The /_sandbox control plane."""
from __future__ import annotations

from aiohttp.test_utils import TestClient

KEY = {"Authorization": "Bearer lj_pk_sandbox_ultimate_0001"}
NEW = {"email": "c@example.com", "name": "C", "campaignId": "camp_percentage_00001"}


async def test_health(client: TestClient) -> None:
    response = await client.get("/_sandbox/health")
    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok" and "linkjolt" in body["vendors"]


async def test_create_tenant_gives_one_working_key_per_vendor(client: TestClient) -> None:
    response = await client.post("/_sandbox/tenants", json={"seed": 42})
    assert response.status == 201
    tenant = await response.json()
    assert tenant["id"].startswith("t_") and tenant["seed"] == 42
    key = tenant["keys"]["linkjolt"]
    assert key.startswith("lj_pk_")
    me = await client.get("/linkjolt/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert (await me.json())["data"]["plan"] == "ultimate"
    listed = await (await client.get("/_sandbox/tenants")).json()
    assert {t["id"] for t in listed["data"]} >= {"default", tenant["id"]}


async def test_tenants_are_isolated(client: TestClient) -> None:
    tenant = await (await client.post("/_sandbox/tenants")).json()
    other = {"Authorization": f"Bearer {tenant['keys']['linkjolt']}"}
    assert (await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)).status == 201
    assert (await client.post("/linkjolt/api/v1/affiliates", headers=other, json=NEW)).status == 201


async def test_delete_tenant_revokes_its_keys(make_client) -> None:
    client = await make_client(auto_tenants=False)
    tenant = await (await client.post("/_sandbox/tenants")).json()
    headers = {"Authorization": f"Bearer {tenant['keys']['linkjolt']}"}
    assert (await client.get("/linkjolt/api/v1/me", headers=headers)).status == 200
    response = await client.delete(f"/_sandbox/tenants/{tenant['id']}")
    assert (response.status, await response.json()) == (200, {"id": tenant["id"], "deleted": True})
    assert (await client.get("/linkjolt/api/v1/me", headers=headers)).status == 401
    assert (await client.delete(f"/_sandbox/tenants/{tenant['id']}")).status == 404
    assert (await client.delete("/_sandbox/tenants/default")).status == 400


async def test_reset_restores_the_fixtures(client: TestClient) -> None:
    await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)
    response = await client.post("/_sandbox/reset")
    assert response.status == 200
    assert (await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)).status == 201


async def test_reset_one_tenant(client: TestClient) -> None:
    tenant = await (await client.post("/_sandbox/tenants")).json()
    other = {"Authorization": f"Bearer {tenant['keys']['linkjolt']}"}
    await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)
    await client.post("/linkjolt/api/v1/affiliates", headers=other, json=NEW)
    response = await client.post(f"/_sandbox/reset?tenant={tenant['id']}")
    assert await response.json() == {"reset": [tenant["id"]]}
    assert (await client.post("/linkjolt/api/v1/affiliates", headers=other, json=NEW)).status == 201
    assert (await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)).status == 409
    assert (await client.post("/_sandbox/reset?tenant=t_nope")).status == 404


async def test_clock_advance_and_set(client: TestClient) -> None:
    response = await client.post("/_sandbox/tenants/default/clock", json={"advance": 61})
    assert await response.json() == {"id": "default", "now": "2026-06-15T12:01:01Z", "frozen": True}
    response = await client.post("/_sandbox/tenants/default/clock", json={"set": "2026-05-01T00:00:00Z"})
    assert (await response.json())["now"] == "2026-05-01T00:00:00Z"
    created = await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)
    assert (await created.json())["data"]["joinedAt"] == "2026-05-01T00:00:00Z"


async def test_clock_refuses_bad_input(client: TestClient) -> None:
    for body in ({}, {"advance": 1, "set": "2026-01-01T00:00:00Z"}, {"advance": -1}, {"advance": "x"},
                 {"set": "tomorrow"}):
        response = await client.post("/_sandbox/tenants/default/clock", json=body)
        assert response.status == 400, body
        assert (await response.json())["error"]["code"] == "invalid_body"
    assert (await client.post("/_sandbox/tenants/t_nope/clock", json={"advance": 1})).status == 404


async def test_actions_are_listed(client: TestClient) -> None:
    body = await (await client.get("/_sandbox/actions")).json()
    paths = {a["path"] for a in body["data"]}
    assert "/_sandbox/tenants/{id}/linkjolt/payouts/run" in paths


async def test_snapshot_and_restore_a_tenant(client: TestClient) -> None:
    saved = await (await client.get("/_sandbox/tenants/default/snapshot")).json()
    assert saved["format"] == 2 and set(saved["vendors"]) >= {"linkjolt"}
    before = await (await client.get("/linkjolt/api/v1/affiliates?limit=100", headers=KEY)).json()
    assert (await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)).status == 201
    await client.post("/_sandbox/tenants/default/clock", json={"advance": 3600})
    response = await client.put("/_sandbox/tenants/default/snapshot", json=saved)
    assert (response.status, (await response.json())["now"]) == (200, "2026-06-15T12:00:00Z")
    after = await (await client.get("/linkjolt/api/v1/affiliates?limit=100", headers=KEY)).json()
    assert after == before
    again = await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)
    first = await client.put("/_sandbox/tenants/default/snapshot", json=saved)
    assert first.status == 200
    replay = await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)
    assert (await again.json()) == (await replay.json())  # the random source's position came back too


async def test_a_snapshot_moves_to_another_tenant(client: TestClient) -> None:
    await client.post("/linkjolt/api/v1/affiliates", headers=KEY, json=NEW)
    saved = await (await client.get("/_sandbox/tenants/default/snapshot")).json()
    tenant = await (await client.post("/_sandbox/tenants")).json()
    assert (await client.put(f"/_sandbox/tenants/{tenant['id']}/snapshot", json=saved)).status == 200
    other = {"Authorization": f"Bearer {tenant['keys']['linkjolt']}"}
    duplicate = await client.post("/linkjolt/api/v1/affiliates", headers=other, json=NEW)
    assert duplicate.status == 409  # the copied world already has that affiliate


async def test_a_bad_snapshot_changes_nothing(client: TestClient) -> None:
    saved = await (await client.get("/_sandbox/tenants/default/snapshot")).json()
    broken = {**saved, "vendors": {**saved["vendors"], "linkjolt": {**saved["vendors"]["linkjolt"]}}}
    del broken["vendors"]["linkjolt"]["campaigns"]
    for body in ({}, {"format": 1}, broken):
        response = await client.put("/_sandbox/tenants/default/snapshot", json=body)
        assert response.status == 400
        assert (await response.json())["error"]["code"] == "invalid_snapshot"
    assert (await client.get("/linkjolt/api/v1/campaigns/camp_percentage_00001", headers=KEY)).status == 200
