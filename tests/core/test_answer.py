"""`JsonAnswer` puts on the wire exactly the bytes aiohttp's `Response` would, and takes its one-write path only
for a plain answer (core/answer.py). A real socket and raw bytes: a client library would hide the order of the
headers and the framing, which is what must not change."""
from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.http import HttpVersion11

from sandbox.core import answer
from sandbox.core.answer import JsonAnswer

LIMIT_S = 30  # only stops a hung test; measures nothing
BODY = b'{"data":{"id":"aff_1","name":"Jane"}}'
BIG = b'{"data":"' + b"x" * 300_000 + b'"}'  # more than a socket takes at once: the answer must wait to drain

Handler = Callable[[web.BaseRequest], Any]


def _by_json(*, body: bytes, status: int, headers: dict[str, str], content_type: str) -> web.Response:
    return JsonAnswer.json(status, body, headers, content_type)


def _case(request: web.BaseRequest, make: Callable[..., web.Response]) -> web.Response:
    """The answer a request asks for, by its path: /<status>[/big][/extra-header-name]."""
    parts = request.path.strip("/").split("/")
    status = int(parts[0])
    body = BIG if "big" in parts else BODY
    headers = {"X-RateLimit-Remaining": "299", "X-Sandbox-Request-Id": "req_1"}
    for name in parts[1:]:
        if name not in ("big",):
            headers[name] = "set-by-the-answer"
    return make(body=body, status=status, headers=headers, content_type="application/json")


@pytest.fixture
async def ports() -> AsyncIterator[dict[str, int]]:
    """Three low-level servers (requests no router resolved, like the route table's): one answers with aiohttp's
    Response, one with JsonAnswer and one with JsonAnswer.json (the pipeline's)."""
    servers, found = [], {}
    makers: tuple[tuple[str, Callable[..., web.Response]], ...] = (
        ("aiohttp", web.Response), ("answer", JsonAnswer), ("json", _by_json))
    for name, make in makers:
        async def handle(request: web.BaseRequest, make: Callable[..., web.Response] = make) -> web.Response:
            await request.read()
            return _case(request, make)

        server = await asyncio.get_running_loop().create_server(web.Server(handle), "127.0.0.1", 0)
        servers.append(server)
        found[name] = server.sockets[0].getsockname()[1]
    yield found
    for server in servers:
        server.close()
        await server.wait_closed()


async def _raw(port: int, requests: bytes) -> bytes:
    """What the server sends for `requests` (one or several, pipelined): every answer whole, or up to its close."""
    asked = re.findall(rb"(?m)^([A-Z]+) /(\d+)[^ ]* HTTP/1\.\d\r$", requests)
    bodiless = [method == b"HEAD" or status in (b"204", b"304") for method, status in asked]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(requests)
    await writer.drain()
    out = b""
    while not _complete(out, bodiless):
        chunk = await asyncio.wait_for(reader.read(65536), LIMIT_S)
        if not chunk:  # closed by the server
            break
        out += chunk
    writer.close()
    return re.sub(rb"Date: [^\r]*", b"Date: -", out)


def _complete(out: bytes, bodiless: list[bool]) -> bool:
    """Whether `out` holds one whole answer per request (a body framed by its Content-Length, unless it has none)."""
    rest = out
    for no_body in bodiless:
        head, sep, rest = rest.partition(b"\r\n\r\n")
        if not sep:
            return False
        found = re.search(rb"Content-Length: (\d+)", head)
        length = 0 if no_body or found is None else int(found.group(1))
        if len(rest) < length:
            return False
        rest = rest[length:]
    return True


@pytest.fixture
def one_writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts answers JsonAnswer sent itself (and so that did not go through aiohttp's `_start`)."""
    sent: list[int] = []
    original = web.StreamResponse._start

    async def counting_start(self: web.StreamResponse, request: web.BaseRequest) -> Any:
        if isinstance(self, JsonAnswer):
            sent.append(-1)  # the general path
        return await original(self, request)

    monkeypatch.setattr(web.StreamResponse, "_start", counting_start)
    return sent


def _get(path: str, version: str = "1.1", extra: str = "", method: str = "GET") -> bytes:
    return f"{method} {path} HTTP/{version}\r\nHost: x\r\n{extra}\r\n".encode()


PLAIN = [
    pytest.param(_get("/200"), id="200"),
    pytest.param(_get("/201"), id="201"),
    pytest.param(_get("/404"), id="404"),
    pytest.param(_get("/429"), id="429"),
    pytest.param(b"POST /201 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n"
                 b'{"a":1}', id="a POST with a body"),
    pytest.param(_get("/200") + _get("/201") + _get("/400"), id="three pipelined"),
    pytest.param(_get("/200/big"), id="larger than the socket takes at once"),
]
GENERAL = [
    pytest.param(_get("/200", extra="Connection: close\r\n"), id="Connection: close"),
    pytest.param(_get("/200", version="1.0"), id="HTTP/1.0"),
    pytest.param(_get("/200", version="1.0", extra="Connection: keep-alive\r\n"), id="HTTP/1.0 keep-alive"),
    pytest.param(_get("/200", method="HEAD"), id="HEAD"),
    pytest.param(_get("/204"), id="204"),
    pytest.param(_get("/304"), id="304"),
    pytest.param(_get("/200/Connection"), id="the answer sets Connection"),
    pytest.param(_get("/200/Date"), id="the answer sets Date"),
    pytest.param(_get("/200/Server"), id="the answer sets Server"),
]


@pytest.mark.parametrize("requests", PLAIN)
async def test_a_plain_answer_is_one_write_of_the_bytes_aiohttp_sends(ports: dict[str, int], requests: bytes,
                                                                       one_writes: list[int]) -> None:
    expected = await _raw(ports["aiohttp"], requests)
    assert expected.startswith(b"HTTP/1.1 ")
    assert await _raw(ports["answer"], requests) == expected
    assert await _raw(ports["json"], requests) == expected
    assert one_writes == []  # no answer went aiohttp's general way


@pytest.mark.parametrize("requests", GENERAL)
async def test_anything_else_goes_aiohttps_way_with_the_same_bytes(ports: dict[str, int], requests: bytes,
                                                                   one_writes: list[int]) -> None:
    expected = await _raw(ports["aiohttp"], requests)
    assert await _raw(ports["answer"], requests) == expected
    assert await _raw(ports["json"], requests) == expected
    assert one_writes == [-1, -1]


def test_the_managed_headers_are_the_ones_aiohttp_adds() -> None:
    """If aiohttp ever adds another header of its own, the one-write path must learn it (or stop)."""
    assert {str(name) for name in answer._MANAGED} == {"Content-Length", "Date", "Server", "Connection",
                                                        "Transfer-Encoding"}


@pytest.mark.parametrize("status", [200, 201, 404, 429, 599])
def test_json_makes_what_the_constructor_makes(status: int) -> None:
    """If aiohttp's constructor ever sets another attribute, the shortcut must learn it."""
    headers = {"X-RateLimit-Remaining": "299", "X-Sandbox-Request-Id": "req_1"}
    made = JsonAnswer.json(status, BODY, headers)
    constructed = JsonAnswer(body=BODY, status=status, headers=headers, content_type="application/json")
    assert vars(made) == vars(constructed)
    assert list(made.headers.items()) == list(constructed.headers.items())
    assert (made.status, made.reason, made.body, made.content_type) == (status, constructed.reason, BODY,
                                                                          "application/json")


def test_json_refuses_a_second_content_type_as_the_constructor_does() -> None:
    headers = {"content-type": "text/plain"}
    with pytest.raises(ValueError) as by_constructor:
        JsonAnswer(body=BODY, status=200, headers=headers, content_type="application/json")
    with pytest.raises(ValueError) as by_json:
        JsonAnswer.json(200, BODY, headers)
    assert str(by_json.value) == str(by_constructor.value)


@pytest.mark.parametrize("name", [str(name) for name in answer._MANAGED])
def test_an_answer_that_sets_a_managed_header_is_not_plain(name: str) -> None:
    request = _Request(writing_paused=False)
    assert JsonAnswer.json(200, BODY, {})._plain(request)  # type: ignore[arg-type]
    assert not JsonAnswer.json(200, BODY, {name.lower(): "x"})._plain(request)  # type: ignore[arg-type]


async def test_a_vendor_answer_from_the_route_table_is_one_write_and_a_routed_one_is_not(
        client: Any, one_writes: list[int]) -> None:
    auth = {"Authorization": "Bearer lj_pk_sandbox_ultimate_0001"}
    response = await client.get("/linkjolt/api/v1/affiliates?limit=1", headers=auth)
    assert response.status == 200 and (await response.json())["pagination"]["limit"] == 1
    assert one_writes == []
    # An unknown path is the vendor's 404 from aiohttp's router, whose applications may listen to
    # on_response_prepare: the general path.
    response = await client.get("/linkjolt/api/v1/no-such-thing", headers=auth)
    assert response.status == 404
    assert one_writes == [-1]


class _Transport:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def is_closing(self) -> bool:
        return False

    def write(self, data: bytes) -> None:
        self.sent.append(data)


class _Writer:
    output_size = 0
    drained = 0

    async def drain(self) -> None:
        self.drained += 1


class _Request:
    """What JsonAnswer reads of a plain request whose client has not read what was sent before."""

    method, version, keep_alive = "GET", HttpVersion11, True

    def __init__(self, writing_paused: bool) -> None:
        self.transport, self.writer = _Transport(), _Writer()
        self.protocol = type("Protocol", (), {"writing_paused": writing_paused})()


@pytest.mark.parametrize("paused", [False, True])
async def test_an_answer_waits_for_a_full_socket_to_drain(paused: bool) -> None:
    request = _Request(writing_paused=paused)
    await JsonAnswer(body=BODY, status=200, content_type="application/json").prepare(request)  # type: ignore[arg-type]
    assert len(request.transport.sent) == 1 and request.transport.sent[0].endswith(BODY)
    assert request.writer.output_size == len(request.transport.sent[0])
    assert request.writer.drained == (1 if paused else 0)
