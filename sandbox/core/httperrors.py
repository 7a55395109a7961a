"""What aiohttp's HTTP layer answers on its own, made the sandbox's: JSON errors, a read timeout.

aiohttp answers a request its parser refuses (a method it does not know, a request line or header over 8190
bytes, too many headers, a malformed line) from `RequestHandler.handle_error`, in plain text, before any route
or middleware runs. `JsonErrorRunner` is an `AppRunner` whose connections use `SandboxRequestHandler`, which
answers those in JSON: `render(status, code, message, path)` (given by the app, which knows the vendors) picks
the envelope from the path. The parser has not kept the path of a refused request, so it is recovered from the
bytes the parser saw when it can be (the request line's target); otherwise the control plane's envelope is used.

While the server stops (SIGTERM), aiohttp lets handlers in flight finish but stops reading, so a request whose
body is still arriving could never finish; this handler keeps reading that one request's body.

The same handler cuts a connection that sends part of a request and then nothing for `read_timeout` seconds
(a slow or half-sent request, header or body), so such clients cannot hold connections open forever.

Not interceptable: a peer that closes mid-request (no one to answer), and TLS or other non-HTTP bytes, which get
the same JSON 400 as any malformed request.
"""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMethod, HttpProcessingError, LineTooLong
from aiohttp.web_protocol import RequestHandler, _ErrInfo

from .errors import ApiError
from .inline import InlineAnswers, Lane
from .jsoncodec import dumps
from .turnwrites import TurnWrites

if TYPE_CHECKING:
    from .vendorapi import VendorApi

log = logging.getLogger("sandbox.http")

# (status, code, message, path or None) -> (JSON-able body): the envelope for an error aiohttp raised.
Renderer = Callable[[int, str, str, "str | None"], Any]

READ_TIMEOUT_S = 30.0  # a started request that sends nothing for this long is cut
KEEPALIVE_TIMEOUT_S = 75.0  # an idle keep-alive connection is closed after this long

MAX_LINE = 8190  # aiohttp's limit on the request line and on each header line

_TARGET = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ (/[^ \r\n?#]*)")


def _classify(exc: BaseException | None, status: int, first_bytes: bytes) -> tuple[int, str, str]:
    """(status, code, message) for what the parser refused; `first_bytes` are the request's first bytes."""
    if isinstance(exc, BadHttpMethod):
        return 400, "bad_request", "Malformed request: the method is not one this server understands"
    if isinstance(exc, LineTooLong):
        # One limit for the request line and for each header: which one it was, the bytes tell.
        if b"\r\n" not in first_bytes[:MAX_LINE + 2]:
            return 414, "uri_too_long", f"The request line is longer than the server accepts ({MAX_LINE} bytes)"
        return 431, "request_header_fields_too_large", \
            f"A request header is longer than the server accepts ({MAX_LINE} bytes)"
    if isinstance(exc, HttpProcessingError) and "too many headers" in str(exc).lower():
        return 431, "request_header_fields_too_large", "The request has more headers than the server accepts"
    if status >= 500:
        return status, "internal_error", "Internal server error"
    return status, "bad_request", "Malformed HTTP request"


class SandboxRequestHandler(InlineAnswers):
    """aiohttp's connection handler with JSON parse errors and a read timeout (see the module docstring), which
    answers the route table's requests inline when it can (`core.inline`, given a `lane`)."""

    def __init__(self, *args: Any, render: Renderer, read_timeout: float = READ_TIMEOUT_S, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._render = render
        self._read_timeout = read_timeout
        self._read_timer: asyncio.TimerHandle | None = None
        self._last_read = 0.0  # loop time of the last bytes received
        self._first_bytes = b""  # the start of the current request, to recover the path of a refused one
        self._partial_head = False  # bytes of a request arrived whose head is not complete yet

    # -- read timeout ------------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if not data:
            # No bytes came: aiohttp calls this with b"" to resume parsing after a handler has read a body (on
            # every request with one). Counted as a read, it marked a finished request's connection as holding a
            # half-sent one, and the read timeout then cut the idle keep-alive connection.
            super().data_received(data)
            return
        if len(self._first_bytes) < 8192:
            self._first_bytes = (self._first_bytes + data)[:8192]
        before = self._request_count
        if (self._close or self._force_close) and self._body_on_its_way():
            # Shutting down, aiohttp stops reading: a request in flight whose body is still arriving would never
            # finish. Read it (and only it: the loop serving this connection ends after this request).
            closing = self._close, self._force_close
            self._close = self._force_close = False
            try:
                super().data_received(data)
            finally:
                self._close, self._force_close = closing
        else:
            self.receive(data)
        if self._request_count != before:
            self._partial_head = False
            if not (self._messages and isinstance(self._messages[-1][0], _ErrInfo)):
                self._first_bytes = b""  # keep the bytes of a refused request: its path picks the envelope
        else:
            self._partial_head = True
        # One timer a connection, moved on lazily: re-arming a timer for every chunk (a TimerHandle made and
        # cancelled per request) cost about 2 µs a request under load; the timer reads when data last came.
        self._last_read = now = self._loop.time()
        if self._read_timer is None:
            self._read_timer = self._loop.call_at(now + self._read_timeout, self._read_timed_out)

    def resume_reading(self, resume_parser: bool = True) -> None:
        # aiohttp's StreamReader calls this after every read of a request body, paused or not; unpaused, it only
        # fed the parser b"" (a parser holds bytes back only while paused, or while the message queue is full,
        # which start() resumes itself) and resumed a transport nobody had paused: about 1 µs a request.
        if self._reading_paused:
            super().resume_reading(resume_parser)

    def _body_on_its_way(self) -> bool:
        request = self._current_request
        return request is not None and not request.content.is_eof()

    def _read_timed_out(self) -> None:
        self._read_timer = None
        due = self._last_read + self._read_timeout
        if self._loop.time() < due:  # more data came since the timer was armed: wait from the last of it
            self._read_timer = self._loop.call_at(due, self._read_timed_out)
            return
        half_sent = self._body_on_its_way() if self._current_request is not None else self._partial_head
        if half_sent and self.transport is not None:
            log.info("closing a connection that sent part of a request and then nothing for %ss",
                     self._read_timeout)
            self._release()  # what it was answered before the half-sent request
            self.transport.close()

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None
        super().connection_lost(exc)

    # -- JSON for what the parser refused ------------------------------------------------------------------

    def handle_error(self, request: web.BaseRequest, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        if request.writer.output_size > 0:
            return super().handle_error(request, status, exc, message)
        if status >= 500:
            self.log_exception("Error handling request from %s", request.remote, exc_info=exc)
        else:
            log.info("refused a malformed request from %s: %s", request.remote, exc)
        status, code, text = _classify(exc, status, self._first_bytes)
        path = request.path if request.method != "UNKNOWN" else self._refused_path()
        body = self._render(status, code, text, path)
        response = web.Response(status=status, body=dumps(body), content_type="application/json")
        response.force_close()
        return response

    def _refused_path(self) -> str | None:
        match = _TARGET.match(self._first_bytes)
        return match.group(1).decode("latin-1") if match else None


class JsonErrorRunner(web.AppRunner):
    """An AppRunner whose connections are SandboxRequestHandlers."""

    def __init__(self, app: web.Application, *, render: Renderer, read_timeout: float = READ_TIMEOUT_S,
                 lane: Lane | None = None, hold_answers: bool = True, **kwargs: Any) -> None:
        """`lane`: the route table's `direct`, to answer its requests inline (`core.inline`); None: never.
        `hold_answers`: inline answers are written when the loop's turn ends (`core.turnwrites`), not at once."""
        kwargs.setdefault("keepalive_timeout", KEEPALIVE_TIMEOUT_S)
        super().__init__(app, **kwargs)
        self._render = render
        self._read_timeout = read_timeout
        self._lane = lane
        self._hold_answers = hold_answers

    async def _make_server(self) -> web.Server:
        # AppRunner builds a plain Server; ours differs only in the connection class it makes.
        server = await super()._make_server()
        return _Server(server, self._render, self._read_timeout, self._lane, self._hold_answers)


class _Server(web.Server):
    def __init__(self, base: web.Server, render: Renderer, read_timeout: float, lane: Lane | None,
                 hold_answers: bool) -> None:
        self.__dict__.update(base.__dict__)
        self._render = render
        self._read_timeout = read_timeout
        self._lane = lane
        self._turn = TurnWrites(self._loop) if hold_answers else None  # one for all of this server's connections

    def __call__(self) -> RequestHandler:
        try:
            return SandboxRequestHandler(self, loop=self._loop, render=self._render,
                                         read_timeout=self._read_timeout, lane=self._lane, turn=self._turn,
                                         **self._kwargs)
        except TypeError:  # pragma: no cover - the same fallback aiohttp's own Server has
            return super().__call__()


def envelope_renderer(vendors: Iterable[VendorApi] | list[Any]) -> Renderer:
    """The vendor's error envelope under its base path, the control plane's `{"error": {code, message}}`
    elsewhere (and when the path is unknown)."""
    prefixes = sorted(((v.base_path.rstrip("/"), v) for v in vendors), key=lambda pv: -len(pv[0]))

    def render(status: int, code: str, message: str, path: str | None) -> Any:
        for prefix, vendor in prefixes:
            if path is not None and (path == prefix or path.startswith(prefix + "/")):
                return vendor.render_error(ApiError(status, code, message))
        return {"error": {"code": code, "message": message}}
    return render
