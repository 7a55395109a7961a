"""LinkJolt (https://linkjolt.io/api/v1), served under /linkjolt/api/v1."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from ...core.context import KeyInfo
from ...core.errors import ApiError, Issue
from ...core.ratelimit import Decision, Limit
from ...core.spec import Operation
from ...core.store import Page
from ..base import ControlAction, Vendor
from . import auth, control, errors, magic
from .handlers import HANDLERS
from .state import build_state

if TYPE_CHECKING:
    from ...core.random import RandomSource
    from ...core.tenants import Tenant


class LinkJolt(Vendor):
    name = "linkjolt"
    base_path = "/linkjolt/api/v1"
    handlers = HANDLERS

    def describe_key(self, key: str) -> KeyInfo | None:
        return auth.describe_key(key)

    def key_from_fixture(self, entry: Mapping[str, Any]) -> KeyInfo:
        info = auth.describe_key(str(entry["key"]), entry.get("plan"))
        if info is None:
            raise ValueError(f"linkjolt: fixture key {entry['key']!r} is not a well-formed lj_pk_ key")
        return info

    def new_key(self, random: "RandomSource") -> str:
        return auth.new_key(random)

    def authorize(self, key: KeyInfo, operation: Operation) -> None:
        auth.authorize(key, operation)

    def rate_limits(self, key: KeyInfo, operation: Operation) -> list[Limit]:
        return auth.rate_limits(key, operation)

    def rate_limit_headers(self, decision: Decision) -> dict[str, str]:
        return auth.rate_limit_headers(decision)

    def rate_limited(self, decision: Decision) -> ApiError:
        return ApiError(429, "rate_limit_exceeded",
                        f"Rate limit exceeded ({decision.limit} requests per minute). "
                        f"Retry after {decision.retry_after} seconds.",
                        headers={"Retry-After": str(decision.retry_after)})

    def validation_error(self, issues: list[Issue]) -> ApiError:
        return errors.validation_error(issues)

    def bad_json(self, reason: str) -> ApiError:
        return errors.bad_json()

    def render_error(self, error: ApiError) -> Any:
        return errors.render_error(error)

    def render_success(self, operation: Operation, data: Any) -> Any:
        if isinstance(data, Page):
            return {"data": data.items, "pagination": {"page": data.page, "limit": data.limit,
                                                       "total": data.total, "totalPages": data.total_pages}}
        return {"data": data}

    def build_state(self, fixtures: dict[str, Any], tenant: "Tenant", source: str) -> Any:
        return build_state(fixtures, tenant, source)

    def control_actions(self) -> list[ControlAction]:
        return control.ACTIONS

    def magic(self) -> dict[str, str]:
        return magic.describe()
