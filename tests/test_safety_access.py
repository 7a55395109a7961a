"""Who may use the control plane (issue 13): the token, and without one the body-type and Host/Origin checks."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient

from sandbox import create_app
from sandbox.control.access import is_open, startup_warning

from .conftest import test_settings as settings_for_tests

TOKEN = "s3cret-token"
Make = Callable[..., Awaitable[TestClient]]


def envelope(code: str) -> Callable[[dict], bool]:
    return lambda body: set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]


# -- with a token ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("GET", "/_sandbox/tenants"), ("POST", "/_sandbox/reset"), ("POST", "/_sandbox/tenants"),
    ("GET", "/_sandbox/tenants/default/snapshot"), ("POST", "/_sandbox/tenants/default/clock"),
    ("DELETE", "/_sandbox/tenants/t_any"), ("GET", "/_sandbox/actions"), ("GET", "/_sandbox/coverage"),
])
async def test_with_a_token_every_control_route_but_health_needs_it(make_client: Make, method: str,
                                                                     path: str) -> None:
    client = await make_client(control_token=TOKEN)
    response = await client.request(method, path, json={"advance": 1} if path.endswith("clock") else None)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert envelope("unauthorized")(await response.json())
    wrong = await client.request(method, path, headers={"Authorization": "Bearer nope"})
    assert wrong.status == 401 and envelope("unauthorized")(await wrong.json())


async def test_the_token_opens_the_control_plane_in_either_header(make_client: Make) -> None:
    client = await make_client(control_token=TOKEN)
    for headers in ({"Authorization": f"Bearer {TOKEN}"}, {"X-Sandbox-Token": TOKEN}):
        response = await client.get("/_sandbox/tenants", headers=headers)
        assert response.status == 200
    created = await client.post("/_sandbox/tenants", headers={"X-Sandbox-Token": TOKEN})
    assert created.status == 201


async def test_with_a_token_health_stays_open(make_client: Make) -> None:
    client = await make_client(control_token=TOKEN)
    response = await client.get("/_sandbox/health")
    assert response.status == 200 and (await response.json())["status"] == "ok"


async def test_a_refused_control_request_changes_nothing(make_client: Make) -> None:
    client = await make_client(control_token=TOKEN)
    assert (await client.post("/_sandbox/tenants")).status == 401
    listed = await client.get("/_sandbox/tenants", headers={"X-Sandbox-Token": TOKEN})
    assert [t["id"] for t in (await listed.json())["data"]] == ["default"]


async def test_with_a_token_the_host_and_body_type_checks_give_way_to_it(make_client: Make) -> None:
    client = await make_client(control_token=TOKEN)
    response = await client.get("/_sandbox/tenants", headers={"X-Sandbox-Token": TOKEN, "Host": "sandbox:8080",
                                                              "Origin": "http://dashboard.internal"})
    assert response.status == 200


def test_the_open_paths_are_health_and_the_webhook_inbox() -> None:
    assert is_open("GET", "/_sandbox/health") and is_open("HEAD", "/_sandbox/health")
    assert is_open("POST", "/_sandbox/inbox/orders") and is_open("GET", "/_sandbox/inbox/orders")
    assert not is_open("POST", "/_sandbox/health") and not is_open("GET", "/_sandbox/inboxes")
    assert not is_open("GET", "/_sandbox/tenants")


async def test_the_inbox_path_needs_no_token_and_takes_any_body(make_client: Make) -> None:
    client = await make_client(control_token=TOKEN)
    response = await client.post("/_sandbox/inbox/orders", data=b"a=1", headers={"Content-Type": "text/plain"})
    assert response.status not in (401, 403, 415)  # the route itself comes with the webhooks issue


# -- without a token: body type --------------------------------------------------------------------------------

@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
async def test_without_a_token_a_non_json_write_is_415_and_changes_nothing(client: TestClient,
                                                                           content_type: str) -> None:
    before = await (await client.post("/_sandbox/tenants/default/clock", json={"advance": 60})).json()
    response = await client.post("/_sandbox/tenants/default/clock", data=b'{"advance": 3600}',
                                 headers={"Content-Type": content_type})
    assert response.status == 415
    assert envelope("unsupported_media_type")(await response.json())
    after = await (await client.get("/_sandbox/tenants/default")).json()
    assert after["now"] == before["now"]


async def test_without_a_token_json_writes_and_bodyless_writes_pass(client: TestClient) -> None:
    assert (await client.post("/_sandbox/tenants/default/clock", data=b'{"advance": 1}',
                              headers={"Content-Type": "application/json; charset=utf-8"})).status == 200
    assert (await client.post("/_sandbox/tenants/default/clock", data=b'{"advance": 1}',
                              headers={"Content-Type": "application/merge-patch+json"})).status == 200
    assert (await client.post("/_sandbox/reset")).status == 200


# -- without a token: Host and Origin --------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "10.0.0.5:80"])
async def test_without_a_token_a_foreign_host_is_403(client: TestClient, host: str) -> None:
    for method, path in (("GET", "/_sandbox/tenants"), ("POST", "/_sandbox/reset")):
        response = await client.request(method, path, headers={"Host": host})
        assert response.status == 403, (method, host)
        assert envelope("forbidden_host")(await response.json())


@pytest.mark.parametrize("host", ["localhost", "localhost:8080", "127.0.0.1:9", "127.1.2.3", "[::1]:8080",
                                  "api.localhost:80"])
async def test_without_a_token_loopback_hosts_pass(client: TestClient, host: str) -> None:
    assert (await client.get("/_sandbox/tenants", headers={"Host": host})).status == 200


async def test_the_bound_host_and_allowed_hosts_pass(make_client: Make) -> None:
    client = await make_client(host="192.0.2.10", control_hosts=("sandbox",))
    for host in ("192.0.2.10:8080", "sandbox:8080", "SANDBOX"):
        assert (await client.get("/_sandbox/tenants", headers={"Host": host})).status == 200, host
    assert (await client.get("/_sandbox/tenants", headers={"Host": "other:8080"})).status == 403
    anyone = await make_client(control_hosts=("*",))
    assert (await anyone.get("/_sandbox/tenants", headers={"Host": "other:8080"})).status == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "https://127.0.0.1.evil.example"])
async def test_without_a_token_a_foreign_origin_is_403(client: TestClient, origin: str) -> None:
    response = await client.post("/_sandbox/reset", headers={"Origin": origin})
    assert response.status == 403
    assert envelope("forbidden_origin")(await response.json())


async def test_a_same_host_origin_passes(client: TestClient) -> None:
    origin = f"http://127.0.0.1:{client.port}"
    assert (await client.post("/_sandbox/reset", headers={"Origin": origin})).status == 200
    assert (await client.post("/_sandbox/reset", headers={"Origin": "http://localhost:3000"})).status == 200


async def test_health_passes_any_host(client: TestClient) -> None:
    assert (await client.get("/_sandbox/health", headers={"Host": "10.1.2.3:8080"})).status == 200


# -- the start-up warning --------------------------------------------------------------------------------------

@pytest.mark.parametrize("host, token, warns", [
    ("0.0.0.0", None, True), ("::", None, True), ("192.0.2.10", None, True), ("0.0.0.0", TOKEN, False),
    ("127.0.0.1", None, False), ("localhost", None, False), ("::1", None, False),
])
def test_a_non_loopback_bind_without_a_token_warns_at_start(caplog: pytest.LogCaptureFixture, host: str,
                                                          token: str | None, warns: bool) -> None:
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        create_app(settings_for_tests(host=host, control_token=token))
    assert ("without a control token" in caplog.text) is warns
    assert (startup_warning(host, token) is not None) is warns


async def test_the_server_prints_the_warning_on_a_real_start(tmp_path) -> None:
    import sys

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox", "serve", "--host", "0.0.0.0", "--port", "0",
        "--port-file", str(tmp_path / "port"), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin"}, cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 60)  # type: ignore[union-attr]
        assert line.startswith(b"affiliate-sandbox listening on http://0.0.0.0:")
    finally:
        process.terminate()
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert b"without a control token" in stderr
