"""LinkJolt (https://linkjolt.io/api/v1), served under /linkjolt/api/v1."""
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


class LinkJolt(Vendor):
    name = "linkjolt"
    base_path = "/linkjolt/api/v1"
    handlers = HANDLERS
    parts = VendorParts(auth=auth, errors=errors, state=state, control=control, magic=magic,
                        webhooks=webhooks)

    def key_from_fixture(self, entry: Mapping[str, Any]) -> KeyInfo:
        info = auth.describe_key(str(entry["key"]), entry.get("plan"))
        if info is None:
            raise ValueError(f"linkjolt: fixture key {entry['key']!r} is not a well-formed lj_pk_ key")
        return info

    def rate_limited(self, decision: Decision) -> ApiError:
        return ApiError(429, "rate_limit_exceeded",
                        f"Rate limit exceeded ({decision.limit} requests per minute). "
                        f"Retry after {decision.retry_after} seconds.",
                        headers={"Retry-After": str(decision.retry_after)})

    def bad_json(self, reason: str) -> ApiError:
        return errors.bad_json()

    def render_success(self, operation: Operation, data: Any) -> Any:
        if isinstance(data, Page):
            return {"data": data.items, "pagination": {"page": data.page, "limit": data.limit,
                                                       "total": data.total, "totalPages": data.total_pages}}
        return {"data": data}
