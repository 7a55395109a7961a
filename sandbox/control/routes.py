"""Routes under /_sandbox. Errors use one plain envelope: {"error": {"code", "message"}}."""
from __future__ import annotations

import inspect
from typing import Any, Awaitable, Callable

from aiohttp import web

from .. import coverage
from ..core import jsoncodec
from ..core.generation import Generation
from ..core.clock import format_instant, parse_instant
from ..core.errors import ApiError
from ..core.pipeline import json_response
from ..core.snapshot import restore_tenant, snapshot_tenant
from ..core.spec import Spec
from ..core.tenants import Tenant, TenantRegistry, require_tenant
from ..vendors.base import ControlAction, Vendor

SNAPSHOT_MAX_BYTES = 256 * 1024 * 1024
RouteHandler = Callable[[web.Request], Awaitable[web.Response]]


def _error(error: ApiError) -> web.Response:
    return json_response(error.status, {"error": {"code": error.code, "message": error.message}})


def _guarded(handler: RouteHandler, generation: Generation) -> RouteHandler:
    async def run(request: web.Request) -> web.Response:
        writes = request.method != "GET"
        if writes:  # the clock, tenants, snapshots, vendor actions: cached vendor responses are stale now
            generation.advance()
        try:
            return await handler(request)
        except ApiError as error:
            return _error(error)
        finally:
            if writes:
                generation.advance()
    return run


async def _json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = jsoncodec.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "invalid_json", "Request body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "Request body must be a JSON object")
    return body


def control_app(registry: TenantRegistry, vendors: list[Vendor], specs: dict[str, Spec] | None = None
                ) -> web.Application:
    app = web.Application()
    names = [v.name for v in vendors]

    async def health(request: web.Request) -> web.Response:
        return json_response(200, {"status": "ok", "vendors": names, "tenants": len(registry)})

    async def reset(request: web.Request) -> web.Response:
        tenant_id = request.query.get("tenant")
        tenants = [require_tenant(registry, tenant_id)] if tenant_id else list(registry)
        for tenant in tenants:
            registry.reset(tenant)
        return json_response(200, {"reset": [t.id for t in tenants]})

    async def list_tenants(request: web.Request) -> web.Response:
        return json_response(200, {"data": [t.describe() for t in registry]})

    async def create_tenant(request: web.Request) -> web.Response:
        body = await _json_body(request)
        seed = body.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ApiError(400, "invalid_body", "seed must be an integer")
        tenant = registry.create(seed)
        return json_response(201, {"id": tenant.id, "seed": tenant.seed,
                                   "keys": {vendor: keys[0] for vendor, keys in tenant.keys_by_vendor().items()}})

    async def get_tenant(request: web.Request) -> web.Response:
        return json_response(200, require_tenant(registry, request.match_info["id"]).describe())

    async def delete_tenant(request: web.Request) -> web.Response:
        tenant_id = request.match_info["id"]
        if tenant_id == "default":
            raise ApiError(400, "default_tenant", "The default tenant cannot be deleted; reset it instead")
        if not registry.delete(tenant_id):
            raise ApiError(404, "tenant_not_found", f"No tenant {tenant_id!r}")
        return json_response(200, {"id": tenant_id, "deleted": True})

    async def clock(request: web.Request) -> web.Response:
        tenant = require_tenant(registry, request.match_info["id"])
        body = await _json_body(request)
        if ("advance" in body) == ("set" in body):
            raise ApiError(400, "invalid_body", 'Send exactly one of {"advance": seconds} or {"set": "<ISO-8601>"}')
        if "advance" in body:
            seconds = body["advance"]
            if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
                raise ApiError(400, "invalid_body", "advance must be a non-negative number of seconds")
            tenant.clock.advance(float(seconds))
        else:
            try:
                tenant.clock.set(parse_instant(str(body["set"])))
            except ValueError as exc:
                raise ApiError(400, "invalid_body", f"set must be an ISO-8601 instant: {exc}") from exc
        return json_response(200, {"id": tenant.id, "now": format_instant(tenant.clock.now()),
                                   "frozen": tenant.clock.frozen})

    async def get_snapshot(request: web.Request) -> web.Response:
        return json_response(200, snapshot_tenant(require_tenant(registry, request.match_info["id"])))

    async def put_snapshot(request: web.Request) -> web.Response:
        tenant = require_tenant(registry, request.match_info["id"])
        # A busy tenant's snapshot outgrows the 1 MiB that vendor requests are held to.
        restore_tenant(tenant, await _json_body(request.clone(client_max_size=SNAPSHOT_MAX_BYTES)))
        return json_response(200, tenant.describe())

    async def actions(request: web.Request) -> web.Response:
        return json_response(200, {"data": [
            {"vendor": v.name, "method": a.method, "path": f"/_sandbox/tenants/{{id}}/{v.name}/{a.path}",
             "summary": a.summary} for v in vendors for a in v.control_actions()]})

    async def coverage_report(request: web.Request) -> web.Response:
        if specs is None:
            raise ApiError(404, "not_found", "Coverage needs the vendors' specs")
        return json_response(200, coverage.as_json(coverage.rows(vendors, specs)))

    routes = [
        ("GET", "/health", health), ("POST", "/reset", reset), ("GET", "/tenants", list_tenants),
        ("POST", "/tenants", create_tenant), ("GET", "/tenants/{id}", get_tenant),
        ("DELETE", "/tenants/{id}", delete_tenant), ("POST", "/tenants/{id}/clock", clock),
        ("GET", "/tenants/{id}/snapshot", get_snapshot), ("PUT", "/tenants/{id}/snapshot", put_snapshot),
        ("GET", "/actions", actions), ("GET", "/coverage", coverage_report),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, _guarded(handler, registry.generation))
    for vendor in vendors:
        for action in vendor.control_actions():
            app.router.add_route(action.method, f"/tenants/{{id}}/{vendor.name}/{action.path}",
                                 _guarded(_action_route(registry, vendor, action), registry.generation))
    return app


def _action_route(registry: TenantRegistry, vendor: Vendor, action: ControlAction) -> RouteHandler:
    async def run(request: web.Request) -> web.Response:
        tenant: Tenant = require_tenant(registry, request.match_info["id"])
        params = {k: v for k, v in request.match_info.items() if k != "id"}
        result = action.handler(tenant, tenant.states[vendor.name], params, await _json_body(request))
        if inspect.isawaitable(result):
            result = await result
        return json_response(200, result)
    return run
