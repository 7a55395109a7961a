"""Reporting computed from the tenant's clicks and conversions: the clicks stream, one click, a transaction, the
conversion summary, the aggregated (entity) report, the dashboard, invalid clicks, referrals and conversion edits."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ....core.context import RequestContext
from .. import magic
from ..errors import bad_request, not_found
from ..models import Record, collection, default_entry
from ..reports import Tally, grouped_tallies, in_range, matcher, tally
from ..state import EverflowState
from ..views import conversion_out
from .common import HANDLERS, check_meta, now, state_of, tracking_url
from .conversions import report_bound

CLICK_STREAM_MAX_DAYS = 14  # documented
CLICK_LOOKBACK_DAYS = 90  # raw clicks are kept about three months (documented: "3 months")
CLICK_STREAM_CAP = 10_000  # documented
INVALID_CLICKS_CAP = 1_000  # documented
TABLE_ROW_CAP = 10_000  # documented


def report_range(ctx: RequestContext, body: Record, max_days: int, lookback_days: int | None = None) -> tuple[int, int]:
    """The request's [from, to] as Unix seconds in its timezone, checked: to not before from, at most `max_days`
    long, starting no more than `lookback_days` ago (messages are guesses)."""
    state = state_of(ctx)
    check_meta(ctx, "timezones", "timezone_id", body["timezone_id"])
    if body.get("currency_id") is not None:
        check_meta(ctx, "currencies", "currency_id", body["currency_id"])
    offset = state.timezone_offset(body["timezone_id"])
    low, high = report_bound(body["from"], offset, False), report_bound(body["to"], offset, True)
    if high < low:
        raise bad_request("from must be before to")
    if high - low > max_days * 86400:  # tap-everflow asks for exactly 14 days (streams.py:545)
        raise bad_request(f"The date range cannot exceed {max_days} days")
    if lookback_days is not None and low < now(ctx) - lookback_days * 86400:
        raise bad_request(f"from cannot be more than {lookback_days} days ago")
    return low, high


# -- clicks ------------------------------------------------------------------------------------------------

def click_out(state: EverflowState, click: Record) -> Record:
    offer = state.offers.get(click["network_offer_id"])
    affiliate = state.affiliates.get(click["network_affiliate_id"])
    advertiser = state.advertisers.get(offer["network_advertiser_id"]) if offer else None
    out = {k: click[k] for k in ("transaction_id", "is_unique", "source_id", "sub1", "sub2", "sub3", "sub4", "sub5",
                                 "payout_type", "revenue_type", "payout", "revenue", "referer", "user_ip",
                                 "error_code", "error_message", "currency_id")}
    out |= {"unix_timestamp": click["click_unix_timestamp"],
            "tracking_url": tracking_url(state, offer, affiliate, click),
            "has_conversion": bool(state.conversions.group("transaction", click["transaction_id"])),
            "is_view_through": False, "is_test_mode": False}
    out["relationship"] = {
        "offer": None if offer is None else {"network_offer_id": offer["network_offer_id"], "name": offer["name"],
                                             "offer_status": offer["offer_status"]},
        "affiliate": None if affiliate is None else {"network_affiliate_id": affiliate["network_affiliate_id"],
                                                     "name": affiliate["name"],
                                                     "account_status": affiliate["account_status"]},
        "advertiser": None if advertiser is None else {"network_advertiser_id": advertiser["network_advertiser_id"],
                                                       "name": advertiser["name"]},
        "geolocation": {"country_code": click["country"]},
    }
    return out


def _clicks(ctx: RequestContext, invalid: bool, cap: int) -> Record:
    state, body = state_of(ctx), ctx.body
    low, high = report_range(ctx, body, CLICK_STREAM_MAX_DAYS, CLICK_LOOKBACK_DAYS)
    keep = matcher(state, body.get("query"))
    rows = [c for c in in_range(state.clicks, "click_unix_timestamp", low, high)
            if bool(c["error_code"]) == invalid and keep(c)]
    rows.sort(key=lambda c: (-c["click_unix_timestamp"], c["transaction_id"]))
    return {"clicks": [click_out(state, c) for c in rows[:cap]]}


@HANDLERS.operation("streamClicks")
def stream_clicks(ctx: RequestContext) -> Record:
    """Newest first: tap-everflow takes clicks[0] as the start of its next window (streams.py, pagination.py)."""
    return _clicks(ctx, invalid=False, cap=CLICK_STREAM_CAP)


@HANDLERS.operation("reportInvalidClicks")
def invalid_clicks(ctx: RequestContext) -> Record:
    return _clicks(ctx, invalid=True, cap=INVALID_CLICKS_CAP)


def _require_click(ctx: RequestContext) -> Record:
    click = state_of(ctx).clicks.get(ctx.path["transactionId"])
    if click is None:
        raise not_found("Click")
    return click


@HANDLERS.operation("getClick")
def get_click(ctx: RequestContext) -> Record:
    return click_out(state_of(ctx), _require_click(ctx))


@HANDLERS.operation("getTransaction")
def get_transaction(ctx: RequestContext) -> Record:
    state, click = state_of(ctx), _require_click(ctx)
    conversions = state.conversions.group("transaction", click["transaction_id"])
    out = click_out(state, click)
    return {"click": out, "conversions": collection(conversion_out(state, c) for c in conversions),
            "pixels": collection([]), "raw_click": out["tracking_url"], "on_hold_conversions": collection([])}


@HANDLERS.operation("listTransactionEvents")
def transaction_events(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    events = [c for c in state.conversions.group("transaction", ctx.path["transactionId"]) if c["is_event"]]
    return {"events": [conversion_out(state, c) for c in events]}


# -- conversions ----------------------------------------------------------------------------------------------

def _conversion_range(ctx: RequestContext, body: Record) -> tuple[int, int]:
    return report_range(ctx, body, magic.REPORT_MAX_DAYS, magic.REPORT_LOOKBACK_DAYS)


@HANDLERS.operation("summarizeConversions")
def summarize_conversions(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    show_conversions, show_events = body.get("show_conversions", True), body.get("show_events", False)
    if not show_conversions and not show_events:
        raise bad_request("At least one of show_conversions or show_events must be true")
    low, high = _conversion_range(ctx, body)
    keep = matcher(state, body.get("query"))
    picked = [c for c in in_range(state.conversions, "conversion_unix_timestamp", low, high)
              if (show_events if c["is_event"] else show_conversions) and keep(c)
              and (not body.get("show_only_scrub") or c["is_scrub"])]
    money = Tally()
    for conversion in picked:
        money.add_conversion(conversion)
    counts = {status: sum(c["status"] == status for c in picked) for status in ("pending", "approved", "invalid")}
    delays = [c["conversion_unix_timestamp"] - c["click_unix_timestamp"] for c in picked]
    return {"total": len(picked), **counts,
            "rejected_scrub": sum(c["status"] == "rejected" and c["is_scrub"] for c in picked),
            "rejected_manual": sum(c["status"] == "rejected" and not c["is_scrub"] for c in picked),
            "payout": round(money.payout, 2), "revenue": round(money.revenue, 2),
            "gross_sales": round(money.gross_sales, 2),
            "has_multi_currencies": len({c["currency_id"] for c in picked}) > 1,
            "avg_click_to_cv_time": round(sum(delays) / len(delays), 2) if delays else 0.0}


@HANDLERS.operation("findConversionsByEmail")
def conversions_by_email(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    low, high = _conversion_range(ctx, body)
    email = body["email"].strip().lower()
    rows = [c for c in in_range(state.conversions, "conversion_unix_timestamp", low, high)
            if c["email"].lower() == email]
    rows.sort(key=lambda c: (-c["conversion_unix_timestamp"], c["conversion_id"]))
    return {"conversions": [conversion_out(state, c) for c in rows]}


@HANDLERS.operation("updateConversionsByTransaction")
def update_by_transaction(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    conversions = state.conversions.group("transaction", body["transaction_id"])
    if not conversions:
        raise not_found("Conversion")
    for conversion in conversions:
        state.conversions.update(conversion["conversion_id"], {"status": body["status"]})
    return {"result": True}


@HANDLERS.operation("updateConversionSaleAmount")
def update_sale_amount(ctx: RequestContext) -> Record:
    """The payout and revenue follow the new sale amount where the conversion's entry pays a percentage (guess)."""
    state, body = state_of(ctx), ctx.body
    conversion = state.conversions.get(str(body["conversion_id"]))
    if conversion is None:
        raise not_found("Conversion")
    offer = state.offers.get(conversion["network_offer_id"])
    sale = float(body["sale_amount"])
    changes: Record = {"sale_amount": round(sale, 2)}
    if offer is not None:
        entry = next((e for e in offer["payout_revenue"] if e["network_offer_payout_revenue_id"]
                      == conversion["network_offer_payout_revenue_id"]), default_entry(offer))
        if entry["payout_percentage"]:
            changes["payout"] = round(float(entry["payout_amount"]) + sale * float(entry["payout_percentage"]) / 100, 2)
        if entry["revenue_percentage"]:
            changes["revenue"] = round(float(entry["revenue_amount"]) + sale * float(entry["revenue_percentage"]) / 100,
                                       2)
    state.conversions.update(conversion["conversion_id"], changes)
    return {"result": True}


# -- aggregated reports ---------------------------------------------------------------------------------------

def _columns(body: Record) -> list[str]:
    names = [c["column"] if isinstance(c, dict) else c for c in body.get("columns") or []]
    return list(dict.fromkeys(names))


def _entity(ctx: RequestContext, cap: int | None, need_columns: bool = True) -> Record:
    state, body = state_of(ctx), ctx.body
    columns = _columns(body)
    if need_columns and not columns:
        raise bad_request("At least one column is required")
    low, high = report_range(ctx, body, magic.REPORT_MAX_DAYS)
    offset = state.timezone_offset(body["timezone_id"])
    rows = grouped_tallies(state, low, high, offset, columns, matcher(state, body.get("query")))
    keys = sorted(rows)
    total = Tally()
    for tallied in rows.values():
        total.merge(tallied)
    shown = keys if cap is None else keys[:cap]
    table = [{"columns": [{"column_type": column, "id": ident, "label": label}
                          for column, (ident, label) in zip(columns, key, strict=True)],
              "reporting": rows[key].metrics()} for key in shown]
    return {"table": table, "summary": total.metrics(), "incomplete_results": len(shown) < len(keys)}


@HANDLERS.operation("reportEntityTable")
@HANDLERS.operation("reportEntity")
def entity_table(ctx: RequestContext) -> Record:
    return _entity(ctx, TABLE_ROW_CAP)


@HANDLERS.operation("reportEntitySummary")
def entity_summary(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    low, high = report_range(ctx, body, magic.REPORT_MAX_DAYS)
    return tally(state, low, high, matcher(state, body.get("query"))).metrics()


@HANDLERS.operation("reportEntityStream")
def entity_stream(ctx: RequestContext) -> Record:
    return {"table": _entity(ctx, None)["table"]}


@HANDLERS.operation("getDashboardSummary")
def dashboard_summary(ctx: RequestContext) -> Record:
    """Today and yesterday, this month and last, in the network's default timezone; today's figures run to now."""
    state = state_of(ctx)
    offset = state.timezone_offset(state.network["default_timezone_id"])
    at = now(ctx)
    local = datetime.fromtimestamp(at + offset, tz=UTC)
    today = int(local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()) - offset
    month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_month = (month - timedelta(days=1)).replace(day=1)
    month_start, last_month_start = int(month.timestamp()) - offset, int(last_month.timestamp()) - offset

    def keep(record: Record) -> bool:
        return True
    periods = {"today": tally(state, today, at, keep), "yesterday": tally(state, today - 86400, today - 1, keep),
               "current_month": tally(state, month_start, at, keep),
               "last_month": tally(state, last_month_start, month_start - 1, keep)}
    metrics = {name: t.metrics() for name, t in periods.items()}
    out = {}
    for name, metric in (("revenue", "revenue"), ("payout", "payout"), ("profit", "profit"),
                         ("click", "total_click"), ("conversion", "cv"), ("event", "event"),
                         ("gross_sales", "gross_sales")):
        values = {period: metrics[period][metric] for period in periods}
        trend = (round((values["today"] - values["yesterday"]) / values["yesterday"] * 100, 2)
                 if values["yesterday"] else 0.0)
        out[name] = {**values, "trending_percentage": trend}
    return out


@HANDLERS.operation("reportReferrals")
def referrals(ctx: RequestContext) -> Record:
    """One row per referred affiliate: its approved conversions and their revenue in the range (guess)."""
    state, body = state_of(ctx), ctx.body
    low, high = report_range(ctx, body, magic.REPORT_MAX_DAYS)
    by_affiliate = grouped_tallies(state, low, high, 0, ["affiliate"], matcher(state, body.get("query")))
    totals = {int(key[0][0]): t for key, t in by_affiliate.items() if key[0][0]}
    rows = []
    for affiliate in state.affiliates:
        referrer = state.affiliates.get(affiliate["referrer_id"]) if affiliate["referrer_id"] else None
        if referrer is None:
            continue
        found = totals.get(affiliate["network_affiliate_id"], Tally())
        rows.append({"referring_affiliate": {"network_affiliate_id": referrer["network_affiliate_id"],
                                             "name": referrer["name"]},
                     "referred_affiliate": {"network_affiliate_id": affiliate["network_affiliate_id"],
                                            "name": affiliate["name"]},
                     "revenue": round(found.revenue, 2), "conversions": found.cv})
    return {"referrals": rows}
