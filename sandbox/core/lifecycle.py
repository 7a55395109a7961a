"""Background work that starts and stops with the aiohttp application, so `create_app()` alone is complete.

`run_in_background(app, name, work)` is the one way to add such work (the garbage-collector policy now; a
webhook dispatcher, state persistence or a loop watchdog later): `work()` is started as a task when the app
starts (aiohttp's `cleanup_ctx`) and cancelled, then awaited, when it stops. Work that fails is logged and not
restarted; the server keeps serving.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

log = logging.getLogger("sandbox")

Work = Callable[[], Awaitable[None]]
"""Runs until cancelled (or until it has nothing left to do)."""

TASK_PREFIX = "sandbox:"


def run_in_background(app: web.Application, name: str, work: Work) -> None:
    """Run `work()` as the task `sandbox:<name>` for as long as `app` runs."""

    async def lifetime(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.ensure_future(work())
        task.set_name(TASK_PREFIX + name)
        task.add_done_callback(_log_failure)
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):  # a failure was logged when it happened
            await task

    app.cleanup_ctx.append(lifetime)


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background work %s failed", task.get_name(),  # type: ignore[attr-defined]
                  exc_info=task.exception())
