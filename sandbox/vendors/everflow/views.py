"""Everflow's responses that read the state beside the record (names, counts, relationships); models stay pure."""
from __future__ import annotations

from collections.abc import Iterable

from .models import (
    CAP_FIELDS,
    CONVERSION_TEXT_FIELDS,
    INVOICE_FIELDS,
    OFFER_DEFAULTS,
    PIXEL_FIELDS,
    USER_OUT_FIELDS,
    Record,
    affiliate_base,
    collection,
    default_entry,
    payment_out,
    person,
)
from .state import EverflowState


def affiliate_out(state: EverflowState, affiliate: Record, relationships: Iterable[str],
                  defaults: bool = True, users: list[Record] | None = None) -> Record:
    """An affiliate; `defaults` adds the relationship data create and get return unasked (labels, users,
    account manager, encoded value, tier); `relationships` adds the asked-for ones the sandbox models.
    `users` are the affiliate's users when the caller has them at hand (a create), else they are looked up."""
    wanted = set(relationships)
    out = affiliate_base(affiliate)
    if not defaults and not wanted:  # a plain list row: no relationship object at all
        return out
    rel: Record
    if defaults:
        if users is None:
            users = state.users_of(affiliate["network_affiliate_id"])
        rel = {"labels": collection(affiliate["labels"]),
               "users": _users(state, affiliate, users) if "users" in wanted else {"total": len(users), "entries": []},
               "account_manager": person(state.employees.get(affiliate["network_employee_id"])),
               "encoded_value": affiliate["encoded_value"],
               "network_affiliate_tier_id": out["network_affiliate_tier_id"],
               "ios_app_sources": {"total": 0, "entries": []}}
    elif "users" in wanted:
        rel = {"users": _users(state, affiliate, state.users_of(affiliate["network_affiliate_id"])
                               if users is None else users)}
    else:
        rel = {}
    if "billing" in wanted:
        billing = affiliate.get("billing")
        rel["billing"] = {} if billing is None else {
            "network_id": affiliate["network_id"], "network_affiliate_id": affiliate["network_affiliate_id"],
            **billing}
    if "signup" in wanted:
        rel["signup"] = affiliate.get("signup") or {}
    if "referrer" in wanted:
        referrer = state.affiliates.get(affiliate["referrer_id"]) if affiliate["referrer_id"] else None
        rel["referrer"] = {"network_affiliate_id": 0, "name": ""} if referrer is None else {
            "network_affiliate_id": referrer["network_affiliate_id"], "name": referrer["name"]}
    if "referral_link" in wanted:
        rel["referral_link"] = f"https://{state.network['tracking_domain']}/signup/{affiliate['encoded_value']}"
    out["relationship"] = rel
    return out


def _users(state: EverflowState, affiliate: Record, users: list[Record]) -> Record:
    """An affiliate's users as a relationship collection (their affiliate is known: no lookup per user)."""
    return {"total": len(users), "entries": [user_out(state, u, affiliate) for u in users]}


def user_out(state: EverflowState, user: Record, affiliate: Record | None = None) -> Record:
    """A user; `affiliate` is its affiliate when the caller has it at hand, else looked up."""
    if affiliate is None:
        affiliate = state.affiliates.get(user["network_affiliate_id"])
    out = {k: user[k] for k in USER_OUT_FIELDS}
    out["relationship"] = {"affiliate_account_status": affiliate["account_status"] if affiliate else ""}
    return out


def tier_out(state: EverflowState, tier: Record, relationships: Iterable[str] = ()) -> Record:
    members = [a["network_affiliate_id"] for a in state.affiliates
               if a["network_affiliate_tier_id"] == tier["network_affiliate_tier_id"]]
    out = {k: tier[k] for k in ("network_affiliate_tier_id", "network_id", "name", "status", "description")}
    out |= {"network_affiliate_ids": members, "payout_margin": tier["payout_margin"],
            "is_default_tier": tier["is_default_tier"], "time_created": tier["time_created"],
            "time_saved": tier["time_saved"]}
    wanted = set(relationships)
    if wanted & {"all", "labels"}:
        out["relationship"] = {"labels": collection(tier["labels"])}
    return out


def label_out(state: EverflowState, record: Record) -> Record:
    label = record["label"]
    affiliates = [a for a in state.affiliates if label in a["labels"]]
    offers = [o for o in state.offers if label in o["labels"]]
    return {
        "network_label_id": record["network_label_id"], "label": label, "advertiser_ids": [],
        "affiliate_ids": [a["network_affiliate_id"] for a in affiliates],
        "campaign_ids": [], "offer_ids": [o["network_offer_id"] for o in offers], "offer_group_ids": [],
        "relationship": {
            "advertisers": [], "campaigns": [], "offer_groups": [],
            "affiliates": [{"network_affiliate_id": a["network_affiliate_id"], "network_id": a["network_id"],
                            "name": a["name"], "account_status": a["account_status"]} for a in affiliates],
            "offers": [{"network_offer_id": o["network_offer_id"], "network_id": o["network_id"],
                        "name": o["name"], "offer_status": o["offer_status"]} for o in offers],
        },
    }


def offer_out(state: EverflowState, offer: Record, relationships: Iterable[str] = ()) -> Record:
    out = {"network_offer_id": offer["network_offer_id"], "network_id": offer["network_id"],
           "network_advertiser_id": offer["network_advertiser_id"], "name": offer["name"],
           "encoded_value": offer["encoded_value"], "destination_url": offer["destination_url"],
           "currency_id": offer["currency_id"]}
    out |= {k: offer[k] for k in OFFER_DEFAULTS}
    out |= {"time_created": offer["time_created"], "time_saved": offer["time_saved"]}
    wanted = set(relationships)
    rel: Record = {}
    if "advertiser" in wanted:
        advertiser = state.advertisers.get(offer["network_advertiser_id"])
        rel["advertiser"] = {} if advertiser is None else dict(advertiser)
    if "payout_revenue" in wanted:
        rel["payout_revenue"] = collection(dict(e) for e in offer["payout_revenue"])
    if "labels" in wanted:
        rel["labels"] = collection(offer["labels"])
    if "visibility" in wanted:
        rel["visibility"] = collection(
            {"network_affiliate_id": i, "visibility": "approved"} for i in offer["approved_affiliate_ids"])
    out["relationship"] = rel
    return out


def offer_row(state: EverflowState, offer: Record) -> Record:
    """A row of POST /networks/offerstable: the offer with its default payout and revenue."""
    entry = default_entry(offer)
    advertiser = state.advertisers.get(offer["network_advertiser_id"])
    return offer_out(state, offer) | {
        "network_advertiser_name": advertiser["name"] if advertiser else "",
        "payout": {"payout_type": entry["payout_type"], "payout_amount": entry["payout_amount"],
                   "payout_percentage": entry["payout_percentage"]},
        "revenue": {"revenue_type": entry["revenue_type"], "revenue_amount": entry["revenue_amount"],
                    "revenue_percentage": entry["revenue_percentage"]}}


def pixel_out(state: EverflowState, pixel: Record) -> Record:
    """A postback; its relationship holds the affiliate and the offer objects (the live example)."""
    out = {k: pixel[k] for k in PIXEL_FIELDS}
    affiliate = state.affiliates.get(pixel["network_affiliate_id"])
    offer = state.offers.get(pixel["network_offer_id"]) if pixel["network_offer_id"] else None
    out["relationship"] = {
        "affiliate": {} if affiliate is None else affiliate_base(affiliate),
        "offer": {} if offer is None else {k: v for k, v in offer_out(state, offer).items() if k != "relationship"},
    }
    return out


def conversion_out(state: EverflowState, conversion: Record) -> Record:
    offer = state.offers.get(conversion["network_offer_id"])
    affiliate = state.affiliates.get(conversion["network_affiliate_id"])
    advertiser = state.advertisers.get(offer["network_advertiser_id"]) if offer else None
    out = {k: conversion[k] for k in (
        "conversion_id", "conversion_unix_timestamp", "click_unix_timestamp", "transaction_id", "status",
        "payout_type", "payout", "revenue_type", "revenue", "sale_amount", "currency_id", "is_event", "event",
        "network_offer_payout_revenue_id", "is_scrub", "is_view_through")}
    out |= {k: conversion.get(k, "") for k in CONVERSION_TEXT_FIELDS}
    out["relationship"] = {
        "offer": {} if offer is None else {"network_offer_id": offer["network_offer_id"], "name": offer["name"]},
        "affiliate": {} if affiliate is None else {
            "network_affiliate_id": affiliate["network_affiliate_id"], "name": affiliate["name"]},
        "advertiser": {} if advertiser is None else {
            "network_advertiser_id": advertiser["network_advertiser_id"], "name": advertiser["name"]},
    }
    return out


def invoice_out(state: EverflowState, invoice: Record, relationships: Iterable[str] = ()) -> Record:
    """An invoice; `relationship` always present, holding the asked-for affiliate, line_items and payments."""
    out = {k: invoice[k] for k in INVOICE_FIELDS}
    wanted = set(relationships)
    rel: Record = {}
    if "affiliate" in wanted:
        affiliate = state.affiliates.get(invoice["network_affiliate_id"])
        rel["affiliate"] = {"network_affiliate_id": invoice["network_affiliate_id"],
                            "name": affiliate["name"] if affiliate else ""}
    if "line_items" in wanted:
        rel["line_items"] = collection(dict(line) for line in invoice["line_items"])
    if "payments" in wanted:
        rel["payments"] = collection(payment_out(p) for p in
                                     state.payments.group("invoice", invoice["network_affiliate_invoice_id"]))
    out["relationship"] = rel
    return out


def offer_group_out(state: EverflowState, group: Record) -> Record:
    """An offer group; relationship holds its advertiser, labels and the ids of its offers (the docs mirror)."""
    out = {k: group[k] for k in ("network_offer_group_id", "network_id", "network_advertiser_id", "name",
                                 "internal_notes", "offer_group_status", "is_caps_enabled", *CAP_FIELDS,
                                 "time_created", "time_saved")}
    advertiser = state.advertisers.get(group["network_advertiser_id"]) or {}
    out["relationship"] = {
        "advertiser": {"network_advertiser_id": group["network_advertiser_id"], "name": advertiser.get("name", "")},
        "labels": collection(group["labels"]),
        "network_offer_ids": [o["network_offer_id"] for o in
                              state.offers.group("offer_group", group["network_offer_group_id"])]}
    return out
