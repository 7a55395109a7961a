"""Offer URLs (an offer's extra landing pages): list, create, bulk create, get, full-replacement update, bulk edit."""
from __future__ import annotations

from typing import Any

from ....core.context import RequestContext
from ..errors import bad_request
from ..models import OFFER_URL_DEFAULTS, Record, offer_url_out
from .common import HANDLERS, invalid, listing, now, require, state_of

TEXT_FIELDS = ("name", "destination_url", "preview_url")
FLAG_FIELDS = ("is_apply_specific_affiliates", "is_hidden_affiliate")
URL_STATUSES = ("active", "paused", "deleted")


def _fields(ctx: RequestContext, body: Record) -> Record:
    """The stored fields of a create or full replacement: the offer and the affiliates must exist (400)."""
    state = state_of(ctx)
    if body["network_offer_id"] not in state.offers:
        raise invalid("network_offer_id", body["network_offer_id"])
    affiliate_ids = list(dict.fromkeys(body.get("network_affiliate_ids") or []))
    for affiliate_id in affiliate_ids:
        if affiliate_id not in state.affiliates:
            raise invalid("network_affiliate_ids", affiliate_id)
    fields = {k: body.get(k, v) for k, v in OFFER_URL_DEFAULTS.items()}
    return fields | {"network_offer_id": body["network_offer_id"], "name": body["name"],
                     "destination_url": body["destination_url"], "network_affiliate_ids": affiliate_ids}


def _new(ctx: RequestContext, fields: Record) -> Record:
    state, at = state_of(ctx), now(ctx)
    record = {**fields, "network_offer_url_id": state.offer_urls.next_int_id(),
              "network_id": state.network["network_id"], "time_created": at, "time_saved": at}
    state.offer_urls.insert(record)
    return record


@HANDLERS.operation("listOfferUrls")
def list_offer_urls(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    offer_id, status = ctx.query.get("filter[network_offer_id]"), ctx.query.get("filter[url_status]")
    rows = state.offer_urls.group("offer", offer_id) if offer_id is not None else list(state.offer_urls)
    return listing("urls", [offer_url_out(u) for u in rows if status is None or u["url_status"] == status], ctx)


@HANDLERS.operation("createOfferUrl")
def create_offer_url(ctx: RequestContext) -> Record:
    return offer_url_out(_new(ctx, _fields(ctx, ctx.body)))


@HANDLERS.operation("createOfferUrls")
def create_offer_urls(ctx: RequestContext) -> Record:
    """Every URL is checked before any is made."""
    fields = [_fields(ctx, body) for body in ctx.body]
    return {"urls": [offer_url_out(_new(ctx, f)) for f in fields]}


@HANDLERS.operation("getOfferUrl")
def get_offer_url(ctx: RequestContext) -> Record:
    return offer_url_out(require(state_of(ctx).offer_urls, ctx.path["offerUrlId"], "Offer URL"))


@HANDLERS.operation("updateOfferUrl")
def update_offer_url(ctx: RequestContext) -> Record:
    """Full replacement: omitted fields revert to their defaults (documented)."""
    state = state_of(ctx)
    record = require(state.offer_urls, ctx.path["offerUrlId"], "Offer URL")
    if ctx.body["network_offer_url_id"] != record["network_offer_url_id"]:
        raise invalid("network_offer_url_id", ctx.body["network_offer_url_id"])
    fields = _fields(ctx, ctx.body)
    return offer_url_out(state.offer_urls.update(record["network_offer_url_id"], {**fields, "time_saved": now(ctx)}))


def _edit(ctx: RequestContext, url: Record, field: Record) -> Any:
    """The new value of one field under one operator, or 400 naming what is wrong."""
    state, name, operator, value = state_of(ctx), field["field_type"], field["operator"], field.get("field_value")
    if name == "network_affiliate_ids":
        if operator == "clear":
            return []
        ids = value if isinstance(value, list) else [value]
        if not all(isinstance(i, int) and not isinstance(i, bool) and i in state.affiliates for i in ids):
            raise bad_request(f"Invalid value for network_affiliate_ids: {value}")
        if operator == "overwrite":
            return list(dict.fromkeys(ids))
        if operator == "append":
            return list(dict.fromkeys(url["network_affiliate_ids"] + ids))
        return [i for i in url["network_affiliate_ids"] if i not in ids]
    if operator not in ("overwrite", "clear") or operator == "clear" and name not in ("preview_url",):
        raise bad_request(f"Operator {operator} cannot be used on {name}")
    if operator == "clear":
        return ""
    valid = {"url_status": lambda v: v in URL_STATUSES, "name": lambda v: isinstance(v, str) and v != "",
             "destination_url": lambda v: isinstance(v, str) and v != "", "preview_url": lambda v: isinstance(v, str),
             "is_apply_specific_affiliates": lambda v: isinstance(v, bool),
             "is_hidden_affiliate": lambda v: isinstance(v, bool)}[name]
    if not valid(value):
        raise bad_request(f"Invalid value for {name}: {value}")
    return value


@HANDLERS.operation("bulkEditOfferUrls")
def bulk_edit_offer_urls(ctx: RequestContext) -> Record:
    """Every URL must belong to the offer, and every change be valid, before any URL changes."""
    state, body, at = state_of(ctx), ctx.body, now(ctx)
    if body["network_offer_id"] not in state.offers:
        raise invalid("network_offer_id", body["network_offer_id"])
    changes = []
    for url_id in dict.fromkeys(body["network_offer_url_ids"]):
        url = state.offer_urls.get(url_id)
        if url is None or url["network_offer_id"] != body["network_offer_id"]:
            raise invalid("network_offer_url_ids", url_id)
        edited = dict(url)
        for field in body["fields"]:
            edited[field["field_type"]] = _edit(ctx, edited, field)
        changes.append(edited)
    for edited in changes:
        state.offer_urls.update(edited["network_offer_url_id"], {**edited, "time_saved": at})
    return {"result": True}
