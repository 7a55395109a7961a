"""Cross-cutting Everflow behaviour: the key header, portals and permissions, the per-network rate window,
the error envelope for unknown routes and bad JSON, and the 501 of operations the sandbox does not model."""
from __future__ import annotations

import json
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from sandbox.core.yamlfile import read_yaml

from .conftest import AFFILIATE_PORTAL_KEY, BASE, NETWORK_KEY, READ_ONLY_KEY, EverflowClient


async def test_missing_key_is_401_no_authentication_method_found(ef: EverflowClient) -> None:
    status, body, _ = await ef.as_key(None).get("/networks/affiliates")
    assert (status, body) == (401, {"error": "No Authentication Method Found"})


async def test_malformed_key_is_401(ef: EverflowClient) -> None:
    status, body, _ = await ef.as_key("not-a-key").get("/networks/affiliates")
    assert (status, body) == (401, {"error": "No Authentication Method Found"})


async def test_header_name_is_case_insensitive(ef: EverflowClient) -> None:
    """The docs spell it X-Eflow-API-Key and X-Eflow-Api-Key."""
    for name in ("X-Eflow-API-Key", "x-eflow-api-key"):
        status, _, _ = await ef.as_key(None).get("/networks/affiliates/1", headers={name: NETWORK_KEY})
        assert status == 200


async def test_a_key_for_another_portal_is_403_out_of_realm(ef: EverflowClient) -> None:
    """Documented: "Out of realm"."""
    status, body, _ = await ef.as_key(AFFILIATE_PORTAL_KEY).get("/networks/affiliates/1")
    assert (status, body) == (403, {"error": "Out of realm"})
    status, body, _ = await ef.as_key("ef_advertiser_fresh_key_123").get("/networks/offers")
    assert (status, body) == (403, {"error": "Out of realm"})


async def test_meta_endpoints_are_open_to_every_portal(ef: EverflowClient) -> None:
    """Guess: /meta is not under /networks, so any portal's key may read it."""
    status, _, _ = await ef.as_key(AFFILIATE_PORTAL_KEY).get("/meta/currencies")
    assert status == 200


async def test_a_read_only_key_cannot_write(ef: EverflowClient) -> None:
    """Keys have their own permissions (documented); the 403 text "Forbidden" is a guess."""
    status, body, _ = await ef.as_key(READ_ONLY_KEY).post("/networks/affiliates", {"name": "X"})
    assert (status, body) == (403, {"error": "Forbidden"})
    status, _, _ = await ef.as_key(READ_ONLY_KEY).get("/networks/affiliates/1")
    assert status == 200


async def test_a_fresh_well_formed_key_gets_its_own_seeded_network(ef: EverflowClient) -> None:
    fresh = ef.as_key("ef_fresh_tenant_key_0001")
    _, created, _ = await fresh.post("/networks/affiliates", {"name": "Only here"})
    assert created["network_affiliate_id"] == 6
    status, _, _ = await ef.get("/networks/affiliates/6")
    assert status == 404


async def test_rate_limit_headers_on_every_response(ef: EverflowClient) -> None:
    """30 requests/s in 30-second windows: X-RateLimit-Limit is the window's budget (900, a guess)."""
    _, _, headers = await ef.get("/meta/timezones")
    assert (headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]) == ("900", "899")
    _, _, headers = await ef.as_key(None).get("/meta/timezones")  # keyless: no network is known, not counted
    assert "X-RateLimit-Limit" not in headers
    _, _, headers = await ef.get("/networks/affiliates/999")
    assert (headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]) == ("900", "898")


async def test_the_window_is_shared_by_every_key_of_the_network_and_resets_on_the_tenant_clock(
        ef: EverflowClient, client: TestClient) -> None:
    """Documented: one bucket per network, every request 429 until the window resets."""
    read_only = ef.as_key(READ_ONLY_KEY)
    for i in range(899):
        status, _, _ = await ef.get("/meta/languages")
        assert status == 200, i
    _, _, headers = await read_only.get("/meta/languages")
    assert headers["X-RateLimit-Remaining"] == "0"
    status, body, headers = await ef.get("/meta/languages")
    assert (status, body) == (429, {"error": "Too Many Requests"})
    assert (headers["X-RateLimit-Remaining"], headers["Retry-After"]) == ("0", "30")
    status, _, _ = await read_only.get("/meta/languages")
    assert status == 429
    response = await client.post("/_sandbox/tenants/default/clock", json={"advance": 30})
    assert response.status == 200
    status, _, headers = await ef.get("/meta/languages")
    assert (status, headers["X-RateLimit-Remaining"]) == (200, "899")


async def test_unknown_path_is_404_in_everflow_envelope(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/nothing-here")
    assert (status, body) == (404, {"error": "Not Found"})


async def test_wrong_method_is_405_in_everflow_envelope(ef: EverflowClient) -> None:
    """Guess: 405 with the envelope."""
    status, body, headers = await ef.call("DELETE", "/networks/affiliates/1")
    assert (status, body) == (405, {"error": "Method Not Allowed"})
    assert headers["Allow"] == "GET, PUT"


async def test_invalid_json_is_400(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/affiliates", data=b"{nope",
                                    headers={"Content-Type": "application/json"})
    assert (status, body) == (400, {"error": "Invalid JSON"})


async def test_a_missing_body_is_400(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/affiliates")
    assert (status, body) == (400, {"error": "A request body is required"})


async def test_non_integer_path_id_is_400(ef: EverflowClient) -> None:
    """Guess: ids are integers; text in their place is a bad request."""
    status, body, _ = await ef.get("/networks/affiliates/abc")
    assert (status, body) == (400, {"error": "Invalid type for affiliateId: expected integer"})


async def test_an_operation_without_a_handler_answers_501_naming_it(
        make_client: Callable[..., Awaitable[TestClient]], tmp_path: Path) -> None:
    """Every operation of specs/everflow.yaml has a handler; a spec operation without one gets the engine's 501,
    in Everflow's envelope."""
    specs = Path(__file__).resolve().parents[3] / "specs"
    for spec in specs.glob("*.yaml"):
        shutil.copy(spec, tmp_path / spec.name)
    document = read_yaml(tmp_path / "everflow.yaml")
    document["paths"]["/networks/advertisers"] = {"get": {
        "operationId": "listAdvertisers", "x-sandbox-fidelity": "guess",
        "responses": {"200": {"description": "ok"}, "default": {"$ref": "#/components/responses/Error"}}}}
    (tmp_path / "everflow.yaml").write_text(json.dumps(document), encoding="utf-8")
    client = EverflowClient(await make_client(specs=tmp_path))
    status, body, _ = await client.get("/networks/advertisers")
    assert (status, body) == (501, {"error": "The sandbox does not implement listAdvertisers "
                                             "(GET /networks/advertisers) yet"})


async def test_openapi_document_is_served_with_the_sandbox_server(client: TestClient) -> None:
    response = await client.get(f"{BASE}/openapi.json")
    document: dict[str, Any] = await response.json()
    assert response.status == 200
    assert document["servers"][0]["url"].endswith("/everflow/v1")
    assert document["components"]["securitySchemes"]["eflowApiKey"]["name"] == "X-Eflow-Api-Key"


async def test_everflow_is_listed_in_health(client: TestClient) -> None:
    response = await client.get("/_sandbox/health")
    assert "everflow" in (await response.json())["vendors"]


async def test_same_seed_same_requests_same_bytes(make_client: Callable[..., Awaitable[TestClient]]) -> None:
    """Determinism: encoded values and ids come from the tenant's seeded source."""
    bodies = []
    for _ in range(2):
        client = await make_client()
        response = await client.post(f"{BASE}/networks/affiliates", json={"name": "Same"},
                                     headers={"X-Eflow-Api-Key": NETWORK_KEY})
        bodies.append(await response.read())
    assert bodies[0] == bodies[1]
