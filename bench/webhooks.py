"""Webhook load (issue 14): LinkJolt conversion creates with an active subscription to a slow receiver (100 ms
per request) against the same creates without one. Target: at least 0.8x the throughput without.

    /work/venv/bin/python bench/webhooks.py [--seconds 5] [--concurrency 16]

In-process and self-contained: the sandbox (real clock, rate limits off) and the receiver each listen on a free
port; an aiohttp client keeps `concurrency` creates in flight for `seconds` per phase, each phase on a fresh
auto-provisioned Scale-plan tenant (no earnings cap). Not part of the test suite; run it briefly on a shared
machine.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import time

from aiohttp import ClientSession, web

from sandbox import Settings, create_app

BASE = "/linkjolt/api/v1"
SALE = {"campaignId": "camp_percentage_00001", "affiliateId": "aff_jane_smith_000001", "amount": 1}


async def _slow_receiver() -> tuple[web.AppRunner, int, list[int]]:
    received: list[int] = []

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        await asyncio.sleep(0.1)
        received.append(1)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1], received


async def _phase(session: ClientSession, base: str, key: str, seconds: float, concurrency: int) -> float:
    headers = {"Authorization": f"Bearer {key}"}
    deadline = time.perf_counter() + seconds
    count = itertools.count()

    async def worker() -> None:
        while time.perf_counter() < deadline:
            async with session.post(base + BASE + "/conversions", json=SALE, headers=headers) as response:
                assert response.status == 201, await response.text()
                await response.read()
            next(count)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return next(count) / (time.perf_counter() - started)


async def main(seconds: float, concurrency: int) -> None:
    receiver, port, received = await _slow_receiver()
    runner = web.AppRunner(create_app(Settings(rate_limits=False, webhook_hosts=("127.0.0.1",))))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with ClientSession() as session:
            plain = await _phase(session, base, "lj_pk_scale_bench_plain_0001", seconds, concurrency)
            key = "lj_pk_scale_bench_hooked_0001"
            async with session.post(base + BASE + "/webhooks", headers={"Authorization": f"Bearer {key}"},
                                    json={"url": f"http://127.0.0.1:{port}/hook",
                                          "events": ["conversion.created"]}) as response:
                assert response.status == 201, await response.text()
            hooked = await _phase(session, base, key, seconds, concurrency)
        print(f"creates/s without a subscription: {plain:.0f}")
        print(f"creates/s with a subscription to a 100 ms receiver: {hooked:.0f} "
              f"({hooked / plain:.2f}x; target >= 0.80x); the receiver got {len(received)} deliveries meanwhile")
    finally:
        await runner.cleanup()
        await receiver.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.concurrency))
