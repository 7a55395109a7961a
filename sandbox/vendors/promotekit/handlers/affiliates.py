"""GET|POST /affiliates, GET|PUT /affiliates/{id}."""
from __future__ import annotations

from ....core.context import RequestContext
from ....core.store import Page
from ..errors import duplicate, invalid
from ..models import Record, new_id, promo_external_id
from ..state import PromoteKitState
from ..views import affiliate_out, campaign_view
from .common import HANDLERS, lookup, matches, now_iso, page_of, page_of_collection, referenced, state_of

UPDATABLE = ("email", "first_name", "last_name", "payout_email", "ref_code", "promo_code", "campaign_id",
             "approved", "banned", "details", "new_paid_referral_notifications")


@HANDLERS.operation("listAffiliates")
def list_affiliates(ctx: RequestContext) -> Page:
    """Email, ref_code and promo_code are unique: such a filter is one index lookup. campaign_id alone reads the
    kept order up to the page's end, with the total from a running count; no filter reads just the page."""
    state, q = state_of(ctx), ctx.query
    out = lambda a: affiliate_out(state, a)  # noqa: E731
    unique = next((name for name in ("email", "ref_code", "promo_code") if name in q), None)
    if unique is not None:
        found = state.affiliates.find(unique, q[unique])
        filters = ("campaign_id", "email", "ref_code", "promo_code")
        return page_of([found] if found is not None and matches(q, found, filters) else [], q, out)
    if "campaign_id" in q:
        return page_of_collection(state.affiliates, q, out, keep=lambda a: matches(q, a, ("campaign_id",)),
                                  total=int(state.affiliates.total("perCampaign", q["campaign_id"].lower())))
    return page_of_collection(state.affiliates, q, out)


@HANDLERS.operation("getAffiliate")
def get_affiliate(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return affiliate_out(state, lookup(state.affiliates, ctx.path["id"], "Affiliate"))


def _check_unique(state: PromoteKitState, affiliate_id: str | None, body: dict) -> None:
    """Email, ref_code and promo code are unique in the organisation; a duplicate is a 400 (guess: no 409)."""
    for index, message in (("email", "An affiliate with this email already exists"),
                           ("ref_code", "An affiliate with this ref_code already exists"),
                           ("promo_code", "An affiliate with this promo_code already exists")):
        value = body.get(index)
        if value is None:
            continue
        holder = state.affiliates.find(index, value)
        if holder is not None and holder["id"] != affiliate_id:
            raise duplicate(message)


@HANDLERS.operation("createAffiliate")
def create_affiliate(ctx: RequestContext) -> Record:
    state, body, random = state_of(ctx), ctx.body, ctx.random
    campaign: Record | None
    if "campaign_id" in body:
        campaign = referenced(state.campaigns, body["campaign_id"], "Campaign")
    else:
        campaign = state.default_campaign()
        if campaign is None:
            raise invalid("No campaign_id given and the organization has no default campaign")
    # A promo_code is accepted whatever the campaign's code_mode: the documented create request sends one and
    # its example pairs code_mode "link" with promo codes. It is stored, unique, and findable by ?promo_code=.
    _check_unique(state, None, body)
    view = campaign_view(state, campaign)  # also what the answer shows of the campaign, below
    first_name, promo_code = body["first_name"], body.get("promo_code")
    record = {
        "id": new_id(random), "email": body["email"], "first_name": first_name,
        "last_name": body["last_name"], "payout_email": body.get("payout_email"),
        "ref_code": body.get("ref_code") or state.free_ref_code(random, first_name),
        "promo_code": promo_code, "promo_external_id": None, "campaign_id": campaign["id"],
        "clicks": 0, "approved": body.get("approved", True), "banned": False, "details": body.get("details"),
        "new_paid_referral_notifications": body.get("new_paid_referral_notifications", True),
        "created_at": now_iso(ctx), "seq": state.next_seq(),
    }
    if promo_code:
        record["promo_external_id"] = promo_external_id(random)
    elif view.coupons:  # the generated code goes into the record before it is stored: one insert
        record.update(state.promo_code_due(random, record, campaign))
    state.affiliates.insert(record)
    out = affiliate_out(state, record, view)
    ctx.emit("affiliate.created", out)
    return out


@HANDLERS.operation("updateAffiliate")
def update_affiliate(ctx: RequestContext) -> Record:
    """Partial update (every field optional). A new ref_code replaces the link; a new promo_code the promo code."""
    state, body = state_of(ctx), ctx.body
    affiliate = lookup(state.affiliates, ctx.path["id"], "Affiliate")
    changes = {k: body[k] for k in UPDATABLE if k in body}
    if "campaign_id" in changes:
        referenced(state.campaigns, changes["campaign_id"], "Campaign")
    _check_unique(state, affiliate["id"], changes)
    if "promo_code" in changes and (changes["promo_code"] or "").lower() != (affiliate.get("promo_code") or "").lower():
        changes["promo_external_id"] = promo_external_id(ctx.random)
    was_approved = affiliate["approved"]
    state.affiliates.update(affiliate["id"], changes)
    state.ensure_promo_code(ctx.random, affiliate)
    out = affiliate_out(state, affiliate)
    if affiliate["approved"] and not was_approved:
        ctx.emit("affiliate.approved", out)
    return out
