"""PromoteKit (https://www.promotekit.com/api/v1), served under /promotekit/api/v1."""
from __future__ import annotations

from typing import Any

from ...core.errors import ApiError
from ...core.ratelimit import Decision
from ...core.spec import Operation
from ...core.store import Page
from ..base import Vendor, VendorParts
from . import auth, control, errors, magic, state, webhooks
from .handlers import HANDLERS


class PromoteKit(Vendor):
    name = "promotekit"
    base_path = "/promotekit/api/v1"
    handlers = HANDLERS
    parts = VendorParts(auth=auth, errors=errors, state=state, control=control, magic=magic,
                        webhooks=webhooks)

    def rate_limited(self, decision: Decision) -> ApiError:
        # Guess: a bare Retry-After on the 429 only, the one header a generic HTTP client honours.
        return ApiError(429, magic.RATE_LIMIT, "Rate limit exceeded",
                        headers={"Retry-After": str(decision.retry_after)})

    def unauthorized(self, key: str | None) -> ApiError:
        return ApiError(401, magic.AUTHENTICATION, "Missing API key" if key is None else "Invalid API key")

    def route_not_found(self, method: str, path: str) -> ApiError:
        return ApiError(404, magic.NOT_FOUND, "Not found")

    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError:
        # Guess (the reference's): undocumented methods such as DELETE answer 404 like unknown routes.
        return ApiError(404, magic.NOT_FOUND, "Not found")

    def bad_json(self, reason: str) -> ApiError:
        return errors.bad_json()

    def internal_error(self, request_id: str) -> ApiError:
        return ApiError(500, magic.API_ERROR, f"Internal server error (request {request_id})")

    def not_implemented(self, operation: Operation) -> ApiError:
        return ApiError(501, magic.API_ERROR, f"The sandbox does not implement {operation.operation_id} "
                                              f"({operation.method} {operation.path}) yet")

    def render_success(self, operation: Operation, data: Any) -> Any:
        if isinstance(data, Page):
            return {"success": True, "data": data.items, "pagination": {
                "page": data.page, "limit": data.limit, "total_count": data.total,
                "total_pages": data.total_pages, "has_more": data.has_more}}
        return {"success": True, "data": data}
