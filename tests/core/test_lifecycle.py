"""Background work starts and stops with the application."""
from __future__ import annotations

import asyncio
import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from sandbox.core.lifecycle import run_in_background


async def test_work_runs_while_the_app_serves_and_is_cancelled_when_it_stops() -> None:
    events: list[str] = []
    started = asyncio.Event()

    async def work() -> None:
        events.append("started")
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            events.append("cancelled")
            raise

    app = web.Application()
    run_in_background(app, "probe", work)
    assert events == []  # nothing runs until the app starts
    server = TestServer(app)
    await server.start_server()
    await asyncio.wait_for(started.wait(), 5)
    assert [t.get_name() for t in asyncio.all_tasks()].count("sandbox:probe") == 1
    await server.close()
    assert events == ["started", "cancelled"]
    assert "sandbox:probe" not in [t.get_name() for t in asyncio.all_tasks()]


async def test_failed_work_is_logged_and_the_app_stops_cleanly(caplog: pytest.LogCaptureFixture) -> None:
    async def work() -> None:
        raise RuntimeError("broken")

    app = web.Application()
    run_in_background(app, "broken", work)
    server = TestServer(app)
    with caplog.at_level(logging.ERROR, logger="sandbox"):
        await server.start_server()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        await server.close()
    assert any("background work sandbox:broken failed" in r.getMessage() for r in caplog.records)
