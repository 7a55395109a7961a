"""Affiliate extras: tracking URLs, referrals, runnable offer ids, offer visibility (per offer, per affiliate and
the table) and terms-and-conditions acceptance."""
from __future__ import annotations

from ....core.context import RequestContext
from ..models import Record
from ..state import EverflowState, visibility_id
from .common import HANDLERS, invalid, listing, now, require_affiliate, require_offer, state_of, tracking_url


def _runnable(state: EverflowState, affiliate: Record) -> list[Record]:
    """The active offers an active affiliate may run (tracking links are refused for the others)."""
    if affiliate["account_status"] != "active":
        return []
    return [o for o in state.offers if o["offer_status"] == "active" and state.can_run(affiliate, o)]


@HANDLERS.operation("listAffiliateTrackingUrls")
def list_tracking_urls(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    return {"tracking_urls": [
        {"network_offer_id": o["network_offer_id"], "name": o["name"], "offer_status": o["offer_status"],
         "url": tracking_url(state, o, affiliate, {})} for o in _runnable(state, affiliate)]}


@HANDLERS.operation("listRunnableOfferIds")
def runnable_offer_ids(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.query["network_affiliate_id"])
    return {"offer_ids": [o["network_offer_id"] for o in _runnable(state, affiliate)]}


@HANDLERS.operation("createAffiliateReferral")
def create_referral(ctx: RequestContext) -> Record:
    """Records who referred the affiliate: its referrer_id (the same rule as on create and update)."""
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    referrer = ctx.body["referring_affiliate_id"]
    if referrer == affiliate["network_affiliate_id"] or referrer not in state.affiliates:
        raise invalid("referring_affiliate_id", referrer)
    state.affiliates.update(affiliate["network_affiliate_id"], {"referrer_id": referrer, "time_saved": now(ctx)})
    return {"result": True}


# -- offer visibility ------------------------------------------------------------------------------------

def _visibility(state: EverflowState, offer: Record) -> Record:
    entries = state.offer_visibility.group("offer", offer["network_offer_id"])
    return {"network_id": offer["network_id"], "network_offer_id": offer["network_offer_id"],
            "network_affiliate_visible_ids": list(offer["approved_affiliate_ids"]),
            "network_affiliate_rejected_ids": [e["network_affiliate_id"] for e in entries if e["status"] == "rejected"],
            "network_affiliate_hidden_ids": [e["network_affiliate_id"] for e in entries if e["status"] == "hidden"]}


def _set(ctx: RequestContext, offer: Record, affiliate_id: int, status: str | None) -> None:
    """Make one affiliate visible on (approved), hidden from, or neither on one offer (status None)."""
    state, at = state_of(ctx), now(ctx)
    approved = [i for i in offer["approved_affiliate_ids"] if i != affiliate_id]
    approved += [affiliate_id] if status == "visible" else []
    if approved != offer["approved_affiliate_ids"]:
        state.offers.update(offer["network_offer_id"], {"approved_affiliate_ids": approved, "time_saved": at})
    key = visibility_id(offer["network_offer_id"], affiliate_id)
    state.offer_visibility.delete(key)
    if status == "hidden":
        state.offer_visibility.insert({"visibility_id": key, "network_offer_id": offer["network_offer_id"],
                                       "network_affiliate_id": affiliate_id, "status": "hidden",
                                       "time_created": at, "time_saved": at})


@HANDLERS.operation("getOfferVisibility")
def get_offer_visibility(ctx: RequestContext) -> Record:
    return _visibility(state_of(ctx), require_offer(ctx, ctx.path["offerId"]))


@HANDLERS.operation("setOfferVisibility")
def set_offer_visibility(ctx: RequestContext) -> Record:
    """Overwrites one set (visible or hidden) of the offer with the listed affiliates (the docs mirror)."""
    state = state_of(ctx)
    offer = require_offer(ctx, ctx.path["offerId"])
    wanted = list(dict.fromkeys(ctx.body["network_affiliate_ids"]))
    for affiliate_id in wanted:
        if affiliate_id not in state.affiliates:
            raise invalid("network_affiliate_ids", affiliate_id)
    status = ctx.body["set_type"]
    current = list(offer["approved_affiliate_ids"]) if status == "visible" else [
        e["network_affiliate_id"] for e in state.offer_visibility.group("offer", offer["network_offer_id"])
        if e["status"] == "hidden"]
    for affiliate_id in current:
        if affiliate_id not in wanted:  # leaves the set: neither visible nor hidden any more
            _set(ctx, offer, affiliate_id, None)
    for affiliate_id in wanted:
        _set(ctx, offer, affiliate_id, status)
    return _visibility(state, offer)


@HANDLERS.operation("updateAffiliateOfferVisibility")
def update_affiliate_visibility(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    offers = []
    for offer_id in dict.fromkeys(ctx.body["network_offer_ids"]):
        offer = state.offers.get(offer_id)
        if offer is None:
            raise invalid("network_offer_ids", offer_id)
        offers.append(offer)
    for offer in offers:
        _set(ctx, offer, affiliate["network_affiliate_id"], ctx.body["visibility_type"])
    return {"result": True}


@HANDLERS.operation("searchOfferVisibility")
def search_offer_visibility(ctx: RequestContext) -> Record:
    """One row per affiliate with a visibility of its own on an offer (approved, hidden or rejected)."""
    state, body = state_of(ctx), ctx.body or {}
    f = body.get("filters") or {}
    offers = [state.offers.get(i) for i in f["network_offer_ids"]] if f.get("network_offer_ids") else list(state.offers)
    rows = []
    for offer in sorted((o for o in offers if o is not None), key=lambda o: o["network_offer_id"]):
        explicit = {i: "visible" for i in offer["approved_affiliate_ids"]}
        explicit |= {e["network_affiliate_id"]: e["status"]
                     for e in state.offer_visibility.group("offer", offer["network_offer_id"])}
        for affiliate_id, status in sorted(explicit.items()):
            affiliate = state.affiliates.get(affiliate_id) or {}
            rows.append({"network_offer_id": offer["network_offer_id"], "offer_name": offer["name"],
                         "offer_visibility": offer["visibility"], "network_affiliate_id": affiliate_id,
                         "affiliate_name": affiliate.get("name", ""), "visibility_status": status})
    checks = (("network_affiliate_ids", "network_affiliate_id"), ("visibility_statuses", "visibility_status"))
    rows = [r for r in rows if all(not f.get(name) or r[field] in f[name] for name, field in checks)]
    for term in body.get("search_terms") or []:
        rows = [r for r in rows if term["value"].lower() in r[term["search_type"]].lower()]
    return listing("visibility", rows, ctx)


# -- terms and conditions acceptance ---------------------------------------------------------------------

def _acceptance(state: EverflowState, affiliate: Record) -> Record:
    """Accepted means accepted the current version; an older acceptance still shows its version and time."""
    record = state.terms_acceptances.get(affiliate["network_affiliate_id"]) or {}
    version = record.get("accepted_version", 0)
    return {"network_affiliate_id": affiliate["network_affiliate_id"], "accepted": version == state.terms_version,
            "accepted_version": version, "time_accepted": record.get("time_accepted", 0)}


@HANDLERS.operation("getTermsAcceptance")
def get_terms_acceptance(ctx: RequestContext) -> Record:
    return _acceptance(state_of(ctx), require_affiliate(ctx, ctx.path["affiliateId"]))


@HANDLERS.operation("updateTermsAcceptance")
def update_terms_acceptance(ctx: RequestContext) -> Record:
    """accepted true records the current version now; false withdraws it, so the affiliate must accept again."""
    state = state_of(ctx)
    affiliate_id = require_affiliate(ctx, ctx.path["affiliateId"])["network_affiliate_id"]
    state.terms_acceptances.delete(affiliate_id)
    if ctx.body["accepted"]:
        state.terms_acceptances.insert({"network_affiliate_id": affiliate_id, "accepted_version": state.terms_version,
                                        "time_accepted": now(ctx)})
    return {"result": True}


@HANDLERS.operation("searchTermsAcceptances")
def search_terms_acceptances(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body or {}
    f = body.get("filters") or {}
    affiliates = [state.affiliates.get(i) for i in f["network_affiliate_ids"]] \
        if f.get("network_affiliate_ids") else list(state.affiliates)
    rows = []
    for affiliate in sorted((a for a in affiliates if a is not None), key=lambda a: a["network_affiliate_id"]):
        row = {**_acceptance(state, affiliate), "name": affiliate["name"],
               "account_status": affiliate["account_status"]}
        if "accepted" in f and row["accepted"] != f["accepted"] or \
                "account_status" in f and row["account_status"] != f["account_status"]:
            continue
        if all(t["value"].lower() in affiliate["name"].lower() for t in body.get("search_terms") or []):
            rows.append(row)
    return listing("acceptances", rows, ctx)
