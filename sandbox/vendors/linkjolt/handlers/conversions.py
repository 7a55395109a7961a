"""GET|POST /conversions, GET|PATCH /conversions/{id}: sales, their commissions and approval."""
from __future__ import annotations

from datetime import timedelta

from ....core.clock import format_instant
from ....core.context import RequestContext
from ....core.errors import ApiError
from ....core.store import Page
from .. import magic
from ..errors import duplicate, invalid_transition
from ..models import (
    Record,
    commission_cents,
    conversion_out,
    is_tiered,
    new_conversion_id,
    to_cents,
    visible,
)
from ..state import LinkJoltState
from .common import (
    HANDLERS,
    date_filter,
    now_iso,
    page_of,
    require_affiliate,
    require_campaign,
    require_conversion,
    state_of,
)

TERMINAL = ("paid", "refunded")


@HANDLERS.operation("listConversions")
def list_conversions(ctx: RequestContext) -> Page:
    """By affiliate, the affiliate's group of conversions is read, not every conversion (the page is sorted on a
    field with the id as tiebreak, so where the rows come from does not change their order)."""
    q = ctx.query
    in_range = date_filter(q)
    conversions = state_of(ctx).conversions

    def keep(c: Record) -> bool:
        return (visible(c, ctx.key) and in_range(c)
                and all(c[name] == q[name] for name in ("status", "campaignId", "affiliateId") if name in q))

    records = conversions.filter_by_group("affiliate", q.get("affiliateId"), keep)
    page = page_of(records, q, aliases={"amount": "amountCents"})
    return Page([conversion_out(c) for c in page.items], page.page, page.limit, page.total)


@HANDLERS.operation("getConversion")
def get_conversion(ctx: RequestContext) -> Record:
    return conversion_out(require_conversion(ctx, ctx.path["id"]))


@HANDLERS.operation("createConversion")
def create_conversion(ctx: RequestContext) -> Record:
    """Checks in the order the guides imply: campaign and affiliate, membership, orderId,
    earnings cap (live keys), self-referral (live keys, with clickId + customerEmail); then the commission."""
    state, body, key = state_of(ctx), ctx.body, ctx.key
    campaign = require_campaign(ctx, body["campaignId"])
    affiliate = require_affiliate(ctx, body["affiliateId"])
    membership = state.membership(affiliate["id"], campaign["id"])
    if membership is None or membership["status"] != "approved":
        status = membership["status"] if membership else "not on the campaign"
        raise ApiError(400, "affiliate_not_approved",
                       f"Affiliate {affiliate['id']} is not approved for campaign {campaign['id']} ({status})")
    if campaign["status"] != "active":
        raise ApiError(400, "campaign_not_active", f"Campaign {campaign['id']} is {campaign['status']}")
    order_id = body.get("orderId")
    if order_id is not None:
        existing = state.conversions.find("orderId", order_id)
        if existing is not None:
            raise duplicate(f"A conversion with orderId {order_id} already exists",
                            {"conversionId": existing["id"]})
    parent_id = body.get("parentConversionId")
    if parent_id is not None:
        require_conversion(ctx, parent_id)
    now = now_iso(ctx)
    month = now[:7]
    amount = float(body["amount"])
    if not key.test_mode:
        cap = state.earnings_cap_cents(key.plan)
        if cap is not None and state.tracked_sales_cents(month) >= cap:
            raise ApiError(403, "earnings_limit_reached",
                           "This merchant has reached its plan's monthly earnings limit")
    status = "pending"
    if not key.test_mode and _self_referral(body, affiliate):
        if state.settings.get("selfReferral", "reject") == "error":
            raise ApiError(422, "self_referral", "The customer email matches the affiliate's own email")
        status = "rejected"
    # The month's running count is read only where a tier band depends on it.
    nth_sale = state.sales_this_month(affiliate["id"], campaign["id"], month) + 1 if is_tiered(campaign) else 1
    record = {
        "id": new_conversion_id(ctx.random, campaign["trackingCode"]),
        "campaignId": campaign["id"], "affiliateId": affiliate["id"],
        "amountCents": to_cents(amount),
        "commissionCents": commission_cents(campaign, amount, nth_sale),
        "currency": str(body.get("currency", campaign["currency"])).lower(),
        "status": status, "conversionType": body.get("conversionType", "one_time"),
        "orderId": order_id, "clickId": body.get("clickId"), "customerEmail": body.get("customerEmail"),
        "customerName": body.get("customerName"), "parentConversionId": parent_id,
        "isTest": key.test_mode, "createdAt": now, "updatedAt": now,
    }
    state.conversions.insert(record)
    ctx.emit("conversion.created", record)
    return conversion_out(record, numbers=True)


def _self_referral(body: dict, affiliate: Record) -> bool:
    """Only with both clickId and customerEmail; an exact (case-insensitive) email match is a self-referral."""
    email = body.get("customerEmail")
    return bool(body.get("clickId")) and email is not None and email.lower() == affiliate["email"].lower()


@HANDLERS.operation("updateConversion")
def update_conversion(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    conversion = require_conversion(ctx, ctx.path["id"])
    target, current = body["status"], conversion["status"]
    if target == current:
        return conversion_out(conversion)
    if current in TERMINAL:
        raise invalid_transition(f"Conversion is {current}; {current} conversions cannot be changed")
    if target == "approved" and not body.get("confirmAboveSale", False) and _above_sale(conversion):
        raise ApiError(400, "commission_above_sale",
                       f"Commission is more than {magic.ABOVE_SALE_FACTOR}x the sale amount; "
                       "send confirmAboveSale: true to approve it anyway")
    state.conversions.update(conversion["id"], {"status": target, "updatedAt": now_iso(ctx)})
    if target == "approved":
        _queue_payout(ctx, state, conversion)
    else:
        _cancel_payouts(state, conversion)
    ctx.emit(f"conversion.{target}", conversion)  # approved | rejected
    return conversion_out(conversion)


def _above_sale(conversion: Record) -> bool:
    amount, commission = conversion["amountCents"], conversion["commissionCents"]
    return commission > magic.ABOVE_SALE_FACTOR * amount or (amount == 0 and commission > 0)


def _queue_payout(ctx: RequestContext, state: LinkJoltState, conversion: Record) -> None:
    """With automatic payouts on, an approved commission of a Stripe-paid affiliate is queued a day out."""
    affiliate = state.affiliates[conversion["affiliateId"]]
    if not state.settings.get("autoPayouts", True) or affiliate.get("payoutMethod") != "stripe":
        return
    now = ctx.now()
    state.payouts.insert({
        "id": "po_" + ctx.random.nanoid(16), "affiliateId": affiliate["id"], "conversionId": conversion["id"],
        "amountCents": conversion["commissionCents"], "currency": conversion["currency"], "status": "pending",
        "method": "stripe", "scheduledFor": format_instant(now + timedelta(days=1)), "paidAt": None,
        "createdAt": format_instant(now),
    })


def _cancel_payouts(state: LinkJoltState, conversion: Record) -> None:
    """Rejecting takes the commission out of the payout queue."""
    for payout in state.payouts.filter_by_group("conversion", conversion["id"], lambda p: p["status"] == "pending"):
        state.payouts.update(payout["id"], {"status": "cancelled"})
