"""Affiliate tiers: list, get, create, full-replacement update."""
from __future__ import annotations

from ....core.context import RequestContext
from ..models import TIER_DEFAULTS, Record
from ..views import tier_out
from .common import HANDLERS, invalid, now, relationships, require, state_of


def _apply(ctx: RequestContext, tier_id: int, body: Record) -> None:
    """Tier membership lives on the affiliates: the listed affiliates move into the tier (guess: the others
    stay where they are); a new default tier takes the flag from the old one (guess)."""
    state = state_of(ctx)
    for affiliate_id in body.get("network_affiliate_ids") or []:
        if affiliate_id not in state.affiliates:
            raise invalid("network_affiliate_ids", affiliate_id)
    at = now(ctx)
    for affiliate_id in body.get("network_affiliate_ids") or []:
        state.affiliates.update(affiliate_id, {"network_affiliate_tier_id": tier_id, "time_saved": at})
    if body["is_default_tier"]:
        for other in [t for t in state.tiers.group("default", True) if t["network_affiliate_tier_id"] != tier_id]:
            state.tiers.update(other["network_affiliate_tier_id"], {"is_default_tier": False})
    state.ensure_labels(body.get("labels") or [], at)


def _fields(body: Record) -> Record:
    return {"name": body["name"], "status": body["status"], "payout_margin": body["payout_margin"],
            "is_default_tier": body["is_default_tier"],
            **{k: body.get(k, v) for k, v in TIER_DEFAULTS.items()}}


def _require(ctx: RequestContext) -> Record:
    return require(state_of(ctx).tiers, ctx.path["affiliateTierId"], "Tier")


@HANDLERS.operation("listAffiliateTiers")
def list_tiers(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return {"tiers": [tier_out(state, t) for t in state.tiers]}


@HANDLERS.operation("getAffiliateTier")
def get_tier(ctx: RequestContext) -> Record:
    return tier_out(state_of(ctx), _require(ctx), relationships(ctx))


@HANDLERS.operation("createAffiliateTier")
def create_tier(ctx: RequestContext) -> Record:
    state, at = state_of(ctx), now(ctx)
    tier_id = state.tiers.next_int_id()
    for affiliate_id in ctx.body.get("network_affiliate_ids") or []:
        if affiliate_id not in state.affiliates:
            raise invalid("network_affiliate_ids", affiliate_id)
    tier = {**_fields(ctx.body), "network_affiliate_tier_id": tier_id, "network_id": state.network["network_id"],
            "time_created": at, "time_saved": at}
    state.tiers.insert(tier)
    _apply(ctx, tier_id, ctx.body)
    return tier_out(state, tier)


@HANDLERS.operation("updateAffiliateTier")
def update_tier(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    tier = _require(ctx)
    _apply(ctx, tier["network_affiliate_tier_id"], ctx.body)
    state.tiers.update(tier["network_affiliate_tier_id"], {**_fields(ctx.body), "time_saved": now(ctx)})
    return tier_out(state, tier)


@HANDLERS.operation("bulkAssignAffiliateTiers")
def bulk_assign(ctx: RequestContext) -> Record:
    """Move affiliates between tiers (mirror body); all checked first, so an unknown id changes nothing."""
    state = state_of(ctx)
    assignments = ctx.body["assignments"]
    for item in assignments:
        if item["network_affiliate_id"] not in state.affiliates:
            raise invalid("network_affiliate_id", item["network_affiliate_id"])
        if item["network_affiliate_tier_id"] not in state.tiers:
            raise invalid("network_affiliate_tier_id", item["network_affiliate_tier_id"])
    at = now(ctx)
    for item in assignments:
        state.affiliates.update(item["network_affiliate_id"], {
            "network_affiliate_tier_id": item["network_affiliate_tier_id"], "time_saved": at})
    return {"result": True}
