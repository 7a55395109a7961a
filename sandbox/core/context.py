"""What the pipeline hands a handler, what a handler hands back, and what core asks of a vendor."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol, Sequence

from .errors import ApiError, Issue
from .events import Event
from .ratelimit import Decision, Limit
from .spec import Operation

if TYPE_CHECKING:
    from datetime import datetime

    from aiohttp import web

    from .random import RandomSource
    from .tenants import Tenant


@dataclass(frozen=True)
class KeyInfo:
    """An API key as its vendor sees it: whose it is and what it may do."""

    vendor: str
    key: str
    test_mode: bool = False
    plan: str | None = None
    permissions: frozenset[str] = frozenset()
    attributes: Mapping[str, Any] = field(default_factory=dict)


class RequestContext:
    """Everything a handler may read: the validated request, the caller's key and the tenant's world.

    Reading what can differ between two identical requests (a real clock, the random source, this request's
    rate-limit count, the raw request, the tenant object itself) marks the context `volatile`, and the
    pipeline then never reuses the response it builds (see `responsecache`).
    """

    __slots__ = ("operation", "key", "state", "path", "query", "body", "volatile", "events", "_tenant", "_request",
                 "_rate_limit")

    def __init__(self, operation: Operation, tenant: "Tenant", key: KeyInfo, state: Any, path: dict[str, Any],
                 query: dict[str, Any], body: Any, request: "web.Request | None" = None,
                 rate_limit: Decision | None = None) -> None:
        self.operation = operation
        self.key = key
        self.state = state  # the vendor's state object in this tenant
        self.path = path
        self.query = query
        self.body = body
        self.volatile = False
        self.events: list[Event] | None = None  # what the handler emitted; published once it has succeeded
        self._tenant = tenant
        self._request = request
        self._rate_limit = rate_limit

    @property
    def tenant(self) -> "Tenant":
        self.volatile = True
        return self._tenant

    @property
    def request(self) -> "web.Request | None":
        self.volatile = True
        return self._request

    @property
    def rate_limit(self) -> Decision | None:
        """This request's count in its tightest window."""
        self.volatile = True
        return self._rate_limit

    @property
    def random(self) -> "RandomSource":
        self.volatile = True
        return self._tenant.random

    def emit(self, type_: str, data: Any) -> None:
        """Emit a vendor event (its name and data are the vendor's); the vendor's webhooks module turns it
        into deliveries after the handler has returned."""
        tenant = self._tenant
        event = Event(tenant.id, self.key.vendor, type_, data, self.key.test_mode, tenant.clock.timestamp())
        if self.events is None:
            self.events = [event]
        else:
            self.events.append(event)

    def now(self) -> datetime:
        clock = self._tenant.clock
        if not clock.frozen:  # a frozen clock moves only through the control plane, which is a write
            self.volatile = True
        return clock.now()

    def timestamp(self) -> float:
        """The tenant's time in seconds since the epoch: `now()` without building a datetime."""
        clock = self._tenant.clock
        if not clock.frozen:
            self.volatile = True
        return clock.timestamp()


@dataclass
class Reply:
    """A handler's result when the spec's first 2xx status or the default headers are not enough."""

    data: Any
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[RequestContext], Any]
"""A plain function, or an `async def` (the pipeline asks which once, not of every result)."""


class VendorApi(Protocol):
    """The part of a vendor the core machinery calls. `sandbox.vendors.base.Vendor` implements it."""

    name: str
    base_path: str
    handlers: Mapping[str, Handler]

    def read_key(self, headers: Mapping[str, str]) -> str | None: ...
    def anonymous(self, operation: Operation) -> KeyInfo | None: ...
    def describe_key(self, key: str) -> KeyInfo | None: ...
    def key_from_fixture(self, entry: Mapping[str, Any]) -> KeyInfo: ...
    def new_key(self, random: "RandomSource", token: str) -> str: ...
    def authorize(self, key: KeyInfo, operation: Operation) -> None: ...
    def rate_limits(self, key: KeyInfo, operation: Operation) -> Sequence[Limit]: ...
    def rate_limit_headers(self, decision: Decision) -> dict[str, str]: ...
    def unauthorized(self, key: str | None) -> ApiError: ...
    def rate_limited(self, decision: Decision) -> ApiError: ...
    def route_not_found(self, method: str, path: str) -> ApiError: ...
    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError: ...
    def validation_error(self, issues: list[Issue]) -> ApiError: ...
    def bad_json(self, reason: str) -> ApiError: ...
    def internal_error(self, request_id: str) -> ApiError: ...
    def not_implemented(self, operation: Operation) -> ApiError: ...
    def render_error(self, error: ApiError) -> Any: ...
    def render_success(self, operation: Operation, data: Any) -> Any: ...
    def build_state(self, fixtures: dict[str, Any], tenant: "Tenant", source: str) -> Any: ...
