"""The sandbox on a real port (0: a free one) in a background thread, for tools that speak plain HTTP."""
from __future__ import annotations

import asyncio
import threading
from typing import Any

from aiohttp import web

from sandbox import Settings, create_app


class ThreadedSandbox:
    """`with ThreadedSandbox(settings) as server: server.url`; stops its loop and thread on exit."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings.with_(host="127.0.0.1", port=0)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="sandbox-server", daemon=True)
        self.app: web.Application | None = None
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def _start(self) -> None:
        self.app = create_app(self.settings)
        self.runner = web.AppRunner(self.app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.settings.host, 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}"

    def __enter__(self) -> ThreadedSandbox:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=30)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()
