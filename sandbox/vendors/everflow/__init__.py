"""Everflow Network API (https://api.eflow.team/v1), served under /everflow/v1."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core.context import KeyInfo
from ...core.errors import ApiError
from ...core.ratelimit import Decision
from ...core.spec import Operation
from ...core.store import Page
from ..base import Vendor, VendorParts
from . import auth, control, errors, magic, state, webhooks
from .handlers import HANDLERS


class Everflow(Vendor):
    name = "everflow"
    base_path = "/everflow/v1"
    handlers = HANDLERS
    parts = VendorParts(auth=auth, errors=errors, state=state, control=control, magic=magic,
                        webhooks=webhooks)

    def key_from_fixture(self, entry: Mapping[str, Any]) -> KeyInfo:
        info = auth.describe_key(str(entry["key"]), entry.get("portal"), entry.get("permissions"))
        if info is None:
            raise ValueError(f"everflow: fixture key {entry['key']!r} is not a well-formed ef_ key")
        return info

    def unauthorized(self, key: str | None) -> ApiError:
        return ApiError(401, "unauthorized", "No Authentication Method Found")

    def rate_limited(self, decision: Decision) -> ApiError:
        return ApiError(429, "too_many_requests", "Too Many Requests",
                        headers={"Retry-After": str(decision.retry_after)})

    def route_not_found(self, method: str, path: str) -> ApiError:
        return ApiError(404, "not_found", "Not Found")

    def method_not_allowed(self, method: str, path: str, allowed: list[str]) -> ApiError:
        return ApiError(405, "method_not_allowed", "Method Not Allowed")

    def bad_json(self, reason: str) -> ApiError:
        return errors.bad_request("Invalid JSON")

    def internal_error(self, request_id: str) -> ApiError:
        return ApiError(500, "internal_error", f"Internal Server Error (request {request_id})")

    def render_success(self, operation: Operation, data: Any) -> Any:
        if isinstance(data, Page):
            raise TypeError("Everflow handlers return their own {<name>: [...], paging} objects")
        return data
