"""Routing keys: a tenant's token in its id and in every key the control plane issues (core.tenanttoken)."""
from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sandbox.core import tenanttoken
from sandbox.core.random import RandomSource
from sandbox.vendors import VENDORS

TOKEN = "abc123def456"
PREFIX = {"linkjolt": "lj_pk_", "promotekit": "pk_", "tamio": "sk_", "everflow": "ef_"}
ME = {"linkjolt": "/linkjolt/api/v1/me", "promotekit": "/promotekit/api/v1/affiliates",
      "tamio": "/tamio/v2/affiliate-programs/list", "everflow": "/everflow/v1/networks/affiliates"}


def auth(vendor: str, key: str) -> dict[str, str]:
    return {"X-Eflow-Api-Key": key} if vendor == "everflow" else {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize("name", sorted(VENDORS))
def test_each_vendors_new_key_is_well_formed_and_carries_the_token(name: str) -> None:
    vendor = VENDORS[name]()
    random = RandomSource(1)
    keys = {vendor.new_key(random, TOKEN) for _ in range(50)}
    assert len(keys) == 50
    plain = vendor.describe_key(PREFIX[name] + "A1b2C3d4E5f6G7h8I9j0K1l2")  # what new_key gave before tokens
    assert plain is not None
    for key in keys:
        info = vendor.describe_key(key)
        assert info is not None, key
        assert (info.plan, info.permissions, info.test_mode) == (plain.plan, plain.permissions, plain.test_mode)
        assert tenanttoken.routing_key(key) == TOKEN
    assert {len(k) for k in keys} == {len(vendor.new_key(RandomSource(2), TOKEN))}


def test_the_routing_key_is_the_token_for_ids_and_issued_keys_and_the_text_whole_otherwise() -> None:
    assert tenanttoken.routing_key(f"t_{TOKEN}") == TOKEN
    assert tenanttoken.routing_key(f"lj_pk_sbx{TOKEN}xyz") == TOKEN
    assert tenanttoken.routing_key(f"pk_sbx{TOKEN}XYZ") == TOKEN
    assert tenanttoken.routing_key("lj_pk_test_my_own_key") == "lj_pk_test_my_own_key"
    assert tenanttoken.routing_key("default") == "default"
    assert tenanttoken.routing_key("t_short") == "t_short"


async def test_a_created_tenants_id_and_keys_carry_one_token(client: TestClient) -> None:
    response = await client.post("/_sandbox/tenants")
    assert response.status == 201
    tenant = await response.json()
    token = tenant["id"].removeprefix("t_")
    assert re.fullmatch(r"[0-9a-z]{12}", token)
    assert {tenanttoken.routing_key(key) for key in tenant["keys"].values()} == {token}


async def test_the_token_header_names_the_new_tenant_and_a_second_create_is_a_409(client: TestClient) -> None:
    response = await client.post("/_sandbox/tenants", headers={"X-Sandbox-Tenant-Token": TOKEN})
    assert response.status == 201
    tenant = await response.json()
    assert tenant["id"] == f"t_{TOKEN}"
    for vendor, key in tenant["keys"].items():
        assert key.startswith(f"{PREFIX[vendor]}sbx{TOKEN}")
        answer = await client.get(ME[vendor], headers=auth(vendor, key))
        assert answer.status == 200, (vendor, await answer.text())
    again = await client.post("/_sandbox/tenants", headers={"X-Sandbox-Tenant-Token": TOKEN}, json={"seed": 3})
    assert again.status == 409
    assert (await again.json())["error"]["code"] == "tenant_exists"


@pytest.mark.parametrize("bad", ["ABC123DEF456", "abc", "abc123def4567", "abc123def45_"])
async def test_a_malformed_token_is_a_400_naming_the_header(client: TestClient, bad: str) -> None:
    response = await client.post("/_sandbox/tenants", headers={"X-Sandbox-Tenant-Token": bad})
    assert response.status == 400
    error = (await response.json())["error"]
    assert (error["code"], error["field"]) == ("invalid_tenant_token", "X-Sandbox-Tenant-Token")
    listed = await (await client.get("/_sandbox/tenants")).json()
    assert [t["id"] for t in listed["data"]] == ["default"]


async def test_an_auto_provisioned_tenant_is_reached_by_its_key(client: TestClient) -> None:
    key = "lj_pk_test_routed_by_key_0001"
    first = await client.get(ME["linkjolt"], headers=auth("linkjolt", key))
    tenant_id = first.headers["X-Sandbox-Tenant"]
    response = await client.post(f"/_sandbox/tenants/{key}/clock", json={"advance": 60})
    assert response.status == 200
    by_key = await (await client.get(f"/_sandbox/tenants/{key}")).json()
    assert by_key["id"] == tenant_id and by_key["now"] == (await response.json())["now"]


async def test_the_tenant_list_names_its_replica(client: TestClient) -> None:
    listed = await (await client.get("/_sandbox/tenants")).json()
    assert listed["replica"].endswith(f":{client.port}")


async def test_equally_seeded_replicas_give_different_keys_tenants_different_ids(make_client: Any) -> None:
    """Two replicas draw ids from equally seeded streams; behind a proxy each gets other keys, never the same."""
    first, second = await make_client(), await make_client()
    one = await first.get(ME["linkjolt"], headers=auth("linkjolt", "lj_pk_test_replica_one_0001"))
    two = await second.get(ME["linkjolt"], headers=auth("linkjolt", "lj_pk_test_replica_two_0002"))
    assert one.headers["X-Sandbox-Tenant-Created"] == two.headers["X-Sandbox-Tenant-Created"] == "true"
    assert one.headers["X-Sandbox-Tenant"] != two.headers["X-Sandbox-Tenant"]
    assert re.fullmatch(r"t_[0-9a-z]{12}", one.headers["X-Sandbox-Tenant"])
