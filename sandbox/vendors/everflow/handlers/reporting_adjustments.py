"""Manual reporting adjustments (conversions, payout and revenue booked on a day for an offer and an affiliate),
which every report covering that day counts, and the refunds search."""
from __future__ import annotations

from ....core.context import RequestContext
from .. import magic
from ..models import Record
from ..reports import in_range
from .common import HANDLERS, check_meta, listing, now, require_affiliate, require_offer, state_of
from .conversions import report_bound
from .reporting import report_range

ADJUSTMENT_FILTERS = {"network_offer_id": "network_offer_id", "network_affiliate_id": "network_affiliate_id"}


@HANDLERS.operation("createReportingAdjustment")
def create_adjustment(ctx: RequestContext) -> Record:
    """Booked at the start of `from` in the request's timezone (default: now); `to` is accepted (guess)."""
    state, body = state_of(ctx), ctx.body
    offer = require_offer(ctx, body["network_offer_id"])
    affiliate = require_affiliate(ctx, body["network_affiliate_id"])
    at = now(ctx)
    if body.get("from"):
        timezone_id = body.get("timezone_id", state.network["default_timezone_id"])
        check_meta(ctx, "timezones", "timezone_id", timezone_id)
        at = report_bound(body["from"], state.timezone_offset(timezone_id), False)
    record = {"network_adjustment_id": state.adjustments.next_int_id(), "network_id": state.network["network_id"],
              "network_offer_id": offer["network_offer_id"],
              "network_affiliate_id": affiliate["network_affiliate_id"], "unix_timestamp": at,
              "conversions": body.get("conversions", 0), "payout": round(float(body.get("payout", 0)), 2),
              "revenue": round(float(body.get("revenue", 0)), 2), "memo": body.get("memo", ""),
              "currency_id": offer["currency_id"], "time_created": now(ctx)}
    return dict(state.adjustments.insert(record))


def _adjustments(ctx: RequestContext, body: Record) -> list[Record]:
    state = state_of(ctx)
    if body.get("from") and body.get("to"):
        body = {"timezone_id": state.network["default_timezone_id"], **body}
        low, high = report_range(ctx, body, magic.REPORT_MAX_DAYS)
        rows = list(in_range(state.adjustments, "unix_timestamp", low, high))
    else:
        rows = list(state.adjustments)
    filters = body.get("filters") or {}
    for name, stored in ADJUSTMENT_FILTERS.items():
        if filters.get(name) is not None:
            rows = [r for r in rows if r[stored] == filters[name]]
    rows.sort(key=lambda r: (-r["unix_timestamp"], -r["network_adjustment_id"]))
    return rows


@HANDLERS.operation("listReportingAdjustments")
def list_adjustments(ctx: RequestContext) -> Record:
    """Every adjustment, newest first (the draft names no parameters; paging as everywhere)."""
    return listing("adjustments", _adjustments(ctx, {}), ctx)


@HANDLERS.operation("searchReportingAdjustments")
def search_adjustments(ctx: RequestContext) -> Record:
    return listing("adjustments", _adjustments(ctx, ctx.body or {}), ctx)


@HANDLERS.operation("searchRefunds")
def search_refunds(ctx: RequestContext) -> Record:
    """Nothing in the sandbox issues refunds (no advertiser-side refund postbacks): the range is checked and the
    list is empty (guess)."""
    report_range(ctx, ctx.body, magic.REPORT_MAX_DAYS, magic.REPORT_LOOKBACK_DAYS)
    return {"refunds": []}
