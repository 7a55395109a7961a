"""Offers: create, get, full-replacement update, the simple list and the offerstable search."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import bad_request
from ..models import OFFER_DEFAULTS, PAYOUT_REVENUE_DEFAULTS, Record, default_entry, encoded_value
from ..state import EverflowState
from ..views import offer_out, offer_row
from .common import HANDLERS, check_meta, filtered, invalid, listing, now, relationships, require_offer, state_of

LIST_FILTER_FIELDS = ("time_created", "time_saved", "offer_status", "visibility", "network_advertiser_id")


def _fields(ctx: RequestContext, body: Record, current: Record | None = None) -> Record:
    """The stored fields of a create or full-replacement update, after the cross-record checks."""
    state = state_of(ctx)
    if body["network_advertiser_id"] not in state.advertisers:
        raise invalid("network_advertiser_id", body["network_advertiser_id"])
    currency = body.get("currency_id") or state.network["default_currency_id"]
    check_meta(ctx, "currencies", "currency_id", currency)
    if body.get("caps_timezone_id"):
        check_meta(ctx, "timezones", "caps_timezone_id", body["caps_timezone_id"])
    if body.get("network_offer_group_id") and body["network_offer_group_id"] not in state.offer_groups:
        raise invalid("network_offer_group_id", body["network_offer_group_id"])
    stored = payout_entries(state, body["payout_revenue"], current)
    fields = {name: body.get(name, default) for name, default in OFFER_DEFAULTS.items()}
    fields |= {"network_advertiser_id": body["network_advertiser_id"], "name": body["name"],
               "destination_url": body["destination_url"], "currency_id": currency,
               "payout_revenue": stored, "labels": list(dict.fromkeys(body.get("labels") or []))}
    return fields


def payout_entries(state: EverflowState, entries: list[Record], current: Record | None = None) -> list[Record]:
    """Stored payout/revenue entries: exactly one default; an entry keeps its id when it sends one of the offer's."""
    if sum(1 for e in entries if e.get("is_default")) != 1:
        raise bad_request("Exactly one payout_revenue entry must have is_default set to true")
    known = {e["network_offer_payout_revenue_id"]: e for e in (current or {}).get("payout_revenue", [])}
    stored = []
    for entry in entries:
        entry_id = entry.get("network_offer_payout_revenue_id")
        if entry_id not in known:  # guess: an id of another offer (or none) makes a new entry
            entry_id = state.next_payout_revenue_id()
        stored.append({**PAYOUT_REVENUE_DEFAULTS, **entry, "network_offer_payout_revenue_id": entry_id})
    return stored


@HANDLERS.operation("createOffer")
def create_offer(ctx: RequestContext) -> Record:
    state, at = state_of(ctx), now(ctx)
    fields = _fields(ctx, ctx.body)
    offer = {**fields, "network_offer_id": state.offers.next_int_id(), "network_id": state.network["network_id"],
             "encoded_value": encoded_value(ctx.random, state.offers), "approved_affiliate_ids": [],
             "time_created": at, "time_saved": at}
    state.ensure_labels(offer["labels"], at)
    state.offers.insert(offer)
    return offer_out(state, offer, ["payout_revenue"] + relationships(ctx))


@HANDLERS.operation("getOffer")
def get_offer(ctx: RequestContext) -> Record:
    return offer_out(state_of(ctx), require_offer(ctx, ctx.path["offerId"]), relationships(ctx))


@HANDLERS.operation("updateOffer")
def update_offer(ctx: RequestContext) -> Record:
    """Full replacement: omitted fields revert to their defaults (documented)."""
    state = state_of(ctx)
    offer = require_offer(ctx, ctx.path["offerId"])
    fields = _fields(ctx, ctx.body, offer)
    at = now(ctx)
    state.ensure_labels(fields["labels"], at)
    state.offers.update(offer["network_offer_id"], {**fields, "time_saved": at})
    return offer_out(state, offer, ["payout_revenue"] + relationships(ctx))


@HANDLERS.operation("listOffers")
def list_offers(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    wanted = relationships(ctx)
    rows = [offer_out(state, o, wanted) for o in filtered(state.offers, ctx, LIST_FILTER_FIELDS)]
    return listing("offers", rows, ctx)


def search_match(state: EverflowState, offer: Record, body: Record) -> bool:
    advertiser = state.advertisers.get(offer["network_advertiser_id"]) or {}
    for term in body.get("search_terms") or []:
        value = term["value"].lower()
        text = {"name": offer["name"], "encoded_value": offer["encoded_value"],
                "advertiser_name": advertiser.get("name", "")}[term["search_type"]]
        if value not in text.lower():
            return False
    f = body.get("filters") or {}
    entry = default_entry(offer)
    checks = [
        ("offer_status", lambda v: offer["offer_status"] == v),
        ("network_advertiser_ids", lambda v: not v or offer["network_advertiser_id"] in v),
        ("network_offer_group_id", lambda v: not v or offer["network_offer_group_id"] == v),
        ("network_category_ids", lambda v: not v or offer["network_category_id"] in v),
        ("visibilities", lambda v: not v or offer["visibility"] in v),
        ("labels", lambda v: not v or bool(set(v) & set(offer["labels"]))),
        ("payout_types", lambda v: not v or entry["payout_type"] in v),
        ("revenue_types", lambda v: not v or entry["revenue_type"] in v),
        ("network_tracking_domain_ids", lambda v: not v or offer["network_tracking_domain_id"] in v),
    ]
    return all(test(f[name]) for name, test in checks if name in f)


def searched(state: EverflowState, body: Record) -> list[Record]:
    """The offers a search finds, in insertion order: a search on an offer group reads that group only."""
    group = (body.get("filters") or {}).get("network_offer_group_id")
    return state.offers.filter_by_group("offer_group", group or None, lambda offer: search_match(state, offer, body))


@HANDLERS.operation("searchOffers")
@HANDLERS.operation("searchOffersTable")
def search_offers(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body or {}
    return listing("offers", [offer_row(state, o) for o in searched(state, body)], ctx)
