"""The Vendor interface every vendor implements, with the defaults most vendors share."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..core.context import Handler, KeyInfo
from ..core.errors import ApiError, Issue, RecordId
from ..core.events import VendorWebhooks
from ..core.fixtures import FixtureError
from ..core.ratelimit import Decision, Limit
from ..core.relations import declared_problem
from ..core.spec import Operation

if TYPE_CHECKING:
    from ..core.random import RandomSource
    from ..core.tenantlike import TenantLike


class HandlerTable(dict[str, Handler]):
    """operationId -> handler; modules register with `@table.operation("createAffiliate")`."""

    def operation(self, operation_id: str) -> Callable[[Handler], Handler]:
        def register(func: Handler) -> Handler:
            if operation_id in self:
                raise ValueError(f"two handlers for {operation_id}")
            self[operation_id] = func
            return func
        return register


class AuthModule(Protocol):
    """A vendor's `auth.py`. It may also define the optional hooks `read_key(headers)` (default: a Bearer token),
    `anonymous(operation)`, `authorize(key, operation)`, `rate_limits(key, operation)` and
    `rate_limit_headers(decision)` (defaults: none of each), looked up once by `Vendor.__init__`."""

    def describe_key(self, key: str) -> KeyInfo | None: ...
    def new_key(self, random: RandomSource, token: str) -> str: ...


class ErrorsModule(Protocol):
    """A vendor's `errors.py`: its envelope, its schema-failure error and the recurring errors named once."""

    def render_error(self, error: ApiError) -> Any: ...
    def validation_error(self, issues: list[Issue]) -> ApiError: ...
    def not_found(self, what: str, record_id: RecordId | None = None, detail: str = "") -> ApiError: ...
    def duplicate(self, message: str, existing: Mapping[str, RecordId] | None = None) -> ApiError: ...
    def invalid_transition(self, message: str) -> ApiError: ...


class StateModule(Protocol):
    """A vendor's `state.py`: builds the vendor's state in a tenant from expanded fixtures."""

    def build_state(self, fixtures: dict[str, Any], tenant: TenantLike, source: str) -> Any: ...


class ControlModule(Protocol):
    """A vendor's `control.py`: its simulations under /_sandbox/tenants/{id}/<vendor>/."""

    ACTIONS: list[ControlAction]


class MagicModule(Protocol):
    """A vendor's `magic.py`: the key segments and values that decide behaviour, described for people."""

    def describe(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class VendorParts:
    """A vendor folder's modules, which the Vendor defaults call into (every vendor folder has the same shape).
    Each field's type is the module's contract, so mypy fails a vendor folder that drifts from it."""

    auth: AuthModule
    errors: ErrorsModule
    state: StateModule
    control: ControlModule
    magic: MagicModule
    webhooks: VendorWebhooks | None = None  # outbound events


@dataclass(frozen=True)
class ControlAction:
    """A simulation under /_sandbox/tenants/{id}/<vendor>/<path>: something that happens outside the API."""

    method: str
    path: str  # relative, may hold {name} parameters
    handler: Callable[[TenantLike, Any, dict[str, str], Any], Any | Awaitable[Any]]  # (tenant, state, params, body)
    summary: str


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    value = headers.get("Authorization", "")
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _no_anonymous(operation: Operation) -> KeyInfo | None:
    """The default anonymous hook: no operation answers without a key."""
    return None


def _allow(key: KeyInfo, operation: Operation) -> None:
    """The default authorize hook: every key may call every operation."""


def _no_limits(key: KeyInfo, operation: Operation) -> Sequence[Limit]:
    return ()


def _no_headers(decision: Decision) -> dict[str, str]:
    return {}


class Vendor(ABC):
    """One vendor: its paths, its keys, its envelopes and its handlers. See `sandbox.core.context.VendorApi`."""

    name: str
    base_path: str
    handlers: Mapping[str, Handler]
    parts: VendorParts

    def __init__(self) -> None:
        # The auth module's optional hooks, looked up once: a hook a module leaves out would otherwise cost a
        # failed attribute lookup (an exception raised and caught) on every request.
        auth = self.parts.auth
        self._read_key: Callable[[Mapping[str, str]], str | None] = getattr(auth, "read_key", bearer_token)
        self._authorize: Callable[[KeyInfo, Operation], None] = getattr(auth, "authorize", _allow)
        self._anonymous: Callable[[Operation], KeyInfo | None] = getattr(auth, "anonymous", _no_anonymous)
        self._rate_limits: Callable[[KeyInfo, Operation], Sequence[Limit]] = getattr(auth, "rate_limits", _no_limits)
        self._rate_limit_headers: Callable[[Decision], dict[str, str]] = getattr(
            auth, "rate_limit_headers", _no_headers)

    # -- keys -------------------------------------------------------------------------------------

    def read_key(self, headers: Mapping[str, str]) -> str | None:
        return self._read_key(headers)

    def anonymous(self, operation: Operation) -> KeyInfo | None:
        """The KeyInfo a keyless request to a public operation runs as (on the default tenant), or None when the
        operation needs a key."""
        return self._anonymous(operation)

    def describe_key(self, key: str) -> KeyInfo | None:
        """KeyInfo for a well-formed key (magic segments decide its properties), None for a malformed one."""
        return self.parts.auth.describe_key(key)

    def key_from_fixture(self, entry: Mapping[str, Any]) -> KeyInfo:
        info = self.describe_key(str(entry["key"]))
        if info is None:
            raise ValueError(f"{self.name}: fixture key {entry['key']!r} is not a well-formed key")
        return info

    def new_key(self, random: RandomSource, token: str) -> str:
        """A fresh key for a tenant made through the control plane, carrying its token (`core.tenanttoken`)."""
        return self.parts.auth.new_key(random, token)

    def authorize(self, key: KeyInfo, operation: Operation) -> None:
        """Raise an ApiError when the key may not call the operation."""
        self._authorize(key, operation)

    def rate_limits(self, key: KeyInfo, operation: Operation) -> Sequence[Limit]:
        return self._rate_limits(key, operation)

    def rate_limit_headers(self, decision: Decision) -> dict[str, str]:
        """A new dict on every call: the pipeline adds the response's other headers to it."""
        return self._rate_limit_headers(decision)

    # -- errors -----------------------------------------------------------------------------------

    def unauthorized(self, key: str | None) -> ApiError:
        return ApiError(401, "unauthorized", "Missing or invalid API key")

    def rate_limited(self, decision: Decision) -> ApiError:
        return ApiError(429, "rate_limit_exceeded", "Rate limit exceeded",
                        headers={"Retry-After": str(decision.retry_after)})

    def route_not_found(self, method: str, path: str) -> ApiError:
        return ApiError(404, "not_found", f"No route for {method} {path}")

    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError:
        return ApiError(405, "method_not_allowed", f"{method} is not allowed on {path}; allowed: {', '.join(allowed)}")

    def validation_error(self, issues: list[Issue]) -> ApiError:
        return self.parts.errors.validation_error(issues)

    def bad_json(self, reason: str) -> ApiError:
        return ApiError(400, "invalid_json", "Request body is not valid JSON")

    def internal_error(self, request_id: str) -> ApiError:
        return ApiError(500, "internal_error", f"Internal server error (request {request_id})")

    def not_implemented(self, operation: Operation) -> ApiError:
        return ApiError(501, "not_implemented",
                        f"The sandbox does not implement {operation.operation_id} "
                        f"({operation.method} {operation.path}) yet")

    def render_error(self, error: ApiError) -> Any:
        """The vendor's error envelope for an ApiError (the status is the error's)."""
        return self.parts.errors.render_error(error)

    @abstractmethod
    def render_success(self, operation: Operation, data: Any) -> Any:
        """The vendor's success envelope around a handler's data (a record, a list Page, ...)."""

    # -- state ------------------------------------------------------------------------------------

    def build_state(self, fixtures: dict[str, Any], tenant: TenantLike, source: str) -> Any:
        """The vendor's state for a tenant, built from expanded fixtures; FixtureError names source and record."""
        state = self.parts.state.build_state(fixtures, tenant, source)
        problem = declared_problem(state)
        if problem is not None:  # the builder's own checks name the fixture record; this is the backstop
            raise FixtureError(f"{source}: {problem}")
        return state

    def control_actions(self) -> list[ControlAction]:
        return self.parts.control.ACTIONS

    def magic(self) -> dict[str, str]:
        """Magic key segments and values, for the README and the control plane."""
        return self.parts.magic.describe()
