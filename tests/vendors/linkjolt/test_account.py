"""GET /me, authentication and rate limits (every response carries the rate-limit headers)."""
from __future__ import annotations

from aiohttp.test_utils import TestClient

from .conftest import BASE, PROFESSIONAL, TEST_KEY, ULTIMATE, LinkJoltClient

RESET = 1781524860  # 2026-06-15T12:01:00Z: the end of the frozen clock's minute


async def test_me_describes_the_key(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/me")
    assert status == 200
    assert body == {"data": {
        "merchant": {"id": "mer_sandbox_acme", "name": "Acme Analytics", "website": "https://acme.example"},
        "keyType": "live", "permissions": ["read", "write"], "plan": "ultimate",
        "rateLimit": {"limit": 300, "remaining": 299, "reset": RESET}}}


async def test_me_for_test_and_professional_keys(lj: LinkJoltClient) -> None:
    _, test, _ = await lj.as_key(TEST_KEY).get("/me")
    assert (test["data"]["keyType"], test["data"]["plan"]) == ("test", "ultimate")
    _, pro, _ = await lj.as_key(PROFESSIONAL).get("/me")
    assert (pro["data"]["permissions"], pro["data"]["plan"]) == (["read"], "professional")


async def test_every_response_carries_rate_limit_headers(lj: LinkJoltClient) -> None:
    for path in ("/me", "/campaigns", "/conversions/nope"):
        _, _, headers = await lj.get(path)
        assert headers["X-RateLimit-Limit"] == "300"
        assert headers["X-RateLimit-Reset"] == str(RESET)
    assert headers["X-RateLimit-Remaining"] == "297"


async def test_missing_key_is_401(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.as_key(None).get("/me")
    assert (status, body) == (401, {"error": {"code": "unauthorized", "message": "Missing or invalid API key"}})


async def test_malformed_keys_are_401(lj: LinkJoltClient, client: TestClient) -> None:
    for key in ("sk_live_123456789", "lj_pk_short", "lj_pk_has-dash-1234"):
        assert (await lj.as_key(key).get("/me"))[0] == 401
    response = await client.get(f"{BASE}/me", headers={"Authorization": f"Basic {ULTIMATE}"})
    assert response.status == 401


async def test_professional_key_is_limited_to_60_a_minute_and_recovers_when_the_clock_moves(
        lj: LinkJoltClient, client: TestClient) -> None:
    pro = lj.as_key(PROFESSIONAL)
    for n in range(60):
        status, _, headers = await pro.get("/campaigns")
        assert status == 200 and headers["X-RateLimit-Remaining"] == str(59 - n)
    status, body, headers = await pro.get("/campaigns")
    assert status == 429
    assert body == {"error": {"code": "rate_limit_exceeded",
                              "message": "Rate limit exceeded (60 requests per minute). Retry after 60 seconds."}}
    assert (headers["Retry-After"], headers["X-RateLimit-Remaining"]) == ("60", "0")
    assert (await lj.get("/campaigns"))[0] == 200  # another key, another window
    await client.post("/_sandbox/tenants/default/clock", json={"advance": 61})
    status, _, headers = await pro.get("/campaigns")
    assert (status, headers["X-RateLimit-Remaining"]) == (200, "59")


async def test_ultimate_key_allows_300_a_minute(lj: LinkJoltClient) -> None:
    for _ in range(300):
        assert (await lj.get("/me"))[0] == 200
    status, _, headers = await lj.get("/me")
    assert (status, headers["Retry-After"]) == (429, "60")


async def test_rate_limits_off_keeps_headers_but_never_429(make_client) -> None:
    lj = LinkJoltClient(await make_client(rate_limits=False), PROFESSIONAL)
    for _ in range(61):
        status, _, headers = await lj.get("/me")
        assert status == 200
    assert (headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]) == ("60", "0")


async def test_unknown_well_formed_key_gets_its_own_seeded_tenant(lj: LinkJoltClient) -> None:
    fresh = lj.as_key("lj_pk_fresh_tenant_001")
    _, created, _ = await fresh.post("/affiliates", {"email": "only-here@example.com", "name": "O",
                                                     "campaignId": "camp_percentage_00001"})
    assert created["data"]["email"] == "only-here@example.com"
    _, mine, _ = await fresh.get("/affiliates?limit=100")
    _, default, _ = await lj.get("/affiliates?limit=100")
    assert mine["pagination"]["total"] == default["pagination"]["total"] + 1  # same fixtures, plus one
    assert "only-here@example.com" not in [r["email"] for r in default["data"]]


async def test_magic_segments_set_the_plan(lj: LinkJoltClient) -> None:
    _, pro, _ = await lj.as_key("lj_pk_pro_magic_0001").get("/me")
    assert (pro["data"]["plan"], pro["data"]["keyType"]) == ("professional", "live")
    _, test_pro, _ = await lj.as_key("lj_pk_test_pro_magic_0001").get("/me")
    assert (test_pro["data"]["plan"], test_pro["data"]["keyType"]) == ("professional", "test")
    _, scale, _ = await lj.as_key("lj_pk_scale_magic_0001").get("/me")
    assert scale["data"]["plan"] == "scale"
    status, _, _ = await lj.as_key("lj_pk_pro_magic_0001").post("/webhooks", {"url": "https://x.example", "events": []})
    assert status == 403


async def test_no_auto_tenants_refuses_unknown_keys(make_client) -> None:
    lj = LinkJoltClient(await make_client(auto_tenants=False), "lj_pk_never_seen_0001")
    assert (await lj.get("/me"))[0] == 401
    assert (await lj.as_key(ULTIMATE).get("/me"))[0] == 200
