"""Proof that the shipped nginx config spreads tenants over replicas and keeps each on one (issue 18).

Three `sandbox serve` processes, each with its own --state-dir, behind a real nginx running deploy/nginx/ (rendered
with their ports). 200 tenants made through the proxy (half name their token, half get nginx's), each with a
duplicate create (409), a vendor record and its duplicate (409), a clock move and control calls; 20 more tenants
auto-provisioned from keys. Then every tenant must be on exactly one replica, every replica must hold some, and
after one replica is stopped cleanly and another killed with SIGKILL (once its files hold everything), both come
back with their tenants.
"""
from __future__ import annotations

import asyncio
import json
import re
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from .cluster import Cluster, find_nginx, wait_for

NGINX = find_nginx()
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs Debian's "
                                "nginx-light; elsewhere: apt-get install nginx-light) - the multi-replica proof "
                                "needs a real nginx")

FROZEN = "2026-01-01T00:00:00Z"
BASE = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
TENANTS = 200
AUTO_KEYS = 20
TOKEN_HEADER = "X-Sandbox-Tenant-Token"
READS = {"promotekit": "/promotekit/api/v1/affiliates", "tamio": "/tamio/v2/affiliate-programs/list",
         "everflow": "/everflow/v1/networks/affiliates"}
AFFILIATES = "/linkjolt/api/v1/affiliates"


def auth(vendor: str, key: str) -> dict[str, str]:
    return {"X-Eflow-Api-Key": key} if vendor == "everflow" else {"Authorization": f"Bearer {key}"}


def affiliate(n: int) -> dict[str, str]:
    return {"email": f"scale{n}@example.com", "name": f"Scale {n}", "campaignId": "camp_percentage_00001"}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    assert NGINX is not None
    started = Cluster.start(NGINX, count=3, extra=("--clock", f"frozen:{FROZEN}"))
    try:
        yield started
    finally:
        started.close()


async def call(session: aiohttp.ClientSession, method: str, url: str, **kwargs: Any) -> tuple[int, Any]:
    async with session.request(method, url, **kwargs) as response:
        return response.status, await response.json(content_type=None)


async def drive_tenant(session: aiohttp.ClientSession, url: str, n: int) -> dict[str, Any]:
    """Create tenant n through the proxy and use it; every answer checked exactly."""
    named = n % 2 == 0
    headers = {TOKEN_HEADER: f"scale{n:07d}"} if named else {}
    status, tenant = await call(session, "POST", f"{url}/_sandbox/tenants", json={"seed": n}, headers=headers)
    assert status == 201, tenant
    token = tenant["id"].removeprefix("t_")
    if named:
        assert token == f"scale{n:07d}"
    else:
        assert re.fullmatch(r"[0-9a-f]{12}", token), tenant["id"]  # nginx's, from its request id
    status, body = await call(session, "POST", f"{url}/_sandbox/tenants", headers={TOKEN_HEADER: token})
    assert (status, body["error"]["code"]) == (409, "tenant_exists")
    key = auth("linkjolt", tenant["keys"]["linkjolt"])
    status, body = await call(session, "POST", f"{url}{AFFILIATES}", headers=key, json=affiliate(n))
    assert status == 201, body
    status, body = await call(session, "POST", f"{url}{AFFILIATES}", headers=key, json=affiliate(n))
    assert status == 409, body
    status, moved = await call(session, "POST", f"{url}/_sandbox/tenants/{tenant['id']}/clock",
                               json={"advance": 60 * (n + 1)})
    assert status == 200, moved
    status, described = await call(session, "GET", f"{url}/_sandbox/tenants/{tenant['id']}")
    assert status == 200 and described["now"] == moved["now"]
    for vendor, path in READS.items():
        status, body = await call(session, "GET", f"{url}{path}", headers=auth(vendor, tenant["keys"][vendor]))
        assert status == 200, (vendor, body)
    return {"id": tenant["id"], "key": tenant["keys"]["linkjolt"], "now": moved["now"], "n": n}


async def drive_auto_key(session: aiohttp.ClientSession, url: str, n: int) -> dict[str, Any]:
    key = f"lj_pk_test_scale_auto_{n:04d}"
    async with session.post(f"{url}{AFFILIATES}", headers=auth("linkjolt", key), json=affiliate(n)) as response:
        assert response.status == 201, await response.text()
        assert response.headers["X-Sandbox-Tenant-Created"] == "true"
        tenant_id = response.headers["X-Sandbox-Tenant"]
    status, body = await call(session, "POST", f"{url}{AFFILIATES}", headers=auth("linkjolt", key),
                              json=affiliate(n))
    assert status == 409, body
    status, described = await call(session, "GET", f"{url}/_sandbox/tenants/{key}")  # routed by the key
    assert status == 200 and described["id"] == tenant_id
    # Its id routes like any other name, so not to it: through a proxy, it is addressed by its key.
    return {"id": tenant_id, "key": key, "now": described["now"], "n": n, "path": key}


async def holdings(session: aiohttp.ClientSession, cluster: Cluster) -> list[set[str]]:
    """Each replica's tenants, asked of it directly."""
    found = []
    for index in range(len(cluster.replicas)):
        status, listed = await call(session, "GET", f"{cluster.replica_url(index)}/_sandbox/tenants")
        assert status == 200 and listed["replica"].endswith(f":{cluster.replicas[index].port}")
        found.append({t["id"] for t in listed["data"]})
    return found


async def check_through_proxy(session: aiohttp.ClientSession, url: str, tenant: dict[str, Any]) -> None:
    status, described = await call(session, "GET", f"{url}/_sandbox/tenants/{tenant.get('path', tenant['id'])}")
    assert status == 200, (tenant, described)
    assert (described["id"], described["now"]) == (tenant["id"], tenant["now"])
    status, listed = await call(session, "GET", f"{url}{AFFILIATES}", headers=auth("linkjolt", tenant["key"]))
    assert status == 200
    assert f"scale{tenant['n']}@example.com" in json.dumps(listed)


def saved_everything(cluster: Cluster, index: int, tenants: list[dict[str, Any]]) -> bool:
    """Whether replica `index`'s state files hold each of these tenants' record and clock."""
    for tenant in tenants:
        path = cluster.replicas[index].state_dir / f"{tenant['id']}.json"
        try:
            document = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return False
        expected = datetime.fromisoformat(tenant["now"]).timestamp()
        if f"scale{tenant['n']}@example.com" not in json.dumps(document["vendors"]["linkjolt"]) or \
                abs((document["clock"]["frozen_at"] or 0) - expected) > 0.001:
            return False
    return True


async def test_tenants_spread_over_replicas_stay_on_one_and_survive_restarts(cluster: Cluster) -> None:
    url = cluster.url
    limit = asyncio.Semaphore(12)

    async def bounded(job: Any) -> dict[str, Any]:
        async with limit:
            return await job

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        made = await asyncio.gather(*(bounded(drive_tenant(session, url, n)) for n in range(TENANTS)))
        auto = await asyncio.gather(*(bounded(drive_auto_key(session, url, TENANTS + n)) for n in range(AUTO_KEYS)))
        everyone = made + auto
        assert len({t["id"] for t in everyone}) == TENANTS + AUTO_KEYS

        held = await holdings(session, cluster)
        owner = {}
        for tenant in everyone:
            places = [index for index, ids in enumerate(held) if tenant["id"] in ids]
            assert len(places) == 1, (tenant["id"], places)  # on exactly one replica
            owner[tenant["id"]] = places[0]
        spread = [sum(1 for t in made if owner[t["id"]] == index) for index in range(3)]
        assert all(count > 0 for count in spread), spread  # every replica holds some
        assert sum(spread) == TENANTS

        # One replica stopped cleanly (SIGTERM: it flushes), one killed once its files hold everything.
        cluster.restart(0, signal.SIGTERM)
        killed = [t for t in everyone if owner[t["id"]] == 1]
        wait_for(lambda: saved_everything(cluster, 1, killed), "replica 2's state files", timeout=20)
        cluster.restart(1, signal.SIGKILL)

        assert await holdings(session, cluster) == held  # each replica is back with exactly its tenants
        await asyncio.gather(*(bounded(check_through_proxy(session, url, t)) for t in everyone))
        # A duplicate is still refused where the tenant now lives: the record came back with its unique email.
        for tenant in made[:6]:
            status, _ = await call(session, "POST", f"{url}{AFFILIATES}", headers=auth("linkjolt", tenant["key"]),
                                   json=affiliate(tenant["n"]))
            assert status == 409

