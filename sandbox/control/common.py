"""What every control-plane resource shares: the app keys, the error envelope, the body limit, the one place
that marks the vendors' cached answers stale, and the endpoint that validates a request against
`specs/control.yaml` before a handler sees it."""
from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ..core import jsoncodec
from ..core.errors import ApiError, Issue, ValidationFailed
from ..core.pipeline import json_response
from ..core.spec import Operation, Spec
from ..core.tenants import Tenant, TenantRegistry
from ..core.validation import RequestValidator
from ..vendors.base import Vendor
from .tenantref import find_tenant

log = logging.getLogger("sandbox")

REGISTRY: web.AppKey[TenantRegistry] = web.AppKey("control_registry", TenantRegistry)
VENDORS: web.AppKey[list[Vendor]] = web.AppKey("control_vendors", list)
VENDOR_SPECS: web.AppKey[dict[str, Spec]] = web.AppKey("control_vendor_specs", dict)
CONTROL_SPEC: web.AppKey[Spec] = web.AppKey("control_spec", Spec)


@dataclass
class ControlCall:
    """One validated control-plane request: typed path, query and body (an absent body is `{}` when the
    operation takes one), and the app's shared objects."""

    request: web.Request
    operation: Operation
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any

    @property
    def registry(self) -> TenantRegistry:
        return self.request.config_dict[REGISTRY]

    @property
    def vendors(self) -> list[Vendor]:
        return self.request.config_dict[VENDORS]

    def tenant(self) -> Tenant:
        """The tenant named by the `{id}` path parameter, an id or `key:<api key>` (404 `tenant_not_found`
        otherwise); the answer says which (`X-Sandbox-Tenant`)."""
        return find_tenant(self.registry, self.request, self.path["id"])


ControlHandler = Callable[[ControlCall], Awaitable[Any]]
"""Answers a call with the JSON body of the operation's success status, or with a ready web.StreamResponse."""


def error_body(error: ApiError) -> dict[str, Any]:
    """The control plane's envelope: {"error": {"code", "message", "field"?, "details"?}}."""
    inner: dict[str, Any] = {"code": error.code, "message": error.message}
    if isinstance(error.details, dict):
        inner.update(error.details)
    return {"error": inner}


def error_response(error: ApiError) -> web.Response:
    return json_response(error.status, error_body(error), error.headers)


def _field(issue: Issue) -> str:
    """The dotted path of the offending value; for an unexpected property, the property itself."""
    path = issue.path
    unexpected = issue.params.get("unexpected") if issue.keyword == "additionalProperties" else None
    if unexpected:
        path = path + (unexpected[0],)
    return ".".join(str(part) for part in path)


def invalid_request(issues: list[Issue]) -> ApiError:
    """400 naming the first offending field; `details` lists every issue."""
    first = issues[0]
    code = "invalid_body" if first.location == "body" else "invalid_parameter"
    field = _field(first)
    message = f"{field}: {first.message}" if field else first.message
    details: dict[str, Any] = {"details": [
        {"location": i.location, **({"field": _field(i)} if _field(i) else {}), "message": i.message}
        for i in issues]}
    if field:
        details["field"] = field
    return ApiError(400, code, message, details)


def field_error(field: str, message: str) -> ApiError:
    """400 `invalid_body` for a body field a handler refuses after the spec accepted it."""
    return ApiError(400, "invalid_body", f"{field}: {message}",
                    {"field": field, "details": [{"location": "body", "field": field, "message": message}]})


def advance_generation(request: web.Request) -> None:
    """The tenants changed: the vendors' cached GET answers are stale. Every control write calls this before
    and after its handler (the one place that knows how generations are kept: one per app, its registry's)."""
    request.config_dict[REGISTRY].generation.advance()


def aiohttp_path(template: str) -> str:
    """An OpenAPI path template as an aiohttp route: a parameter never spans a slash."""
    return re.sub(r"\{([^}/]+)\}", r"{\1:[^/]+}", template)


async def read_body(request: web.Request) -> bytes:
    """The raw body, held to the request's limit (413 `payload_too_large` past it). The limit per route is set
    by `bodylimit.ControlBodyLimit` (--control-max-body for a snapshot, 1 MiB for the rest)."""
    limit = request.client_max_size
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise _too_large(limit) from exc


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"Request body is larger than the control plane's {limit} bytes")


def parse_json(raw: bytes) -> tuple[Any, bool]:
    """(value, True), or (None, False) for a blank body; 400 `invalid_json` for anything else."""
    if not raw or raw.isspace():
        return None, False
    try:
        return jsoncodec.loads(raw), True
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "invalid_json", "Request body is not valid JSON") from exc


class ControlEndpoint:
    """One control operation: read and validate the request against the spec, run the handler, answer JSON."""

    def __init__(self, operation: Operation, handler: ControlHandler) -> None:
        self.operation = operation
        self.handler = handler
        self.validator = RequestValidator(operation)
        self.reads_body = operation.body_schema is not None
        # A snapshot may be many MiB: its handler takes the raw bytes and parses and checks them off the loop.
        self.raw_body = bool(operation.extensions.get("x-sandbox-raw-body"))
        self.writes = operation.is_write

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        try:
            body: Any = None
            has_body, raw = False, None
            if self.raw_body:
                raw = await read_body(request)
                body, has_body = {}, True  # parameters are checked here, the body by the handler
            elif self.reads_body:
                body, has_body = parse_json(await read_body(request))
            try:
                valid = self.validator.validate(request.match_info, request.query, body, has_body)
            except ValidationFailed as failed:
                raise invalid_request(failed.issues) from failed
            call = ControlCall(request, self.operation, valid.path, valid.query,
                               raw if raw is not None else valid.body if has_body else {})
            if self.writes:  # the clock, tenants, snapshots, vendor actions: cached vendor answers are stale
                advance_generation(request)
            try:
                result = self.handler(call)
                if inspect.isawaitable(result):
                    result = await result
            finally:
                if self.writes:
                    advance_generation(request)
        except ApiError as error:
            return error_response(error)
        except Exception:
            log.exception("%s %s (%s) failed", request.method, request.path, self.operation.operation_id)
            return error_response(ApiError(500, "internal_error",
                                           f"The sandbox failed on {self.operation.operation_id}; see its log"))
        if isinstance(result, web.StreamResponse):
            return result
        return json_response(self.operation.success_status, result)


def path_dispatcher(endpoints: Mapping[str, ControlEndpoint]) -> Callable[[web.Request],
                                                                          Awaitable[web.StreamResponse]]:
    """Every method of one path: its endpoint, or a JSON 405 with `Allow`."""
    allowed = ", ".join(sorted(endpoints))

    async def dispatch(request: web.Request) -> web.StreamResponse:
        endpoint = endpoints.get(request.method)
        if endpoint is None:
            return error_response(ApiError(
                405, "method_not_allowed", f"{request.method} is not allowed on {request.path}; allowed: {allowed}",
                headers={"Allow": allowed}))
        return await endpoint(request)

    return dispatch


async def unknown_route(request: web.Request) -> web.Response:
    return error_response(ApiError(404, "not_found", f"No control-plane route {request.method} {request.path}; "
                                                     "GET /_sandbox/openapi.json lists them"))


@web.middleware
async def json_errors(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                      ) -> web.StreamResponse:
    """Whatever aiohttp itself raises under /_sandbox (a 404 for the bare prefix, a 413) answers in the
    control plane's envelope too."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        return error_response(ApiError(exc.status, codes.get(exc.status, "http_error"), exc.reason,
                                       headers=headers))
