"""The floor: what aiohttp itself costs for the reference's answers, with the sandbox's own speed-ups (uvloop,
orjson, a bytes body) and nothing else: no validation, auth, tenants, limits, journal or events. The same two
LinkJolt operations as `reference_server.py`, so that `run.py` can show how much of a request's CPU is the
HTTP layer's, which no change to the sandbox's pipeline can take back."""
from __future__ import annotations

import asyncio
import sys

import orjson
import uvloop
from aiohttp import web
from reference_server import AFFILIATES, IDS, record_for  # the same seed rows and records (bench/ is on the path)

JSON = "application/json"


async def list_affiliates(request: web.Request) -> web.Response:
    limit = int(request.query.get("limit", 25))
    page = int(request.query.get("page", 1))
    rows = list(AFFILIATES.values())
    body = {"data": rows[(page - 1) * limit: page * limit],
            "pagination": {"page": page, "limit": limit, "total": len(rows), "totalPages": -(-len(rows) // limit)}}
    return web.Response(body=orjson.dumps(body), content_type=JSON)


async def create_affiliate(request: web.Request) -> web.Response:
    body = orjson.loads(await request.read())
    record = record_for(body, f"aff{next(IDS)}")
    AFFILIATES[record["id"]] = record
    return web.Response(body=orjson.dumps({"data": record}), status=201, content_type=JSON)


async def health(request: web.Request) -> web.Response:
    return web.Response(body=b'{"status":"ok"}', content_type=JSON)


async def serve(port: int) -> None:
    app = web.Application()
    app.router.add_get("/linkjolt/api/v1/affiliates", list_affiliates)
    app.router.add_post("/linkjolt/api/v1/affiliates", create_affiliate)
    app.router.add_get("/_sandbox/health", health)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8091
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(serve(port))


if __name__ == "__main__":
    main()
