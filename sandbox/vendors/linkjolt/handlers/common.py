"""Helpers every LinkJolt handler module shares: lists, date ranges, lookups that 404."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ....core.clock import format_instant, format_timestamp, parse_instant
from ....core.context import RequestContext
from ....core.store import Page, paginate, sort_records
from ...base import HandlerTable
from ..errors import not_found
from ..models import Record, visible
from ..state import LinkJoltState

HANDLERS = HandlerTable()  # operationId -> handler; every module of this folder registers here


def state_of(ctx: RequestContext) -> LinkJoltState:
    return ctx.state


def now_iso(ctx: RequestContext) -> str:
    return format_timestamp(ctx.timestamp())


def page_of(rows: list[Record], query: dict[str, Any], aliases: dict[str, str] | None = None) -> Page:
    """Sort by `sort=field:asc|desc` (validated by the spec) and cut the page."""
    field, _, direction = str(query["sort"]).partition(":")
    ordered = sort_records(rows, (aliases or {}).get(field, field), direction == "desc")
    return paginate(ordered, query["page"], query["limit"])


def date_filter(query: dict[str, Any], field: str = "createdAt") -> Callable[[Record], bool]:
    """Inclusive `from`/`to` on a timestamp field; a date-only `to` means the end of that day (guess)."""
    low = parse_instant(query["from"]) if "from" in query else None
    high = None
    if "to" in query:
        text = query["to"]
        high = parse_instant(text) + (timedelta(days=1, seconds=-1) if len(text) == 10 else timedelta())
    low_s = format_instant(low) if low else None
    high_s = format_instant(high) if high else None

    def keep(record: Record) -> bool:
        value = record[field]
        return (low_s is None or value >= low_s) and (high_s is None or value <= high_s)

    return keep


def require_campaign(ctx: RequestContext, campaign_id: str) -> Record:
    campaign = state_of(ctx).campaigns.get(campaign_id)
    if campaign is None:
        raise not_found("Campaign", campaign_id)
    return campaign


def require_affiliate(ctx: RequestContext, affiliate_id: str) -> Record:
    affiliate = state_of(ctx).affiliates.get(affiliate_id)
    if affiliate is None or not visible(affiliate, ctx.key):
        raise not_found("Affiliate", affiliate_id)
    return affiliate


def require_conversion(ctx: RequestContext, conversion_id: str) -> Record:
    conversion = state_of(ctx).conversions.get(conversion_id)
    if conversion is None or not visible(conversion, ctx.key):
        raise not_found("Conversion", conversion_id)
    return conversion
