"""What aiohttp's HTTP parser refuses is answered in JSON (the vendor's envelope under its prefix, the control
plane's elsewhere); a half-sent request is cut by the read timeout. A real socket, since the client libraries
cannot send such requests."""
from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from sandbox import create_app
from sandbox.app import serving_runner

from ..conftest import test_settings as sandbox_settings

LIMIT_S = 30  # only stops a hung test; measures nothing


@pytest.fixture
async def port() -> AsyncIterator[int]:
    yield await _serve()


_runners: list[web.AppRunner] = []


async def _serve(read_timeout: float = 30.0) -> int:
    app = create_app(sandbox_settings())
    runner = serving_runner(app, read_timeout=read_timeout)  # as `sandbox serve` runs it: inline answers on
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    _runners.append(runner)
    return runner.addresses[0][1]


@pytest.fixture(autouse=True)
async def _cleanup() -> AsyncIterator[None]:
    yield
    while _runners:
        await _runners.pop().cleanup()


async def exchange(port: int, raw: bytes) -> tuple[int, dict[str, str], object]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(raw)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), LIMIT_S)  # the server closes after an error
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


REQUEST_LINE_TOO_LONG = b"GET /linkjolt/api/v1/" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize("raw, status, body", [
    (b"FOO /linkjolt/api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n", 400,
     {"error": {"code": "bad_request", "message": "Malformed request: the method is not one this server understands"}}),
    (b"FOO /tamio/v2/affiliates HTTP/1.1\r\nHost: x\r\n\r\n", 400,
     {"status": 400, "error": "Malformed request: the method is not one this server understands"}),
    (b"FOO /promotekit/api/v1/affiliates HTTP/1.1\r\nHost: x\r\n\r\n", 400,
     {"success": False, "error": {"message": "Malformed request: the method is not one this server understands",
                                  "type": "invalid_request_error"}}),
    (b"FOO /everflow/v1/networks/affiliates HTTP/1.1\r\nHost: x\r\n\r\n", 400,
     {"error": "Malformed request: the method is not one this server understands"}),
    (b"FOO /_sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n", 400,
     {"error": {"code": "bad_request", "message": "Malformed request: the method is not one this server understands"}}),
    (REQUEST_LINE_TOO_LONG, 414,
     {"error": {"code": "uri_too_long", "message": "The request line is longer than the server accepts (8190 bytes)"}}),
    (b"GET /everflow/v1/networks/affiliates HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431,
     {"error": "A request header is longer than the server accepts (8190 bytes)"}),
    (b"GET /tamio/v2/affiliates HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: 1\r\n" % i for i in range(200))
     + b"\r\n", 431, {"status": 431, "error": "The request has more headers than the server accepts"}),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400,
     {"error": {"code": "bad_request", "message": "Malformed request: the method is not one this server understands"}}),
])
async def test_malformed_http_is_answered_in_json(port: int, raw: bytes, status: int, body: object) -> None:
    got_status, headers, got_body = await exchange(port, raw)
    assert (got_status, headers["Content-Type"].split(";")[0], got_body) == (status, "application/json", body)


async def test_a_good_request_after_a_bad_one_on_another_connection_is_unaffected(port: int) -> None:
    await exchange(port, b"FOO /linkjolt/api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n")
    status, _, body = await exchange(port, b"GET /_sandbox/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 200 and body["status"] == "ok"  # type: ignore[index]


@pytest.mark.parametrize("half", [
    b"GET /_sandbox/health HTTP/1.1\r\nHost: x\r\n",  # headers never finished
    b"POST /_sandbox/tenants HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    b"Content-Length: 100\r\n\r\n{\"se",  # body never finished
])
async def test_a_half_sent_request_is_cut_by_the_read_timeout(half: bytes) -> None:
    port = await _serve(read_timeout=0.2)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(half)
    await writer.drain()
    assert await asyncio.wait_for(reader.read(), LIMIT_S) == b""  # closed by the server, nothing answered
    writer.close()


_BODY = b'{"email": "idle@example.com", "name": "Idle", "campaignId": "camp_percentage_00001"}'


@pytest.mark.parametrize("first", [
    b"GET /_sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n",
    # A request whose body the pipeline reads: aiohttp then feeds the handler b"" to resume parsing, which
    # must not count as the start of a new request that never finished.
    b"POST /linkjolt/api/v1/affiliates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer lj_pk_sandbox_ultimate_0001\r\n"
    b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(_BODY), _BODY),
], ids=["after a GET", "after a POST with a body"])
async def test_an_idle_keep_alive_connection_is_not_cut_by_the_read_timeout(first: bytes) -> None:
    port = await _serve(read_timeout=0.2)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(first)
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), LIMIT_S)
    assert head.startswith((b"HTTP/1.1 200 ", b"HTTP/1.1 201 ")), head
    length = int(next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")).split()[1])
    await reader.readexactly(length)
    await asyncio.sleep(0.5)  # past the read timeout, idle between requests
    writer.write(b"GET /_sandbox/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    await writer.drain()
    assert (await asyncio.wait_for(reader.read(), LIMIT_S)).startswith(b"HTTP/1.1 200 ")
    writer.close()


_LJ_AUTH = b"Authorization: Bearer lj_pk_sandbox_ultimate_0001\r\n"


def _post(body: bytes) -> bytes:
    return (b"POST /linkjolt/api/v1/affiliates HTTP/1.1\r\nHost: x\r\n" + _LJ_AUTH
            + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))


async def test_pipelined_posts_with_bodies_are_all_answered_in_order(port: int) -> None:
    bodies = [b'{"email": "p%d@example.com", "name": "P %d", "campaignId": "camp_percentage_00001"}' % (n, n)
              for n in range(3)]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"".join(_post(body) for body in bodies)
                 + b"GET /_sandbox/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), LIMIT_S)
    writer.close()
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", answer) == [b"201", b"201", b"201", b"200"]
    assert [answer.index(b"p%d@example.com" % n) for n in range(3)] == sorted(
        answer.index(b"p%d@example.com" % n) for n in range(3))


async def test_a_body_that_piles_up_behind_another_request_is_read_whole(port: int) -> None:
    """The second request's body arrives while the first is answered: aiohttp pauses reading past its buffer's
    high-water mark, and reading the body must resume it (the handler's resume_reading)."""
    small = b'{"email": "first@example.com", "name": "First", "campaignId": "camp_percentage_00001"}'
    big = b'{"email": "big@example.com", "name": "' + b"n" * 600_000 + b'", "campaignId": "camp_percentage_00001"}'
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(_post(small) + _post(big) + b"GET /_sandbox/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), LIMIT_S)
    writer.close()
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", answer)
    assert statuses[0] == b"201" and statuses[2:] == [b"200"] and len(statuses) == 3, answer[:300]
