"""Keys: 401 without error_code, publishable keys refused, permission scopes, magic segments, rate limits, routes."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from .conftest import (
    BASE,
    FULL,
    JANE,
    LIMITED,
    MINIMAL_PROGRAM,
    PAT_PENDING,
    PROG_ACTIVE,
    PUBLISHABLE,
    READONLY,
    TamioClient,
    error,
)

MISSING = {"status": 401, "error": "Missing or invalid API key"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic c2tfc2FuZGJveA=="}, {"Authorization": "Bearer "},
                                     {"Authorization": "Bearer hello"}, {"Authorization": "Bearer sk_short"}])
async def test_missing_or_malformed_key_is_401_without_error_code(tamio: TamioClient, headers: dict) -> None:
    status, answer = await tamio.as_key(None).get("/affiliate-programs/list", headers=headers)
    assert (status, answer) == (401, MISSING)


async def test_a_key_of_another_vendor_is_401(tamio: TamioClient) -> None:
    status, answer = await tamio.as_key("lj_pk_sandbox_ultimate_0001").get("/affiliate-programs/list")
    assert (status, answer) == (401, MISSING)


@pytest.mark.parametrize("key", [PUBLISHABLE, "pk_fresh_publishable_key_01"])
async def test_publishable_keys_cannot_use_these_endpoints(tamio: TamioClient, key: str) -> None:
    """Guess: 401 (publishable keys reach only the Transactions API; the docs give no status)."""
    for method, path in (("GET", "/affiliate-programs/list"), ("POST", f"/affiliates/approve/{PAT_PENDING}")):
        status, answer = await tamio.as_key(key).call(method, path)
        assert (status, answer) == (401, {"status": 401,
                                          "error": "Publishable keys can only be used with the Transactions API"})


async def test_the_full_key_can_do_everything(tamio: TamioClient) -> None:
    assert (await tamio.post("/affiliate-programs/create", MINIMAL_PROGRAM))[0] == 200
    assert (await tamio.post(f"/affiliates/approve/{PAT_PENDING}"))[0] == 200


async def test_guess_a_key_without_the_permission_gets_400_with_error_code_403(tamio: TamioClient) -> None:
    readonly = tamio.as_key(READONLY)
    assert (await readonly.get("/affiliate-programs/list"))[0] == 200
    assert (await readonly.get(f"/affiliates/retrieve/{JANE}"))[0] == 200
    status, answer = await readonly.post("/affiliate-programs/create", MINIMAL_PROGRAM)
    assert (status, answer) == (400, error(403, "NotAuthorised: this API key lacks the affiliate_programs.create permission"))
    status, answer = await readonly.post(f"/affiliate-programs/pause-resume/{PROG_ACTIVE}")
    assert (status, answer) == (400, error(403, "NotAuthorised: this API key lacks the affiliate_programs.edit permission"))
    status, answer = await readonly.post(f"/affiliates/approve/{PAT_PENDING}")
    assert (status, answer) == (400, error(403, "NotAuthorised: this API key lacks the affiliates.edit permission"))


async def test_guess_the_permission_is_checked_before_the_body(tamio: TamioClient) -> None:
    status, answer = await tamio.as_key(READONLY).post("/affiliate-programs/create", {"nonsense": True})
    assert (status, answer["error_code"]) == (400, 403)


@pytest.mark.parametrize("key, allowed, refused", [
    ("sk_ro_abcdefgh", ["GET /affiliate-programs/list", "GET /affiliates/list?page=1&per_page=1"],
     [f"POST /affiliates/approve/{PAT_PENDING}", f"POST /affiliate-programs/pause-resume/{PROG_ACTIVE}"]),
    ("sk_none_abcdefgh", [], ["GET /affiliate-programs/list", "GET /affiliates/list?page=1&per_page=1"]),
    ("sk_pv-ae_abcdefgh", ["GET /affiliate-programs/list", f"POST /affiliates/approve/{PAT_PENDING}"],
     ["GET /affiliates/list?page=1&per_page=1", f"POST /affiliate-programs/pause-resume/{PROG_ACTIVE}"]),
    ("sk_pe_abcdefgh", [f"POST /affiliate-programs/pause-resume/{PROG_ACTIVE}"], ["GET /affiliate-programs/list"]),
    ("sk_av_abcdefgh", ["GET /affiliates/list?page=1&per_page=1", f"GET /affiliates/retrieve/{JANE}"],
     ["GET /affiliate-programs/list"]),
    ("sk_pv-zz_abcdefgh", ["GET /affiliate-programs/list", f"POST /affiliates/approve/{PAT_PENDING}"], []),
    ("sk_freshkey_0001", ["GET /affiliates/payouts/list", f"POST /affiliate-programs/pause-resume/{PROG_ACTIVE}"], []),
])
async def test_magic_segments_set_the_permissions_of_auto_provisioned_keys(
        tamio: TamioClient, key: str, allowed: list[str], refused: list[str]) -> None:
    client = tamio.as_key(key)
    for call in allowed:
        method, path = call.split(" ")
        status, answer = await client.call(method, path)
        assert status == 200, (call, answer)
    for call in refused:
        method, path = call.split(" ")
        status, answer = await client.call(method, path)
        assert (status, answer["error_code"]) == (400, 403), call


async def test_a_fresh_key_gets_its_own_world(tamio: TamioClient) -> None:
    first, second = tamio.as_key("sk_isolated_one_001"), tamio.as_key("sk_isolated_two_001")
    _, created = await first.post("/affiliate-programs/create", MINIMAL_PROGRAM)
    program_id = created["program"]["id"]
    assert (await first.get(f"/affiliate-programs/retrieve/{program_id}"))[0] == 200
    status, answer = await second.get(f"/affiliate-programs/retrieve/{program_id}")
    assert (status, answer["error_code"]) == (400, 1002)
    _, listed = await tamio.get("/affiliate-programs/list")
    assert listed["total_results"] == 4


async def test_a_tenant_made_through_the_control_plane_has_a_working_secret_key(client: TestClient) -> None:
    response = await client.post("/_sandbox/tenants", json={"seed": 3})
    key = (await response.json())["keys"]["tamio"]
    assert key.startswith("sk_")
    status, answer = await TamioClient(client, key).get("/affiliate-programs/list")
    assert (status, answer["total_results"]) == (200, 4)


async def test_no_rate_limit_by_default(client: TestClient) -> None:
    for _ in range(12):
        response = await client.get(f"{BASE}/affiliate-programs/list", headers={"Authorization": f"Bearer {FULL}"})
        assert response.status == 200
        assert "Retry-After" not in response.headers


async def test_a_rate_limit_configured_in_the_fixtures_answers_429(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {LIMITED}"}
    for _ in range(5):
        assert (await client.get(f"{BASE}/affiliate-programs/list", headers=headers)).status == 200
    response = await client.get(f"{BASE}/affiliate-programs/list", headers=headers)
    assert response.status == 429
    assert response.headers["Retry-After"] == "60"
    assert await response.json() == {"status": 429, "error": "Too many requests"}


async def test_guess_an_unknown_endpoint_is_400(tamio: TamioClient) -> None:
    status, answer = await tamio.get("/affiliate-programs/retrieve/a/b")
    assert (status, answer) == (400, error(
        400, "Unknown endpoint GET /tamio/v2/affiliate-programs/retrieve/a/b (or its uuid is missing)"))


async def test_guess_a_wrong_method_is_405(tamio: TamioClient) -> None:
    status, answer = await tamio.get("/affiliate-programs/create")
    assert (status, answer) == (405, {"status": 405,
                                      "error": "GET is not allowed on /tamio/v2/affiliate-programs/create; allowed: POST"})


async def test_the_spec_is_served_with_the_sandbox_as_server(client: TestClient) -> None:
    response = await client.get(f"{BASE}/openapi.json")
    document = await response.json()
    assert response.status == 200
    assert document["servers"][0]["url"].endswith("/tamio/v2")
    assert "/affiliate-programs/create" in document["paths"]
