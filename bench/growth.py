"""Issue 17's loads that wrk cannot express: cost as data grows, fairness between tenants, fresh tenants.

Driven by an aiohttp client (one keep-alive connection per loop) pinned to the load CPU, against a sandbox
pinned to the server CPU with `--response-cache off` (every page is built afresh, the cost the first read after
a write pays) and `--rate-limits off`. Latencies are client-side: they include the client's own overhead
(about 0.1-0.2 ms a request here), the same for every size, so a ratio between sizes understates growth a
little; `server_cpu_us` beside them is the server's own CPU per request over the same requests.

    python bench/growth.py [growth|fairness|fresh ...]   prints JSON; bench/run.py calls `measure_all`.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the server start-up and CPU pinning live there)

SIZES = tuple(int(s) for s in os.environ.get("BENCH_GROWTH_SIZES", "10000,50000").split(","))
SAMPLES = int(os.environ.get("BENCH_GROWTH_SAMPLES", "300"))
SHARED_NAME_CREATES = int(os.environ.get("BENCH_GROWTH_CREATES", "3000"))
FILL_CONCURRENCY = 16
SERVER_FLAGS = ("--response-cache", "off")


@dataclass(frozen=True)
class VendorLoad:
    """One vendor's create (every record shares the same name) and its first list page."""

    vendor: str
    create_path: str
    body: Callable[[int], dict]
    list_path: str
    auth: tuple[str, str]
    created: int = 200  # the create's success status


VENDORS = [
    VendorLoad("linkjolt", "/linkjolt/api/v1/affiliates",
               lambda n: {"email": f"grow{n}@example.com", "name": "Jane Grow", "campaignId": "camp_percentage_00001"},
               "/linkjolt/api/v1/affiliates?limit=10", run.LJ_AUTH, created=201),
    # On the coupon campaign: every create also draws a promo code from JANE + digits (the issue 13 hang).
    VendorLoad("promotekit", "/promotekit/api/v1/affiliates",
               lambda n: {"email": f"grow{n}@example.com", "first_name": "Jane", "last_name": "Grow",
                          "campaign_id": "ca000000-0000-4000-8000-000000000002"},
               "/promotekit/api/v1/affiliates?limit=10", run.PK_AUTH),
    VendorLoad("tamio", "/tamio/v2/affiliate-programs/create",
               lambda n: {"commission_amount": 500, "commission_percent": 10.5,
                          "languages": {"en": {"label": "Jane Grow", "description": "Growth program"}},
                          "destinations": ["worldwide"], "currency": "EUR", "payments": ["stripe"]},
               "/tamio/v2/affiliate-programs/list?per_page=10", run.TAMIO_AUTH),
    VendorLoad("everflow", "/everflow/v1/networks/affiliates",
               lambda n: {"name": "Jane Grow", "account_status": "active"},
               "/everflow/v1/networks/affiliates?page_size=10", run.EF_AUTH),
]


def _headers(auth: tuple[str, str]) -> dict[str, str]:
    return {auth[0]: auth[1], "Content-Type": "application/json"}


async def _timed(session: aiohttp.ClientSession, method: str, url: str, headers: dict, body: Any = None,
                 expect: int = 200) -> float:
    started = time.perf_counter()
    async with session.request(method, url, headers=headers, json=body) as response:
        await response.read()
        if response.status != expect:
            raise SystemExit(f"{method} {url}: {response.status}, expected {expect}")
    return (time.perf_counter() - started) * 1000


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


async def _fill(session: aiohttp.ClientSession, base: str, load: VendorLoad, start: int, stop: int) -> None:
    """Creates start..stop-1 with a few requests in flight (untimed)."""
    headers = _headers(load.auth)
    numbers = iter(range(start, stop))

    async def worker() -> None:
        for n in numbers:
            await _timed(session, "POST", base + load.create_path, headers, load.body(n), load.created)

    await asyncio.gather(*(worker() for _ in range(FILL_CONCURRENCY)))


async def _page_ms(session: aiohttp.ClientSession, base: str, load: VendorLoad, server: run.Server) -> dict:
    headers = _headers(load.auth)
    cpu = server.cpu_seconds()
    times = [await _timed(session, "GET", base + load.list_path, headers) for _ in range(SAMPLES)]
    return {"p50_ms": _median(times), "server_cpu_us": round((server.cpu_seconds() - cpu) * 1e6 / SAMPLES, 1)}


async def _creates_ms(session: aiohttp.ClientSession, base: str, load: VendorLoad, start: int, count: int) -> list:
    headers = _headers(load.auth)
    return [await _timed(session, "POST", base + load.create_path, headers, load.body(n), load.created)
            for n in range(start, start + count)]


async def _growth(load: VendorLoad, server: run.Server) -> dict:
    base = f"http://127.0.0.1:{server.port}"
    out: dict[str, Any] = {}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=FILL_CONCURRENCY)) as session:
        await _fill(session, base, load, 0, 100)
        out["page_at_100"] = await _page_ms(session, base, load, server)
        times = await _creates_ms(session, base, load, 100, SHARED_NAME_CREATES)
        window = min(300, SHARED_NAME_CREATES // 10)
        out["creates_first_300_p50_ms"] = _median(times[:window])
        out["creates_last_300_p50_ms"] = _median(times[-window:])
        done = 100 + SHARED_NAME_CREATES
        for size in SIZES:
            await _fill(session, base, load, done, max(done, size))
            done = max(done, size)
            out[f"page_at_{size}"] = await _page_ms(session, base, load, server)
            out[f"creates_at_{size}_p50_ms"] = _median(await _creates_ms(session, base, load, done, SAMPLES))
            done += SAMPLES
        out["rss_mb"] = round(server.rss_kb() / 1024, 1)
        out["records"] = done
    return out


def growth() -> dict:
    """Per vendor, on a server of its own: creates sharing one name, and first pages at 100 to 50k records."""
    results = {}
    for load in VENDORS:
        server = run.start("sandbox", SERVER_FLAGS)
        try:
            results[load.vendor] = asyncio.run(_growth(load, server))
        finally:
            server.stop()
    return results


# -- fairness ---------------------------------------------------------------------------------------------

HAMMER_PATHS = [f"/linkjolt/api/v1/affiliates?limit=100&page={p}&sort={s}"
                for p in (1, 2, 3) for s in ("joinedAt:desc", "name:asc", "email:desc")]


def _hammer(port: int, seconds: float) -> None:
    """One client of four: big pages of the big tenant, one after another, for `seconds`."""
    os.sched_setaffinity(0, {int(run.LOAD_CPU)})

    async def loop() -> None:
        headers = _headers(run.LJ_AUTH)
        stop = time.perf_counter() + seconds
        async with aiohttp.ClientSession() as session:
            n = 0
            while time.perf_counter() < stop:
                await _timed(session, "GET", f"http://127.0.0.1:{port}{HAMMER_PATHS[n % len(HAMMER_PATHS)]}", headers)
                n += 1

    asyncio.run(loop())


async def _other_tenant_p50(port: int, count: int) -> float:
    headers = _headers(("Authorization", "Bearer lj_pk_test_fairness_other_0001"))
    url = f"http://127.0.0.1:{port}/linkjolt/api/v1/affiliates?limit=10"
    async with aiohttp.ClientSession() as session:
        await _timed(session, "GET", url, headers)  # builds the tenant
        return _median([await _timed(session, "GET", url, headers) for _ in range(count)])


def fairness(records: int = 50_000) -> dict:
    """Another tenant's GET p50, quiet and while four clients list a tenant of `records` LinkJolt affiliates."""
    server = run.start("sandbox", SERVER_FLAGS)
    try:
        load = VENDORS[0]

        async def fill() -> None:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=FILL_CONCURRENCY)) as session:
                await _fill(session, f"http://127.0.0.1:{server.port}", load, 0, records)

        asyncio.run(fill())
        quiet = asyncio.run(_other_tenant_p50(server.port, 500))
        hammers = [multiprocessing.Process(target=_hammer, args=(server.port, 12.0)) for _ in range(4)]
        for process in hammers:
            process.start()
        time.sleep(1.0)
        busy = asyncio.run(_other_tenant_p50(server.port, 500))
        for process in hammers:
            process.join()
        return {"records": records, "other_tenant_quiet_p50_ms": quiet, "other_tenant_busy_p50_ms": busy}
    finally:
        server.stop()


# -- fresh tenants ------------------------------------------------------------------------------------------

async def _fresh(port: int, count: int) -> dict:
    url = f"http://127.0.0.1:{port}/linkjolt/api/v1/affiliates?limit=10"
    async with aiohttp.ClientSession() as session:
        warm_headers = _headers(run.LJ_AUTH)
        await _timed(session, "GET", url, warm_headers)
        warm = [await _timed(session, "GET", url, warm_headers) for _ in range(count)]
        fresh = [await _timed(session, "GET", url, _headers(("Authorization", f"Bearer lj_pk_test_fresh{n:06d}")))
                 for n in range(count)]
    return {"fresh_first_request_p50_ms": _median(fresh), "warm_request_p50_ms": _median(warm),
            "fresh_extra_p50_ms": round(_median(fresh) - _median(warm), 3)}


def fresh_tenants(count: int = 500) -> dict:
    """The first request on a fresh key (a tenant built from the fixtures) against a request on a warm one."""
    server = run.start("sandbox", SERVER_FLAGS)
    try:
        return asyncio.run(_fresh(server.port, count))
    finally:
        server.stop()


def measure_all() -> dict:
    os.sched_setaffinity(0, {int(run.LOAD_CPU)})
    return {"growth": growth(), "fairness": fairness(), "fresh": fresh_tenants()}


if __name__ == "__main__":
    os.sched_setaffinity(0, {int(run.LOAD_CPU)})
    wanted = sys.argv[1:] or ["growth", "fairness", "fresh"]
    parts = {"growth": growth, "fairness": fairness, "fresh": fresh_tenants}
    print(json.dumps({name: parts[name]() for name in wanted}, indent=2))
