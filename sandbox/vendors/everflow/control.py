"""Everflow simulations for the control plane: what happens on the tracking domain, outside the API."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.errors import ApiError
from ...core.events import stage_event
from ..base import ControlAction
from . import webhooks
from .state import EverflowState, click_record, conversion_record
from .views import conversion_out

if TYPE_CHECKING:
    from ...core.tenantlike import TenantLike

EXTRA_FIELDS = ("sub1", "sub2", "sub3", "sub4", "sub5", "source_id", "order_id", "coupon_code", "email",
                "sale_amount", "status", "adv1", "adv2", "adv3", "adv4", "adv5", "country")


def _int(body: dict, name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(400, "invalid_body", f"{name} must be an integer")
    return value


def click_and_convert(tenant: TenantLike, state: EverflowState, params: dict[str, str], body: Any) -> dict:
    """A click on the affiliate's link, then a conversion on it: payout and revenue from the offer's default
    payout_revenue entry; pending when the offer (or entry) must approve conversions, else approved.

    The offer must be active and the affiliate active and able to see it, as a real click would need.
    """
    offer = state.offers.get(_int(body, "network_offer_id"))
    if offer is None:
        raise ApiError(404, "not_found", "Offer not found")
    affiliate = state.affiliates.get(_int(body, "network_affiliate_id"))
    if affiliate is None:
        raise ApiError(404, "not_found", "Affiliate not found")
    if offer["offer_status"] != "active":
        raise ApiError(400, "not_allowed", f"The offer is {offer['offer_status']}: it takes no traffic")
    if affiliate["account_status"] != "active" or not state.can_run(affiliate, offer):
        raise ApiError(400, "not_allowed", "The affiliate cannot run this offer (inactive or not visible)")
    status = body.get("status")
    if status is not None and status not in ("approved", "pending", "rejected", "invalid"):
        raise ApiError(400, "invalid_body", "status must be approved, pending, rejected or invalid")
    sale = body.get("sale_amount", 0)
    if not isinstance(sale, (int, float)) or isinstance(sale, bool) or sale < 0:
        raise ApiError(400, "invalid_body", "sale_amount must be a non-negative number")
    delay = body.get("seconds_after_click", 0)
    if not isinstance(delay, int) or isinstance(delay, bool) or delay < 0:
        raise ApiError(400, "invalid_body", "seconds_after_click must be a non-negative integer")
    at = int(tenant.clock.timestamp())
    clicked = at - delay
    record = conversion_record(state, tenant.stream("everflow"), offer, affiliate["network_affiliate_id"], at, clicked,
                               {k: body[k] for k in EXTRA_FIELDS if k in body})
    state.clicks.insert(click_record(offer, affiliate["network_affiliate_id"], clicked, record))
    state.conversions.insert(record)
    stage_event(tenant, "everflow", webhooks.CONVERSION, record)  # the postbacks (pixels) that match fire
    return {"transaction_id": record["transaction_id"], "conversion_id": record["conversion_id"],
            "conversion": conversion_out(state, record)}


ACTIONS = [
    ControlAction("POST", "conversions", click_and_convert,
                  "A click and a conversion for an affiliate on an offer (body: network_offer_id, "
                  "network_affiliate_id, optional sub1-5, source_id, order_id, sale_amount, status)."),
]
