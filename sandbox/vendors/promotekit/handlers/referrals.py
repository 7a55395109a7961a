"""GET|POST /referrals (no GET /referrals/{id}: PromoteKit documents none, so it is a 404)."""
from __future__ import annotations

from ....core.context import RequestContext
from ....core.store import Page
from ..errors import duplicate
from ..models import Record, new_id
from ..views import referral_out
from .common import HANDLERS, filtered, matches, now_iso, page_of, referenced, state_of


@HANDLERS.operation("listReferrals")
def list_referrals(ctx: RequestContext) -> Page:
    """A referral's email is unique: that filter is one index lookup; by affiliate, the affiliate's group is read.
    The other filters are then checked on what was found."""
    state, q = state_of(ctx), ctx.query
    statuses = q.get("subscription_status")

    def keep(r: Record) -> bool:
        return (matches(q, r, ("affiliate_id", "email", "stripe_customer_id"))
                and (statuses is None or r["subscription_status"] in statuses))

    if "email" in q:
        found = state.referrals.find("email", q["email"])
        records = [found] if found is not None and keep(found) else []
    else:
        records = filtered(state.referrals, q, ("affiliate_id",), keep)
    return page_of(records, q, lambda r: referral_out(state, r))


@HANDLERS.operation("createReferral")
def create_referral(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    affiliate = referenced(state.affiliates, body["affiliate_id"], "Affiliate")
    if state.referrals.find("email", body["email"]) is not None:
        raise duplicate("A referral with this email already exists")
    now = now_iso(ctx)
    record = {
        "id": new_id(ctx.random), "affiliate_id": affiliate["id"], "email": body["email"],
        "subscription_status": body.get("subscription_status", "signed_up"),
        "stripe_customer_id": body.get("stripe_customer_id"), "signup_date": now, "created_at": now,
        "seq": state.next_seq(),
    }
    state.referrals.insert(record)
    out = referral_out(state, record)
    ctx.emit("referral.created", out)
    return out
