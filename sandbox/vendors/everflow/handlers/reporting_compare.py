"""Reports that compare or bucket the entity report's numbers: variance between two ranges, daily performance and
time from click to conversion (MTTI). Caps are in reporting_caps."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ....core.context import RequestContext
from .. import magic
from ..models import Record
from ..reports import Tally, grouped_tallies, in_range, matcher
from .common import HANDLERS, check_meta, now, state_of
from .reporting import _columns, report_range

PERFORMANCE_DEFAULT_DAYS = 7  # guess: laravel-everflow may post no body at all
MTTI_BUCKETS = ((60, "under_1_minute"), (600, "1_to_10_minutes"), (3600, "10_to_60_minutes"),
                (86400, "1_to_24_hours"), (None, "over_24_hours"))


def _rows(ctx: RequestContext, body: Record, columns: list[str]) -> dict[tuple[tuple[str, str], ...], Tally]:
    state = state_of(ctx)
    low, high = report_range(ctx, body, magic.REPORT_MAX_DAYS)
    return grouped_tallies(state, low, high, state.timezone_offset(body["timezone_id"]), columns,
                           matcher(state, body.get("query")))


@HANDLERS.operation("reportVariance")
def variance(ctx: RequestContext) -> Record:
    """Each row of the current range beside the same row of the comparison range; variance_percentage compares
    revenue (guess), 0 when the comparison has none."""
    body = ctx.body
    columns = _columns(body)
    current = _rows(ctx, body, columns)
    comparison = _rows(ctx, {**body, "from": body["compare_from"], "to": body["compare_to"]}, columns)
    table = []
    for key in sorted(set(current) | set(comparison)):
        now_metrics = current.get(key, Tally()).metrics()
        then_metrics = comparison.get(key, Tally()).metrics()
        before = then_metrics["revenue"]
        change = round((now_metrics["revenue"] - before) / before * 100, 2) if before else 0.0
        table.append({"columns": [{"column_type": column, "id": ident, "label": label}
                                  for column, (ident, label) in zip(columns, key, strict=True)],
                      "variance_percentage": change, "current": now_metrics, "comparison": then_metrics})
    return {"table": table}


@HANDLERS.operation("reportDashboardPerformance")
def dashboard_performance(ctx: RequestContext) -> Record:
    """One row per day of the range with the entity report's metrics; without a range, the last 7 days in the
    network's timezone (guess)."""
    state = state_of(ctx)
    body = dict(ctx.body or {})
    body.setdefault("timezone_id", state.network["default_timezone_id"])
    if not body.get("from") or not body.get("to"):
        check_meta(ctx, "timezones", "timezone_id", body["timezone_id"])
        offset = state.timezone_offset(body["timezone_id"])
        today = datetime.fromtimestamp(now(ctx) + offset, tz=UTC).date()
        body["from"] = (today - timedelta(days=PERFORMANCE_DEFAULT_DAYS - 1)).isoformat()
        body["to"] = today.isoformat()
    rows = _rows(ctx, body, ["date"])
    return {"performance": [{"date": key[0][0], "reporting": rows[key].metrics()} for key in sorted(rows)]}


@HANDLERS.operation("reportMtti")
def mtti(ctx: RequestContext) -> Record:
    """Seconds from click to conversion of the approved base conversions in the range, bucketed (bucket names
    are guesses)."""
    state, body = state_of(ctx), ctx.body
    low, high = report_range(ctx, body, magic.REPORT_MAX_DAYS, magic.REPORT_LOOKBACK_DAYS)
    keep = matcher(state, body.get("query"))
    delays = sorted(c["conversion_unix_timestamp"] - c["click_unix_timestamp"]
                    for c in in_range(state.conversions, "conversion_unix_timestamp", low, high)
                    if not c["is_event"] and c["status"] == "approved" and keep(c))
    buckets = {name: 0 for _, name in MTTI_BUCKETS}
    for delay in delays:
        buckets[next(name for limit, name in MTTI_BUCKETS if limit is None or delay < limit)] += 1
    middle = len(delays) // 2
    median = (delays[middle] if len(delays) % 2 else (delays[middle - 1] + delays[middle]) / 2) if delays else 0
    return {"conversions": len(delays), "average_seconds": round(sum(delays) / len(delays), 2) if delays else 0.0,
            "median_seconds": float(median), "buckets": buckets}
