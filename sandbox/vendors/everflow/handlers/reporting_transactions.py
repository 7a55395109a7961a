"""Reporting by transaction: conversions created for clicks, a transaction's flowchart, events per transaction,
the post-conversion events search, and the older GET form of the clicks report."""
from __future__ import annotations

from ....core.context import RequestContext
from .. import magic
from ..errors import bad_request, not_found
from ..models import Record
from ..reports import in_range, matcher
from ..state import conversion_record
from ..views import conversion_out
from .common import HANDLERS, now, require_offer, state_of
from .reporting import CLICK_STREAM_CAP, click_out, report_range


@HANDLERS.operation("createConversionsByTransactionIds")
def create_by_transaction_ids(ctx: RequestContext) -> Record:
    """A base conversion now for each click, priced by its offer's default entry; all or nothing: an unknown
    click is 404 and a click that already converted 400 (guesses)."""
    state = state_of(ctx)
    ids = list(dict.fromkeys(ctx.body["transaction_ids"]))
    clicks = []
    for transaction_id in ids:
        click = state.clicks.get(transaction_id)
        if click is None:
            raise not_found("Click", transaction_id)
        if click["error_code"]:
            raise bad_request(f"Click {transaction_id} is invalid")
        if any(not c["is_event"] for c in state.conversions.group("transaction", transaction_id)):
            raise bad_request(f"Click {transaction_id} already has a conversion")
        clicks.append(click)
    made = []
    for click in clicks:
        offer = require_offer(ctx, click["network_offer_id"])
        extra = {k: click.get(k, "") for k in ("sub1", "sub2", "sub3", "sub4", "sub5", "source_id", "country")}
        record = conversion_record(state, ctx.random, offer, click["network_affiliate_id"], now(ctx),
                                   click["click_unix_timestamp"],
                                   {**extra, "transaction_id": click["transaction_id"],
                                    "session_user_ip": click["user_ip"]})
        made.append(conversion_out(state, state.conversions.insert(record)))
    return {"conversions": made}


@HANDLERS.operation("getTransactionFlowchart")
def transaction_flowchart(ctx: RequestContext) -> Record:
    """The click, then each conversion and event in time order (the shape is a guess)."""
    state = state_of(ctx)
    click = state.clicks.get(ctx.path["transactionId"])
    if click is None:
        raise not_found("Click")
    steps: list[Record] = [{"type": "click", "unix_timestamp": click["click_unix_timestamp"], "conversion_id": "",
                            "event": "", "status": "invalid" if click["error_code"] else "valid"}]
    conversions = sorted(state.conversions.group("transaction", click["transaction_id"]),
                         key=lambda c: (c["conversion_unix_timestamp"], c["conversion_id"]))
    steps += [{"type": "event" if c["is_event"] else "conversion", "unix_timestamp": c["conversion_unix_timestamp"],
               "conversion_id": c["conversion_id"], "event": c["event"], "status": c["status"]} for c in conversions]
    return {"transaction_id": click["transaction_id"], "click": click_out(state, click), "steps": steps}


def _conversions_in(ctx: RequestContext) -> list[Record]:
    state, body = state_of(ctx), ctx.body
    low, high = report_range(ctx, body, magic.REPORT_MAX_DAYS, magic.REPORT_LOOKBACK_DAYS)
    keep = matcher(state, body.get("query"))
    return [c for c in in_range(state.conversions, "conversion_unix_timestamp", low, high) if keep(c)]


@HANDLERS.operation("reportEventsPerTransaction")
def events_per_transaction(ctx: RequestContext) -> Record:
    """Transactions with a conversion or event in the range: their event count and event revenue (guess)."""
    rows: dict[str, Record] = {}
    for conversion in _conversions_in(ctx):
        row = rows.setdefault(conversion["transaction_id"], {
            "transaction_id": conversion["transaction_id"], "network_offer_id": conversion["network_offer_id"],
            "network_affiliate_id": conversion["network_affiliate_id"], "conversions": 0, "events": 0,
            "event_revenue": 0.0})
        if conversion["is_event"]:
            row["events"] += 1
            row["event_revenue"] = round(row["event_revenue"] + conversion["revenue"], 2)
        else:
            row["conversions"] += 1
    return {"transactions": [rows[k] for k in sorted(rows)]}


@HANDLERS.operation("searchPostConversions")
def post_conversions(ctx: RequestContext) -> Record:
    """The events (is_event conversions) in the range, newest first, in the draft's row shape."""
    state = state_of(ctx)
    events = sorted((c for c in _conversions_in(ctx) if c["is_event"]),
                    key=lambda c: (-c["conversion_unix_timestamp"], c["conversion_id"]))
    out = []
    for event in events:
        base = next((c["conversion_id"] for c in state.conversions.group("transaction", event["transaction_id"])
                     if not c["is_event"]), "")
        full = conversion_out(state, event)
        out.append({"event_id": event["conversion_id"], "event_name": event["event"], "conversion_id": base,
                    "transaction_id": event["transaction_id"], "revenue": event["revenue"],
                    "payout": event["payout"], "status": event["status"],
                    "timestamp": event["conversion_unix_timestamp"], "relationship": full.get("relationship", {})})
    return {"events": out}


@HANDLERS.operation("listRecentClicks")
def recent_clicks(ctx: RequestContext) -> Record:
    """laravel-everflow's GET form, with no parameters: the valid clicks of the last 24 hours, newest first,
    as the clicks stream renders them (guess)."""
    state = state_of(ctx)
    high = now(ctx)
    rows = [c for c in in_range(state.clicks, "click_unix_timestamp", high - 86400, high) if not c["error_code"]]
    rows.sort(key=lambda c: (-c["click_unix_timestamp"], c["transaction_id"]))
    return {"clicks": [click_out(state, c) for c in rows[:CLICK_STREAM_CAP]]}

