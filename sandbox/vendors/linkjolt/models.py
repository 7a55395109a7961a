"""LinkJolt record shapes: money, ids, commission arithmetic and the JSON each endpoint returns."""
from __future__ import annotations

import math
from typing import Any

from ...core.context import KeyInfo
from ...core.random import RandomSource

Record = dict[str, Any]


# -- money: integer cents inside; "100.00" strings out (numbers on POST /conversions, as its page shows) -------

def js_round(value: float) -> int:
    """JavaScript's Math.round (halves go up), which LinkJolt's commission formula uses."""
    return math.floor(value + 0.5)


def to_cents(amount: float) -> int:
    return js_round(amount * 100)


def money(cents: int) -> str:
    # %-formatting a divmod: 40% cheaper than an f-string with a format spec, and every list row formats one
    if cents >= 0:
        return "%d.%02d" % divmod(cents, 100)  # noqa: UP031
    return "-%d.%02d" % divmod(-cents, 100)  # noqa: UP031


def money_number(cents: int) -> float:
    return cents / 100


def undecimalised(value: float) -> str:
    """Campaign commissionValue as LinkJolt shows it: "20", "12.5"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- ids ---------------------------------------------------------------------------------------------

def new_id(random: RandomSource) -> str:
    """Campaign and affiliate ids: 21-character nanoids."""
    return random.nanoid(21)


def new_conversion_id(random: RandomSource, tracking_code: str) -> str:
    """Guess: API-made conversions are `api_{trackingCode}_{nanoid}`, like webhook-made
    `stripe_{trackingCode}_{ref}`."""
    return f"api_{tracking_code}_{random.nanoid(12)}"


# -- commission --------------------------------------------------------------------------------------

def rate_for(campaign: Record, sales_this_month: int) -> float:
    """The percentage for an affiliate's Nth sale this month: the tier band holding N, else the base value."""
    for tier in campaign.get("tiers") or []:
        upper = tier.get("maxSales")
        if tier["minSales"] <= sales_this_month and (upper is None or sales_this_month <= upper):
            return float(tier["commissionValue"])
    return float(campaign["commissionValue"])


def is_tiered(campaign: Record) -> bool:
    """Whether a sale's commission depends on the affiliate's sales this month: a percentage with tier bands
    (`rate_for` gives any other campaign its base value whatever the count)."""
    return campaign["commissionType"] != "fixed" and bool(campaign.get("tiers"))


def commission_cents(campaign: Record, amount: float, sales_this_month: int) -> int:
    """Percentage: Math.round(amount * (rate / 100) * 100) / 100, to the cent. Fixed: the value per sale."""
    if campaign["commissionType"] == "fixed":
        return to_cents(float(campaign["commissionValue"]))
    return js_round(amount * (rate_for(campaign, sales_this_month) / 100) * 100)


# -- visibility --------------------------------------------------------------------------------------

def visible(record: Record, key: KeyInfo) -> bool:
    """Guess: live keys see live records only; test keys see live and test records."""
    return key.test_mode or not record.get("isTest", False)


# -- output shapes -----------------------------------------------------------------------------------

def campaign_out(campaign: Record, conversions: int, revenue_cents: int) -> Record:
    return {
        "id": campaign["id"],
        "name": campaign["name"],
        "trackingCode": campaign["trackingCode"],
        "status": campaign["status"],
        "commissionType": campaign["commissionType"],
        "commissionValue": undecimalised(campaign["commissionValue"]),
        "currency": campaign["currency"],
        "tiers": [{"minSales": t["minSales"], "maxSales": t.get("maxSales"),
                   "commissionValue": undecimalised(t["commissionValue"])} for t in campaign.get("tiers") or []],
        "autoApproveAffiliates": campaign.get("autoApproveAffiliates", False),
        "isPublic": campaign.get("isPublic", True),
        "conversions": conversions,
        "revenue": money(revenue_cents),
        "createdAt": campaign["createdAt"],
    }


def tracking_link(campaign: Record, affiliate_id: str) -> str:
    return f"https://linkjolt.io/redirect?tc={campaign['trackingCode']}&aff={affiliate_id}"


def membership_out(affiliate: Record, membership: Record, campaign: Record) -> Record:
    """The row of POST /affiliates (and, with stats added, of GET /affiliates)."""
    return {
        "id": affiliate["id"],
        "name": affiliate["name"],
        "email": affiliate["email"],
        "status": membership["status"],
        "campaignId": campaign["id"],
        "campaignName": campaign["name"],
        "trackingLink": tracking_link(campaign, affiliate["id"]),
        "createdVia": membership["createdVia"],
        "joinedAt": membership["joinedAt"],
        "isTest": bool(affiliate.get("isTest")),
    }


def conversion_out(conversion: Record, numbers: bool = False) -> Record:
    amount, commission = conversion["amountCents"], conversion["commissionCents"]
    return {
        "id": conversion["id"],
        "campaignId": conversion["campaignId"],
        "affiliateId": conversion["affiliateId"],
        "amount": money_number(amount) if numbers else money(amount),
        "commission": money_number(commission) if numbers else money(commission),
        "currency": conversion["currency"],
        "status": conversion["status"],
        "conversionType": conversion["conversionType"],
        "orderId": conversion.get("orderId"),
        "clickId": conversion.get("clickId"),
        "customerEmail": conversion.get("customerEmail"),
        "customerName": conversion.get("customerName"),
        "parentConversionId": conversion.get("parentConversionId"),
        "isTest": bool(conversion.get("isTest")),
        "createdAt": conversion["createdAt"],
        "updatedAt": conversion.get("updatedAt") or conversion["createdAt"],
    }


def invitation_out(invitation: Record) -> Record:
    return {key: invitation.get(key) for key in ("id", "email", "name", "campaignId", "status")} | {
        "isTest": bool(invitation.get("isTest")), "createdAt": invitation["createdAt"]}


def payout_out(payout: Record) -> Record:
    return {
        "id": payout["id"],
        "affiliateId": payout["affiliateId"],
        "conversionId": payout["conversionId"],
        "amount": money(payout["amountCents"]),
        "currency": payout["currency"],
        "status": payout["status"],
        "method": payout["method"],
        "scheduledFor": payout["scheduledFor"],
        "paidAt": payout.get("paidAt"),
        "createdAt": payout["createdAt"],
    }


def webhook_out(webhook: Record, with_secret: bool = False) -> Record:
    out = {"id": webhook["id"], "url": webhook["url"], "events": list(webhook["events"]),
           "active": webhook["active"], "createdAt": webhook["createdAt"]}
    if with_secret:
        out["secret"] = webhook["secret"]
    return out
