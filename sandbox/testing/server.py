"""`BackgroundServer`: the whole sandbox on 127.0.0.1 and a free port, in a thread with its own event loop.

For test sessions: the tests (sync or async, on their own loop) talk to it over real HTTP, exactly as they would
to a container, and a blocking call from a test cannot stall it.
"""
from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Settings

START_TIMEOUT = 30.0  # seconds; loading every spec and fixture takes well under one
STOP_TIMEOUT = 10.0


class BackgroundServer:
    """`start()` returns the root URL once the server listens; `stop()` shuts it down and joins the thread."""

    def __init__(self, settings: Settings | None = None) -> None:
        from ..config import Settings

        self.settings = (settings or Settings()).with_(host="127.0.0.1", port=0)
        self.url: str | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    def start(self) -> str:
        if self._thread is not None:
            raise RuntimeError("this server was started already")
        self._thread = threading.Thread(target=self._run, name="sandbox-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError(f"affiliate-sandbox: the in-process server did not start within {START_TIMEOUT:.0f} s")
        if self._failure is not None:
            self._thread.join(STOP_TIMEOUT)
            raise RuntimeError(f"affiliate-sandbox: the in-process server failed to start: {self._failure}") \
                from self._failure
        assert self.url is not None
        return self.url

    def stop(self) -> None:
        if self._thread is None:
            return
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(STOP_TIMEOUT)
        if self._thread.is_alive():
            raise RuntimeError(f"affiliate-sandbox: the in-process server did not stop within {STOP_TIMEOUT:.0f} s")
        self._thread = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start(); never swallowed silently
            self._failure = exc
        finally:
            self._ready.set()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self) -> None:
        from aiohttp import web

        from ..app import create_app

        self._stop = asyncio.Event()
        runner = web.AppRunner(create_app(self.settings), access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.settings.host, self.settings.port)
            await site.start()
            self.url = f"http://{self.settings.host}:{runner.addresses[0][1]}"
            self._ready.set()
            await self._stop.wait()
        finally:
            await runner.cleanup()
