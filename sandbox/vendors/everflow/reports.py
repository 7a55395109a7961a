"""Everflow report arithmetic: clicks and conversions of a date range, grouped by report columns, and the metrics
every report computes from them (manual adjustments count as approved conversions), so the entity table, its
summary, the conversion summary and the dashboard give the same numbers for the same records.

Records are read day by day through the collections' "day" groups, so a report touches only the days it covers.
The metric definitions are guesses (Everflow names the metrics, not their formulas); the spec notes say so.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .models import Record
from .state import DAY, EverflowState

# resource_type (filters) and column -> how to read it from a click or a conversion (both carry these fields)
FIELD_OF = {"offer": "network_offer_id", "affiliate": "network_affiliate_id", "country": "country",
            "sub1": "sub1", "sub2": "sub2", "sub3": "sub3", "sub4": "sub4", "sub5": "sub5",
            "source_id": "source_id", "payout_type": "payout_type", "revenue_type": "revenue_type"}
TIME_COLUMNS = {"date": "%Y-%m-%d", "hour": "%H", "month": "%Y-%m", "year": "%Y"}


def in_range(collection: Any, stamp: str, low: int, high: int) -> Iterator[Record]:
    """The records of a collection grouped by UTC day whose `stamp` lies in [low, high], oldest day first."""
    for day in range(low // DAY, high // DAY + 1):
        for record in collection.group("day", day):
            if low <= record[stamp] <= high:
                yield record


def value_of(state: EverflowState, record: Record, resource: str) -> str:
    """A click's or a conversion's value for a filter resource type, as text."""
    if resource == "advertiser":
        offer = state.offers.get(record["network_offer_id"])
        return str(offer["network_advertiser_id"]) if offer else ""
    return str(record.get(FIELD_OF[resource], ""))


def matcher(state: EverflowState, query: Record | None) -> Callable[[Record], bool]:
    """A record test for `query.filters` (same type: any value; different types: all) and `query.exclusions`."""
    def grouped(items: list[Record] | None) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for item in items or []:
            out.setdefault(item["resource_type"], set()).add(str(item["filter_id_value"]).lower())
        return out

    wanted, excluded = grouped((query or {}).get("filters")), grouped((query or {}).get("exclusions"))

    def keep(record: Record) -> bool:
        if any(value_of(state, record, kind).lower() not in values for kind, values in wanted.items()):
            return False
        return not any(value_of(state, record, kind).lower() in values for kind, values in excluded.items())
    return keep


@dataclass
class Tally:
    """Counts and sums of one report row."""

    gross_click: int = 0
    invalid_click: int = 0
    unique_click: int = 0
    cv: int = 0
    total_cv: int = 0
    invalid_cv: int = 0
    view_through_cv: int = 0
    event: int = 0
    payout: float = 0.0
    revenue: float = 0.0
    event_revenue: float = 0.0
    gross_sales: float = 0.0
    currencies: set[str] = field(default_factory=set)

    def add_click(self, click: Record) -> None:
        self.gross_click += 1
        if click["error_code"]:
            self.invalid_click += 1
            return
        self.unique_click += click["is_unique"]
        self.payout += click["payout"]
        self.revenue += click["revenue"]

    def add_conversion(self, conversion: Record) -> None:
        status = conversion["status"]
        if status == "invalid":
            self.invalid_cv += 1
        elif not conversion["is_event"]:
            self.total_cv += 1
        if status != "approved":
            return
        if conversion["is_event"]:
            self.event += 1
            self.event_revenue += conversion["revenue"]
        else:
            self.cv += 1
            self.view_through_cv += bool(conversion["is_view_through"])
        self.payout += conversion["payout"]
        self.revenue += conversion["revenue"]
        self.gross_sales += conversion["sale_amount"]

    def add_adjustment(self, adjustment: Record) -> None:
        """A manual adjustment counts as that many approved conversions with that payout and revenue."""
        self.cv += adjustment["conversions"]
        self.total_cv += adjustment["conversions"]
        self.payout += adjustment["payout"]
        self.revenue += adjustment["revenue"]

    def merge(self, other: Tally) -> None:
        for name in ("gross_click", "invalid_click", "unique_click", "cv", "total_cv", "invalid_cv",
                     "view_through_cv", "event", "payout", "revenue", "event_revenue", "gross_sales"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def metrics(self) -> Record:
        """The documented metric names; the formulas are guesses (see the spec note of entity/table)."""
        clicks = self.gross_click - self.invalid_click
        payout, revenue = round(self.payout, 2), round(self.revenue, 2)

        def ratio(part: float, whole: float, scale: float = 1) -> float:
            return round(part / whole * scale, 2) if whole else 0.0
        return {
            "imp": 0, "total_click": clicks, "unique_click": self.unique_click, "invalid_click": self.invalid_click,
            "duplicate_click": clicks - self.unique_click, "gross_click": self.gross_click, "cv": self.cv,
            "total_cv": self.total_cv, "invalid_cv_scrub": self.invalid_cv, "view_through_cv": self.view_through_cv,
            "event": self.event, "cvr": ratio(self.cv, self.unique_click, 100),
            "evr": ratio(self.event, self.unique_click, 100), "ctr": 0.0, "cpc": ratio(payout, clicks),
            "cpm": 0.0, "cpa": ratio(payout, self.cv), "epc": ratio(payout, clicks), "rpc": ratio(revenue, clicks),
            "rpa": ratio(revenue, self.cv), "rpm": 0.0, "payout": payout, "revenue": revenue,
            "event_revenue": round(self.event_revenue, 2), "gross_sales": round(self.gross_sales, 2),
            "profit": round(revenue - payout, 2), "margin": ratio(revenue - payout, revenue, 100), "roas": 0.0,
            "avg_sale_value": ratio(self.gross_sales, self.cv), "media_buying_cost": 0.0,
        }


def tally(state: EverflowState, low: int, high: int, keep: Callable[[Record], bool]) -> Tally:
    """One Tally of every click and conversion in [low, high] that `keep` accepts."""
    total = Tally()
    for click in in_range(state.clicks, "click_unix_timestamp", low, high):
        if keep(click):
            total.add_click(click)
    for conversion in in_range(state.conversions, "conversion_unix_timestamp", low, high):
        if keep(conversion):
            total.add_conversion(conversion)
    for adjustment in in_range(state.adjustments, "unix_timestamp", low, high):
        if keep(adjustment):
            total.add_adjustment(adjustment)
    return total


def column_cell(state: EverflowState, record: Record, column: str, stamp: int, offset: int) -> tuple[str, str]:
    """(id, label) of a record under a report column."""
    if column in TIME_COLUMNS:
        text = datetime.fromtimestamp(stamp + offset, tz=UTC).strftime(TIME_COLUMNS[column])
        return text, text
    if column in ("offer", "affiliate", "advertiser"):
        source = {"offer": state.offers, "affiliate": state.affiliates, "advertiser": state.advertisers}[column]
        ident = value_of(state, record, column)
        found = source.get(int(ident)) if ident else None
        return ident, found["name"] if found else ""
    text = str(record.get(FIELD_OF[column], ""))
    return text, text


def grouped_tallies(state: EverflowState, low: int, high: int, offset: int, columns: list[str],
                    keep: Callable[[Record], bool]) -> dict[tuple[tuple[str, str], ...], Tally]:
    """A Tally per combination of the columns' values over the range."""
    rows: dict[tuple[tuple[str, str], ...], Tally] = {}

    def row(record: Record, stamp: int) -> Tally:
        key = tuple(column_cell(state, record, c, stamp, offset) for c in columns)
        found = rows.get(key)
        if found is None:
            found = rows[key] = Tally()
        return found
    for click in in_range(state.clicks, "click_unix_timestamp", low, high):
        if keep(click):
            row(click, click["click_unix_timestamp"]).add_click(click)
    for conversion in in_range(state.conversions, "conversion_unix_timestamp", low, high):
        if keep(conversion):
            row(conversion, conversion["conversion_unix_timestamp"]).add_conversion(conversion)
    for adjustment in in_range(state.adjustments, "unix_timestamp", low, high):
        if keep(adjustment):
            row(adjustment, adjustment["unix_timestamp"]).add_adjustment(adjustment)
    return rows
