"""The control plane against its spec: served at /_sandbox/openapi.json, requests validated from it, and every
answer JSON in the control envelope (unknown paths, other methods, big bodies, malformed JSON)."""
from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from openapi_spec_validator import validate

from sandbox.control.app import control_spec
from sandbox.vendors import VENDORS


async def answer(response: Any) -> tuple[int, Any]:
    assert response.content_type == "application/json"
    return response.status, await response.json()


async def test_the_served_spec_is_valid_and_names_this_sandbox(client: TestClient) -> None:
    status, document = await answer(await client.get("/_sandbox/openapi.json"))
    assert status == 200
    validate(document)
    assert document["servers"] == [{"url": f"http://{client.host}:{client.port}/_sandbox",
                                     "description": "affiliate-sandbox"}]
    signup = document["paths"]["/tenants/{id}/tamio/programs/{program_id}/signup"]["post"]
    assert signup["operationId"] == "tamio_post_programs_signup"
    assert [p.get("name") or p["$ref"] for p in signup["parameters"]] == [
        "#/components/parameters/TenantId", "program_id"]
    assert document["paths"]["/tenants/{id}/tamio/emails"]["get"]["operationId"] == "tamio_get_emails"


def test_every_vendor_action_is_an_operation_of_the_spec() -> None:
    vendors = [cls() for cls in VENDORS.values()]
    operations = {(op.method, op.path) for op in control_spec(vendors).operations}
    for vendor in vendors:
        for action in vendor.control_actions():
            assert (action.method, f"/tenants/{{id}}/{vendor.name}/{action.path}") in operations


async def test_a_refused_body_names_the_field(client: TestClient) -> None:
    status, body = await answer(await client.post("/_sandbox/tenants", json={"seed": "x"}))
    assert (status, body) == (400, {"error": {
        "code": "invalid_body", "message": "seed: 'x' is not of type 'integer'", "field": "seed",
        "details": [{"location": "body", "field": "seed", "message": "'x' is not of type 'integer'"}]}})


async def test_an_unknown_body_field_is_named(client: TestClient) -> None:
    status, body = await answer(await client.post("/_sandbox/tenants", json={"sed": 1}))
    assert (status, body["error"]["code"], body["error"]["field"]) == (400, "invalid_body", "sed")


@pytest.mark.parametrize("payload, code, field", [
    ({"advance": -1}, "invalid_body", "advance"), ({"advance": "x"}, "invalid_body", "advance"),
    ({"set": "tomorrow"}, "invalid_body", "set"), ({"set": "2026-02-30T00:00:00Z"}, "invalid_body", "set"),
    ({"advance": 1e20}, "clock_out_of_range", "advance"), ({"later": 1}, "invalid_body", "later"),
])
async def test_clock_errors_name_the_field(client: TestClient, payload: dict, code: str, field: str) -> None:
    status, body = await answer(await client.post("/_sandbox/tenants/default/clock", json=payload))
    assert (status, body["error"]["code"], body["error"]["field"]) == (400, code, field)
    _, tenant = await answer(await client.get("/_sandbox/tenants/default"))
    assert tenant["now"] == "2026-06-15T12:00:00Z"  # nothing moved


async def test_an_unknown_query_parameter_is_refused_before_anything_is_reset(client: TestClient) -> None:
    await client.post("/_sandbox/tenants/default/clock", json={"advance": 60})
    status, body = await answer(await client.post("/_sandbox/reset?tenat=default"))
    assert (status, body["error"]["code"], body["error"]["field"]) == (400, "invalid_parameter", "tenat")
    _, tenant = await answer(await client.get("/_sandbox/tenants/default"))
    assert tenant["now"] == "2026-06-15T12:01:00Z"


async def test_malformed_json_is_a_400(client: TestClient) -> None:
    status, body = await answer(await client.post("/_sandbox/tenants", data=b"{nope",
                                                  headers={"Content-Type": "application/json"}))
    assert (status, body) == (400, {"error": {"code": "invalid_json", "message": "Request body is not valid JSON"}})


async def test_a_body_that_is_not_an_object_is_refused(client: TestClient) -> None:
    status, body = await answer(await client.post("/_sandbox/tenants/default/linkjolt/payouts/run", json=[1]))
    assert (status, body["error"]["code"]) == (400, "invalid_body")


@pytest.mark.parametrize("path", ["/_sandbox", "/_sandbox/", "/_sandbox/nope", "/_sandbox/tenants/default/nope",
                                  "/_sandbox/tenants/default/linkjolt/nope"])
async def test_an_unknown_path_is_a_json_404(client: TestClient, path: str) -> None:
    status, body = await answer(await client.get(path))
    assert (status, body["error"]["code"]) == (404, "not_found")


@pytest.mark.parametrize("method, path, allow", [
    ("PATCH", "/_sandbox/tenants", "GET, POST"), ("POST", "/_sandbox/health", "GET"),
    ("GET", "/_sandbox/tenants/default/clock", "POST"), ("PUT", "/_sandbox/tenants/default", "DELETE, GET"),
    ("GET", "/_sandbox/tenants/default/linkjolt/payouts/run", "POST"),
])
async def test_another_method_is_a_json_405_with_allow(client: TestClient, method: str, path: str,
                                                       allow: str) -> None:
    response = await client.request(method, path)
    status, body = await answer(response)
    assert (status, body["error"]["code"], response.headers["Allow"]) == (405, "method_not_allowed", allow)


async def test_a_body_over_the_control_limit_is_a_json_413(make_client) -> None:
    client = await make_client(control_max_body=2000)
    saved = await (await client.get("/_sandbox/tenants/default/snapshot")).read()
    assert len(saved) > 2000
    status, body = await answer(await client.put("/_sandbox/tenants/default/snapshot", data=saved,
                                                 headers={"Content-Type": "application/json"}))
    assert (status, body["error"]["code"]) == (413, "payload_too_large")
    chunks = (saved[i:i + 500] for i in range(0, len(saved), 500))  # no Content-Length: the limit still holds

    async def stream() -> Any:
        for chunk in chunks:
            yield chunk

    status, body = await answer(await client.put("/_sandbox/tenants/default/snapshot", data=stream(),
                                                 headers={"Content-Type": "application/json"}))
    assert (status, body["error"]["code"]) == (413, "payload_too_large")


async def test_a_snapshot_bigger_than_a_vendor_request_is_restored(client: TestClient) -> None:
    saved = await (await client.get("/_sandbox/tenants/default/snapshot")).json()
    sent = {"affiliate_id": "a", "email": "a@example.com", "email_template_id": "t", "subject": "x" * 1024,
            "sent_at": 1781524800}  # what Tamio's send-email stores (specs/records/tamio.yaml)
    saved["vendors"]["tamio"]["emails"] = [sent] * 1500  # about 1.5 MiB
    response = await client.put("/_sandbox/tenants/default/snapshot", json=saved)
    assert response.status == 200


async def test_the_seed_is_kept_as_an_integer(client: TestClient) -> None:
    status, tenant = await answer(await client.post("/_sandbox/tenants", json={"seed": 7.0}))
    assert (status, tenant["seed"]) == (201, 7)
