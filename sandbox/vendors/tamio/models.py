"""Tamio record shapes: Unix timestamps, integer money, and the JSON each object renders as."""
from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from ...core.clock import parse_instant

Record = dict[str, Any]

# Create/update defaults for the optional program fields (is_public true is the old docs'; the rest guessed
# where the docs give no default).
PROGRAM_DEFAULTS: Record = {
    "payout_delay": 0, "subscription_commission_type": "once", "duration": None, "first_takes_all": "disabled",
    "cookie_expiry": 30, "is_public": True, "auto_approve": False, "is_listed": False,
    "affiliate_notifications": False, "banners": None, "products": [], "domain": None,
}

AFFILIATE_CONTACT = ("email", "name", "surname", "address", "city", "state", "country", "postcode", "vat",
                     "telephone")


def unix(moment: datetime) -> int:
    return int(moment.timestamp())


def to_unix(value: Any) -> int:
    """A fixture or query instant (Unix seconds or ISO 8601 text) as Unix seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return int(parse_instant(str(value)).timestamp())


def commission(program: Record, sale_amount: int) -> int:
    """Fixed amount plus the percentage of the sale, rounded half up, in the smallest unit."""
    return program["commission_amount"] + math.floor(sale_amount * program["commission_percent"] / 100 + 0.5)


def main_language(languages: Record) -> Record:
    """The entry a program's default label and description come from: `en` if present, else the first."""
    return languages.get("en") or next(iter(languages.values()))


def affiliate_out(affiliate: Record, program: Record) -> Record:
    out: Record = {"object": "affiliate", "id": affiliate["id"]}
    out.update({name: affiliate.get(name) for name in AFFILIATE_CONTACT})
    out.update({
        "billing_information": affiliate.get("billing_information"),
        "bonus": affiliate["bonus"], "balance": affiliate["balance"], "sales": affiliate["sales"],
        "referrals": affiliate["referrals"], "approved": affiliate["status"] == "approved",
        "date_joined": affiliate["date_joined"], "language": affiliate["language"],
        "payments": None if affiliate["payments"] is None else list(affiliate["payments"]),
        "has_notes": affiliate["has_notes"],
        "affiliate_program_id": affiliate["program_id"],
        "affiliate_program_label": program["label"],
        "currency": program["currency"],
    })
    return out


def blocked_out(blocked: Record) -> Record:
    return {"id": blocked["id"], "email": blocked["email"], "affiliate_program_id": blocked["program_id"],
            "created_at": blocked["created_at"]}


def agency_program_out(program: Record) -> Record:
    """The agency view: commission_percent as a fraction, as the agency page documents (example 0.15)."""
    return {
        "id": program["id"], "object": "affiliate_program", "label": program["label"],
        "currency": program["currency"], "commission_percent": round(program["commission_percent"] / 100, 4),
        "commission_amount": program["commission_amount"], "is_listed": program["is_listed"],
        "is_public": program["is_public"], "approved": program["approved"], "seller": dict(program["seller"]),
        "affiliates": program["affiliates"], "created_at": program["created_at"],
    }
