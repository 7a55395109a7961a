"""GET /campaigns, GET /campaigns/{id}."""
from __future__ import annotations

from ....core.context import RequestContext
from ....core.store import Page
from . import HANDLERS
from .common import list_page, require_campaign, state_of
from ..models import Record, campaign_out, visible


def _present(ctx: RequestContext, campaign: Record) -> Record:
    """Counters cover the conversions this key can see; revenue leaves out rejected and refunded sales."""
    conversions = [c for c in state_of(ctx).conversions
                   if c["campaignId"] == campaign["id"] and visible(c, ctx.key)]
    revenue = sum(c["amountCents"] for c in conversions if c["status"] not in ("rejected", "refunded"))
    return campaign_out(campaign, len(conversions), revenue)


@HANDLERS.operation("listCampaigns")
def list_campaigns(ctx: RequestContext) -> Page:
    campaigns = state_of(ctx).campaigns.filter(
        lambda c: "status" not in ctx.query or c["status"] == ctx.query["status"])
    page = list_page(campaigns, ctx.query)
    return Page([_present(ctx, c) for c in page.items], page.page, page.limit, page.total)


@HANDLERS.operation("getCampaign")
def get_campaign(ctx: RequestContext) -> Record:
    return _present(ctx, require_campaign(ctx, ctx.path["id"]))
