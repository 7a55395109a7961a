"""POST /networks/tracking/offers/clicks and /impressions (and the impression link's /test form): an affiliate's
tracking links on an offer; /networks/tracking/campaigns/clicks and /networks/campaigns/{id}/tracking: on a smart
link."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import bad_request, not_found
from ..models import Record
from ..state import EverflowState
from .common import HANDLERS, state_of, tracking_url


def check_can_run(state: EverflowState, affiliate: Record, offer: Record) -> None:
    """The affiliate must be active and see the offer (documented rule; messages are guesses)."""
    if affiliate["account_status"] != "active":
        raise bad_request("Affiliate is not active")
    if not state.can_run(affiliate, offer):
        raise bad_request("Affiliate does not have access to this offer")


def _link(ctx: RequestContext, kind: str = "") -> Record:
    state, body = state_of(ctx), ctx.body
    offer = state.offers.get(body["network_offer_id"])
    if offer is None:
        raise not_found("Offer")
    affiliate = state.affiliates.get(body["network_affiliate_id"])
    if affiliate is None:
        raise not_found("Affiliate")
    check_can_run(state, affiliate, offer)
    return {"url": tracking_url(state, offer, affiliate, body, kind)}


@HANDLERS.operation("generateTrackingLink")
def generate_link(ctx: RequestContext) -> Record:
    """{"url": "https://<tracking domain>/<offer encoded>/<affiliate encoded>/?sub1=..."} (URL format: guess)."""
    return _link(ctx)


@HANDLERS.operation("testImpressionLink")
@HANDLERS.operation("generateImpressionLink")
def generate_impression_link(ctx: RequestContext) -> Record:
    """The click link's rules; the URL has an /imp/ segment (guess). The /test form answers the same."""
    return _link(ctx, "imp/")


def _campaign_link(ctx: RequestContext, campaign_id: int) -> str:
    """A smart link's URL for an active affiliate (an inactive smart link is 400; messages are guesses)."""
    state, body = state_of(ctx), ctx.body
    campaign = state.campaigns.get(campaign_id)
    if campaign is None:
        raise not_found("Smart link")
    affiliate = state.affiliates.get(body["network_affiliate_id"])
    if affiliate is None:
        raise not_found("Affiliate")
    if affiliate["account_status"] != "active":
        raise bad_request("Affiliate is not active")
    if campaign["campaign_status"] != "active":
        raise bad_request("Smart link is not active")
    return tracking_url(state, campaign, affiliate, body)


@HANDLERS.operation("generateCampaignTrackingLink")
@HANDLERS.operation("testCampaignTrackingLink")
def campaign_link(ctx: RequestContext) -> Record:
    """{"url": ...} like the offer link (laravel-everflow's form; the test form answers the same, guess)."""
    return {"url": _campaign_link(ctx, ctx.body["network_campaign_id"])}


@HANDLERS.operation("generateSmartLinkTrackingUrl")
def smart_link_tracking_url(ctx: RequestContext) -> Record:
    """The draft's form: the smart link in the path, {"tracking_url": ...} back."""
    return {"tracking_url": _campaign_link(ctx, ctx.path["campaignId"])}
