"""What the dispatcher does per event, counted (issue 14's benchmark: a slow receiver must not slow the API).

Events for a subscription whose attempt is in flight queue behind it and wake nothing; the loop keeps one timer
for all its looks; when the receiver answers, the queue drains in the order the events happened.
"""
from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from sandbox.core.dispatcher import DISPATCHER

from ..vendors.linkjolt.conftest import CAMP_PERCENT, JANE, LinkJoltClient
from .conftest import advance, deliveries

QUEUED = 50


async def test_events_behind_an_attempt_in_flight_wake_nothing_and_drain_in_order(
        make_client: Any, aiohttp_server: Callable[..., Awaitable[TestServer]]) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()
    bodies: list[dict[str, Any]] = []

    async def slow_receiver(request: web.Request) -> web.Response:
        bodies.append(json.loads(await request.read()))
        arrived.set()
        await release.wait()  # the first attempt stays in flight until the test lets it answer
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", slow_receiver)
    server = await aiohttp_server(app)
    client: TestClient = await make_client(webhook_hosts=("127.0.0.1",))
    dispatcher = client.server.app[DISPATCHER]
    lj = LinkJoltClient(client)
    status, _, _ = await lj.post("/webhooks", {"url": str(server.make_url("/hook")), "events": ["conversion.created"]})
    assert status == 201

    created = []
    status, body, _ = await lj.post("/conversions", {"campaignId": CAMP_PERCENT, "affiliateId": JANE, "amount": 1})
    assert status == 201
    created.append(body["data"]["id"])
    assert dispatcher.wakeups == 1  # an idle subscription's first attempt wakes the loop
    await asyncio.wait_for(arrived.wait(), 30)

    for n in range(QUEUED):
        status, body, _ = await lj.post("/conversions", {"campaignId": CAMP_PERCENT, "affiliateId": JANE,
                                                         "amount": n + 2})
        assert status == 201
        created.append(body["data"]["id"])
    assert dispatcher.wakeups == 1  # queued behind the attempt in flight: not one wake-up for 50 events
    assert len(bodies) == 1

    release.set()
    await advance(client, 0)  # answers once everything due was attempted
    assert [b["data"]["conversionId"] for b in bodies] == created
    assert {d["state"] for d in await deliveries(client)} == {"delivered"}
    assert dispatcher.timers_armed <= 2  # 51 attempts, and the loop's timer was set once (twice at most)
