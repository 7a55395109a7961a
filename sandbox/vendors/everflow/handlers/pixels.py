"""Postbacks ("pixels"): create, get, full-replacement update and the pixelstable search."""
from __future__ import annotations

from collections.abc import Callable

from ....core.context import RequestContext
from ..errors import bad_request
from ..models import PIXEL_DEFAULTS, Record
from ..views import pixel_out
from .common import HANDLERS, filtered, invalid, listing, now, require, state_of

LIST_FILTER_FIELDS = ("network_offer_id", "network_affiliate_id", "network_offer_payout_revenue_id", "pixel_status",
                      "pixel_type", "delivery_method", "time_created", "time_saved")


def _fields(ctx: RequestContext, body: Record) -> Record:
    """Guessed rules: the affiliate exists; a specific pixel names an offer, a global one none; a postback
    needs postback_url and an HTML pixel html_code; a payout/revenue entry must be the offer's."""
    state = state_of(ctx)
    if body["network_affiliate_id"] not in state.affiliates:
        raise invalid("network_affiliate_id", body["network_affiliate_id"])
    fields = {**PIXEL_DEFAULTS, **{k: v for k, v in body.items() if k in PIXEL_DEFAULTS}}
    fields |= {k: body[k] for k in ("network_affiliate_id", "delivery_method", "pixel_level", "pixel_status",
                                    "pixel_type")}
    offer = None
    if body["pixel_level"] == "specific":
        offer = state.offers.get(fields["network_offer_id"]) if fields["network_offer_id"] else None
        if offer is None:
            raise invalid("network_offer_id", fields["network_offer_id"])
    else:
        fields["network_offer_id"] = 0
    entry_id = fields["network_offer_payout_revenue_id"]
    if entry_id and (offer is None or entry_id not in {e["network_offer_payout_revenue_id"]
                                                       for e in offer["payout_revenue"]}):
        raise invalid("network_offer_payout_revenue_id", entry_id)
    if fields["delivery_method"] == "postback" and not fields["postback_url"]:
        raise bad_request("postback_url is required when delivery_method is postback")
    if fields["delivery_method"] == "html" and not fields["html_code"]:
        raise bad_request("html_code is required when delivery_method is html")
    return fields


def _require(ctx: RequestContext) -> Record:
    return require(state_of(ctx).pixels, ctx.path["pixelId"], "Pixel")


@HANDLERS.operation("createPixel")
def create_pixel(ctx: RequestContext) -> Record:
    state, at = state_of(ctx), now(ctx)
    pixel = {**_fields(ctx, ctx.body), "network_pixel_id": state.pixels.next_int_id(),
             "network_id": state.network["network_id"], "time_created": at, "time_saved": at}
    state.pixels.insert(pixel)
    return pixel_out(state, pixel)


@HANDLERS.operation("getPixel")
def get_pixel(ctx: RequestContext) -> Record:
    return pixel_out(state_of(ctx), _require(ctx))


@HANDLERS.operation("updatePixel")
def update_pixel(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    pixel = _require(ctx)
    state.pixels.update(pixel["network_pixel_id"], {**_fields(ctx, ctx.body), "time_saved": now(ctx)})
    return pixel_out(state, pixel)


@HANDLERS.operation("listPixels")
def list_pixels(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return listing("pixels", [pixel_out(state, p) for p in filtered(state.pixels, ctx, LIST_FILTER_FIELDS)], ctx)


@HANDLERS.operation("deletePixel")
def delete_pixel(ctx: RequestContext) -> Record:
    pixel = _require(ctx)
    state_of(ctx).pixels.delete(pixel["network_pixel_id"])
    return {"result": True}


SEARCH_TEXT = {"pixel_id": lambda p: str(p["network_pixel_id"]), "description": lambda p: p["description"],
               "payload": lambda p: p["postback_url"] or p["html_code"]}


def _filter_checks(f: Record) -> list[Callable[..., bool]]:
    """One predicate per filter, in the live form (status string, id lists) or the draft docs' form
    ({"values": [...], "comparison": "is" | "is_not"}, keyed by the pixel's own field name)."""
    checks: list[Callable[..., bool]] = []
    for name, value in f.items():
        if isinstance(value, dict):  # draft form
            values, negate = set(value["values"]), value.get("comparison", "is") == "is_not"
            if name == "network_offer_id":  # documented: global postbacks show up in offer-filtered results
                checks.append(lambda p, v=values, n=negate:
                              p["pixel_level"] == "global" or (p["network_offer_id"] in v) != n)
            else:
                checks.append(lambda p, k=name, v=values, n=negate: (p[k] in v) != n)
        elif name in ("pixel_status", "offer_status"):  # older docs call the status filter offer_status
            checks.append(lambda p, v=value: p["pixel_status"] == v)
        elif name == "pixel_type":
            checks.append(lambda p, v=value: p["pixel_type"] == v)
        elif name == "network_offer_ids" and value:
            checks.append(lambda p, v=set(value): p["pixel_level"] == "global" or p["network_offer_id"] in v)
        elif name == "network_affiliate_ids" and value:
            checks.append(lambda p, v=set(value): p["network_affiliate_id"] in v)
    return checks


def _search_match(pixel: Record, terms: list[Record], checks: list[Callable[..., bool]]) -> bool:
    for term in terms:
        value, text = term["value"].lower(), SEARCH_TEXT[term["search_type"]](pixel).lower()
        if (value != text) if term["search_type"] == "pixel_id" else (value not in text):
            return False
    return all(check(pixel) for check in checks)


@HANDLERS.operation("searchPixels")
def search_pixels(ctx: RequestContext) -> Record:
    """The spec rejects unknown filters and sort fields, so every one given here is applied."""
    state, body = state_of(ctx), ctx.body or {}
    terms, checks = body.get("search_terms") or [], _filter_checks(body.get("filters") or {})
    rows = [p for p in state.pixels if _search_match(p, terms, checks)]
    sort = body.get("sort")
    if sort:
        field = sort["field"]
        rows.sort(key=lambda p: (p[field], p["network_pixel_id"]), reverse=sort.get("direction", "asc") == "desc")
    return listing("pixels", [pixel_out(state, p) for p in rows], ctx)
