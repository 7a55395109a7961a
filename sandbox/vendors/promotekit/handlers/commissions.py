"""GET|POST /commissions, GET /commissions/{id}."""
from __future__ import annotations

from ....core.clock import format_instant, parse_instant
from ....core.context import RequestContext
from ....core.store import Page
from ..errors import invalid
from ..models import Record, new_id
from ..views import commission_out, referral_out
from .common import HANDLERS, filtered, lookup, matches, now_iso, page_of, referenced, state_of


@HANDLERS.operation("listCommissions")
def list_commissions(ctx: RequestContext) -> Page:
    state, q = state_of(ctx), ctx.query
    records = filtered(state.commissions, q, ("referral_id", "affiliate_id"),
                       lambda c: matches(q, c, ("affiliate_id", "referral_id", "payout_status", "stripe_payment_id")))
    return page_of(records, q, lambda c: commission_out(state, c))


@HANDLERS.operation("getCommission")
def get_commission(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return commission_out(state, lookup(state.commissions, ctx.path["id"], "Commission"))


@HANDLERS.operation("createCommission")
def create_commission(ctx: RequestContext) -> Record:
    """A manual commission: amounts as given (not computed from the campaign), not_paid, no payout yet."""
    state, body = state_of(ctx), ctx.body
    referral = referenced(state.referrals, body["referral_id"], "Referral")
    affiliate = state.affiliates[referral["affiliate_id"]]
    if affiliate["banned"]:
        raise invalid("This affiliate is banned and is not eligible for commissions")
    now = now_iso(ctx)
    first = not state.commissions.total("perReferral", referral["id"])  # a running count, not a scan
    record = {
        "id": new_id(ctx.random), "referral_id": referral["id"], "affiliate_id": affiliate["id"],
        "revenue_amount": body["revenue_amount"], "commission_amount": body["commission_amount"],
        "currency": state.currency, "payout_status": "not_paid", "payout_id": None,
        "referral_date": format_instant(parse_instant(body["referral_date"])) if "referral_date" in body else now,
        "stripe_payment_id": body.get("stripe_payment_id"), "created_at": now, "seq": state.next_seq(),
    }
    state.commissions.insert(record)
    if first and referral["subscription_status"] == "signed_up":
        # Guess: the first commission converts a signed-up referral into a paying (active) customer.
        state.referrals.update(referral["id"], {"subscription_status": "active"})
    out = commission_out(state, record)
    ctx.emit("commission.created", out)
    if first:  # documented: referral.converted fires on a referral's first commission
        ctx.emit("referral.converted", referral_out(state, referral))
    return out
