"""Postbacks ("pixels"): create, get, full-replacement update and the pixelstable search."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import bad_request
from ..models import PIXEL_DEFAULTS, Record, pixel_out
from . import HANDLERS
from .common import filtered, invalid, listing, now, require, state_of

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


def _search_match(pixel: Record, body: Record) -> bool:
    for term in body.get("search_terms") or []:
        value = term["value"].lower()
        text = {"pixel_id": str(pixel["network_pixel_id"]), "description": pixel["description"],
                "payload": pixel["postback_url"] or pixel["html_code"]}[term["search_type"]]
        if (value != text.lower()) if term["search_type"] == "pixel_id" else (value not in text.lower()):
            return False
    f = body.get("filters") or {}
    status = f.get("pixel_status", f.get("offer_status"))  # older docs call the status filter offer_status
    checks = [
        (status is None or pixel["pixel_status"] == status),
        ("pixel_type" not in f or pixel["pixel_type"] == f["pixel_type"]),
        # documented: global postbacks show up in offer-filtered results
        (not f.get("network_offer_ids") or pixel["pixel_level"] == "global"
         or pixel["network_offer_id"] in f["network_offer_ids"]),
        (not f.get("network_affiliate_ids") or pixel["network_affiliate_id"] in f["network_affiliate_ids"]),
    ]
    return all(checks)


@HANDLERS.operation("searchPixels")
def search_pixels(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body or {}
    return listing("pixels", [pixel_out(state, p) for p in state.pixels if _search_match(p, body)], ctx)
