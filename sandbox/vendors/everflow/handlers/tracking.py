"""POST /networks/tracking/offers/clicks: an affiliate's tracking link on an offer."""
from __future__ import annotations

from urllib.parse import urlencode

from ....core.context import RequestContext
from ..errors import bad_request, not_found
from ..models import Record
from ..state import EverflowState
from . import HANDLERS
from .common import state_of

LINK_PARAMS = ("sub1", "sub2", "sub3", "sub4", "sub5", "source_id")


def check_can_run(state: EverflowState, affiliate: Record, offer: Record) -> None:
    """The affiliate must be active and see the offer (documented rule; messages are guesses)."""
    if affiliate["account_status"] != "active":
        raise bad_request("Affiliate is not active")
    if not state.can_run(affiliate, offer):
        raise bad_request("Affiliate does not have access to this offer")


@HANDLERS.operation("generateTrackingLink")
def generate_link(ctx: RequestContext) -> Record:
    """{"url": "https://<tracking domain>/<offer encoded>/<affiliate encoded>/?sub1=..."} (URL format: guess)."""
    state, body = state_of(ctx), ctx.body
    offer = state.offers.get(body["network_offer_id"])
    if offer is None:
        raise not_found("Offer")
    affiliate = state.affiliates.get(body["network_affiliate_id"])
    if affiliate is None:
        raise not_found("Affiliate")
    check_can_run(state, affiliate, offer)
    query = urlencode([(k, body[k]) for k in LINK_PARAMS if body.get(k)])
    url = f"https://{state.network['tracking_domain']}/{offer['encoded_value']}/{affiliate['encoded_value']}/"
    return {"url": url + (f"?{query}" if query else "")}
