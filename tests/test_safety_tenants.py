"""Tenants under pressure (issue 13): the cap, eviction, refused requests and the new-tenant headers."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sandbox import create_app
from sandbox.config import Settings
from sandbox.core.fixtures import FixtureSet
from sandbox.core.tenants import TenantOptions, TenantRegistry
from sandbox.vendors.linkjolt import LinkJolt

from .conftest import test_settings as settings_for_tests

ME = "/linkjolt/api/v1/me"
AFFILIATES = "/linkjolt/api/v1/affiliates"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def tenant_ids(client: TestClient) -> set[str]:
    response = await client.get("/_sandbox/tenants")
    assert response.status == 200
    return {t["id"] for t in (await response.json())["data"]}


@pytest.mark.parametrize("cap", [0, -1, 1.5, True])
def test_a_cap_below_one_is_refused_with_a_clear_message(cap: Any) -> None:
    # Settings.validate() refuses it first, naming the flag (sandbox/config.py); the registry's own check is below
    with pytest.raises(ValueError, match=r"^--max-tenants: .* (is not allowed: at least 1|is not an integer)"):
        create_app(settings_for_tests(max_tenants=cap))


def test_the_registry_refuses_a_cap_below_one_itself() -> None:
    with pytest.raises(ValueError, match=r"not 0"):
        TenantRegistry([LinkJolt()], FixtureSet(Settings().fixtures), TenantOptions(max_tenants=0))


async def test_a_cap_of_one_keeps_the_default_and_the_newest_and_never_500s(
        make_client: Callable[..., Awaitable[TestClient]]) -> None:
    client = await make_client(max_tenants=1)
    for key in ("lj_pk_first_key_0001", "lj_pk_second_key_0002", "lj_pk_first_key_0001"):
        response = await client.get(ME, headers=bearer(key))
        assert response.status == 200, await response.text()
        assert response.headers["X-Sandbox-Tenant-Created"] == "true"  # each evicted the one before
        again = await client.get(ME, headers=bearer(key))
        assert again.status == 200
        assert "X-Sandbox-Tenant-Created" not in again.headers
        assert await tenant_ids(client) == {"default", response.headers["X-Sandbox-Tenant"]}


async def test_an_evicted_keys_next_request_is_a_new_tenant_logged_and_flagged(
        make_client: Callable[..., Awaitable[TestClient]], caplog: pytest.LogCaptureFixture) -> None:
    client = await make_client(max_tenants=2)
    first = await client.get(ME, headers=bearer("lj_pk_evicted_0001"))
    old_id = first.headers["X-Sandbox-Tenant"]
    assert (await client.get(ME, headers=bearer("lj_pk_newcomer_0002"))).status == 200  # drops the first
    assert old_id not in await tenant_ids(client)
    with caplog.at_level(logging.INFO, logger="sandbox"):
        back = await client.get(ME, headers=bearer("lj_pk_evicted_0001"))
    assert back.status == 200
    assert back.headers["X-Sandbox-Tenant-Created"] == "true"
    assert back.headers["X-Sandbox-Tenant"] not in (old_id, "")
    assert f"tenant {back.headers['X-Sandbox-Tenant']} created for a new linkjolt key" in caplog.text


async def test_a_known_key_gets_no_new_tenant_headers(client: TestClient) -> None:
    response = await client.get(ME, headers=bearer("lj_pk_sandbox_ultimate_0001"))
    assert response.status == 200
    assert "X-Sandbox-Tenant" not in response.headers and "X-Sandbox-Tenant-Created" not in response.headers


async def test_a_read_only_keys_refused_write_creates_no_tenant(client: TestClient) -> None:
    before = await tenant_ids(client)
    response = await client.post(AFFILIATES, headers=bearer("lj_pk_pro_refused_0001"), json={})
    assert response.status == 403
    assert (await response.json())["error"]["code"] == "insufficient_permissions"
    assert "X-Sandbox-Tenant" not in response.headers
    assert "X-RateLimit-Limit" in response.headers  # the refusal still counts against the key's budget
    assert await tenant_ids(client) == before
    read = await client.get(ME, headers=bearer("lj_pk_pro_refused_0001"))  # the same key reads: now it exists
    assert read.status == 200 and read.headers["X-Sandbox-Tenant-Created"] == "true"
    assert await tenant_ids(client) == before | {read.headers["X-Sandbox-Tenant"]}


async def test_a_refused_request_evicts_nobody(make_client: Callable[..., Awaitable[TestClient]]) -> None:
    client = await make_client(max_tenants=2)
    kept = (await client.get(ME, headers=bearer("lj_pk_kept_0001"))).headers["X-Sandbox-Tenant"]
    for n in range(3):
        assert (await client.post(AFFILIATES, headers=bearer(f"lj_pk_pro_refused_{n:04d}"), json={})).status == 403
    assert await tenant_ids(client) == {"default", kept}


async def test_a_malformed_key_creates_no_tenant(client: TestClient) -> None:
    before = await tenant_ids(client)
    assert (await client.get(ME, headers=bearer("not-a-key"))).status == 401
    assert await tenant_ids(client) == before
