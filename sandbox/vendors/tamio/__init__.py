"""Tamio (https://api.tamio.com/v2), served under /tamio/v2."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core.context import KeyInfo
from ...core.errors import ApiError
from ...core.ratelimit import Decision
from ...core.spec import Operation
from ..base import Vendor, VendorParts
from . import auth, control, errors, magic, state, webhooks
from .handlers import HANDLERS


class Tamio(Vendor):
    """400 with a numeric error_code for nearly every failure; 401 without one for keys."""

    name = "tamio"
    base_path = "/tamio/v2"
    handlers = HANDLERS
    parts = VendorParts(auth=auth, errors=errors, state=state, control=control, magic=magic,
                        webhooks=webhooks)

    def key_from_fixture(self, entry: Mapping[str, Any]) -> KeyInfo:
        info = auth.describe_key(str(entry["key"]), entry.get("permissions"), entry.get("rate_limit"))
        if info is None:
            raise ValueError(f"tamio: fixture key {entry['key']!r} is not a well-formed sk_/pk_ key")
        return info

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

    def bad_json(self, reason: str) -> ApiError:
        return errors.schema_error("Request body is not valid JSON")

    def internal_error(self, request_id: str) -> ApiError:
        return ApiError(500, "internal_error", f"Internal server error (request {request_id})")

    def not_implemented(self, operation: Operation) -> ApiError:
        return ApiError(501, "not_implemented", f"The sandbox does not implement {operation.operation_id} yet")

    def render_success(self, operation: Operation, data: Any) -> Any:
        return {"status": 200, **data}
