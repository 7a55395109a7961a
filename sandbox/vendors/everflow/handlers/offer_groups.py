"""Offer groups: list, table, create, get and full-replacement update; a group's offers are those whose
network_offer_group_id names it."""
from __future__ import annotations

from ....core.context import RequestContext
from ..models import OFFER_GROUP_DEFAULTS, Record
from ..views import offer_group_out
from .common import HANDLERS, invalid, listing, now, require, state_of


def _fields(ctx: RequestContext, body: Record) -> Record:
    state = state_of(ctx)
    if body["network_advertiser_id"] not in state.advertisers:
        raise invalid("network_advertiser_id", body["network_advertiser_id"])
    for offer_id in body.get("network_offer_ids") or []:
        if offer_id not in state.offers:
            raise invalid("network_offer_ids", offer_id)
    fields = {k: body.get(k, v) for k, v in OFFER_GROUP_DEFAULTS.items()}
    return fields | {"network_advertiser_id": body["network_advertiser_id"], "name": body["name"],
                     "labels": list(dict.fromkeys(body.get("labels") or []))}


def _assign(ctx: RequestContext, group_id: int, offer_ids: list[int] | None) -> None:
    """The group holds exactly the listed offers (when the body lists them); others leave it."""
    if offer_ids is None:
        return
    state, at, listed = state_of(ctx), now(ctx), set(offer_ids)
    for offer in state.offers.group("offer_group", group_id):  # a list: the updates below do not change it
        if offer["network_offer_id"] not in listed:
            state.offers.update(offer["network_offer_id"], {"network_offer_group_id": 0, "time_saved": at})
    for offer_id in offer_ids:
        if state.offers[offer_id]["network_offer_group_id"] != group_id:
            state.offers.update(offer_id, {"network_offer_group_id": group_id, "time_saved": at})


@HANDLERS.operation("listOfferGroups")
def list_offer_groups(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return {"offer_groups": [offer_group_out(state, g) for g in state.offer_groups]}


@HANDLERS.operation("searchOfferGroups")
def search_offer_groups(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body or {}
    f = body.get("filters") or {}
    rows = [g for g in state.offer_groups
            if ("offer_group_status" not in f or g["offer_group_status"] == f["offer_group_status"])
            and (not f.get("network_advertiser_ids") or g["network_advertiser_id"] in f["network_advertiser_ids"])
            and all(t["value"].lower() in g["name"].lower() for t in body.get("search_terms") or [])]
    return listing("offer_groups", [offer_group_out(state, g) for g in rows], ctx)


@HANDLERS.operation("createOfferGroup")
def create_offer_group(ctx: RequestContext) -> Record:
    state, at = state_of(ctx), now(ctx)
    group = {**_fields(ctx, ctx.body), "network_offer_group_id": state.offer_groups.next_int_id(),
             "network_id": state.network["network_id"], "time_created": at, "time_saved": at}
    state.ensure_labels(group["labels"], at)
    state.offer_groups.insert(group)
    _assign(ctx, group["network_offer_group_id"], ctx.body.get("network_offer_ids"))
    return offer_group_out(state, group)


@HANDLERS.operation("getOfferGroup")
def get_offer_group(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return offer_group_out(state, require(state.offer_groups, ctx.path["offerGroupId"], "Offer group"))


@HANDLERS.operation("updateOfferGroup")
def update_offer_group(ctx: RequestContext) -> Record:
    """Full replacement; without network_offer_ids the group keeps its offers (guess)."""
    state, at = state_of(ctx), now(ctx)
    group = require(state.offer_groups, ctx.path["offerGroupId"], "Offer group")
    fields = _fields(ctx, ctx.body)
    state.ensure_labels(fields["labels"], at)
    group = state.offer_groups.update(group["network_offer_group_id"], {**fields, "time_saved": at})
    _assign(ctx, group["network_offer_group_id"], ctx.body.get("network_offer_ids"))
    return offer_group_out(state, group)
