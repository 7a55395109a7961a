"""A watchdog that logs event-loop stalls with the stack of whatever is blocking the loop.

The loop sets a heartbeat every `interval` seconds; a daemon thread looks at it as often, and when the last beat
is older than `threshold` it logs the loop thread's current stack (from `sys._current_frames()`), once per
stall. Started and stopped with the app (`watch_loop`, an `app.cleanup_ctx` entry).
"""
from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
import traceback
from collections.abc import AsyncIterator, Callable

from aiohttp import web

log = logging.getLogger("sandbox.watchdog")

STALL_THRESHOLD_S = 1.0
INTERVAL_S = 0.25


class LoopWatchdog:
    """`beat()` runs on the loop; `check()` runs on the watching thread (tests call both directly)."""

    def __init__(self, loop_thread_id: int, threshold: float = STALL_THRESHOLD_S,
                 clock: Callable[[], float] = time.monotonic,
                 report: Callable[[str], None] | None = None) -> None:
        self.loop_thread_id = loop_thread_id
        self.threshold = threshold
        self.clock = clock
        self.report = report or log.warning
        self.last_beat = clock()
        self._reported = False  # this stall was logged already
        self.stalls = 0

    def beat(self) -> None:
        self.last_beat = self.clock()
        self._reported = False

    def check(self) -> bool:
        """Log the loop thread's stack if the loop has not beaten for longer than the threshold; True if so."""
        stalled_for = self.clock() - self.last_beat
        if stalled_for <= self.threshold or self._reported:
            return False
        self._reported = True
        self.stalls += 1
        frame = sys._current_frames().get(self.loop_thread_id)
        stack = "".join(traceback.format_stack(frame)) if frame is not None else "(the loop thread has gone)\n"
        self.report(f"event loop blocked for over {stalled_for:.1f}s (threshold {self.threshold}s); "
                    f"what it is running:\n{stack}")
        return True


class _Running:
    """A LoopWatchdog wired to a live loop and a watching thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, dog: LoopWatchdog, interval: float) -> None:
        self.loop, self.dog, self.interval = loop, dog, interval
        self._stop = threading.Event()
        self._handle: asyncio.TimerHandle | None = None
        self._thread = threading.Thread(target=self._watch, name="sandbox-loop-watchdog", daemon=True)

    def start(self) -> None:
        self._tick()
        self._thread.start()

    def _tick(self) -> None:
        self.dog.beat()
        self._handle = self.loop.call_later(self.interval, self._tick)

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.dog.check()

    def stop(self) -> None:
        self._stop.set()
        if self._handle is not None:
            self._handle.cancel()
        self._thread.join(timeout=5)


async def watch_loop(app: web.Application) -> AsyncIterator[None]:
    """`app.cleanup_ctx` entry: watch the app's loop while it runs."""
    running = _Running(asyncio.get_running_loop(), LoopWatchdog(threading.get_ident()), INTERVAL_S)
    running.start()
    try:
        yield
    finally:
        running.stop()
