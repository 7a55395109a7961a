"""Helpers every Tamio handler module shares: lookups that answer 1002, date ranges and list pages."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ....core.clock import parse_instant
from ....core.context import RequestContext
from ....core.store import Page, paginate, sort_records
from ...base import HandlerTable
from ..errors import not_found
from ..models import Record, unix
from ..state import TamioState

HANDLERS = HandlerTable()  # operationId -> handler; every module of this folder registers here

DAY = 86400


def state_of(ctx: RequestContext) -> TamioState:
    return ctx.state


def unix_now(ctx: RequestContext) -> int:
    """The request's time in Unix seconds, as `unix(ctx.now())` answers it, mostly without building a datetime."""
    moment = ctx.timestamp()
    seconds = int(moment)
    # now() rounds to the microsecond, which can carry into the next second only this close to it: ask it then.
    if -0.999 < moment - seconds < 0.999:
        return seconds
    return unix(datetime.fromtimestamp(moment, tz=UTC))


def in_range(query: dict[str, Any], field: str) -> Callable[[Record], bool]:
    """Inclusive `from`/`to` (Unix seconds or ISO 8601) on a Unix-seconds field; a date-only `to` is its whole day."""

    def bound(value: Any, end_of_day: bool) -> int | None:
        if value is None:
            return None
        if isinstance(value, int):
            return value
        seconds = int(parse_instant(value).timestamp())
        return seconds + DAY - 1 if end_of_day and len(value) == 10 else seconds

    low, high = bound(query.get("from"), False), bound(query.get("to"), True)
    return lambda r: (low is None or r[field] >= low) and (high is None or r[field] <= high)


def page_of(rows: list[Record], query: dict[str, Any], field: str) -> Page:
    """Sort by `field` in `order` (default desc) and cut the page given by `page` / `per_page`."""
    ordered = sort_records(rows, field, query.get("order", "desc") == "desc")
    return paginate(ordered, query["page"], query["per_page"])


def listing(name: str, page: Page, render: Callable[[Record], Record]) -> dict[str, Any]:
    """Tamio's list envelope body (render_success adds status): total_results plus the named array."""
    return {"total_results": page.total, name: [render(r) for r in page.items]}


def require_program(ctx: RequestContext, program_id: str) -> Record:
    program = state_of(ctx).programs.get(program_id)
    if program is None:
        raise not_found("Affiliate program", program_id, "(or does not belong to your account)")
    return program


def require_affiliate(ctx: RequestContext, affiliate_id: str, detail: str = "") -> Record:
    affiliate = state_of(ctx).affiliates.get(affiliate_id)
    if affiliate is None:
        raise not_found("Affiliate", affiliate_id, detail)
    return affiliate
