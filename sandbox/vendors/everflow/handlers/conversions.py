"""Conversion reporting: the search by date range, one conversion, and bulk approve/reject."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ....core.context import RequestContext
from .. import magic
from ..errors import bad_request, not_found
from ..models import Record
from ..reports import in_range
from ..views import conversion_out
from .common import HANDLERS, check_meta, listing, now, state_of

# resource_type -> the stored field a `query.filters[]` entry compares with (filter_id_value as text)
FILTER_FIELDS = {"offer": "network_offer_id", "affiliate": "network_affiliate_id", "status": "status",
                 "transaction_id": "transaction_id", "sub1": "sub1", "sub2": "sub2", "sub3": "sub3",
                 "sub4": "sub4", "sub5": "sub5", "source_id": "source_id", "country": "country"}
SEARCH_FIELDS = {"transaction_id": "transaction_id", "sub_1": "sub1", "sub_2": "sub2", "sub_3": "sub3",
                 "sub_4": "sub4", "sub_5": "sub5", "adv_1": "adv1", "adv_2": "adv2", "adv_3": "adv3",
                 "adv_4": "adv4", "adv_5": "adv5", "order_id": "order_id", "email": "email",
                 "coupon_code": "coupon_code", "user_ip": "session_user_ip"}


def report_bound(text: str, offset: int, end: bool) -> int:
    """A report bound in the request's timezone as Unix seconds; a bare date `to` runs to the end of that day."""
    try:
        if len(text) == 10:
            moment = datetime.strptime(text, "%Y-%m-%d") + (timedelta(days=1, seconds=-1) if end else timedelta())
        else:
            moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except (ValueError, OverflowError) as exc:  # the pattern lets through days that do not exist
        raise bad_request(f"{'to' if end else 'from'} is not a valid date: {text}") from exc
    return int(moment.replace(tzinfo=UTC).timestamp()) - offset


@HANDLERS.operation("searchConversions")
def search_conversions(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    check_meta(ctx, "timezones", "timezone_id", body["timezone_id"])
    offset = state.timezone_offset(body["timezone_id"])
    low, high = report_bound(body["from"], offset, False), report_bound(body["to"], offset, True)
    if high < low:
        raise bad_request("from must be before to")
    if high - low >= magic.REPORT_MAX_DAYS * 86400:
        raise bad_request("The date range cannot exceed 1 year")
    if low < now(ctx) - magic.REPORT_LOOKBACK_DAYS * 86400:
        raise bad_request("Conversions are only available for the last 365 days")
    query = body.get("query") or {}
    wanted: dict[str, set[str]] = {}
    for f in query.get("filters") or []:
        if f["resource_type"] in FILTER_FIELDS:  # guess: other resource types are accepted and ignored
            wanted.setdefault(FILTER_FIELDS[f["resource_type"]], set()).add(str(f["filter_id_value"]).lower())
    terms = [(SEARCH_FIELDS[t["search_type"]], t["value"].lower()) for t in query.get("search_terms") or []
             if t["search_type"] in SEARCH_FIELDS]

    def keep(c: Record) -> bool:
        if not low <= c["conversion_unix_timestamp"] <= high:
            return False
        if c["is_event"] and not body["show_events"] or not c["is_event"] and not body["show_conversions"]:
            return False
        if any(str(c[name]).lower() not in values for name, values in wanted.items()):
            return False
        return all(value in str(c[name]).lower() for name, value in terms)

    # The date range is required: the days' groups hold every candidate, not every conversion stored.
    in_days = in_range(state.conversions, "conversion_unix_timestamp", low, high)
    rows = sorted(filter(keep, in_days), key=lambda c: (-c["conversion_unix_timestamp"], c["conversion_id"]))
    return listing("conversions", [conversion_out(state, c) for c in rows], ctx)


@HANDLERS.operation("getConversion")
def get_conversion(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    conversion = state.conversions.get(ctx.path["conversionId"])
    if conversion is None:
        raise not_found("Conversion")
    return conversion_out(state, conversion)


@HANDLERS.operation("updateConversionStatuses")
def update_statuses(ctx: RequestContext) -> Record:
    """Approve or reject in bulk; all or nothing: an unknown id changes nothing (guess: 404 naming it)."""
    state, body = state_of(ctx), ctx.body
    for conversion_id in body["conversion_ids"]:
        if conversion_id not in state.conversions:
            raise not_found("Conversion", conversion_id)
    for conversion_id in dict.fromkeys(body["conversion_ids"]):
        state.conversions.update(conversion_id, {"status": body["conversion_status"]})
    return {"result": True}


@HANDLERS.operation("updateConversionPayoutRevenue")
def update_payout_revenue(ctx: RequestContext) -> Record:
    """Documented for approved conversions only; absolute amounts."""
    state, body = state_of(ctx), ctx.body
    conversion = state.conversions.get(ctx.path["conversionId"])
    if conversion is None:
        raise not_found("Conversion")
    if conversion["status"] != "approved":
        raise bad_request("Only approved conversions can have their payout and revenue updated")
    if bool(body.get("is_event", False)) != conversion["is_event"]:
        raise bad_request("is_event does not match the conversion")
    state.conversions.update(conversion["conversion_id"], {"payout": round(float(body["payout"]), 2),
                                                           "revenue": round(float(body["revenue"]), 2)})
    return {"result": True}
