"""The request pipeline, in order, for every vendor request:

1. route        match method + path to a spec Operation (vendor 404 / 405 otherwise)
2. authenticate the vendor turns the key header into KeyInfo and a tenant (vendor 401)
3. rate limit   count the request in the key's windows; headers on every answer; 429 when over
4. authorize    the vendor refuses what the key's plan or scopes do not allow (vendor 403)
5. validate     path, query and body against the operation's schemas (vendor 400)
6. handle       the handler named by operationId reads and writes the tenant's state (501 if none)
7. render       the vendor wraps the data in its success envelope; the spec gives the status
8. check        (strict mode) the response must match the spec, else a 500 naming the operation

Authorization sits after rate limiting so a read-only key's refused writes still count against its budget,
and before validation so a key that may not write learns that first, whatever it sent.
"""
from __future__ import annotations

import functools
import inspect
import itertools
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Protocol

from aiohttp import web

from . import generation, jsoncodec
from .context import RequestContext, Reply, VendorApi
from .errors import ApiError, ValidationFailed
from .events import Event
from .responsecache import CachedResponse, ResponseCache
from .routing import RouteTable
from .spec import Operation, Spec
from .tenants import Tenant, TenantRegistry
from .validation import RequestValidator, ResponseChecker

log = logging.getLogger("sandbox")

_request_ids = itertools.count(1)
_NO_QUERY: dict[str, str] = {}

class EventPublisher(Protocol):
    """Takes the events a handler emitted (the webhook dispatcher)."""

    def publish(self, tenant: Tenant, events: list[Event]) -> Any: ...


Observer = Callable[[str, str, int], None]
OBSERVERS: list[Observer] = []
"""Called as (vendor, operationId, status) for every request routed to an operation; empty unless a tool (the
test-suite's coverage recorder) adds one, so serving pays one truthiness check."""


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    return _response(status, jsoncodec.dumps(body), headers)


def _response(status: int, body: bytes, headers: dict[str, str] | None) -> web.Response:
    return web.Response(body=body, status=status, headers=headers, content_type="application/json")


@dataclass(frozen=True)
class PipelineOptions:
    strict_responses: bool = False
    enforce_rate_limits: bool = True
    response_cache: str = "on"  # on | off | verify (responsecache.MODES)


def _too_large(request: web.Request) -> ApiError:
    return ApiError(413, "payload_too_large", f"Request body is larger than {request.client_max_size} bytes")


class _CompiledOperation:
    """An operation with its validators built once."""

    def __init__(self, operation: Operation, vendor: VendorApi) -> None:
        self.operation = operation
        self.validator = RequestValidator(operation)
        self.checker = ResponseChecker(operation)
        self.handler = vendor.handlers.get(operation.operation_id)
        # Known once rather than asked of every result (inspect.isawaitable is about half a microsecond a call).
        self.awaits = inspect.iscoroutinefunction(self.handler)
        self.reads_body = operation.body_schema is not None
        # Parsing the query string costs a little on every request; most writes declare no query parameters.
        self.reads_query = bool(operation.query_params) or operation.strict_query
        self.cacheable = operation.method == "GET"
        self.writes = operation.is_write


def _aiohttp_path(template: str) -> str:
    # OpenAPI {name} and aiohttp {name} agree, but a parameter never spans a slash.
    return re.sub(r"\{([^}/]+)\}", r"{\1:[^/]+}", template)


class VendorPipeline:
    """Serves one vendor's spec on an aiohttp sub-application."""

    def __init__(self, vendor: VendorApi, spec: Spec, registry: TenantRegistry,
                 options: PipelineOptions, events: EventPublisher | None = None) -> None:
        self.vendor = vendor
        self.events = events
        self.spec = spec
        self.registry = registry
        self.options = options
        self.operations = [_CompiledOperation(op, vendor) for op in spec.operations]
        self.responses = None if options.response_cache == "off" else ResponseCache()
        self.verify_cache = options.response_cache == "verify"

    def _by_path(self) -> dict[str, dict[str, _CompiledOperation]]:
        """Operations by path template, literal paths first, so /affiliates/invite is not read as /affiliates/{id}."""
        by_path: dict[str, dict[str, _CompiledOperation]] = {}
        for compiled in self.operations:
            by_path.setdefault(compiled.operation.path, {})[compiled.operation.method] = compiled
        return {template: by_path[template] for template in sorted(by_path, key=lambda p: (p.count("{"), p))}

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/openapi.json", self.openapi)
        for template, methods in self._by_path().items():
            app.router.add_route("*", _aiohttp_path(template), self._dispatcher(methods))
        app.router.add_route("*", "/{tail:.*}", self.unknown_route)
        return app

    def add_routes(self, table: RouteTable) -> None:
        """The same operations in the fast route table (see `routing`), under the vendor's base path."""
        base = self.vendor.base_path
        table.reserve(base + "/openapi.json")
        for template, methods in self._by_path().items():
            table.add(base + template, {method: functools.partial(self.run, compiled)
                                        for method, compiled in methods.items()})

    def _dispatcher(self, methods: dict[str, _CompiledOperation]):
        allowed = sorted(methods)

        async def dispatch(request: web.Request) -> web.Response:
            compiled = methods.get(request.method)
            if compiled is None:
                error = self.vendor.method_not_allowed(request.method, request.path, allowed)
                if error.status == 405:  # a vendor may answer 404 instead; Allow belongs to a 405 only
                    error.headers.setdefault("Allow", ", ".join(allowed))
                return self._error_response(error)
            return await self.run(compiled, request, request.match_info)

        return dispatch

    async def unknown_route(self, request: web.Request) -> web.Response:
        return self._error_response(self.vendor.route_not_found(request.method, request.path))

    async def openapi(self, request: web.Request) -> web.Response:
        document = dict(self.spec.document)
        base = request.path[: -len("/openapi.json")]
        document["servers"] = [{"url": f"{request.scheme}://{request.host}{base}",
                                "description": "affiliate-sandbox"}]
        return json_response(200, document)

    def _error_response(self, error: ApiError) -> web.Response:
        return json_response(error.status, self.vendor.render_error(error), error.headers)

    @staticmethod
    def _arrived_body(request: web.Request) -> bytes | None:
        """The body when all of it has arrived (a small one usually has), taken without awaiting; else None."""
        content = request.content
        if not content.is_eof():
            return None
        raw = content.read_nowait()
        if len(raw) > request.client_max_size:
            raise _too_large(request)
        return raw

    @staticmethod
    async def _awaited_body(request: web.Request) -> bytes:
        try:
            return await request.read()
        except web.HTTPRequestEntityTooLarge as exc:
            raise _too_large(request) from exc

    def _parse_body(self, raw: bytes) -> tuple[Any, bool]:
        if not raw or raw.isspace():  # no copy of the body, unlike strip()
            return None, False
        try:
            return jsoncodec.loads(raw), True
        except (ValueError, RecursionError) as exc:
            raise self.vendor.bad_json(str(exc)) from exc

    async def run(self, compiled: _CompiledOperation, request: web.Request,
                  path_params: Mapping[str, str]) -> web.Response:
        vendor = self.vendor
        operation = compiled.operation
        headers: dict[str, str] = {}
        decision = None
        cache_key = cached = context = None
        reply_headers: dict[str, str] | None = None
        built_in = 0  # the generation a cacheable answer is built in; set where it is looked up
        try:
            key_text = vendor.read_key(request.headers)
            anonymous = vendor.anonymous(operation) if key_text is None else None
            if anonymous is not None:  # a public operation called without a key: the default tenant answers
                tenant, key = self.registry.default, anonymous
            else:
                tenant, key = self.registry.resolve(vendor, key_text, provisional=True)
            limits = vendor.rate_limits(key, operation)
            if limits:
                decision = tenant.limiter.check(key.key, limits, tenant.clock.timestamp(),
                                                self.options.enforce_rate_limits)
                headers = vendor.rate_limit_headers(decision)  # a new dict: this request's own
                if not decision.allowed:
                    raise vendor.rate_limited(decision)
            vendor.authorize(key, operation)
            if tenant.provisional:  # a new key the vendor accepts: its tenant is made now, never for a 401/403/429
                tenant = self.registry.admit(tenant, key)
                headers.update({"X-Sandbox-Tenant": tenant.id, "X-Sandbox-Tenant-Created": "true"})
            if compiled.cacheable and self.responses is not None:
                cache_key = (key.key, request.raw_path)
                cached = self.responses.get(cache_key)
                if cached is not None and not self.verify_cache:
                    if OBSERVERS:
                        self._observe(operation, cached.status)
                    headers.update(cached.headers)
                    return _response(cached.status, cached.body, headers)
                built_in = generation.current()
            body, has_body = None, False
            if compiled.reads_body:
                raw = self._arrived_body(request)
                body, has_body = self._parse_body(raw if raw is not None else await self._awaited_body(request))
            valid = compiled.validator.validate(path_params, request.query if compiled.reads_query else _NO_QUERY,
                                                body, has_body)
            if compiled.handler is None:
                raise vendor.not_implemented(operation)
            context = RequestContext(operation, tenant, key, tenant.states[vendor.name],
                                     valid.path, valid.query, valid.body, request, decision)
            if compiled.writes:
                generation.advance()
            try:
                result = compiled.handler(context)
                if compiled.awaits:
                    result = await result
            finally:
                if compiled.writes:  # whatever the handler changed, even in a stored record's own dict
                    generation.advance()
                    self.registry.changed(tenant.id)
            if context.events and self.events is not None:  # emit: only what a handler that succeeded emitted
                self.events.publish(tenant, context.events)
            status = operation.success_status
            if isinstance(result, Reply):
                status = result.status or status
                reply_headers = result.headers
                result = result.data
            payload = vendor.render_success(operation, result)
        except ValidationFailed as failed:
            error = vendor.validation_error(failed.issues)
            status, payload = error.status, vendor.render_error(error)
            headers.update(error.headers)
        except ApiError as error:
            status, payload = error.status, vendor.render_error(error)
            headers.update(error.headers)
        except Exception:
            request_id = f"req_{next(_request_ids)}"
            log.exception("%s %s (%s) failed, request id %s", request.method, request.path,
                          operation.operation_id, request_id)
            error = vendor.internal_error(request_id)
            status, payload = error.status, vendor.render_error(error)
        if self.options.strict_responses:
            problem = compiled.checker.problems(status, payload)
            if problem:
                log.error("strict response check: %s", problem)
                error = ApiError(500, "sandbox_spec_mismatch", problem)
                status, payload = 500, vendor.render_error(error)
        if OBSERVERS:
            self._observe(operation, status)
        if reply_headers:
            headers.update(reply_headers)
        try:
            body_bytes = jsoncodec.dumps(payload)
            response = _response(status, body_bytes, headers)
        except Exception:  # a payload that cannot be written (or a bad header) is the vendor's 500, not aiohttp's
            request_id = f"req_{next(_request_ids)}"
            log.exception("%s %s (%s): response not writable, request id %s", request.method, request.path,
                          operation.operation_id, request_id)
            error = vendor.internal_error(request_id)
            return json_response(error.status, vendor.render_error(error))
        if cache_key is not None and status < 300 and context is not None and not context.volatile:
            fresh = CachedResponse(status, body_bytes, tuple(reply_headers.items()) if reply_headers else ())
            if cached is not None and cached != fresh:
                return self._stale_cache(operation, cached, fresh)
            self.responses.put(cache_key, built_in, fresh)
        return response

    def _observe(self, operation: Operation, status: int) -> None:
        for observe in OBSERVERS:
            observe(self.vendor.name, operation.operation_id, status)

    def _stale_cache(self, operation: Operation, cached: CachedResponse, fresh: CachedResponse) -> web.Response:
        """Verify mode found a cached answer that differs from the fresh one: a write escaped the generation."""
        problem = (f"{operation.operation_id}: the cached response ({cached.status}, {cached.body[:200]!r}) "
                   f"differs from a fresh one ({fresh.status}, {fresh.body[:200]!r}); some write did not "
                   "advance sandbox.core.generation")
        log.error("response cache: %s", problem)
        return json_response(500, self.vendor.render_error(ApiError(500, "sandbox_stale_cache", problem)))
