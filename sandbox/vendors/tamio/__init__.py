"""Tamio (https://api.tamio.com/v2), served under /tamio/v2."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from ...core.context import KeyInfo
from ...core.errors import ApiError, Issue
from ...core.ratelimit import Decision, Limit
from ...core.spec import Operation
from ..base import ControlAction, Vendor
from . import auth, control, errors, magic
from .handlers import HANDLERS
from .state import build_state

if TYPE_CHECKING:
    from ...core.random import RandomSource
    from ...core.tenants import Tenant


class Tamio(Vendor):
    """400 with a numeric error_code for nearly every failure; 401 without one for keys."""

    name = "tamio"
    base_path = "/tamio/v2"
    handlers = HANDLERS

    def describe_key(self, key: str) -> KeyInfo | None:
        return auth.describe_key(key)

    def key_from_fixture(self, entry: Mapping[str, Any]) -> KeyInfo:
        info = auth.describe_key(str(entry["key"]), entry.get("permissions"), entry.get("rate_limit"))
        if info is None:
            raise ValueError(f"tamio: fixture key {entry['key']!r} is not a well-formed sk_/pk_ key")
        return info

    def new_key(self, random: "RandomSource") -> str:
        return auth.new_key(random)

    def authorize(self, key: KeyInfo, operation: Operation) -> None:
        auth.authorize(key, operation)

    def rate_limits(self, key: KeyInfo, operation: Operation) -> list[Limit]:
        return auth.rate_limits(key, operation)

    # -- errors: Tamio's statuses ---------------------------------------------------------------------

    def unauthorized(self, key: str | None) -> ApiError:
        return ApiError(401, "unauthorized", "Missing or invalid API key")

    def rate_limited(self, decision: Decision) -> ApiError:
        return ApiError(429, "rate_limited", "Too many requests",
                        headers={"Retry-After": str(decision.retry_after)})

    def route_not_found(self, method: str, path: str) -> ApiError:
        # A missing path uuid (".../retrieve/") is documented as a 400; an unknown path is answered the same way.
        return errors.schema_error(f"Unknown endpoint {method} {path} (or its uuid is missing)")

    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError:
        return ApiError(405, "method_not_allowed", f"{method} is not allowed on {path}; allowed: {', '.join(allowed)}")

    def validation_error(self, issues: list[Issue]) -> ApiError:
        return errors.validation_error(issues)

    def bad_json(self, reason: str) -> ApiError:
        return errors.schema_error("Request body is not valid JSON")

    def internal_error(self, request_id: str) -> ApiError:
        return ApiError(500, "internal_error", f"Internal server error (request {request_id})")

    def not_implemented(self, operation: Operation) -> ApiError:
        return ApiError(501, "not_implemented", f"The sandbox does not implement {operation.operation_id} yet")

    def render_error(self, error: ApiError) -> Any:
        return errors.render_error(error)

    def render_success(self, operation: Operation, data: Any) -> Any:
        return {"status": 200, **data}

    # -- state ------------------------------------------------------------------------------------------

    def build_state(self, fixtures: dict[str, Any], tenant: "Tenant", source: str) -> Any:
        return build_state(fixtures, tenant, source)

    def control_actions(self) -> list[ControlAction]:
        return control.ACTIONS

    def magic(self) -> dict[str, str]:
        return magic.describe()
