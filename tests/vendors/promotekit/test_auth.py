"""Keys, tenants, rate limits and the envelopes every PromoteKit route shares."""
from __future__ import annotations

from .conftest import CAMP_COUPON, JANE, KEY, PromoteKitClient, error

NEW = {"email": "newbie@example.com", "first_name": "Newbie", "last_name": "Person"}


async def test_missing_key_is_401(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.as_key(None).get("/affiliates")
    assert (status, body) == (401, error("Missing API key", "authentication_error"))  # type and text are guesses


async def test_malformed_or_foreign_keys_are_401(pk: PromoteKitClient) -> None:
    for key in ("sk_live_abc", "pk_", "pk_has-dash", "lj_pk_sandbox_ultimate_0001"):
        status, body, _ = await pk.as_key(key).get("/affiliates")
        assert (status, body) == (401, error("Invalid API key", "authentication_error")), key


async def test_other_auth_schemes_are_401(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.as_key(None).get("/affiliates", headers={"Authorization": f"Basic {KEY}"})
    assert (status, body) == (401, error("Missing API key", "authentication_error"))
    status, _, _ = await pk.as_key(None).get("/affiliates", headers={"X-Api-Key": KEY})
    assert status == 401


async def test_unknown_well_formed_key_gets_its_own_seeded_world(pk: PromoteKitClient) -> None:
    fresh = pk.as_key("pk_FreshTenant123")
    status, body, _ = await fresh.get(f"/affiliates/{JANE}")
    assert (status, body["data"]["email"]) == (200, "jane@example.com")  # seeded from the same fixtures
    _, made, _ = await fresh.post("/affiliates", NEW)
    status, _, _ = await fresh.get(f"/affiliates/{made['data']['id']}")
    assert status == 200
    status, _, _ = await pk.get(f"/affiliates/{made['data']['id']}")
    assert status == 404  # the default tenant never sees it


async def test_control_plane_tenant_gets_a_working_pk_key(pk: PromoteKitClient) -> None:
    response = await pk.client.post("/_sandbox/tenants", json={"seed": 3})
    key = (await response.json())["keys"]["promotekit"]
    assert key.startswith("pk_") and len(key) == 25
    status, _, _ = await pk.as_key(key).get("/campaigns")
    assert status == 200


async def test_no_auto_tenants_refuses_unknown_keys(make_client) -> None:
    client = await make_client(auto_tenants=False)
    pk = PromoteKitClient(client)
    status, body, _ = await pk.as_key("pk_FreshTenant123").get("/affiliates")
    assert (status, body) == (401, error("Invalid API key", "authentication_error"))
    assert (await pk.get("/affiliates"))[0] == 200


async def test_200_requests_a_minute_then_429(pk: PromoteKitClient) -> None:
    for _ in range(200):
        status, _, headers = await pk.get("/campaigns?limit=1")
        assert status == 200
    # guess: PromoteKit documents no rate-limit headers, so ordinary responses carry none
    assert not [h for h in headers if h.lower().startswith("x-ratelimit")]
    status, body, headers = await pk.get("/campaigns?limit=1")
    assert (status, body) == (429, error("Rate limit exceeded", "rate_limit_error"))
    assert headers["Retry-After"] == "60"  # guess: a bare Retry-After; the clock is frozen at :00
    status, _, _ = await pk.as_key("pk_AnotherKey0001").get("/campaigns")  # per key
    assert status == 200
    await pk.client.post("/_sandbox/tenants/default/clock", json={"advance": 60})
    status, _, _ = await pk.get("/campaigns?limit=1")
    assert status == 200


async def test_rate_limits_off_never_answer_429(make_client) -> None:
    pk = PromoteKitClient(await make_client(rate_limits=False))
    for _ in range(201):
        status, _, _ = await pk.get("/campaigns?limit=1")
    assert status == 200


async def test_bad_bodies_are_400_in_the_envelope(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", data=b"{not json", headers={"Content-Type": "application/json"})
    assert (status, body) == (400, error("Invalid JSON body"))
    status, body, _ = await pk.post("/affiliates", [NEW])
    assert (status, body) == (400, error("Request body must be a JSON object"))
    status, body, _ = await pk.post("/affiliates")
    assert (status, body) == (400, error("Request body is required"))


async def test_unknown_routes_and_methods_are_404(pk: PromoteKitClient) -> None:  # guess: 404, not 405
    status, body, _ = await pk.get("/links")
    assert (status, body) == (404, error("Not found", "not_found"))
    status, body, _ = await pk.call("DELETE", f"/affiliates/{JANE}")
    assert (status, body) == (404, error("Not found", "not_found"))
    assert (await pk.get(f"/affiliates/{JANE}"))[0] == 200  # nothing was deleted


async def test_openapi_document_is_served_with_the_sandbox_server(pk: PromoteKitClient) -> None:
    response = await pk.client.get("/promotekit/api/v1/openapi.json")
    document = await response.json()
    assert response.status == 200
    assert document["servers"][0]["url"].endswith("/promotekit/api/v1")
    assert len([m for item in document["paths"].values() for m in item if m != "parameters"]) == 15


async def test_the_404_for_an_undocumented_method_has_no_allow_header(pk: PromoteKitClient) -> None:
    status, _, headers = await pk.call("DELETE", f"/campaigns/{JANE}")
    assert status == 404 and "Allow" not in headers


async def test_same_seed_same_requests_same_bytes(make_client) -> None:
    bodies = []
    for _ in range(2):
        client = await make_client()
        response = await client.post("/promotekit/api/v1/affiliates", json=NEW | {"campaign_id": CAMP_COUPON},
                                     headers={"Authorization": f"Bearer {KEY}"})
        bodies.append(await response.read())
    assert bodies[0] == bodies[1]


async def test_reset_restores_the_fixtures(pk: PromoteKitClient) -> None:
    _, made, _ = await pk.post("/affiliates", NEW)
    await pk.put(f"/affiliates/{JANE}", {"banned": True})
    response = await pk.client.post("/_sandbox/reset?tenant=default")
    assert response.status == 200
    assert (await pk.get(f"/affiliates/{made['data']['id']}"))[0] == 404
    assert (await pk.get(f"/affiliates/{JANE}"))[1]["data"]["banned"] is False
