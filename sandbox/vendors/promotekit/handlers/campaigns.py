"""GET|POST /campaigns, GET|PUT /campaigns/{id}."""
from __future__ import annotations

from ....core.context import RequestContext
from ....core.store import Page
from ..errors import invalid
from ..magic import CODE_MODES_WITH_COUPONS
from ..models import CAMPAIGN_DASHBOARD_DEFAULTS, Record, campaign_out, new_id
from ..state import campaign_problem
from .common import HANDLERS, lookup, now_iso, page_of, state_of

SETTABLE = ("name", "commission_type", "commission_amount", "code_mode", "website_url", "reference_coupon",
            "is_default")


@HANDLERS.operation("listCampaigns")
def list_campaigns(ctx: RequestContext) -> Page:
    return page_of(state_of(ctx).campaigns.filter(), ctx.query, campaign_out)


@HANDLERS.operation("getCampaign")
def get_campaign(ctx: RequestContext) -> Record:
    return campaign_out(lookup(state_of(ctx).campaigns, ctx.path["id"], "Campaign"))


@HANDLERS.operation("createCampaign")
def create_campaign(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    record = {"id": new_id(ctx.random), **CAMPAIGN_DASHBOARD_DEFAULTS, "website_url": None,
              "reference_coupon": None, "is_default": False,
              **{k: body[k] for k in SETTABLE if k in body},
              "created_at": now_iso(ctx), "seq": state.next_seq()}
    problem = campaign_problem(record)
    if problem:
        raise invalid(problem)
    state.campaigns.insert(record)
    if record["is_default"]:
        state.make_default(record["id"])
    return campaign_out(record)


@HANDLERS.operation("updateCampaign")
def update_campaign(ctx: RequestContext) -> Record:
    """Partial update; the conditional fields are checked on the resulting campaign."""
    state, body = state_of(ctx), ctx.body
    campaign = lookup(state.campaigns, ctx.path["id"], "Campaign")
    changes = {k: body[k] for k in SETTABLE if k in body}
    problem = campaign_problem({**campaign, **changes})
    if problem:
        raise invalid(problem)
    state.campaigns.update(campaign["id"], changes)
    if campaign["is_default"]:
        state.make_default(campaign["id"])
    # A campaign that starts issuing coupons gives each of its affiliates a promo code (guess). A campaign that
    # issues none gives none, so its update reads no affiliate.
    if campaign["code_mode"] in CODE_MODES_WITH_COUPONS:
        for affiliate in state.affiliates.filter(lambda a: a["campaign_id"] == campaign["id"]):
            state.ensure_promo_code(ctx.random, affiliate)
    return campaign_out(campaign)
