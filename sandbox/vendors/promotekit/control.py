"""PromoteKit simulations for the control plane: what happens in the dashboard, outside the API.

PromoteKit makes payouts in its dashboard (monthly, NET-15); the API only reads them. `payouts/run` plays
that part: an affiliate's unpaid commissions are bundled into one payout per currency and marked paid.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.clock import format_instant
from ...core.errors import ApiError
from ..base import ControlAction
from .models import Record, new_id
from .state import PromoteKitState, payout_fields
from .views import payout_out

if TYPE_CHECKING:
    from ...core.tenantlike import TenantLike


def _pay(tenant: TenantLike, state: PromoteKitState, affiliate: Record, period: str | None) -> list[Record]:
    unpaid = state.commissions.filter(
        lambda c: c["affiliate_id"] == affiliate["id"] and c["payout_status"] == "not_paid")
    by_currency: dict[str, list[Record]] = {}
    for commission in unpaid:
        by_currency.setdefault(commission["currency"], []).append(commission)
    now = format_instant(tenant.clock.now())
    made = []
    for currency, commissions in sorted(by_currency.items()):
        payout = {
            "id": new_id(tenant.stream("promotekit")), **payout_fields(affiliate),
            "amount": round(sum(c["commission_amount"] for c in commissions), 2), "currency": currency,
            # Guess: the period is the month (YYYY-MM) of the latest commission in the payout.
            "period": period or max(c["referral_date"] for c in commissions)[:7],
            "payment_count": len(commissions), "created_at": now, "seq": state.next_seq(),
        }
        state.payouts.insert(payout)
        for commission in commissions:
            state.commissions.update(commission["id"], {"payout_status": "paid", "payout_id": payout["id"]})
        made.append(payout)
    return made


def run_payout(tenant: TenantLike, state: PromoteKitState, params: dict[str, str], body: Any) -> dict:
    """Body `{"affiliate_id"?, "period"?}`: pay one affiliate, or every affiliate that is owed and not banned."""
    period = body.get("period")
    if period is not None and (not isinstance(period, str) or not period):
        raise ApiError(400, "invalid_body", "period must be a non-empty string, e.g. \"2026-05\"")
    affiliate_id = body.get("affiliate_id")
    if affiliate_id is not None:
        affiliate = state.affiliates.get(affiliate_id)
        if affiliate is None:
            raise ApiError(404, "not_found", f"No PromoteKit affiliate {affiliate_id!r}")
        if affiliate["banned"]:
            raise ApiError(409, "affiliate_banned", "Banned affiliates are not eligible for payouts")
        affiliates = [affiliate]
    else:
        owed = {c["affiliate_id"] for c in state.commissions if c["payout_status"] == "not_paid"}
        affiliates = [a for a in state.affiliates if a["id"] in owed and not a["banned"]]
    payouts = [p for a in affiliates for p in _pay(tenant, state, a, period)]
    return {"data": [payout_out(state, p) for p in payouts]}


def add_clicks(tenant: TenantLike, state: PromoteKitState, params: dict[str, str], body: Any) -> dict:
    """The tracking script saw visits: the affiliate's `clicks` grows by `count` (default 1)."""
    affiliate = state.affiliates.get(params["affiliate_id"])
    if affiliate is None:
        raise ApiError(404, "not_found", f"No PromoteKit affiliate {params['affiliate_id']!r}")
    count = body.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ApiError(400, "invalid_body", "count must be a positive integer")
    state.affiliates.update(affiliate["id"], {"clicks": affiliate["clicks"] + count})
    return {"id": affiliate["id"], "clicks": affiliate["clicks"]}


ACTIONS = [
    ControlAction("POST", "payouts/run", run_payout,
                  "Run a payout ({affiliate_id?, period?}): unpaid commissions become paid, bundled in a payout."),
    ControlAction("POST", "affiliates/{affiliate_id}/clicks", add_clicks,
                  "Record tracked clicks ({count?: 1}) for an affiliate."),
]
