"""GET /stats."""
from __future__ import annotations

from ....core.context import RequestContext
from ..models import Record, money, visible
from .common import HANDLERS, date_filter, state_of


@HANDLERS.operation("getStats")
def get_stats(ctx: RequestContext) -> Record:
    """Guess: revenue and commissions over non-rejected conversions in the range; affiliates = approved memberships."""
    state, q = state_of(ctx), ctx.query
    in_range = date_filter(q)
    campaign_id = q.get("campaignId")
    counted = [c for c in state.conversions
               if visible(c, ctx.key) and in_range(c) and c["status"] not in ("rejected", "refunded")
               and (campaign_id is None or c["campaignId"] == campaign_id)]
    approved = {m["affiliateId"] for m in state.memberships
                if m["status"] == "approved" and visible(m, ctx.key)
                and (campaign_id is None or m["campaignId"] == campaign_id)}
    return {
        "totalRevenue": money(sum(c["amountCents"] for c in counted)),
        "totalCommissions": money(sum(c["commissionCents"] for c in counted)),
        "totalConversions": len(counted),
        "totalAffiliates": len(approved),
    }
