"""LinkJolt simulations for the control plane: what happens outside the API (a payout run, an accepted invite)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.clock import format_instant
from ...core.errors import ApiError
from ...core.events import stage_event
from ..base import ControlAction
from .models import Record, new_id
from .state import LinkJoltState, membership_id

if TYPE_CHECKING:
    from ...core.tenantlike import TenantLike


def run_payouts(tenant: TenantLike, state: LinkJoltState, params: dict[str, str], body: Any) -> dict:
    """Pay every pending payout due by the tenant's clock: payout completed, its conversion paid."""
    now = format_instant(tenant.clock.now())
    paid = []
    for payout in state.payouts.filter(lambda p: p["status"] == "pending" and p["scheduledFor"] <= now):
        state.payouts.update(payout["id"], {"status": "completed", "paidAt": now})
        conversion = state.conversions.get(payout["conversionId"])
        test_mode = bool(conversion and conversion.get("isTest"))  # a test key's sale stays silent when paid
        if conversion is not None and conversion["status"] == "approved":
            state.conversions.update(conversion["id"], {"status": "paid", "updatedAt": now})
            stage_event(tenant, "linkjolt", "conversion.paid", conversion, test_mode)
        stage_event(tenant, "linkjolt", "payout.completed", payout, test_mode)
        paid.append(payout["id"])
    return {"paid": paid}


def accept_invitation(tenant: TenantLike, state: LinkJoltState, params: dict[str, str], body: Any) -> dict:
    """The invitee accepts: an affiliate (made if new) joins the campaign, approved, via invite."""
    invitation = state.invitations.get(params["invitation_id"])
    if invitation is None:
        raise ApiError(404, "not_found", f"Invitation {params['invitation_id']} not found")
    if invitation["status"] != "pending":
        raise ApiError(409, "invalid_status_transition", f"Invitation is {invitation['status']}")
    now = format_instant(tenant.clock.now())
    affiliate: Record | None = state.affiliates.find("email", invitation["email"])
    if affiliate is None:
        affiliate = state.affiliates.insert({
            "id": new_id(tenant.stream("linkjolt")),
            "name": invitation.get("name") or invitation["email"].split("@")[0],
            "email": invitation["email"], "createdVia": "invite", "payoutMethod": "stripe",
            "isTest": invitation.get("isTest", False), "createdAt": now})
    state.invitations.update(invitation["id"], {"status": "accepted"})
    if state.membership(affiliate["id"], invitation["campaignId"]) is None:
        membership = state.memberships.insert({
            "id": membership_id(affiliate["id"], invitation["campaignId"]), "affiliateId": affiliate["id"],
            "campaignId": invitation["campaignId"], "status": "approved", "joinedAt": now, "clicks": 0,
            "createdVia": "invite", "isTest": affiliate.get("isTest", False)})
        stage_event(tenant, "linkjolt", "affiliate.joined", (affiliate, membership),
                    bool(invitation.get("isTest")))
    return {"affiliateId": affiliate["id"], "campaignId": invitation["campaignId"], "status": "approved"}


ACTIONS = [
    ControlAction("POST", "payouts/run", run_payouts,
                  "Pay every pending payout due now: payouts completed, their conversions paid."),
    ControlAction("POST", "invitations/{invitation_id}/accept", accept_invitation,
                  "The invitee accepts: the affiliate joins the campaign, approved."),
]
