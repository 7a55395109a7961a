"""Cap reports: what offers, offer groups and custom (offer + affiliate) cap settings have used of their caps.

Every row has the four periods (daily, weekly, monthly, global), each with the four kinds (conversion, payout,
revenue, click) as {cap, current, remaining}. A period's usage is read once per period and timezone from the days
it covers and shared by all the rows of the request; "global" comes from running totals, never a scan.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from ....core.context import RequestContext
from ..models import Record
from ..reports import Tally, in_range
from .common import HANDLERS, check_meta, now, require, require_offer, state_of

CAP_PERIODS = ("daily", "weekly", "monthly", "global")
CAP_KINDS = ("conversion", "payout", "revenue", "click")
Key = Callable[[Record], Any]


def _period_start(ctx: RequestContext, offset: int, period: str) -> int:
    """When the period began, in the timezone `offset` seconds east of UTC (weeks start on Monday)."""
    local = datetime.fromtimestamp(now(ctx) + offset, tz=UTC).replace(hour=0, minute=0, second=0,
                                                                                microsecond=0)
    if period == "weekly":
        local -= timedelta(days=local.weekday())
    elif period == "monthly":
        local = local.replace(day=1)
    return int(local.timestamp()) - offset


class Usage:
    """Usage per row key of one request, computed once per (period, timezone offset)."""

    def __init__(self, ctx: RequestContext, key: Key) -> None:
        self.ctx, self.key = ctx, key
        self._periods: dict[tuple[str, int], dict[Any, Tally]] = {}

    def of(self, row_key: Any, period: str, offset: int) -> Tally:
        if (period, offset) not in self._periods:
            self._periods[period, offset] = self._read(_period_start(self.ctx, offset, period))
        return self._periods[period, offset].get(row_key, Tally())

    def _read(self, low: int) -> dict[Any, Tally]:
        state, high = state_of(self.ctx), now(self.ctx)
        used: dict[Any, Tally] = defaultdict(Tally)
        for click in in_range(state.clicks, "click_unix_timestamp", low, high):
            key = self.key(click)
            if key is not None:
                used[key].add_click(click)
        for conversion in in_range(state.conversions, "conversion_unix_timestamp", low, high):
            key = self.key(conversion)
            if key is not None and not conversion["is_event"]:
                used[key].add_conversion(conversion)
        return used


def _kinds(tally: Tally) -> dict[str, float]:
    return {"conversion": tally.cv, "payout": tally.payout, "revenue": tally.revenue,
            "click": tally.gross_click - tally.invalid_click}


def _global_of_offers(ctx: RequestContext, offer_ids: Iterable[int]) -> dict[str, float]:
    conversions, clicks = state_of(ctx).conversions, state_of(ctx).clicks
    ids = list(offer_ids)
    return {"conversion": sum(conversions.total("offer_cv", i) for i in ids),
            "payout": sum(conversions.total("offer_payout", i) for i in ids),
            "revenue": sum(conversions.total("offer_revenue", i) for i in ids),
            "click": sum(clicks.total("offer_click", i) for i in ids)}


def _global_of_pair(ctx: RequestContext, pair: tuple[int, int]) -> dict[str, float]:
    conversions, clicks = state_of(ctx).conversions, state_of(ctx).clicks
    return {"conversion": conversions.total("pair_cv", pair), "payout": conversions.total("pair_payout", pair),
            "revenue": conversions.total("pair_revenue", pair), "click": clicks.total("pair_click", pair)}


def _periods(caps: Record, usage: Usage, row_key: Any, offset: int, global_used: dict[str, float]) -> Record:
    """The four periods of one row: each kind's cap (0 = none), what is used so far and what remains (0 when
    there is no cap)."""
    out = {}
    for period in CAP_PERIODS:
        used = global_used if period == "global" else _kinds(usage.of(row_key, period, offset))
        out[period] = {kind: {"cap": caps[f"{period}_{kind}_cap"], "current": round(used[kind], 2),
                              "remaining": round(max(caps[f"{period}_{kind}_cap"] - used[kind], 0), 2)
                              if caps[f"{period}_{kind}_cap"] else 0}
                       for kind in CAP_KINDS}
    return out


def _offset(ctx: RequestContext, timezone_id: int) -> int:
    state = state_of(ctx)
    return state.timezone_offset(timezone_id) if timezone_id in state.meta_ids("timezones") else 0


def _offer_caps(ctx: RequestContext) -> list[Record]:
    """Per offer, in its caps timezone (else the request's)."""
    body = ctx.body
    check_meta(ctx, "timezones", "timezone_id", body["timezone_id"])
    offers = [require_offer(ctx, offer_id) for offer_id in dict.fromkeys(body["offer_ids"])]
    wanted = {offer["network_offer_id"] for offer in offers}
    usage = Usage(ctx, lambda r: r["network_offer_id"] if r["network_offer_id"] in wanted else None)
    return [{"network_offer_id": offer["network_offer_id"], "name": offer["name"],
             "is_caps_enabled": offer["is_caps_enabled"],
             **_periods(offer, usage, offer["network_offer_id"],
                        _offset(ctx, offer["caps_timezone_id"] or body["timezone_id"]),
                        _global_of_offers(ctx, [offer["network_offer_id"]]))} for offer in offers]


@HANDLERS.operation("reportOfferCaps")
def offer_caps(ctx: RequestContext) -> Record:
    return {"caps": _offer_caps(ctx)}


@HANDLERS.operation("summarizeOfferCaps")
def offer_caps_summary(ctx: RequestContext) -> Record:
    """How many of the offers have a cap set, and how many have reached one (guess)."""
    rows = _offer_caps(ctx)

    def capped(row: Record) -> bool:
        return any(row[p][k]["cap"] for p in CAP_PERIODS for k in CAP_KINDS)

    def reached(row: Record) -> bool:
        return any(row[p][k]["cap"] and row[p][k]["current"] >= row[p][k]["cap"] for p in CAP_PERIODS
                   for k in CAP_KINDS)
    return {"offers": len(rows), "offers_with_caps": sum(map(capped, rows)),
            "offers_at_cap": sum(map(reached, rows))}


@HANDLERS.operation("reportOfferGroupCaps")
def offer_group_caps(ctx: RequestContext) -> Record:
    """Per offer group: the group's caps against what all its offers used together, in the request's timezone."""
    state, body = state_of(ctx), ctx.body
    check_meta(ctx, "timezones", "timezone_id", body["timezone_id"])
    groups = [require(state.offer_groups, group_id, "Offer group")
              for group_id in dict.fromkeys(body["offer_group_ids"])]
    members = {group["network_offer_group_id"]: [o["network_offer_id"] for o in
                                                 state.offers.group("offer_group", group["network_offer_group_id"])]
               for group in groups}
    group_of = {offer_id: group_id for group_id, offer_ids in members.items() for offer_id in offer_ids}
    usage = Usage(ctx, lambda r: group_of.get(r["network_offer_id"]))
    offset = _offset(ctx, body["timezone_id"])
    return {"caps": [{"network_offer_group_id": group["network_offer_group_id"], "name": group["name"],
                      "is_caps_enabled": group["is_caps_enabled"],
                      "network_offer_ids": members[group["network_offer_group_id"]],
                      **_periods(group, usage, group["network_offer_group_id"], offset,
                                 _global_of_offers(ctx, members[group["network_offer_group_id"]]))}
                     for group in groups]}


@HANDLERS.operation("reportCustomCaps")
def custom_caps(ctx: RequestContext) -> Record:
    """Per custom cap setting: its caps against what its affiliate used on its offer, in the offer's caps
    timezone, else the request's, else the network's."""
    state = state_of(ctx)
    body: Record = ctx.body or {}
    timezone_id: int = body["timezone_id"] if "timezone_id" in body else state.network["default_timezone_id"]
    check_meta(ctx, "timezones", "timezone_id", timezone_id)
    settings = list(state.custom_cap_settings)
    pairs = {(s["network_offer_id"], s["network_affiliate_id"]) for s in settings}

    def pair_of(record: Record) -> Any:
        pair = (record["network_offer_id"], record["network_affiliate_id"])
        return pair if pair in pairs else None
    usage = Usage(ctx, pair_of)
    rows = []
    for setting in settings:
        pair = (setting["network_offer_id"], setting["network_affiliate_id"])
        offer: Record = state.offers.get(setting["network_offer_id"]) or {}
        offset = _offset(ctx, offer.get("caps_timezone_id") or timezone_id)
        rows.append({k: setting[k] for k in ("network_custom_cap_setting_id", "name", "network_offer_id",
                                             "network_affiliate_id")}
                    | _periods(setting, usage, pair, offset,
                               _global_of_pair(ctx, pair)))
    return {"caps": rows}
