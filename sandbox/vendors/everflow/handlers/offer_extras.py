"""Offer extras: the basic list and the stream, payout/revenue, tracking and impression URLs, copy and
forwarding rules of one offer."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import bad_request
from ..models import FORWARDING_RULE_DEFAULTS, Record, encoded_value
from ..views import offer_out, offer_row
from .common import HANDLERS, invalid, listing, now, require_offer, state_of, tracking_url
from .offers import payout_entries, searched
from .tracking import check_can_run


@HANDLERS.operation("listOffersBasic")
def list_offers_basic(ctx: RequestContext) -> Record:
    rows = [{k: o[k] for k in ("network_offer_id", "name", "offer_status")} for o in state_of(ctx).offers]
    return listing("offers", rows, ctx)


@HANDLERS.operation("streamOffers")
def stream_offers(ctx: RequestContext) -> Record:
    """Every offer the offerstable search finds, in one answer (no paging)."""
    state, body = state_of(ctx), ctx.body or {}
    return {"offers": [offer_row(state, o) for o in searched(state, body)]}


@HANDLERS.operation("getOfferPayoutRevenue")
def get_payout_revenue(ctx: RequestContext) -> Record:
    offer = require_offer(ctx, ctx.path["offerId"])
    return {"network_offer_id": offer["network_offer_id"], "payout_revenue": [dict(e) for e in offer["payout_revenue"]]}


@HANDLERS.operation("updateOfferPayoutRevenue")
def update_payout_revenue(ctx: RequestContext) -> Record:
    """Replaces every entry (the rules of the offer's own payout_revenue: one default, ids kept when sent)."""
    state = state_of(ctx)
    offer = require_offer(ctx, ctx.path["offerId"])
    entries = payout_entries(state, ctx.body["payout_revenue"], offer)
    state.offers.update(offer["network_offer_id"], {"payout_revenue": entries, "time_saved": now(ctx)})
    return get_payout_revenue(ctx)


def _link(ctx: RequestContext, kind: str) -> str:
    state = state_of(ctx)
    offer = require_offer(ctx, ctx.path["offerId"])
    affiliate = state.affiliates.get(ctx.body["network_affiliate_id"])
    if affiliate is None:
        raise invalid("network_affiliate_id", ctx.body["network_affiliate_id"])
    if ctx.body.get("creative_id"):  # the sandbox models no creatives: none belongs to the offer
        raise invalid("creative_id", ctx.body["creative_id"])
    check_can_run(state, affiliate, offer)
    return tracking_url(state, offer, affiliate, ctx.body, kind)


@HANDLERS.operation("generateOfferTrackingUrl")
def generate_tracking_url(ctx: RequestContext) -> Record:
    return {"tracking_url": _link(ctx, "")}


@HANDLERS.operation("generateOfferImpressionUrl")
def generate_impression_url(ctx: RequestContext) -> Record:
    return {"impression_url": _link(ctx, "imp/")}


@HANDLERS.operation("copyOffer")
def copy_offer(ctx: RequestContext) -> Record:
    """A paused copy with new ids: the same settings, payouts and labels; approvals are not copied (guess)."""
    state, at = state_of(ctx), now(ctx)
    offer = require_offer(ctx, ctx.path["offerId"])
    copy = {**offer, "network_offer_id": state.offers.next_int_id(), "name": f"{offer['name']} (Copy)",
            "offer_status": "paused", "encoded_value": encoded_value(ctx.random, state.offers),
            "approved_affiliate_ids": [],
            "labels": list(offer["labels"]), "time_created": at, "time_saved": at,
            "payout_revenue": [{**e, "network_offer_payout_revenue_id": state.next_payout_revenue_id()}
                               for e in offer["payout_revenue"]]}
    state.offers.insert(copy)
    return offer_out(state, copy, ["payout_revenue"])


# -- forwarding rules --------------------------------------------------------------------------------------

def _rule(ctx: RequestContext, offer: Record) -> Record:
    rule = state_of(ctx).forwarding_rules.get(offer["network_offer_id"]) or {}
    return {"network_offer_id": offer["network_offer_id"],
            **{k: rule.get(k, v) for k, v in FORWARDING_RULE_DEFAULTS.items()}}


@HANDLERS.operation("getOfferForwardingRule")
def get_forwarding_rule(ctx: RequestContext) -> Record:
    return _rule(ctx, require_offer(ctx, ctx.path["offerId"]))


@HANDLERS.operation("updateOfferForwardingRule")
def update_forwarding_rule(ctx: RequestContext) -> Record:
    """Full replacement; an enabled rule must name where traffic goes: another offer, or a URL."""
    state, body = state_of(ctx), ctx.body
    offer = require_offer(ctx, ctx.path["offerId"])
    rule = {k: body.get(k, v) for k, v in FORWARDING_RULE_DEFAULTS.items()}
    rule["forward_on"] = list(dict.fromkeys(rule["forward_on"]))
    target = rule["forwarding_network_offer_id"]
    if target and (target == offer["network_offer_id"] or target not in state.offers):
        raise invalid("forwarding_network_offer_id", target)
    if rule["is_forwarding_enabled"]:
        if rule["forwarding_type"] == "offer" and not target:
            raise bad_request("forwarding_network_offer_id is required when forwarding to an offer")
        if rule["forwarding_type"] == "url" and not rule["forwarding_url"]:
            raise bad_request("forwarding_url is required when forwarding to a URL")
    state.forwarding_rules.delete(offer["network_offer_id"])
    state.forwarding_rules.insert({"network_offer_id": offer["network_offer_id"], **rule})
    return _rule(ctx, offer)

