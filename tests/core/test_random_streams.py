"""Randomness per tenant, per vendor, per purpose: one vendor's calls never shift another vendor's ids."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient

from sandbox.core.random import RandomSource, derive_seed, new_stream
from sandbox.core.tenants import Tenant

from ..vendors.everflow.conftest import BASE as EF_BASE
from ..vendors.everflow.conftest import NETWORK_KEY
from ..vendors.linkjolt.conftest import BASE as LJ_BASE
from ..vendors.linkjolt.conftest import CAMP_PERCENT, ULTIMATE
from ..vendors.tamio.conftest import BASE as TAMIO_BASE
from ..vendors.tamio.conftest import FULL, MINIMAL_PROGRAM

pytestmark = pytest.mark.generic  # about the random streams, not about the operations they reach

MakeClient = Callable[..., Awaitable[TestClient]]


async def _tamio_program_id(client: TestClient) -> str:
    response = await client.post(TAMIO_BASE + "/affiliate-programs/create", json=MINIMAL_PROGRAM,
                                 headers={"Authorization": f"Bearer {FULL}"})
    assert response.status == 200, await response.text()
    return (await response.json())["program"]["id"]


async def _other_vendors_write(client: TestClient, n: int) -> None:
    response = await client.post(LJ_BASE + "/affiliates", headers={"Authorization": f"Bearer {ULTIMATE}"},
                                 json={"email": f"other{n}@example.com", "name": "Other", "campaignId": CAMP_PERCENT})
    assert response.status == 201, await response.text()
    response = await client.post(EF_BASE + "/networks/labels", json={"label": f"other-{n}"},
                                 headers={"X-Eflow-API-Key": NETWORK_KEY})
    assert response.status == 200, await response.text()


async def test_other_vendors_calls_leave_a_vendors_ids_unchanged(make_client: MakeClient) -> None:
    alone = await make_client(seed=3)
    expected = [await _tamio_program_id(alone) for _ in range(3)]
    mixed = await make_client(seed=3)
    got = []
    for n in range(3):
        await _other_vendors_write(mixed, n)
        got.append(await _tamio_program_id(mixed))
    assert got == expected
    assert len(set(expected)) == 3


def test_streams_are_per_vendor_and_purpose_and_stable() -> None:
    tenant = Tenant("t", seed=5, clock_setting="real")
    assert tenant.stream("tamio") is tenant.stream("tamio")
    draws = {name: new_stream(5, name).hex(8) for name in ("tamio", "linkjolt", "tamio/webhooks")}
    assert len(set(draws.values())) == 3
    assert tenant.stream("tamio", "webhooks").hex(8) == draws["tamio/webhooks"]
    assert tenant.stream("tamio").hex(8) == draws["tamio"]


def test_derived_seeds_come_from_a_stable_hash() -> None:
    # A literal: Python's hash() of a str changes from run to run, sha256 does not.
    assert derive_seed(0, "tamio") == 0xDC75D6D0155F47E1
    assert derive_seed(0, "tamio") != derive_seed(1, "tamio") != derive_seed(0, "tamio", "webhooks")
    assert RandomSource(derive_seed(0, "x")).hex(4) == new_stream(0, "x").hex(4)


async def test_a_snapshot_carries_every_stream(client: TestClient) -> None:
    first = await _tamio_program_id(client)
    saved = await (await client.get("/_sandbox/tenants/default/snapshot")).json()
    assert saved["format"] == 2 and "tamio" in saved["random"]
    second = await _tamio_program_id(client)
    assert (await client.put("/_sandbox/tenants/default/snapshot", json=saved)).status == 200
    assert await _tamio_program_id(client) == second != first


async def test_a_snapshot_of_the_single_stream_format_is_refused(client: TestClient) -> None:
    saved = await (await client.get("/_sandbox/tenants/default/snapshot")).json()
    old = {**saved, "format": 1, "random": [3, [0] * 625, None]}
    response = await client.put("/_sandbox/tenants/default/snapshot", json=old)
    assert response.status == 400
    assert "format 2" in (await response.json())["error"]["message"]
