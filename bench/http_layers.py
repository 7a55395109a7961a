"""What the HTTP layer costs around one ready answer, three ways (bench/NOTES.md, round 5):

    aiohttp   aiohttp's `web.Server` with the sandbox's `JsonAnswer` (one write per answer)
    inline    the same handler answered inside `data_received`, as `sandbox.core.inline` does
    bare      a uvloop protocol that feeds aiohttp's C parser and writes the same bytes: the floor of any
              aiohttp-based server

    python bench/http_layers.py            measure all three (GET and POST, wrk pinned as run.py pins it)
    python bench/http_layers.py serve KIND PORT

Every server sends the same prebuilt list page, so the differences are the layer's alone. Not part of CI.
"""
from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BODY = (b'{"data":[' + b",".join(b'{"id":"aff_%d","name":"Jane Smith","email":"jane@example.com","status":"active"}'
                                  % i for i in range(10)) + b'],"pagination":{"page":1}}')
HEADERS = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "99", "X-RateLimit-Reset": "1700000000",
           "X-Sandbox-Request-Id": "req_1"}
KINDS = ("aiohttp", "inline", "bare")


def _drive(coro: Any) -> Any:
    """Run a coroutine that never waits, here and now."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    raise RuntimeError("the answer waited")


async def _serve(kind: str, port: int) -> None:
    from aiohttp import web
    from aiohttp.http_writer import StreamWriter
    from aiohttp.web_protocol import RequestHandler

    from sandbox.core.answer import JsonAnswer

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        if request.method == "POST":
            request.content.read_nowait()
        return JsonAnswer.json(200, BODY, HEADERS)

    class Inline(RequestHandler):
        def data_received(self, data: bytes) -> None:
            if self._force_close or self._close or self._messages or self._parser is None:
                super().data_received(data)
                return
            messages, _, _ = self._parser.feed_data(data)
            for message, payload in messages:
                self._parser.message_consumed()
                request = self._request_factory(message, payload, self, StreamWriter(self, self._loop),
                                                self._task_handler)
                _drive(_drive(self._request_handler(request)).prepare(request))
                self._next_keepalive_close_time = self._loop.time() + self._keepalive_timeout

    class InlineServer(web.Server):
        def __call__(self) -> RequestHandler:
            return Inline(self, loop=self._loop, **self._kwargs)

    loop = asyncio.get_running_loop()
    if kind == "bare":
        from aiohttp.helpers import rfc822_formatted_time
        from aiohttp.http_parser import HttpRequestParser

        class Bare(asyncio.Protocol):
            def connection_made(self, transport: Any) -> None:
                self.transport = transport
                self.parser = HttpRequestParser(self, loop, 2 ** 16, max_line_size=8190, max_field_size=8190)

            def data_received(self, data: bytes) -> None:
                messages, _, _ = self.parser.feed_data(data)
                for _message in messages:
                    head = "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items())
                    self.transport.write((f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{head}"
                                          f"Content-Length: {len(BODY)}\r\nDate: {rfc822_formatted_time()}\r\n"
                                          "Server: bare\r\n\r\n").encode() + BODY)

            def pause_reading(self, *args: Any, **kwargs: Any) -> None:  # what a StreamReader asks of it
                pass

            def resume_reading(self, *args: Any, **kwargs: Any) -> None:
                pass

        await loop.create_server(Bare, "127.0.0.1", port)
    else:
        server = (InlineServer if kind == "inline" else web.Server)(handle, access_log=None)
        await loop.create_server(server, "127.0.0.1", port)
    await asyncio.Event().wait()


def _measure() -> None:
    import run

    for kind in KINDS:
        port = run.free_port()
        process = subprocess.Popen(["taskset", "-c", run.SERVER_CPU, sys.executable, __file__, "serve", kind,
                                    str(port)], stdout=subprocess.DEVNULL)
        time.sleep(1.0)
        server = run.Server(process, port, 0.0, 0.0)
        try:
            for method, body in (("GET", None), ("POST", '{"email":"b{n}@example.com"}')):
                result = run.run_load(server, run.Load(kind, "/linkjolt/api/v1/affiliates", body), 0)
                print(f"{kind:8s} {method:4s} CPU {result['cpu_us_per_request']} µs (user "
                      f"{result['user_us_per_request']}, system {result['system_us_per_request']}), "
                      f"{result['rps']:,.0f} rps, p99 {result['p99_ms']} ms", flush=True)
        finally:
            server.stop()


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "serve" and sys.argv[2] in KINDS:
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(_serve(sys.argv[2], int(sys.argv[3])))
    elif len(sys.argv) == 1:
        _measure()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
