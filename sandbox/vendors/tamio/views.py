"""Tamio's responses that read the state beside the record; models stay pure."""
from __future__ import annotations

from .models import Record, affiliate_out
from .state import TamioState


def program_out(state: TamioState, program: Record) -> Record:
    # The lists are the record's own, not copies: a stored program's lists are never changed in place (an update
    # stores the new body's), so the answer, the event and the record can share them.
    repeating = program["subscription_commission_type"] == "repeating"
    return {
        "object": "affiliate_program",
        "id": program["id"],
        "label": program["label"],
        "languages": program["languages"],
        "created_at": program["created_at"],
        "signup_url": program.get("signup_url"),
        "domain": program["domain"],
        "products": program["products"],
        "currency": program["currency"],
        "commission_amount": program["commission_amount"],
        "commission_percent": float(program["commission_percent"]),
        "description": program["description"],
        "payout_delay": program["payout_delay"],
        "subscription_commission_type": program["subscription_commission_type"],
        "payment_count": program["duration"] if repeating else None,
        "duration": program["duration"] if repeating else None,
        "first_takes_all": program["first_takes_all"],
        "cookie_expiry": program["cookie_expiry"],
        "destinations": program["destinations"],
        "payments": program["payments"],
        "is_public": program["is_public"],
        "auto_approve": program["auto_approve"],
        "is_listed": program["is_listed"],
        "affiliate_notifications": program["affiliate_notifications"],
        "allow_bonuses": program["allow_bonuses"],
        "banners": program["banners"],
        "is_active": program["is_active"],
        "promo": program["promo"],
        "affiliates": state.approved_count(program["id"]),
        "sales": program["sales"],
    }


def payout_out(state: TamioState, payout: Record) -> Record:
    # A deleted affiliate (or program) still shows on its payouts, as it was when paid out.
    affiliate = state.affiliates.get(payout["affiliate_id"]) or payout["affiliate_snapshot"]
    program = state.programs.get(payout["program_id"]) or {"label": payout["program_label"],
                                                           "currency": payout["currency"]}
    return {
        "id": payout["id"], "object": "payout", "currency": payout["currency"], "total": payout["total"],
        "paid": payout["paid"], "status": payout["status"], "prefix": payout["prefix"], "number": payout["number"],
        "payment": payout["payment"], "date": payout["date"],
        "affiliate_program": {"label": payout["program_label"], "id": payout["program_id"]},
        "affiliate_partner": affiliate_out(affiliate, program),
    }
