"""Answering a vendor request inside `data_received`, without aiohttp's per-request machinery.

aiohttp's connection handler queues each parsed request, wakes its `start()` task, builds a task per request
(Python 3.11 has no eager tasks), wraps the handler in `_handle_request` and `finish_response`, and goes back to
sleep on a new future: about 3 µs of CPU for a GET and 4.5 µs for a POST whose answer is ready at once
(bench/NOTES.md, round 5: the same answer from aiohttp's path, from this one and from a bare protocol). A vendor
request the route table answers (`RouteTable.direct`) whose body has arrived, on an idle keep-alive HTTP/1.1
connection, is answered here instead: the same `web.Request` (built without its constructor's keyword arguments
and branches), the same endpoint, the same response object and so the same bytes, made before `data_received`
returns. An endpoint that answers at its first step with a plain `JsonAnswer` (the usual vendor answer) is framed
by `JsonAnswer.framed` with no coroutine around it and held until the loop's turn ends, when the connection writes
everything it held in one write (`core.turnwrites`: the kernel's sends then come after the turn's work instead of
between one request and the next); any other answer goes through `_serve`, as `_handle_request` and
`finish_response` would send it, after what the connection held.

Whatever else arrives goes aiohttp's way, in order: a request the table does not answer (the control plane,
unknown paths, `Expect:`, encoded paths), HTTP/1.0, `Connection: close`, HEAD, an upgrade, a body still on its
way, a request that arrives while another is being answered, a pipelined burst of as many requests as aiohttp's
queue holds (32), and every request while the connection closes. A request that arrives after `start()`'s own
answer was sent, before `start()` is back on its waiter (it takes its task's result a turn later), is the lane's:
`start()` has only bookkeeping left (`_handle_queued`).

An answer that must wait (a tenant's turn in `fairness`, a body read, an async handler, a full socket's drain)
goes on in a task of its own, which takes the coroutine over where it stopped (`_Resume`, the steps `yield from`
would make); so does the drain of a socket that the turn's held answers filled. Until that task ends, requests
that arrive are queued and `start()` is not woken, so answers leave in the order their requests came; then
`start()` serves what was queued.

The bookkeeping `start()` does around a request is done here too: the manager's request count, the current
request (which `connection_lost` cancels), the in-progress flag and waiter that a graceful shutdown waits on, the
access log, the payload closed to later reads, and the keep-alive timer; an answer that does not keep the
connection alive closes it, as `start()` would.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Generator, Mapping
from typing import Any, ClassVar

import aiohttp
from aiohttp import hdrs, web
from aiohttp.http import HttpVersion11
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.http_writer import StreamWriter
from aiohttp.streams import EMPTY_PAYLOAD
from aiohttp.web_exceptions import HTTPException
from aiohttp.web_protocol import _PAYLOAD_ACCESS_ERROR, RequestHandler, _ErrInfo

from .answer import JsonAnswer
from .turnwrites import HOLD_LIMIT, TurnWrites

log = logging.getLogger("sandbox")

_MAKE_REQUEST = web.Application._make_request
# What the lane reads and sets of aiohttp's connection handler: aiohttp 3.14.4 and later have all of it (the parser's
# queue bound since 3.14.1, the flow control of that queue since 3.14.4). With an aiohttp that lacks any of it,
# every request goes aiohttp's way (`lane_supported`).
_HANDLER_STATE = ("_messages", "_waiter", "_parser", "_payload_parser", "_upgraded", "_max_msg_queue_size",
                  "_buffer_paused", "_message_tail", "_request_count", "_manager", "_current_request",
                  "_request_in_progress", "_handler_waiter", "_keepalive_handle", "_next_keepalive_close_time",
                  "_keepalive_timeout", "_task_handler", "_request_factory", "_force_close", "_close",
                  "_logging_enabled", "_keepalive")
_SUPPORTED: dict[type, bool] = {}  # by connection-handler class: it has every field of _HANDLER_STATE


def lane_supported(handler: RequestHandler) -> bool:
    """Whether this aiohttp's connection handler has every field the lane uses (asked once per class)."""
    known = _SUPPORTED.get(type(handler))
    if known is None:
        known = _SUPPORTED[type(handler)] = all(hasattr(handler, name) for name in _HANDLER_STATE)
        if not known:
            log.warning("aiohttp %s lacks the connection state that answering inline needs: every request goes "
                        "aiohttp's way", aiohttp.__version__)
    return known


def same_fields(ours: web.BaseRequest, theirs: web.BaseRequest) -> bool:
    """Whether a request `_new_request` built has the fields aiohttp's own factory sets, no more and no fewer (a
    release that adds one turns the direct build off rather than leave it unset)."""
    return set(vars(ours)) == set(vars(theirs))


Endpoint = Callable[[web.Request, Mapping[str, str]], Awaitable[web.StreamResponse]]
Lane = Callable[[str, str, Mapping[str, str]], "tuple[Endpoint, Mapping[str, str]] | None"]
"""(method, raw target, headers) -> the endpoint and path parameters that answer the request, or None."""


class _Resume:
    """Awaiting it drives a coroutine that was started by hand and stopped at `blocked_on` (PEP 380's expansion
    of `yield from`, from its second step on), so a task can take the coroutine over."""

    def __init__(self, coro: Generator[Any, Any, Any], blocked_on: Any) -> None:
        self._coro, self._blocked_on = coro, blocked_on

    def __await__(self) -> Generator[Any, Any, Any]:
        coro, value = self._coro, self._blocked_on
        while True:
            try:
                sent = yield value
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:  # noqa: B036 (thrown into the task: passed on, as yield from does)
                try:
                    value = coro.throw(exc)
                except StopIteration as done:
                    return done.value
            else:
                try:
                    value = coro.send(sent)
                except StopIteration as done:
                    return done.value


class _Settled:
    """Awaiting it gives what an endpoint already returned, or raises what it raised: `_serve`'s input when the
    endpoint finished at its first step but the answer still has to go aiohttp's way."""

    def __init__(self, value: Any = None, error: BaseException | None = None) -> None:
        self._value, self._error = value, error

    def __await__(self) -> Generator[Any, Any, Any]:
        if self._error is not None:
            raise self._error
        return self._value
        yield  # never reached: it makes this a generator, which `await` needs


class InlineAnswers(RequestHandler):
    """aiohttp's connection handler that answers what it can inside `data_received` (see the module docstring).

    `lane` is the route table's `direct`; without one, every request goes aiohttp's way. `turn`: the server's
    `TurnWrites`, to hold inline answers to the end of the loop's turn; without one, each is written at once."""

    # Whether `_new_request` may build requests itself: None until the process's first one is compared with what
    # aiohttp's factory builds (`same_fields`), then True or False for good.
    direct_requests: ClassVar[bool | None] = None

    def __init__(self, *args: Any, lane: Lane | None = None, turn: TurnWrites | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lane = lane if lane is not None and lane_supported(self) else None
        self._turn = turn if self._lane is not None else None
        self._held = b""  # the answers made in this turn of the loop, not written yet (`turn_ended`)
        # Whether start() serves a request of its own: from its `_handle_request` call until start() is sure to go
        # straight back to its waiter (`_handle_queued`).
        self._start_serving = False
        self._inline_task: asyncio.Task[None] | None = None  # an inline answer that had to wait, or a drain
        # The application whose own factory builds this connection's requests, which `_new_request` then builds
        # itself; None for any other factory (decided once: the factory is the server's, fixed for a connection).
        factory = self._request_factory
        app = getattr(factory, "__self__", None)
        self._request_app = (app if type(app) is web.Application
                             and getattr(factory, "__func__", None) is _MAKE_REQUEST else None)

    def _start_is_idle(self) -> bool:
        """Whether `start()` has nothing to do, with nothing queued: only then may a request skip its queue.

        Nothing to do: asleep on its waiter; or on its way back to it, with no request of its own left to serve (a
        new connection's first step, or the rest of a request it served whose answer is sent: `_handle_queued`).
        Without the second case, a connection that once went aiohttp's way stayed there while its client asked
        again before `start()` was back, as a busy client does: a tenth of a benchmark's Everflow creates."""
        waiter = self._waiter
        if waiter is None:
            if self._start_serving:
                return False
        elif waiter.done():
            return False
        return (not self._messages and self._current_request is None and self._parser is not None
                and self._payload_parser is None and not self._upgraded)

    def receive(self, data: bytes) -> None:
        """`data_received`'s work: inline what qualifies, aiohttp's way for the rest."""
        if self._lane is None or not data or self._force_close or self._close:
            super().data_received(data)
            return
        if self._inline_task is None and not self._start_is_idle():
            super().data_received(data)
            return
        if self._payload_parser is not None or self._upgraded or self._parser is None:
            # While an inline answer waits, `start()` is not idle-checked: an upgrade request queued meanwhile
            # leaves the connection upgraded, and its bytes are aiohttp's to keep.
            super().data_received(data)
            return
        try:
            messages, upgraded, tail = self._parser.feed_data(data)
        except HttpProcessingError as exc:  # as aiohttp's data_received: a 400 answered in turn
            messages, upgraded, tail = [(_ErrInfo(status=400, exc=exc, message=exc.message), EMPTY_PAYLOAD)], False, b""
        # The parser hands out at most its queue's size of unconsumed requests and keeps the rest of the bytes until
        # start() has drained the queue and asks again (`_resume_reading_if_drained`). A batch that reaches that size
        # goes aiohttp's way whole, so that whatever the parser kept is always behind a queue start() will drain.
        queued = len(self._messages) + len(messages) >= self._max_msg_queue_size
        for message, payload in messages:
            self._request_count += 1
            if self._force_close or self._close:
                break  # an answer closed the connection: what was pipelined behind it is dropped, as start() does
            found = None
            if not queued and self._inline_task is None:
                found = self._endpoint(message, payload)
            if found is None:
                self._messages.append((message, payload))
                queued = True
            else:
                self._parser.message_consumed()  # as start() does for each message it takes: the parser holds back
                self._answer(message, payload, *found)  # new messages once as many as its queue's size are out
        self._upgraded = upgraded
        if upgraded and tail:
            self._message_tail = tail
        if self._messages:
            if self._inline_task is None:
                self._wake_start()
            if not self._buffer_paused and len(self._messages) >= self._max_msg_queue_size:
                self._pause_reading_for_buffer()

    def _endpoint(self, message: Any, payload: Any) -> tuple[Endpoint, Mapping[str, str]] | None:
        if isinstance(message, _ErrInfo) or message.should_close or message.upgrade:
            return None
        if message.version != HttpVersion11 or message.method == hdrs.METH_HEAD:
            return None
        if payload is not EMPTY_PAYLOAD and not payload.is_eof():
            return None
        return self._lane(message.method, message.path, message.headers)  # type: ignore[misc]  # set: see receive

    def _wake_start(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _answer(self, message: Any, payload: Any, endpoint: Endpoint, params: Mapping[str, str]) -> None:
        loop = self._loop
        started = loop.time() if self._logging_enabled else None
        self._manager.requests_count += 1  # type: ignore[union-attr]  # set while the connection is open
        request = self._new_request(message, payload)
        self._current_request = request
        self._request_in_progress = True
        answering = endpoint(request, params).__await__()
        try:
            blocked_on = answering.send(None)
        except StopIteration as done:  # answered at once, the usual case: send it now if it is plain
            response = done.value
            settled = _Settled(response)
            if isinstance(response, JsonAnswer):
                request._finish()  # as `_serve` does before it sends
                try:
                    data = response.framed(request)
                    if data is not None:
                        self._send(data)
                except BaseException as exc:  # noqa: B036 (as `_serve`'s prepare would raise it)
                    self._failed(request, payload, exc)
                    return
                if data is not None and not self.writing_paused:
                    self._answered(request, payload, response, started)
                    return
                if data is not None:  # a full socket: what is left is the drain `prepare` would wait for
                    self._go_on_later(self._drained(request, response).__await__(), request, payload, started)
                    return
        except BaseException as exc:  # noqa: B036 (`_serve` maps it to an answer, as `_handle_request` does)
            settled = _Settled(error=exc)
        else:
            settled = _Resume(answering, blocked_on)  # type: ignore[assignment]  # waits: a task takes it over
        self._go_on_later(self._serve(request, settled).__await__(), request, payload, started)

    def _send(self, data: bytes) -> None:
        """An inline answer's bytes: held to the turn's end, or written at once behind what is held (no turn, a
        full socket, or more than `HOLD_LIMIT` in one turn)."""
        held = self._held
        if self._turn is not None and not self.writing_paused and len(held) + len(data) <= HOLD_LIMIT:
            if not held:
                self._turn.hold(self)
            self._held = held + data
            return
        self._release()
        self.transport.write(data)  # type: ignore[union-attr]  # `framed` checked it is open

    def _release(self) -> None:
        """Write what this connection holds now: before any write that must follow it, and before it closes."""
        held = self._held
        if held:
            self._held = b""
            transport = self.transport
            if transport is not None and not transport.is_closing():
                transport.write(held)

    def turn_ended(self) -> None:
        """The loop's turn is over: write what was held. If that filled the socket, later requests wait for the
        drain, as they wait behind an inline answer that filled it (`_send`'s caller)."""
        if not self._held:  # written already, or the connection was lost
            return
        self._release()
        if self.writing_paused and self._inline_task is None and self.transport is not None:
            self._inline_task = self._loop.create_task(self._until_drained())

    async def _until_drained(self) -> None:
        try:
            await self._drain_helper()
        except (ConnectionError, asyncio.CancelledError):  # lost meanwhile: nothing is left to wait for
            pass
        finally:
            if not self._close and not self._force_close:
                self._arm_keepalive()
            self._waiting_over()

    def force_close(self) -> None:
        self._release()  # what was answered goes out before the connection closes (a server that stops too)
        super().force_close()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._held = b""  # nobody to write to
        super().connection_lost(exc)

    def _go_on_later(self, serving: Generator[Any, Any, Any], request: web.BaseRequest, payload: Any,
                     started: float | None) -> None:
        """Drive `serving` here until it waits; then a task goes on with it (`_go_on`). What the connection holds
        is written first: `serving` may write at once."""
        self._release()
        try:
            blocked_on = serving.send(None)
        except StopIteration as done:
            self._answered(request, payload, done.value, started)
        except BaseException as exc:  # noqa: B036 (as start() ends a connection on anything its handler raised)
            self._failed(request, payload, exc)
        else:
            self._inline_task = self._loop.create_task(self._go_on(serving, blocked_on, request, payload, started))

    def _new_request(self, message: Any, payload: Any) -> web.Request:
        """What `self._request_factory(message, payload, self, writer, task)` makes: for an application's own
        factory and a relative target (every request the lane takes), the same `web.Request` built without the
        constructor's keyword arguments and branches (tests/core/test_inline.py compares their attributes)."""
        factory, app = self._request_factory, self._request_app
        writer = StreamWriter(self, self._loop)
        if app is None or InlineAnswers.direct_requests is False or message.url.absolute:
            return factory(message, payload, self, writer, self._task_handler)  # type: ignore[misc, arg-type, return-value]
        request = self._built_request(app, message, payload, writer)
        if InlineAnswers.direct_requests is None:  # the first: the factory's fields, or the factory from now on
            theirs = factory(message, payload, self, StreamWriter(self, self._loop), self._task_handler)  # type: ignore[misc, arg-type]
            InlineAnswers.direct_requests = same_fields(request, theirs)
            if not InlineAnswers.direct_requests:
                log.warning("aiohttp %s builds requests with other fields: the inline lane uses its factory",
                            aiohttp.__version__)
                return theirs  # type: ignore[return-value]
        return request

    def _built_request(self, app: web.Application, message: Any, payload: Any, writer: StreamWriter) -> web.Request:
        request = web.Request.__new__(web.Request)
        request._message = message
        request._protocol = self
        request._payload_writer = writer
        request._payload = payload
        request._headers = message.headers
        request._method = message.method
        request._version = message.version
        request._cache = {}
        request._rel_url = message.url
        request._state = {}
        request._task = self._task_handler  # type: ignore[assignment]
        request._client_max_size = app._client_max_size
        request._client_max_fields = app._client_max_fields
        request._loop = self._loop
        request._transport_sslcontext = self.ssl_context
        request._transport_peername = self.peername
        request._transport_sockname = self.sockname
        return request

    def _handle_request(self, *args: Any, **kwargs: Any) -> Awaitable[Any]:  # type: ignore[override]
        """The coroutine `start()` runs in a task for a request of its own: noted as served from this call, which
        `start()` makes in the step that takes the request from its queue (a plain method, so it runs at once).
        The arguments go through as they came, whatever aiohttp's private signature is."""
        self._start_serving = True
        return self._handle_queued(*args, **kwargs)

    async def _handle_queued(self, *args: Any, **kwargs: Any) -> Any:
        result = await RequestHandler._handle_request(self, *args, **kwargs)
        # What `start()` does with this result, a turn of the loop later: for an answer sent on a connection kept
        # alive, whose request's body was all read, only bookkeeping with no wait (the keep-alive flag and timer,
        # the payload closed to reads) before it sleeps on a new waiter; a request that arrives first may be answered
        # here. Anything else (a reset, a close, a body to read out, a result of another shape) keeps it start()'s
        # until it is back on its waiter.
        request = args[0] if args else kwargs.get("request")
        if (isinstance(result, tuple) and len(result) == 2 and result[1] is False
                and isinstance(request, web.BaseRequest) and getattr(result[0], "keep_alive", False) is True
                and request.content.is_eof() and not self._close and not self._force_close):
            self._start_serving = False
        return result

    @staticmethod
    async def _drained(request: web.BaseRequest, response: web.StreamResponse) -> web.StreamResponse:
        await request.writer.drain()
        return response

    async def _serve(self, request: web.BaseRequest, answering: Awaitable[web.StreamResponse]) -> web.StreamResponse:
        """A request's answer made and sent, as `_handle_request` and `finish_response` would."""
        try:
            response = await answering
        except HTTPException as exc:  # none of these come from the pipeline, which answers its own errors
            response = exc
        except asyncio.CancelledError:
            raise
        except TimeoutError:
            response = self.handle_error(request, 504)
        except Exception as exc:
            response = self.handle_error(request, 500, exc)
        request._finish()
        await response.prepare(request)
        await response.write_eof()
        return response

    async def _go_on(self, serving: Generator[Any, Any, Any], blocked_on: Any, request: web.BaseRequest,
                     payload: Any, started: float | None) -> None:
        """The rest of an inline answer that had to wait; then `start()` serves what arrived meanwhile."""
        try:
            response = await _Resume(serving, blocked_on)
        except BaseException as exc:  # noqa: B036
            self._failed(request, payload, exc)
            if isinstance(exc, asyncio.CancelledError):
                raise
        else:
            self._answered(request, payload, response, started)
        finally:
            self._waiting_over()

    def _waiting_over(self) -> None:
        """The task that kept this connection busy (an answer that waited, or a drain) is done: `start()` serves
        what arrived meanwhile."""
        self._inline_task = None
        if self._messages and not self._force_close:
            self._wake_start()

    def _process_keepalive(self) -> None:
        if self._inline_task is not None:  # not idle: a request is being answered (`_answered` re-arms the timer)
            self._keepalive_handle = None
            return
        super()._process_keepalive()

    def _done_with(self, request: web.BaseRequest, payload: Any) -> None:
        self._current_request = None
        self._request_in_progress = False
        waiter = self._handler_waiter
        if waiter is not None and not waiter.done():  # a graceful shutdown waits for this request
            waiter.set_result(None)
        payload.set_exception(_PAYLOAD_ACCESS_ERROR)
        request._task = None  # type: ignore[assignment]

    def _answered(self, request: web.BaseRequest, payload: Any, response: web.StreamResponse,
                  started: float | None) -> None:
        self._done_with(request, payload)
        if self._logging_enabled:
            self.log_access(request, response, started)
        self._keepalive = bool(response.keep_alive)
        if self._keepalive and not self._close and not self._force_close:
            self._arm_keepalive()
        else:
            self.force_close()  # start() would end: the answer is sent, the connection closes

    def _arm_keepalive(self) -> None:
        """An idle keep-alive connection closes `keepalive_timeout` seconds from now (`_process_keepalive`)."""
        if not self._keepalive:
            return
        close_time = self._next_keepalive_close_time = self._loop.time() + self._keepalive_timeout
        if self._keepalive_handle is None:
            self._keepalive_handle = self._loop.call_at(close_time, self._process_keepalive)

    def _failed(self, request: web.BaseRequest, payload: Any, exc: BaseException) -> None:
        """Sending the answer raised (a lost client, mostly): as start() does, the connection ends."""
        self._done_with(request, payload)
        if isinstance(exc, (ConnectionError, asyncio.CancelledError)):
            self.log_debug("Ignored premature client disconnection")
        else:
            self.log_exception("Unhandled exception", exc_info=exc)
        self.force_close()
