"""The bare reference: aiohttp + jsonschema, one in-memory dict, no auth, tenants, limits or envelopes beyond
LinkJolt's. It implements LinkJolt's create and list of affiliates so the sandbox can be measured against it."""
from __future__ import annotations

import itertools
import sys

from aiohttp import web
from jsonschema import Draft202012Validator

SCHEMA = {"type": "object", "required": ["email", "name", "campaignId"],
          "properties": {"email": {"type": "string", "format": "email"}, "name": {"type": "string", "minLength": 1},
                         "campaignId": {"type": "string", "minLength": 1}}}
VALIDATOR = Draft202012Validator(SCHEMA)
AFFILIATES: dict[str, dict] = {}
IDS = itertools.count(1)

for n in range(20):
    AFFILIATES[f"seed{n}"] = {"id": f"seed{n}", "name": f"Seed {n}", "email": f"seed{n}@example.com",
                              "status": "approved", "campaignId": "camp_percentage_00001",
                              "campaignName": "Pro Campaign", "createdVia": "api",
                              "trackingLink": f"https://linkjolt.io/redirect?tc=7PtIfIqd&aff=seed{n}",
                              "joinedAt": "2026-06-15T12:00:00Z"}


def record_for(body: dict, affiliate_id: str) -> dict:
    """A created affiliate (also `floor_server.py`'s)."""
    return {"id": affiliate_id, "name": body["name"], "email": body["email"], "status": "approved",
            "campaignId": body["campaignId"], "campaignName": "Pro Campaign", "createdVia": "api",
            "trackingLink": f"https://linkjolt.io/redirect?tc=7PtIfIqd&aff={affiliate_id}",
            "joinedAt": "2026-06-15T12:00:00Z"}


async def list_affiliates(request: web.Request) -> web.Response:
    limit = int(request.query.get("limit", 25))
    page = int(request.query.get("page", 1))
    rows = list(AFFILIATES.values())
    items = rows[(page - 1) * limit: page * limit]
    body = {"data": items, "pagination": {"page": page, "limit": limit, "total": len(rows),
                                          "totalPages": -(-len(rows) // limit)}}
    return web.json_response(body)


async def create_affiliate(request: web.Request) -> web.Response:
    body = await request.json()
    errors = list(VALIDATOR.iter_errors(body))
    if errors:
        return web.json_response({"error": {"code": "validation_error", "message": "Validation failed",
                                            "details": [{"path": list(e.path), "message": e.message}
                                                        for e in errors]}}, status=400)
    record = record_for(body, f"aff{next(IDS)}")
    AFFILIATES[record["id"]] = record
    return web.json_response({"data": record}, status=201)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8090
    app = web.Application()
    app.router.add_get("/linkjolt/api/v1/affiliates", list_affiliates)
    app.router.add_post("/linkjolt/api/v1/affiliates", create_affiliate)
    app.router.add_get("/_sandbox/health", health)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=lambda *a: None)


if __name__ == "__main__":
    main()
