"""PromoteKit record shapes: ids, generated codes, links and the JSON each resource returns.

Stored records keep references (`campaign_id`, `affiliate_id`, ...) and an insertion counter `seq`;
nested objects are built at read time, so they are live snapshots of the current state (a guess).
"""
from __future__ import annotations

import re
from typing import Any

from ...core.codes import suffix_width
from ...core.random import RandomSource
from . import magic

Record = dict[str, Any]

# Dashboard-only campaign fields the API cannot set; their values are guesses (PromoteKit documents none).
CAMPAIGN_DASHBOARD_DEFAULTS: Record = {
    "limit_type": None, "limit_amount": None, "custom_commission_type": None, "welcome_message": None,
    "approval_needed": False, "collect_details": False, "details_text": None, "hide_emails": False,
    "dashboard_text": None, "cookie_duration": 60,
    "first_payment_commission": {"enabled": False, "type": None, "amount": None},
}


def new_id(random: RandomSource) -> str:
    return random.uuid()


_NOT_IN_SLUG = re.compile(r"[^a-z0-9]")


def slug(first_name: str) -> str:
    """The lowercase first name with everything but a-z0-9 removed ("affiliate" when nothing is left)."""
    lowered = first_name.lower()
    # Asked on every create and every affiliate write (the code totals below): most names are already plain
    # ASCII letters and digits once lowered, and those need no regex.
    if lowered.isascii() and lowered.isalnum():
        return lowered
    return _NOT_IN_SLUG.sub("", lowered) or "affiliate"


def ref_code_family(affiliate: Record) -> str | None:
    """The name slug when the ref_code is generated-shaped for it (jane, jane1, jane2, ...), else None.

    Counted per slug, it tells the next generated ref_code without trying the ones before it."""
    base, code = slug(affiliate["first_name"]), affiliate["ref_code"].lower()
    if code == base or (code.startswith(base) and suffix_width(code[len(base):])):
        return base
    return None


def promo_code_width(affiliate: Record) -> tuple[str, int] | None:
    """(JANE, 2) for JANE42 on a Jane: the slug and how many digits follow it, when the code has that shape."""
    code = affiliate.get("promo_code")
    if not code:
        return None
    base = slug(affiliate["first_name"]).upper()
    code = code.upper()
    width = suffix_width(code[len(base):]) if code.startswith(base) else None
    return None if width is None else (base, width)


def promo_external_id(random: RandomSource) -> str:
    """A Stripe-shaped promotion-code id (guess: promo_ + 24 alphanumerics)."""
    return "promo_" + random.token(24)


def link_prefix(website_url: str) -> str:
    """What an affiliate's link is before its code: website_url?via=, or &via= when the URL has a query string."""
    joiner = "&" if "?" in website_url else "?"
    return f"{website_url}{joiner}{magic.LINK_PARAMETER}="


def number(value: float) -> int | float:
    """Amounts as JSON numbers in major units: 20 stays 20, 12.5 stays 12.5."""
    return int(value) if float(value).is_integer() else float(value)


# -- output shapes ------------------------------------------------------------------------------------

def campaign_out(campaign: Record) -> Record:
    return {
        "id": campaign["id"],
        "name": campaign["name"],
        "created_at": campaign["created_at"],
        "website_url": campaign.get("website_url"),
        "commission_type": campaign["commission_type"],
        "commission_amount": number(campaign["commission_amount"]),
        "is_default": campaign["is_default"],
        "limit_type": campaign["limit_type"],
        "limit_amount": campaign["limit_amount"],
        "code_mode": campaign["code_mode"],
        "reference_coupon": campaign.get("reference_coupon"),
        "custom_commission_type": campaign["custom_commission_type"],
        "welcome_message": campaign["welcome_message"],
        "approval_needed": campaign["approval_needed"],
        "collect_details": campaign["collect_details"],
        "details_text": campaign["details_text"],
        "hide_emails": campaign["hide_emails"],
        "dashboard_text": campaign["dashboard_text"],
        "cookie_duration": campaign["cookie_duration"],
        "first_payment_commission": dict(campaign["first_payment_commission"]),
    }


def referral_summary(referral: Record) -> Record:
    """A referral as nested in a commission: no `affiliate` key (documented)."""
    return {
        "id": referral["id"],
        "email": referral["email"],
        "subscription_status": referral["subscription_status"],
        "signup_date": referral["signup_date"],
        "stripe_customer_id": referral.get("stripe_customer_id"),
        "created_at": referral["created_at"],
    }


def payout_summary(payout: Record) -> Record:
    """A payout as nested in a commission: without `affiliate` (a guess: the documented example is cut off)."""
    return {
        "id": payout["id"],
        "affiliate_name": payout["affiliate_name"],
        "payout_email": payout["payout_email"],
        "amount": number(payout["amount"]),
        "currency": payout["currency"],
        "period": payout["period"],
        "payment_count": payout["payment_count"],
        "created_at": payout["created_at"],
    }


