"""The request pipeline: for every vendor request, a list of named stages built once per operation.

The route table (`routing`) or aiohttp's router first matches method + path to an operation (the vendor's 404 /
405 otherwise: the deciding stage is then `route`). Then, in this order, the code's order (`SLOTS`):

 1. authenticate  the vendor turns the key header into KeyInfo and a tenant (vendor 401)
 2. rate_limit    count the request in the key's windows; headers on every answer; 429 when over
 3. authorize     the vendor refuses what the key's plan or scopes do not allow (vendor 403)
 4. fault         an injected fault may answer here (`faultstage`, added by `create_app`; empty until a
                  fault exists)
 5. cache         a GET's rendered answer from before the last write answers here (`responsecache`)
 6. validate      path, query and body against the operation's schemas (vendor 400)
 7. handle        the handler named by operationId reads and writes the tenant's state (501 if none)
 8. emit          the events a handler that succeeded emitted go to the webhook dispatcher (if the app has one)
 9. render        the vendor wraps the data in its success envelope; the spec gives the status
10. check         (strict mode) the response must match the spec, else a 500 naming the operation
11. respond       the JSON bytes (kept by the cache if reusable) and headers, `X-Sandbox-Request-Id` among them
12. journal       observers registered on the app's `PipelineHooks` see every answer; the request journal
                  (`journalstage`, added by `create_app`) records it

Stages 1-7 decide the answer: the first to raise an `ApiError` (or to answer, as a cache hit or a fault does)
ends them, and `Exchange.decided_by` names it. Stages 8-12 always run, on whatever was decided.

Insertion points: `PipelineHooks.add(slot, factory)` puts a stage at any slot, after the built-in stage there.
The factory is called once per operation (and again if hooks change) with the pipeline and the operation, and
returns the stage (a function of the `Exchange`, plain or `async def`), or None to leave that operation alone.
A plain stage that must sometimes wait (a body still arriving, a tenant's turn) returns an awaitable then, and
None otherwise: the usual request makes no coroutine for it.
Faults sit before the cache so that a fault fires for a cached GET too.

Authorization sits after rate limiting so a read-only key's refused writes still count against its budget,
and before validation so a key that may not write learns that first, whatever it sent.
"""
from __future__ import annotations

import functools
import inspect
import itertools
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

from . import jsoncodec
from .answer import JsonAnswer
from .context import KeyInfo, Reply, RequestContext
from .errors import ApiError, ValidationFailed
from .events import Event
from .ratelimit import Decision
from .responsecache import CachedResponse, ResponseCache
from .routing import RouteTable
from .spec import Operation, Spec
from .tenants import Tenant, TenantRegistry
from .validation import RequestValidator, ResponseChecker
from .vendorapi import VendorApi

log = logging.getLogger("sandbox")

REQUEST_ID_HEADER = "X-Sandbox-Request-Id"
SLOTS = ("authenticate", "rate_limit", "authorize", "fault", "cache", "validate", "handle",
         "emit", "render", "check", "respond", "journal")
_DECIDING = SLOTS[: SLOTS.index("handle") + 1]
_NO_QUERY: dict[str, str] = {}

Observer = Callable[[str, str, int], None]
"""Called as (vendor, operationId, status) for every request routed to an operation."""


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    return _response(status, jsoncodec.dumps(body), headers)


CONTENT_TYPE = "application/json"  # every vendor answer's, errors included (the journal shows it too)


def _response(status: int, body: bytes, headers: dict[str, str] | None) -> web.Response:
    return web.Response(body=body, status=status, headers=headers, content_type=CONTENT_TYPE)


def _vendor_answer(status: int, body: bytes, headers: dict[str, str]) -> web.Response:
    """A vendor answer: sent in one write when nothing about it needs aiohttp's general path (`core.answer`)."""
    return JsonAnswer.json(status, body, headers, CONTENT_TYPE)


@dataclass(frozen=True)
class PipelineOptions:
    strict_responses: bool = False
    enforce_rate_limits: bool = True
    response_cache: str = "on"  # on | off | verify (responsecache.MODES)


def _too_large(request: web.Request) -> ApiError:
    return ApiError(413, "payload_too_large", f"Request body is larger than {request.client_max_size} bytes")


class EventPublisher(Protocol):
    """Takes the events a handler emitted (the webhook dispatcher)."""

    def publish(self, tenant: Tenant, events: list[Event]) -> Any: ...

    def listening(self, vendor: str, state: Any) -> bool: ...


class Exchange:
    """One request on its way through the stages: what was found, what was decided, and by which stage.

    The class attributes are the defaults; a request sets only what it finds (cheaper than setting all)."""

    # Set by the stage named, and read only by later ones: typed as what those stages see.
    tenant: Tenant = None  # type: ignore[assignment]  # authenticate
    key: KeyInfo = None  # type: ignore[assignment]  # authenticate
    decision: Decision | None = None  # rate_limit, if the key has limits
    now: float | None = None  # rate_limit: the tenant clock's reading, one for the whole request
    context: RequestContext = None  # type: ignore[assignment]  # validate
    result: Any = None  # the handler's data, before rendering
    status = 0
    payload: Any = None  # the rendered body
    rendered = False
    reply_headers: dict[str, str] | None = None
    body: bytes | None = None  # the encoded body, once known (a cache hit knows it at once)
    answered = False  # a deciding stage answered (cache hit, fault): the later deciding stages skip
    decided_by = "route"  # the stage that decided the answer
    reason = ""  # and why: an error code, "cached", "ok"
    cache_key: Any = None
    cached: CachedResponse | None = None
    built_in = 0  # the generation a cacheable answer is built in
    response: web.Response | None = None
    fault: Any = None  # the injected fault that fired, if one did (see `faultstage`)
    raw_body: bytes | None = None  # the request body as validate read it (for the journal)

    def __init__(self, request: web.Request, path_params: Mapping[str, str],
                 compiled: CompiledOperation | None, request_id: str) -> None:
        self.request = request
        self.path_params = path_params
        # None only for the router's own answers (404, 405), which run no stage that reads these two
        self.compiled: CompiledOperation = compiled  # type: ignore[assignment]
        self.operation: Operation = compiled.operation if compiled is not None else None  # type: ignore[assignment]
        self.request_id = request_id
        self.started = time.perf_counter()  # for the journal's duration
        self.headers: dict[str, str] = {}  # this request's own: rate-limit and error headers

    def answer(self, stage: str, status: int, payload: Any, reason: str) -> None:
        """A deciding stage's own answer (a fault's, say), already in the vendor's envelope."""
        self.status, self.payload, self.rendered, self.answered = status, payload, True, True
        self.decided_by, self.reason = stage, reason


Stage = Callable[[Exchange], Awaitable[None] | None]
StageFactory = Callable[["VendorPipeline", "CompiledOperation | None"], Stage | None]
"""Given the pipeline and an operation (None for an answer the router made: a 404 or 405), the stage for it."""


class PipelineHooks:
    """What the app adds to every vendor's pipeline: stages at the named slots, observers, request ids.

    One per application (`create_app` makes it and hands it to every `VendorPipeline`), so two apps in one
    process never share state."""

    def __init__(self) -> None:
        self.version = 0  # moves on every change: pipelines rebuild their stage lists on the next request
        self._stages: dict[str, list[tuple[str, StageFactory]]] = {slot: [] for slot in SLOTS}
        self.observers: list[Observer] = []
        self.request_ids = itertools.count(1)  # X-Sandbox-Request-Id: req_1, req_2, ... in this app

    def add(self, slot: str, factory: StageFactory, name: str | None = None) -> None:
        """Run the factory's stage at `slot` (after the built-in stage there); `name` (default: the slot) is
        what `Exchange.decided_by` says when the stage answers."""
        if slot not in self._stages:
            raise ValueError(f"no pipeline slot {slot!r}; slots: {', '.join(SLOTS)}")
        self._stages[slot].append((name or slot, factory))
        self.version += 1

    def remove(self, slot: str, factory: StageFactory) -> None:
        """Take out the stages `add` put at `slot` with this factory."""
        self._stages[slot] = [(name, f) for name, f in self._stages[slot] if f is not factory]
        self.version += 1

    def observe(self, observer: Observer) -> None:
        self.observers.append(observer)
        self.version += 1

    def unobserve(self, observer: Observer) -> None:
        self.observers.remove(observer)
        self.version += 1

    def added(self, slot: str) -> list[tuple[str, StageFactory]]:
        return self._stages[slot]


class StageLists:
    """The stages that decide an answer and those that make it, as built for one version of the hooks."""

    def __init__(self) -> None:
        self.version = -1  # the hooks' version the lists were built for; -1: not built yet
        self.deciding: tuple[tuple[str, Stage, bool], ...] = ()  # (name, stage, is async)
        self.answering: tuple[tuple[str, Stage, bool], ...] = ()


class CompiledOperation(StageLists):
    """An operation with its validators built once, and its stages built when first served."""

    def __init__(self, operation: Operation, vendor: VendorApi) -> None:
        super().__init__()
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
    """Serves one vendor's spec on an aiohttp sub-application (and through the app's route table)."""

    def __init__(self, vendor: VendorApi, spec: Spec, registry: TenantRegistry,
                 options: PipelineOptions, hooks: PipelineHooks | None = None,
                 events: EventPublisher | None = None) -> None:
        self.vendor = vendor
        self.events = events
        # What RequestContext.emit asks before it builds an event: none is built that nobody would receive.
        self._listening = None if events is None else functools.partial(events.listening, vendor.name)
        self.spec = spec
        self.registry = registry
        self.options = options
        self.hooks = hooks or PipelineHooks()
        self.operations = [CompiledOperation(op, vendor) for op in spec.operations]
        self.generation = registry.generation
        self.responses = None if options.response_cache == "off" else ResponseCache(self.generation)
        self.verify_cache = options.response_cache == "verify"
        self._request_ids = self.hooks.request_ids
        self._routed = StageLists()  # the stages of the router's own answers (404, 405)

    # -- serving ------------------------------------------------------------------------------------

    async def run(self, compiled: CompiledOperation, request: web.Request,
                  path_params: Mapping[str, str]) -> web.Response:
        if compiled.version != self.hooks.version:
            self._build(compiled)
        ex = Exchange(request, path_params, compiled, f"req_{next(self._request_ids)}")
        name = "route"
        try:
            for name, stage, awaits in compiled.deciding:  # noqa: B007 (the except clauses name the stage that failed)
                if awaits:
                    await stage(ex)  # type: ignore[misc]
                else:
                    pending = stage(ex)
                    if pending is not None:
                        await pending
                if ex.answered:
                    break
            else:
                ex.decided_by, ex.reason = "handle", "ok"
        except ValidationFailed as failed:
            self._refuse(ex, self.vendor.validation_error(failed.issues), name)
        except ApiError as error:
            self._refuse(ex, error, name)
        except Exception:
            self._crash(ex, name)
        # The answering stages, as in `_answer`, inlined: a coroutine call costs about 0.3 µs a request.
        for name, stage, awaits in compiled.answering:
            try:
                if awaits:
                    await stage(ex)  # type: ignore[misc]
                else:
                    pending = stage(ex)
                    if pending is not None:
                        await pending
            except Exception as exc:
                self._answer_failed(ex, name, exc)
        return ex.response  # type: ignore[return-value]

    async def _answer(self, ex: Exchange, stages: tuple[tuple[str, Stage, bool], ...]) -> web.Response:
        """Run the answering stages (emit .. journal) on what was decided."""
        for name, stage, awaits in stages:
            try:
                if awaits:
                    await stage(ex)  # type: ignore[misc]
                else:
                    pending = stage(ex)
                    if pending is not None:
                        await pending
            except Exception as exc:
                self._answer_failed(ex, name, exc)
        return ex.response  # type: ignore[return-value]

    def _answer_failed(self, ex: Exchange, stage: str, exc: Exception) -> None:
        """An answering stage raised: before `respond` its error becomes the answer; after, the answer stands."""
        if ex.response is not None:
            log.error("%s stage failed after the answer was made, request id %s", stage, ex.request_id,
                      exc_info=exc)
            return
        if isinstance(exc, ApiError):
            self._refuse(ex, exc, stage)
        else:
            self._crash(ex, stage)
        ex.body = None

    def _refuse(self, ex: Exchange, error: ApiError, stage: str) -> None:
        ex.status, ex.payload, ex.rendered = error.status, self.vendor.render_error(error), True
        ex.headers.update(error.headers)
        ex.decided_by, ex.reason = stage, error.code

    def _crash(self, ex: Exchange, stage: str) -> None:
        request = ex.request
        log.exception("%s %s (%s) failed in %s, request id %s", request.method, request.path,
                      ex.operation.operation_id if ex.operation else "-", stage, ex.request_id)
        self._refuse(ex, self.vendor.internal_error(ex.request_id), stage)

    # -- building the stages --------------------------------------------------------------------------

    def _built_in(self, compiled: CompiledOperation) -> dict[str, Stage | None]:
        """The built-in stage of each slot for this operation; None where it has nothing to do."""
        if compiled.handler is None:
            handle: Stage = self._not_implemented
        elif compiled.awaits:
            handle = self._handle_async
        else:
            handle = self._handle
        return {
            "authenticate": self._authenticate,
            "rate_limit": self._rate_limit,
            "authorize": self._authorize,
            "cache": self._cache_lookup if compiled.cacheable and self.responses is not None else None,
            "validate": self._validate_with_body if compiled.reads_body else self._validate,
            "handle": handle,
            "emit": self._emit if self.events is not None else None,
            "render": self._render,
            "check": self._check if self.options.strict_responses else None,
            "respond": self._respond,
            "journal": self._observe if self.hooks.observers else None,
        }

    def _build(self, lists: StageLists) -> None:
        operation = lists if isinstance(lists, CompiledOperation) else None
        built_in = self._built_in(operation) if operation is not None else {"respond": self._respond}
        deciding: list[tuple[str, Stage, bool]] = []
        answering: list[tuple[str, Stage, bool]] = []
        for slot in SLOTS:
            stages: list[tuple[str, Stage | None]] = [(slot, built_in.get(slot))]
            stages += [(name, factory(self, operation)) for name, factory in self.hooks.added(slot)]
            for name, stage in stages:
                if stage is not None:
                    entry = (name, stage, inspect.iscoroutinefunction(stage))
                    (deciding if slot in _DECIDING else answering).append(entry)
        lists.deciding, lists.answering = tuple(deciding), tuple(answering)
        lists.version = self.hooks.version

    # -- the built-in stages, in slot order -------------------------------------------------------------

    def _authenticate(self, ex: Exchange) -> None:
        vendor = self.vendor
        key_text = vendor.read_key(ex.request.headers)
        anonymous = vendor.anonymous(ex.operation) if key_text is None else None
        if anonymous is not None:  # a public operation called without a key: the default tenant answers
            ex.tenant, ex.key = self.registry.default, anonymous
        else:  # a new key's tenant is provisional until `authorize` admits it
            ex.tenant, ex.key = self.registry.resolve(vendor, key_text, provisional=True)

    def _rate_limit(self, ex: Exchange) -> None:
        vendor, key = self.vendor, ex.key
        limits = vendor.rate_limits(key, ex.operation)
        if limits:
            tenant = ex.tenant
            now = ex.now = tenant.clock.timestamp()
            decision = ex.decision = tenant.limiter.check(key.key, limits, now, self.options.enforce_rate_limits)
            ex.headers = vendor.rate_limit_headers(decision)  # a new dict: this request's own
            if not decision.allowed:
                raise vendor.rate_limited(decision)

    def _authorize(self, ex: Exchange) -> None:
        self.vendor.authorize(ex.key, ex.operation)
        if ex.tenant.provisional:  # a new key the vendor accepts: its tenant is made now, never for a 401/403/429
            ex.tenant = self.registry.admit(ex.tenant, ex.key)
            ex.headers.update({"X-Sandbox-Tenant": ex.tenant.id, "X-Sandbox-Tenant-Created": "true"})

    def _cache_lookup(self, ex: Exchange) -> None:
        ex.cache_key = (ex.key.key, ex.request.raw_path)
        cached = ex.cached = self.responses.get(ex.cache_key)  # type: ignore[union-attr]  # built only with one
        if cached is not None and not self.verify_cache:
            ex.headers.update(cached.headers)
            ex.status, ex.body, ex.rendered, ex.answered = cached.status, cached.body, True, True
            ex.decided_by, ex.reason = "cache", "cached"
            return
        ex.built_in = self.generation.current

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

    def _validate(self, ex: Exchange, body: Any = None, has_body: bool = False) -> None:
        compiled, request = ex.compiled, ex.request
        valid = compiled.validator.validate(
            ex.path_params, request.query if compiled.reads_query else _NO_QUERY,
            body, has_body)
        tenant = ex.tenant
        name = self.vendor.name
        ex.context = RequestContext(ex.operation, tenant, ex.key, tenant.states[name],
                                    tenant.stream(name), valid.path, valid.query,
                                    valid.body, request, ex.decision, ex.now, self._listening)

    def _validate_with_body(self, ex: Exchange) -> Awaitable[None] | None:
        raw = ex.raw_body = self._arrived_body(ex.request)
        if raw is None:  # the body is still on its way: wait for it (the usual small body has arrived)
            return self._validate_awaited_body(ex)
        body, has_body = self._parse_body(raw)
        self._validate(ex, body, has_body)
        return None

    async def _validate_awaited_body(self, ex: Exchange) -> None:
        raw = ex.raw_body = await self._awaited_body(ex.request)
        body, has_body = self._parse_body(raw)
        self._validate(ex, body, has_body)

    def _not_implemented(self, ex: Exchange) -> None:
        raise self.vendor.not_implemented(ex.operation)

    def _handle(self, ex: Exchange) -> None:
        compiled = ex.compiled
        if compiled.writes:
            self.generation.advance()
            try:
                result = compiled.handler(ex.context)  # type: ignore[misc]  # not None: else _not_implemented
            finally:  # whatever the handler changed, even in a stored record's own dict
                self.generation.advance()
        else:
            result = compiled.handler(ex.context)  # type: ignore[misc]
        self._handled(ex, result)

    async def _handle_async(self, ex: Exchange) -> None:
        compiled = ex.compiled
        if compiled.writes:
            self.generation.advance()
        try:
            result = await compiled.handler(ex.context)  # type: ignore[misc]
        finally:
            if compiled.writes:
                self.generation.advance()
        self._handled(ex, result)

    @staticmethod
    def _handled(ex: Exchange, result: Any) -> None:
        ex.status = ex.operation.success_status
        if isinstance(result, Reply):
            ex.status = result.status or ex.status
            ex.reply_headers = result.headers
            result = result.data
        ex.result = result

    def _emit(self, ex: Exchange) -> None:
        """Only what a handler that succeeded emitted goes out."""
        context = ex.context
        if ex.decided_by == "handle" and context is not None and context.events:
            self.events.publish(ex.tenant, context.events)  # type: ignore[union-attr]  # set, or no emit stage

    def _render(self, ex: Exchange) -> None:
        if not ex.rendered:
            ex.payload = self.vendor.render_success(ex.operation, ex.result)
            ex.rendered = True

    def _check(self, ex: Exchange) -> None:
        if ex.body is not None:  # a cached answer was checked when it was built
            return
        problem = ex.compiled.checker.problems(ex.status, ex.payload)
        if problem:
            log.error("strict response check: %s", problem)
            raise ApiError(500, "sandbox_spec_mismatch", problem)

    def _respond(self, ex: Exchange) -> None:
        headers = ex.headers
        if ex.reply_headers:
            headers.update(ex.reply_headers)
        body = ex.body
        fresh = body is None
        if body is None:
            try:
                body = jsoncodec.dumps(ex.payload)
            except Exception:  # a payload that cannot be written is the vendor's 500, not aiohttp's
                self._crash(ex, "respond")
                body, ex.reply_headers = jsoncodec.dumps(ex.payload), None
                headers = ex.headers = {}
            ex.body = body
        headers[REQUEST_ID_HEADER] = ex.request_id
        try:
            ex.response = _vendor_answer(ex.status, body, headers)
        except Exception:  # a header aiohttp refuses
            self._crash(ex, "respond")
            ex.response = json_response(ex.status, ex.payload, {REQUEST_ID_HEADER: ex.request_id})
            return
        if fresh and ex.cache_key is not None:
            self._keep(ex, body)

    def _keep(self, ex: Exchange, body: bytes) -> None:
        """A fresh, successful answer that read nothing volatile: keep it for the next identical read."""
        if ex.status >= 300 or ex.context is None or ex.context.volatile:
            return
        reply = ex.reply_headers
        fresh = CachedResponse(ex.status, body, tuple(reply.items()) if reply else ())
        cached = ex.cached
        if cached is not None and cached != fresh:
            ex.response = self._stale_cache(ex, cached, fresh)
            return
        self.responses.put(ex.cache_key, ex.built_in, fresh)  # type: ignore[union-attr]  # no cache, no key

    def _observe(self, ex: Exchange) -> None:
        if ex.operation is None:
            return
        vendor, operation_id, status = self.vendor.name, ex.operation.operation_id, ex.status
        for observe in self.hooks.observers:
            observe(vendor, operation_id, status)

    def _stale_cache(self, ex: Exchange, cached: CachedResponse, fresh: CachedResponse) -> web.Response:
        """Verify mode found a cached answer that differs from the fresh one: a write escaped the generation."""
        operation = ex.operation
        problem = (f"{operation.operation_id}: the cached response ({cached.status}, "
                   f"{cached.body[:200]!r}) differs from a fresh one ({fresh.status}, {fresh.body[:200]!r}); "
                   "some write did not advance the app's generation")
        log.error("response cache: %s", problem)
        ex.status, ex.decided_by, ex.reason = 500, "cache", "sandbox_stale_cache"
        return json_response(500, self.vendor.render_error(ApiError(500, "sandbox_stale_cache", problem)),
                             {REQUEST_ID_HEADER: ex.request_id})

    # -- what aiohttp's router answers ------------------------------------------------------------------

    async def _route_error(self, request: web.Request, error: ApiError) -> web.Response:
        """A 404 or 405 the router decided: no operation, but the same answering stages."""
        routed = self._routed
        if routed.version != self.hooks.version:
            self._build(routed)
        ex = Exchange(request, {}, None, f"req_{next(self._request_ids)}")
        self._refuse(ex, error, "route")
        return await self._answer(ex, routed.answering)

    # -- mounting -----------------------------------------------------------------------------------

    def _by_path(self) -> dict[str, dict[str, CompiledOperation]]:
        """Operations by path template, literal paths first, so /affiliates/invite is not read as /affiliates/{id}."""
        by_path: dict[str, dict[str, CompiledOperation]] = {}
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

    def _dispatcher(self, methods: dict[str, CompiledOperation]) -> Callable[[web.Request], Awaitable[web.Response]]:
        allowed = sorted(methods)

        async def dispatch(request: web.Request) -> web.Response:
            compiled = methods.get(request.method)
            if compiled is None:
                error = self.vendor.method_not_allowed(request.method, request.path, allowed)
                if error.status == 405:  # a vendor may answer 404 instead; Allow belongs to a 405 only
                    error.headers.setdefault("Allow", ", ".join(allowed))
                return await self._route_error(request, error)
            return await self.run(compiled, request, request.match_info)

        return dispatch

    async def unknown_route(self, request: web.Request) -> web.Response:
        return await self._route_error(request, self.vendor.route_not_found(request.method, request.path))

    async def openapi(self, request: web.Request) -> web.Response:
        document = dict(self.spec.document)
        base = request.path[: -len("/openapi.json")]
        document["servers"] = [{"url": f"{request.scheme}://{request.host}{base}",
                                "description": "affiliate-sandbox"}]
        return json_response(200, document, {REQUEST_ID_HEADER: f"req_{next(self._request_ids)}"})
