"""A real webhook receiver for the tests: an aiohttp server on port 0 that keeps every request it gets and
answers what the test tells it to (a status, a redirect, a hang)."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

FROZEN_UNIX = 1781524800  # tests/conftest.py FROZEN_AT, 2026-06-15T12:00:00Z


@dataclass
class Received:
    method: str
    path_qs: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    server: TestServer
    requests: list[Received] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)  # per request, in order: a status, "hang" or "redirect"
    default: Any = 200

    def url(self, path: str = "/hook") -> str:
        return str(self.server.make_url(path))


def verify_linkjolt_signature(header: str, raw_body: bytes, secret: str, now: int, tolerance: int = 300) -> bool:
    """From LinkJolt's setup-webhooks guide: `t=<timestamp>,v1=<hex>`; HMAC-SHA256 with the webhook secret over
    `${timestamp}.${raw_body}`, compared in constant time; reject a timestamp more than 5 minutes old."""
    fields = {}
    for part in header.split(","):
        name, _, value = part.partition("=")
        fields[name.strip()] = value.strip()
    if "t" not in fields or "v1" not in fields or not fields["t"].isdigit():
        return False
    timestamp = int(fields["t"])
    mac = hmac.new(secret.encode("utf-8"), msg=None, digestmod=hashlib.sha256)
    mac.update(str(timestamp).encode("ascii"))
    mac.update(b".")
    mac.update(raw_body)
    return hmac.compare_digest(mac.hexdigest(), fields["v1"]) and abs(now - timestamp) <= tolerance


@pytest.fixture
async def receiver(aiohttp_server: Callable[..., Awaitable[TestServer]]) -> Receiver:
    holder: dict[str, Receiver] = {}

    async def handle(request: web.Request) -> web.StreamResponse:
        me = holder["receiver"]
        me.requests.append(Received(request.method, request.path_qs, dict(request.headers), await request.read()))
        answer = me.answers.pop(0) if me.answers else me.default
        if answer == "hang":
            await asyncio.sleep(3600)
        if answer == "redirect":
            raise web.HTTPFound(me.url("/elsewhere"))
        return web.json_response({"ok": True}, status=int(answer))

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = await aiohttp_server(app)
    holder["receiver"] = Receiver(server)
    return holder["receiver"]


async def control(client: TestClient, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    response = await client.request(method, "/_sandbox" + path, json=body)
    return response.status, await response.json()


async def advance(client: TestClient, seconds: float, tenant: str = "default") -> None:
    status, _ = await control(client, "POST", f"/tenants/{tenant}/clock", {"advance": seconds})
    assert status == 200


async def deliveries(client: TestClient, tenant: str = "default", **query: str) -> list[dict[str, Any]]:
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    status, body = await control(client, "GET", f"/tenants/{tenant}/deliveries" + (f"?{suffix}" if suffix else ""))
    assert status == 200
    return body["data"]
