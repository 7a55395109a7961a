"""POST /networks/tracking/offers/clicks and /impressions: an affiliate's tracking links on an offer."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import bad_request, not_found
from ..models import Record
from ..state import EverflowState
from . import HANDLERS
from .common import state_of, tracking_url


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


@HANDLERS.operation("generateImpressionLink")
def generate_impression_link(ctx: RequestContext) -> Record:
    """The click link's rules; the URL has an /imp/ segment (guess)."""
    return _link(ctx, "imp/")
