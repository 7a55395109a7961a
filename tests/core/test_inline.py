"""A connection answers the route table's requests inside `data_received` (core/inline.py): the same bytes as
aiohttp's own path, in the same order, with everything else left to aiohttp. Two servers on identical apps, one
with the lane and one without, get the same raw requests; their answers must match byte for byte (the Date
header aside), and a counter shows which requests were answered inline."""
from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from sandbox import create_app
from sandbox.app import serving_runner
from sandbox.core.inline import InlineAnswers, same_fields

from ..conftest import test_settings as sandbox_settings

LIMIT_S = 30  # only stops a hung test; measures nothing
LJ = "/linkjolt/api/v1"
KEY = "lj_pk_sandbox_ultimate_0001"
CREATE = b'{"email":"inline@example.com","name":"In Line","campaignId":"camp_percentage_00001"}'


def _get(path: str, extra: str = "", version: str = "1.1", method: str = "GET") -> bytes:
    return f"{method} {path} HTTP/{version}\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n{extra}\r\n".encode()


def _post(path: str, body: bytes) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


class Servers:
    def __init__(self) -> None:
        self.ports: dict[str, int] = {}
        self.runners: list[web.AppRunner] = []

    async def start(self, name: str, inline: bool, **kwargs: Any) -> int:
        app = create_app(sandbox_settings())
        runner = serving_runner(app, inline=inline, **kwargs)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self.runners.append(runner)
        self.ports[name] = runner.addresses[0][1]
        return self.ports[name]


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    found = Servers()
    await found.start("inline", True)
    await found.start("aiohttp", False)
    yield found
    for runner in found.runners:
        await runner.cleanup()


@pytest.fixture
def inline_answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The targets of the requests answered inline, in order."""
    answered: list[str] = []
    original = InlineAnswers._answer

    def counting(self: InlineAnswers, message: Any, *args: Any) -> None:
        answered.append(message.path)
        original(self, message, *args)

    monkeypatch.setattr(InlineAnswers, "_answer", counting)
    return answered


def _framed(data: bytes) -> list[tuple[bytes, bytes]]:
    """The whole answers (head, body) at the start of what a server sent, framed by Content-Length."""
    out = []
    while b"\r\n\r\n" in data:
        head, _, rest = data.partition(b"\r\n\r\n")
        found = re.search(rb"(?im)^content-length: (\d+)\r?$", head)
        length = int(found.group(1)) if found else 0
        if len(rest) < length:
            break
        out.append((head, rest[:length]))
        data = rest[length:]
    return out


def _answers(data: bytes) -> list[bytes]:
    """The whole answers in what a server sent, Date masked."""
    return [re.sub(rb"(?m)^Date: .*$", b"Date: -", head) + b"\r\n\r\n" + body for head, body in _framed(data)]


def _complete(data: bytes) -> int:
    return len(_framed(data))


async def _read_answers(reader: asyncio.StreamReader, received: bytes, answers: int) -> bytes:
    """`received` and what follows it, until it holds `answers` whole answers or the server closed."""
    while _complete(received) < answers:
        chunk = await asyncio.wait_for(reader.read(65536), LIMIT_S)
        if not chunk:
            break
        received += chunk
    return received


async def _exchange(port: int, *writes: bytes, answers: int) -> bytes:
    """Send each of `writes` once the answers to the one before it have come (all of them, or the connection
    closed), and read until `answers` answers in all came or the server closed."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    received = b""
    try:
        for index, data in enumerate(writes):
            writer.write(data)
            await writer.drain()
            wanted = answers if index == len(writes) - 1 else _complete(received) + _requests(data)
            received = await _read_answers(reader, received, wanted)
            if _complete(received) < wanted:  # the server closed the connection
                break
    finally:
        writer.close()
    return received


def _requests(data: bytes) -> int:
    return len(re.findall(rb"(?m)^[A-Z]+ /\S* HTTP/1\.\d\r$", data))


CASES = [  # (id, writes, answers expected, targets answered inline)
    ("a GET", [_get(f"{LJ}/affiliates?limit=2")], 1, [f"{LJ}/affiliates?limit=2"]),
    ("a POST with its body", [_post(f"{LJ}/affiliates", CREATE)], 1, [f"{LJ}/affiliates"]),
    ("three pipelined in one write", [_get(f"{LJ}/me") + _get(f"{LJ}/campaigns") + _post(f"{LJ}/affiliates", CREATE)],
     3, [f"{LJ}/me", f"{LJ}/campaigns", f"{LJ}/affiliates"]),
    ("a chunked body, whole", [(f"POST {LJ}/affiliates HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
                                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
                               + b"%x\r\n" % len(CREATE) + CREATE + b"\r\n0\r\n\r\n"], 1, [f"{LJ}/affiliates"]),
    ("a GET with a body", [_get(f"{LJ}/me", "Content-Length: 2\r\n") + b"{}"], 1, [f"{LJ}/me"]),
    # the parser hands out 32 and keeps the rest until start() drains its queue: such a burst goes aiohttp's way
    ("forty pipelined in one write (more than the parser's queue)", [_get(f"{LJ}/me") * 40], 40, []),
    ("thirty-one pipelined in one write", [_get(f"{LJ}/me") * 31], 31, [f"{LJ}/me"] * 31),
    ("a refused key and a bad body", [_get(f"{LJ}/me", "Authorization: Bearer nope\r\n").replace(
        f"Authorization: Bearer {KEY}\r\n".encode(), b"", 1) + _post(f"{LJ}/affiliates", b"{not json")], 2,
     [f"{LJ}/me", f"{LJ}/affiliates"]),
    ("Connection: close", [_get(f"{LJ}/me", "Connection: close\r\n")], 1, []),
    ("HTTP/1.0", [_get(f"{LJ}/me", version="1.0")], 1, []),
    ("an unknown path (the router's)", [_get(f"{LJ}/no-such-thing")], 1, []),
    ("an encoded path", [_get(f"{LJ}/affiliates/aff%5Fjane_smith_000001")], 1, []),
    ("the control plane", [_get("/_sandbox/health")], 1, []),
    ("Expect: 100-continue", [_post(f"{LJ}/affiliates", CREATE).replace(b"Host: 127.0.0.1\r\n", b"Host: 127.0.0.1\r\nExpect: 100-continue\r\n")],
     2, []),
    # aiohttp's parser refuses bytes after a request that asked to close, and with them the whole write
    ("a request behind one that asked to close", [_get(f"{LJ}/me") + _get(f"{LJ}/me", "Connection: close\r\n")
                                                  + _get(f"{LJ}/campaigns")], 1, []),
    ("inline, then a close that ends the connection", [_get(f"{LJ}/me"), _get(f"{LJ}/me", "Connection: close\r\n")],
     2, [f"{LJ}/me"]),
    ("inline, then one the router answers, then inline again once idle",
     [_get(f"{LJ}/me") + _get(f"{LJ}/nothing-here"), _get(f"{LJ}/campaigns")], 3, [f"{LJ}/me", f"{LJ}/campaigns"]),
    ("inline, then a malformed request", [_get(f"{LJ}/me"), b"GARBAGE\r\n\r\n"], 2, [f"{LJ}/me"]),
    # the parser refuses the whole write, and with it the request before the malformed one (aiohttp's way)
    ("a malformed request behind a good one", [_get(f"{LJ}/me") + b"GARBAGE\r\n\r\n"], 1, []),
]


@pytest.mark.parametrize(("writes", "answers", "inlined"), [pytest.param(*case[1:], id=case[0]) for case in CASES])
async def test_the_same_bytes_either_way(servers: Servers, inline_answers: list[str], writes: list[bytes],
                                         answers: int, inlined: list[str]) -> None:
    expected = await _exchange(servers.ports["aiohttp"], *writes, answers=answers)
    assert inline_answers == []
    got = await _exchange(servers.ports["inline"], *writes, answers=answers)
    assert _complete(expected) == answers
    assert _answers(got) == _answers(expected)
    if "Expect" not in writes[0].decode("latin-1"):
        assert inline_answers == inlined


async def _both_ways(*writes: bytes, answers: int) -> tuple[bytes, bytes]:
    """What a server without the lane and one with it send for `writes` (as `_exchange`), each on a new app: for a
    test that patches the pipeline first, which the `servers` fixture's apps, made before, would not see."""
    servers = Servers()
    try:
        for name, inline in (("aiohttp", False), ("inline", True)):
            await servers.start(name, inline)
        return (await _exchange(servers.ports["aiohttp"], *writes, answers=answers),
                await _exchange(servers.ports["inline"], *writes, answers=answers))
    finally:
        for runner in servers.runners:
            await runner.cleanup()


async def test_an_endpoint_that_raises_gets_aiohttps_500_either_way(monkeypatch: pytest.MonkeyPatch,
                                                                    inline_answers: list[str]) -> None:
    """The pipeline answers its own errors; were an endpoint to raise, the answer is still aiohttp's (our JSON)."""
    from sandbox.core.pipeline import VendorPipeline

    async def broken(self: VendorPipeline, *args: Any) -> web.Response:
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(VendorPipeline, "run", broken)
    expected, got = await _both_ways(_get(f"{LJ}/me") + _get(f"{LJ}/campaigns"), answers=2)
    assert expected.startswith(b"HTTP/1.1 500 Internal Server Error") and _complete(expected) == 1
    assert _answers(got) == _answers(expected)
    assert inline_answers == [f"{LJ}/me"]


async def test_a_body_that_comes_later_is_read_by_aiohttps_path(servers: Servers, inline_answers: list[str]) -> None:
    post = _post(f"{LJ}/affiliates", CREATE)
    head, body = post[: -len(CREATE)], CREATE
    reader, writer = await asyncio.open_connection("127.0.0.1", servers.ports["inline"])
    writer.write(head)
    await writer.drain()
    await asyncio.sleep(0.05)  # let the head arrive alone (if it does not, the request is inline: both are right)
    writer.write(body)
    await writer.drain()
    answer = await asyncio.wait_for(reader.readuntil(b"}}"), LIMIT_S)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 201 Created")
    assert inline_answers in ([], [f"{LJ}/affiliates"])


async def test_more_requests_than_the_parsers_queue_on_one_connection(servers: Servers,
                                                                      inline_answers: list[str]) -> None:
    """The parser stops handing out requests once its queue's worth (32) are unconsumed, keeping the rest of what
    came: each inline answer must count as consumed, or pipelined requests after the 32nd are held back."""
    reader, writer = await asyncio.open_connection("127.0.0.1", servers.ports["inline"])

    async def answer() -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), LIMIT_S)
        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
        await asyncio.wait_for(reader.readexactly(length), LIMIT_S)

    for _ in range(40):
        writer.write(_get(f"{LJ}/me"))
        await writer.drain()
        await answer()
    writer.write(_get(f"{LJ}/me") * 5)  # five in one write
    await writer.drain()
    for _ in range(5):
        await answer()
    writer.close()
    assert len(inline_answers) == 45


async def _add_latency(port: int, seconds: float) -> None:
    """A fault on the default tenant's getMe that holds each answer `seconds`."""
    body = json.dumps({"vendor": "linkjolt", "operation": "getMe", "kind": "latency", "seconds": seconds}).encode()
    raw = (f"POST /_sandbox/tenants/default/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    answer = await _exchange(port, raw, answers=1)
    assert answer.startswith(b"HTTP/1.1 201"), answer


async def test_an_answer_that_waits_keeps_its_place(servers: Servers, inline_answers: list[str]) -> None:
    """The first request waits (a latency fault) in a task of its own; the two behind it, in the same write,
    wait for it and then go aiohttp's way; once idle, the connection answers inline again."""
    writes = [_get(f"{LJ}/me") + _get(f"{LJ}/campaigns") + _post(f"{LJ}/affiliates", CREATE)]
    expected_answers = []
    for name in ("aiohttp", "inline"):
        await _add_latency(servers.ports[name], 0.05)
        reader, writer = await asyncio.open_connection("127.0.0.1", servers.ports[name])
        writer.write(writes[0])
        await writer.drain()
        received = await _read_answers(reader, b"", 3)
        writer.write(_get(f"{LJ}/campaigns"))
        await writer.drain()
        received = await _read_answers(reader, received, 4)
        writer.close()
        assert _complete(received) == 4
        expected_answers.append(_answers(received))
    assert expected_answers[1] == expected_answers[0]
    assert b'"plan":"ultimate"' in expected_answers[1][0]  # /me's answer first: the order of the requests
    assert b"201 Created" in expected_answers[1][2]
    assert inline_answers == [f"{LJ}/me", f"{LJ}/campaigns"]  # the waiting one, then the one after idling


async def test_a_burst_behind_a_waiting_answer_is_served_in_order(servers: Servers,
                                                                    inline_answers: list[str]) -> None:
    """Forty requests arrive while an inline answer waits: queued (the parser keeps what is past its queue's size)
    and served after it, in order, the same bytes as aiohttp's path."""
    received = {}
    for name in ("aiohttp", "inline"):
        await _add_latency(servers.ports[name], 0.05)
        reader, writer = await asyncio.open_connection("127.0.0.1", servers.ports[name])
        writer.write(_get(f"{LJ}/me"))
        await writer.drain()
        await asyncio.sleep(0.01)  # the first request is held by its fault (if not yet, both paths still agree)
        writer.write(_get(f"{LJ}/campaigns") * 40)
        await writer.drain()
        data = await _read_answers(reader, b"", 41)
        writer.close()
        received[name] = _answers(data)
    assert received["inline"] == received["aiohttp"]
    assert b'"plan":"ultimate"' in received["inline"][0] and len(received["inline"]) == 41
    assert inline_answers[:1] == [f"{LJ}/me"]


async def test_a_client_that_leaves_while_its_answer_waits_breaks_nothing(
        servers: Servers, inline_answers: list[str], caplog: pytest.LogCaptureFixture) -> None:
    port = servers.ports["inline"]
    await _add_latency(port, 0.05)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(_get(f"{LJ}/me"))
    await writer.drain()
    writer.close()  # gone before the answer
    await asyncio.sleep(0.1)  # the answer would have been sent by now (if it is not, nothing changes)
    answer = await _exchange(port, _get(f"{LJ}/campaigns"), answers=1)
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert inline_answers == [f"{LJ}/me", f"{LJ}/campaigns"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_an_idle_connection_after_an_inline_answer_is_closed_by_the_keep_alive_timer(
        inline_answers: list[str]) -> None:
    servers = Servers()
    port = await servers.start("short keep-alive", True, keepalive_timeout=0.05)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(_get(f"{LJ}/me"))
        await writer.drain()
        # the answer, then the end of the stream when the idle connection is closed
        received = await asyncio.wait_for(reader.read(), LIMIT_S)
        writer.close()
        assert _complete(received) == 1 and inline_answers == [f"{LJ}/me"]
    finally:
        await servers.runners[0].cleanup()


async def test_an_answer_that_waits_longer_than_the_keep_alive_time_is_not_cut_and_the_timer_goes_on(
        inline_answers: list[str]) -> None:
    """The keep-alive timer fires while the answer waits: the connection is not idle, so it stays; once the
    answer is sent, the timer is armed again and closes the idle connection."""
    servers = Servers()
    port = await servers.start("short keep-alive", True, keepalive_timeout=0.05)
    try:
        await _add_latency(port, 0.2)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(_get(f"{LJ}/me"))
        await writer.drain()
        received = await asyncio.wait_for(reader.read(), LIMIT_S)  # until the server closes the connection
        writer.close()
        assert received.startswith(b"HTTP/1.1 200 OK") and _complete(received) == 1
        assert inline_answers == [f"{LJ}/me"]
    finally:
        await servers.runners[0].cleanup()


async def test_a_server_that_stops_lets_a_waiting_inline_answer_finish(inline_answers: list[str]) -> None:
    servers = Servers()
    port = await servers.start("stopping", True, shutdown_timeout=5)
    await _add_latency(port, 2.0)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(_get(f"{LJ}/me"))
    await writer.drain()
    for _ in range(500):  # until the request is held (bounded)
        if inline_answers:
            break
        await asyncio.sleep(0.01)
    stopping = asyncio.ensure_future(servers.runners[0].cleanup())  # ends the latency wait, as for aiohttp's path
    received = await asyncio.wait_for(reader.read(), LIMIT_S)  # until the server closes the connection
    writer.close()
    await asyncio.wait_for(stopping, LIMIT_S)
    assert received.startswith(b"HTTP/1.1 200 OK") and _complete(received) == 1


async def test_an_endpoint_that_answers_with_a_plain_response_gets_the_same_bytes_either_way(
        monkeypatch: pytest.MonkeyPatch, inline_answers: list[str]) -> None:
    """An answer that is not a `JsonAnswer` (aiohttp's own `web.Response`) is sent by aiohttp's `prepare`."""
    from sandbox.core.pipeline import VendorPipeline

    async def plain(self: VendorPipeline, *args: Any) -> web.Response:
        return web.json_response({"plain": True}, headers={"X-Plain": "yes"})

    monkeypatch.setattr(VendorPipeline, "run", plain)
    expected, got = await _both_ways(_get(f"{LJ}/me") + _get(f"{LJ}/campaigns"), _post(f"{LJ}/affiliates", CREATE),
                                     answers=3)
    assert _complete(expected) == 3 and b"X-Plain: yes" in expected
    assert _answers(got) == _answers(expected)
    assert inline_answers[0] == f"{LJ}/me" and inline_answers[-1] == f"{LJ}/affiliates"


class _Transport(asyncio.Transport):
    """A socket for a connection made by hand: keeps what is written, and reports a full buffer when told to."""

    def __init__(self, protocol: Any = None, fill_on_write: bool = False) -> None:
        super().__init__()
        self.protocol, self.fill_on_write, self.sent = protocol, fill_on_write, []  # type: list[bytes]
        self.closing = False

    def write(self, data: Any) -> None:
        self.sent.append(bytes(data))
        if self.fill_on_write:  # as a real transport does when its buffer passes the high-water mark
            self.fill_on_write = False
            self.protocol.pause_writing()

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 40000), "sockname": ("127.0.0.1", 8080)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0


async def _connection(fill_on_write: bool = False, hold: bool = True) -> tuple[Any, _Transport, web.AppRunner]:
    """A connection handler of the server `sandbox serve` runs, connected to a `_Transport`, its `start()` asleep."""
    runner = serving_runner(create_app(sandbox_settings()), hold_answers=hold)
    await runner.setup()
    handler, transport = await _connect(runner, fill_on_write)
    return handler, transport, runner


async def _until(condition: Any) -> None:
    for _ in range(100):  # turns of the loop (bounded)
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the connection never got there")


async def _connect(runner: web.AppRunner, fill_on_write: bool = False) -> tuple[Any, _Transport]:
    """One more connection to `runner`'s server."""
    handler = runner.server()  # type: ignore[misc]  # set up: the server exists
    transport = _Transport(handler, fill_on_write)
    handler.connection_made(transport)
    await _until(lambda: handler._waiter is not None and handler._start_is_idle())  # start() asleep on its waiter
    assert handler._waiter is not None and handler._start_is_idle()
    return handler, transport


@pytest.mark.parametrize("raw", [_get(f"{LJ}/affiliates?limit=2"), _post(f"{LJ}/affiliates", CREATE)], ids=["GET", "POST"])
async def test_a_request_built_here_is_the_one_aiohttps_factory_builds(raw: bytes) -> None:
    from aiohttp.http_writer import StreamWriter

    handler, _transport, runner = await _connection()
    try:
        (message, payload), = handler._parser.feed_data(raw)[0]
        ours = handler._built_request(handler._request_factory.__self__, message, payload,
                                      StreamWriter(handler, handler._loop))
        theirs = handler._request_factory(message, payload, handler, StreamWriter(handler, handler._loop),
                                          handler._task_handler)
        assert type(ours) is type(theirs) is web.Request
        mine, its = vars(ours), vars(theirs)
        assert type(mine.pop("_payload_writer")) is type(its.pop("_payload_writer"))
        assert mine == its
        assert ours.raw_path == theirs.raw_path and ours.headers is theirs.headers and ours.content is payload
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("hold", [True, False], ids=["held to the turn's end", "written at once"])
async def test_an_inline_answer_to_a_full_socket_waits_for_the_drain_before_the_next_request(hold: bool) -> None:
    handler, transport, runner = await _connection(fill_on_write=True, hold=hold)
    try:
        handler.data_received(_get(f"{LJ}/me"))
        if hold:
            assert transport.sent == [] and not handler._request_in_progress  # answered, held
            await asyncio.sleep(0)  # the turn ends: written, and the socket is full
        else:
            assert handler._request_in_progress  # its write filled the socket: it waits for the drain
        assert len(transport.sent) == 1 and transport.sent[0].startswith(b"HTTP/1.1 200 OK")
        assert handler._inline_task is not None  # waiting for the drain
        handler.data_received(_get(f"{LJ}/campaigns"))  # arrives meanwhile: queued behind it, not answered
        assert len(transport.sent) == 1
        handler.resume_writing()
        await _until(lambda: len(transport.sent) == 2 and not handler._request_in_progress)  # both answered
        assert len(transport.sent) == 2 and transport.sent[1].startswith(b"HTTP/1.1 200 OK")
        assert handler._inline_task is None and not handler._request_in_progress
    finally:
        transport.closing = True
        handler.connection_lost(None)
        await runner.cleanup()


async def test_with_an_aiohttp_that_lacks_the_handlers_state_every_request_goes_its_way(
        monkeypatch: pytest.MonkeyPatch, inline_answers: list[str], caplog: pytest.LogCaptureFixture) -> None:
    from sandbox.core import inline

    monkeypatch.setattr(inline, "_HANDLER_STATE", (*inline._HANDLER_STATE, "_a_field_of_another_release"))
    monkeypatch.setattr(inline, "_SUPPORTED", {})
    servers = Servers()
    try:
        port = await servers.start("older", True)
        with caplog.at_level(logging.WARNING, logger="sandbox"):
            got = await _exchange(port, _get(f"{LJ}/me") + _post(f"{LJ}/affiliates", CREATE), answers=2)
        assert [head.split(b"\r\n")[0] for head, _ in _framed(got)] == [b"HTTP/1.1 200 OK", b"HTTP/1.1 201 Created"]
        assert inline_answers == []
        assert "lacks the connection state" in caplog.text
    finally:
        for runner in servers.runners:
            await runner.cleanup()
    monkeypatch.undo()
    handler, _transport, runner = await _connection()  # this aiohttp has all of it: the lane is on
    try:
        assert handler._lane is not None and inline.lane_supported(handler)
    finally:
        await runner.cleanup()


async def test_requests_are_built_directly_only_while_they_have_the_factorys_fields(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from aiohttp.http_writer import StreamWriter

    handler, _transport, runner = await _connection()
    built: list[Any] = []
    original = InlineAnswers._built_request

    def counting(self: InlineAnswers, *args: Any) -> web.Request:
        built.append(original(self, *args))
        return built[-1]

    monkeypatch.setattr(InlineAnswers, "_built_request", counting)
    try:
        (message, payload), = handler._parser.feed_data(_get(f"{LJ}/me"))[0]
        monkeypatch.setattr(InlineAnswers, "direct_requests", None)  # undecided: the first request decides
        first = handler._new_request(message, payload)
        assert InlineAnswers.direct_requests is True and first is built[-1]
        monkeypatch.setattr(InlineAnswers, "direct_requests", False)  # decided against: the factory builds them
        assert handler._new_request(message, payload) is not built[-1] and len(built) == 1
        theirs = handler._request_factory(message, payload, handler, StreamWriter(handler, handler._loop),
                                          handler._task_handler)
        assert same_fields(first, theirs)
        del first._cache  # a field the factory sets and this build would lack
        assert not same_fields(first, theirs)
    finally:
        await runner.cleanup()


# -- answers held to the end of the loop's turn (core/turnwrites.py) --------------------------------------------


@pytest.mark.parametrize("hold", [True, False], ids=["held to the turn's end", "written at once"])
async def test_the_answers_of_one_turn_leave_when_it_ends_one_write_a_connection(hold: bool) -> None:
    handler, transport, runner = await _connection(hold=hold)
    second, second_transport = await _connect(runner)
    try:
        handler.data_received(_get(f"{LJ}/me") + _get(f"{LJ}/campaigns"))
        second.data_received(_get(f"{LJ}/me"))
        assert not handler._request_in_progress and not second._request_in_progress  # both answered
        if hold:
            assert transport.sent == [] and second_transport.sent == []
            await asyncio.sleep(0)  # the turn ends
            assert len(transport.sent) == 1 and len(second_transport.sent) == 1
        else:
            assert len(transport.sent) == 2 and len(second_transport.sent) == 1
        heads = [head.split(b"\r\n")[0] for head, _ in _framed(b"".join(transport.sent))]
        assert heads == [b"HTTP/1.1 200 OK"] * 2
        assert b'"plan":"ultimate"' in _framed(b"".join(transport.sent))[0][1]  # /me first, as asked
        assert _complete(b"".join(second_transport.sent)) == 1
        await asyncio.sleep(0)
        assert len(transport.sent) == (1 if hold else 2)  # written once
    finally:
        for connection in (handler, second):
            connection.connection_lost(None)
        await runner.cleanup()


async def test_an_answer_made_aiohttps_way_follows_what_the_connection_held(
        monkeypatch: pytest.MonkeyPatch, inline_answers: list[str]) -> None:
    """/me is answered inline and held; /campaigns, in the same write, gets aiohttp's own `web.Response`, which
    `prepare` writes at once: the held answer must go out first."""
    from sandbox.core.pipeline import VendorPipeline

    original = VendorPipeline.run

    async def campaigns_plain(self: VendorPipeline, compiled: Any, request: web.Request, params: Any) -> web.Response:
        if request.path.endswith("/campaigns"):
            return web.json_response({"plain": True})
        return await original(self, compiled, request, params)

    monkeypatch.setattr(VendorPipeline, "run", campaigns_plain)
    expected, got = await _both_ways(_get(f"{LJ}/me") + _get(f"{LJ}/campaigns") + _get(f"{LJ}/me"), answers=3)
    assert _complete(expected) == 3 and b'"plain": true' in _answers(expected)[1]
    assert _answers(got) == _answers(expected)
    assert inline_answers == [f"{LJ}/me", f"{LJ}/campaigns", f"{LJ}/me"]


async def test_a_connection_that_closes_writes_what_it_held_first() -> None:
    """Also what a stopping server does: aiohttp's `shutdown` ends with `force_close`."""
    handler, transport, runner = await _connection()
    try:
        handler.data_received(_get(f"{LJ}/me"))
        assert transport.sent == []
        handler.force_close()
        assert len(transport.sent) == 1 and transport.sent[0].startswith(b"HTTP/1.1 200 OK") and transport.closing
        await asyncio.sleep(0)  # the turn ends: nothing is written twice
        assert len(transport.sent) == 1
    finally:
        handler.connection_lost(None)
        await runner.cleanup()


async def test_a_lost_connection_drops_what_it_held(caplog: pytest.LogCaptureFixture) -> None:
    handler, transport, runner = await _connection()
    second, second_transport = await _connect(runner)
    try:
        handler.data_received(_get(f"{LJ}/me"))
        second.data_received(_get(f"{LJ}/me"))
        handler.connection_lost(None)  # gone before its turn ended
        await asyncio.sleep(0)
        assert transport.sent == [] and len(second_transport.sent) == 1  # the other connection's answer still goes
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    finally:
        second.connection_lost(None)
        await runner.cleanup()


async def test_answers_past_the_hold_limit_are_written_at_once_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from sandbox.core import inline

    handler, transport, runner = await _connection()
    try:
        handler.data_received(_get(f"{LJ}/me"))  # held: the limit is not reached
        assert transport.sent == []
        monkeypatch.setattr(inline, "HOLD_LIMIT", 1)
        handler.data_received(_get(f"{LJ}/campaigns"))  # would pass it: what is held, then this, at once
        assert len(transport.sent) == 2
        assert b'"plan":"ultimate"' in transport.sent[0] and b'"plan":"ultimate"' not in transport.sent[1]
        await asyncio.sleep(0)
        assert len(transport.sent) == 2
    finally:
        handler.connection_lost(None)
        await runner.cleanup()


@pytest.mark.parametrize("first", [_get("/_sandbox/health"), None], ids=["after aiohttp's answer", "new connection"])
async def test_a_request_while_start_is_on_its_way_back_to_its_waiter_is_answered_inline(
        first: bytes | None, inline_answers: list[str]) -> None:
    """start() serves a request of its own in a task and takes the task's result a turn later; a client that asks
    again meanwhile used to go aiohttp's way, and so did every request after it while the client kept pace."""
    runner = serving_runner(create_app(sandbox_settings()))
    await runner.setup()
    handler = runner.server()  # type: ignore[misc]  # set up: the server exists
    transport = _Transport(handler)
    handler.connection_made(transport)  # start() has not run its first step yet
    try:
        assert handler._waiter is None and not handler._start_serving
        if first is not None:
            await _until(lambda: handler._waiter is not None)
            handler.data_received(first)  # the control plane's: not the lane's, queued for start()
            await _until(lambda: handler._start_serving)  # start() took it and serves it in a task
            assert inline_answers == [] and not transport.sent
            await _until(lambda: transport.sent)  # the task sent the answer...
            assert handler._waiter is None and not handler._start_serving  # ...and start() is not back yet
        handler.data_received(_get(f"{LJ}/me"))
        assert inline_answers == [f"{LJ}/me"]  # answered inside data_received
        await _until(lambda: handler._waiter is not None)  # start() back on its waiter, nothing queued for it
        answers = b"".join(transport.sent)
        assert [head.split(b"\r\n")[0] for head, _ in _framed(answers)] == [b"HTTP/1.1 200 OK"] * (1 + (first is not None))
        assert not handler._messages and handler._start_is_idle() and not handler._force_close
        handler.data_received(_get(f"{LJ}/campaigns"))
        assert inline_answers == [f"{LJ}/me", f"{LJ}/campaigns"]
    finally:
        transport.closing = True
        handler.connection_lost(None)
        await runner.cleanup()


async def test_a_request_while_start_serves_its_own_goes_behind_it(inline_answers: list[str]) -> None:
    """Until start()'s own answer is sent, a request that arrives is queued for start(), in order."""
    handler, transport, runner = await _connection()
    try:
        handler.data_received(_get("/_sandbox/health"))
        await _until(lambda: handler._waiter is None)  # start() took it and serves it in a task
        assert handler._start_serving and not transport.sent
        handler.data_received(_get(f"{LJ}/me"))
        assert inline_answers == []  # queued behind it
        await _until(lambda: len(transport.sent) == 2)
        heads = [head for head, _ in _framed(b"".join(transport.sent))]
        assert b"Content-Type: application/json" in heads[0] and heads[1].startswith(b"HTTP/1.1 200 OK")
        assert b'"status"' in transport.sent[0] and b"x-request-id" in heads[1].lower()
    finally:
        transport.closing = True
        handler.connection_lost(None)
        await runner.cleanup()


async def test_after_start_serves_a_request_that_closes_the_connection_nothing_is_answered_inline() -> None:
    """A close (or a reset, or a body left to read) leaves start() more to do than bookkeeping: it stays start()'s."""
    handler, transport, runner = await _connection()
    try:
        handler.data_received(_get("/_sandbox/health", extra="Connection: close\r\n"))
        await _until(lambda: transport.sent)
        assert handler._start_serving and not handler._start_is_idle()
    finally:
        transport.closing = True
        handler.connection_lost(None)
        await runner.cleanup()
