"""Affiliate invoices computed from the tenant's conversions: the period, the lines per offer, the totals.

An invoice bills an affiliate for its approved conversions in a period of whole days (in the network's default
timezone), in one currency (the affiliate's default): the billed amount is the sum of those conversions'
payouts, one line per offer. The amounts are fixed when the invoice is made or replaced, as a statement is.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol

from ...core.store import Collection
from .errors import bad_request
from .models import Record


class Books(Protocol):
    """What billing reads of the Everflow state (`state.EverflowState` is one): the state builds invoices from
    its fixtures through this module, so this module may not import the state back."""

    network: Record
    conversions: Collection
    offers: Collection

    def timezone_offset(self, timezone_id: int) -> int: ...


DAY = 86400
INVOICE_STATUSES = ("paid", "unpaid", "deleted")


def money(value: float) -> float:
    """Cents, so sums of doubles read as the amounts a person would add up."""
    return round(value + 0.0, 2)


def parse_day(text: str, field: str) -> date:
    """A `YYYY-MM-DD` day; the spec's pattern lets through days that do not exist (2026-02-31): 400."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as exc:
        raise bad_request(f"Invalid {field}: {text}") from exc


def period_bounds(state: Books, start: str, end: str) -> tuple[int, int]:
    """[first second, last second + 1) of the period in Unix seconds; the end may not come before the start."""
    first, last = parse_day(start, "start_time"), parse_day(end, "end_time")
    if last < first:
        raise bad_request("end_time must not be before start_time")
    offset = state.timezone_offset(state.network["default_timezone_id"])
    low = int(datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp()) - offset
    high = int(datetime(last.year, last.month, last.day, tzinfo=UTC).timestamp()) + DAY - offset
    return low, high


def invoice_lines(state: Books, affiliate: Record, start: str, end: str) -> list[Record]:
    """One line per offer: the approved conversions of the affiliate in the period, in its default currency."""
    low, high = period_bounds(state, start, end)
    currency = affiliate["default_currency_id"]
    lines: dict[int, Record] = {}
    for conversion in state.conversions.group("affiliate", affiliate["network_affiliate_id"]):
        if conversion["status"] != "approved" or conversion["currency_id"] != currency \
                or not low <= conversion["conversion_unix_timestamp"] < high:
            continue
        offer_id = conversion["network_offer_id"]
        offer = state.offers.get(offer_id)
        line = lines.setdefault(offer_id, {"network_offer_id": offer_id, "offer_name": offer["name"] if offer else "",
                                           "conversions": 0, "amount": 0.0})
        line["conversions"] += 1
        line["amount"] += float(conversion["payout"])
    return [{**line, "amount": money(line["amount"])} for _, line in sorted(lines.items())]


def invoice_amounts(lines: list[Record], status: str) -> Record:
    """billed from the lines; a paid invoice has paid it all, an unpaid (or deleted) one owes it all."""
    billed = money(sum(line["amount"] for line in lines))
    paid = billed if status == "paid" else 0.0
    return {"billed": billed, "paid": paid, "balance": money(billed - paid)}


def invoice_record(state: Books, affiliate: Record, body: Record) -> Record:
    """The stored fields of a created or replaced invoice (what the body leaves out takes its zero value)."""
    lines = invoice_lines(state, affiliate, body["start_time"], body["end_time"])
    return {
        "network_affiliate_id": affiliate["network_affiliate_id"], "status": body["status"],
        "start_time": body["start_time"], "end_time": body["end_time"],
        "currency_id": affiliate["default_currency_id"],
        "public_notes": body.get("public_notes", ""), "internal_notes": body.get("internal_notes", ""),
        "is_hidden_affiliate": body.get("is_hidden_affiliate", False),
        "payment_terms": body.get("payment_terms", (affiliate.get("billing") or {}).get("default_payment_terms", 0)),
        "line_items": lines, **invoice_amounts(lines, body["status"]),
    }
