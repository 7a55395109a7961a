"""GET /campaigns, GET /campaigns/{id}."""
from __future__ import annotations

from ....core.context import RequestContext
from ....core.store import Page
from ..models import Record, campaign_out
from .common import HANDLERS, list_page, require_campaign, state_of


def _present(ctx: RequestContext, campaign: Record) -> Record:
    """Counters cover the conversions this key can see; revenue leaves out rejected and refunded sales."""
    state, key = state_of(ctx), (campaign["id"],)
    return campaign_out(campaign, state.seen_total("campaignCount", key, ctx.key.test_mode),
                        state.seen_total("campaignRevenue", key, ctx.key.test_mode))


@HANDLERS.operation("listCampaigns")
def list_campaigns(ctx: RequestContext) -> Page:
    campaigns = state_of(ctx).campaigns.filter(
        lambda c: "status" not in ctx.query or c["status"] == ctx.query["status"])
    page = list_page(campaigns, ctx.query)
    return Page([_present(ctx, c) for c in page.items], page.page, page.limit, page.total)


@HANDLERS.operation("getCampaign")
def get_campaign(ctx: RequestContext) -> Record:
    return _present(ctx, require_campaign(ctx, ctx.path["id"]))
