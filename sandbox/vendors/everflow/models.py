"""Everflow record shapes: defaults for full-replacement writes, Unix timestamps and the JSON each endpoint returns."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from ...core.codes import draw_token
from ...core.random import RandomSource
from ...core.store import Collection, Page
from . import magic

if TYPE_CHECKING:
    from .state import EverflowState

Record = dict[str, Any]

# What a create or a full-replacement PUT stores for a field the request leaves out (documented where the
# create page gives a default; the rest are guesses: the zero value of the field's type).
AFFILIATE_DEFAULTS: Record = {
    "account_status": "active", "network_employee_id": 0, "internal_notes": "", "default_currency_id": None,
    "enable_media_cost_tracking_links": False, "referrer_id": 0, "is_contact_address_enabled": False,
    "network_affiliate_tier_id": None, "contact_address": None, "labels": [], "billing": None,
}

USER_DEFAULTS: Record = {
    "title": "", "work_phone": "", "cell_phone": "", "instant_messaging_id": 0,
    "instant_messaging_identifier": "", "language_id": None, "timezone_id": None, "currency_id": None,
    "account_status": "active",
}
USER_FIELDS = ("first_name", "last_name", "email", *USER_DEFAULTS)

OFFER_DEFAULTS: Record = {
    "offer_status": "active", "visibility": "public", "conversion_method": "server_postback",
    "session_definition": "cookie", "session_duration": 24, "redirect_mode": "standard",
    "attribution_method": "last_touch", "network_offer_group_id": 0, "network_category_id": 0,
    "network_tracking_domain_id": 0, "thumbnail_url": "", "internal_notes": "", "server_side_url": "",
    "preview_url": "", "html_description": "", "project_id": "", "date_live_until": "", "app_identifier": "",
    "caps_timezone_id": 0, "labels": [], "is_caps_enabled": False,
    "is_duplicate_filter_enabled": False, "is_block_already_converted": False,
    "is_must_approve_conversion": False, "is_allow_duplicate_conversion": True, "is_use_scrub_rate": False,
    "scrub_rate_status": "", "scrub_rate_percentage": 0, "is_view_through_enabled": False,
    "is_session_tracking_enabled": False, "is_use_direct_linking": False, "is_whitelist_check_enabled": False,
    "is_use_secure_link": False, "is_allow_deep_link": False, "is_seo_friendly": False,
    "redirect_routing_method": "internal",
    **{f"{period}_{kind}_cap": 0 for period in ("daily", "weekly", "monthly", "global")
       for kind in ("conversion", "payout", "revenue", "click")},
}

PAYOUT_REVENUE_DEFAULTS: Record = {
    "entry_name": "", "payout_amount": 0, "payout_percentage": 0, "revenue_amount": 0, "revenue_percentage": 0,
    "is_default": False, "is_private": False, "is_postback_disabled": False, "is_enforce_caps": False,
    "is_must_approve_conversion": False, "is_allow_duplicate_conversion": True,
}

PIXEL_DEFAULTS: Record = {
    "network_offer_id": 0, "network_offer_payout_revenue_id": 0, "postback_url": "", "html_code": "",
    "description": "", "delay_ms": 0,
}

TIER_DEFAULTS: Record = {"description": "", "labels": []}


def encoded_value(random: RandomSource, holders: Collection) -> str:
    """The short encoded id of signup and tracking links (made-up but stable: 6 upper-case alphanumerics),
    unique among `holders` (the affiliates, or the offers): a rare collision is redrawn, a bounded number of times."""
    return draw_token(random, 6, magic.ENCODED_ALPHABET,
                      lambda value: holders.find("encoded_value", value) is not None, "encoded_value")


def collection(items: Iterable[Any]) -> Record:
    """A relationship collection: {"total": N, "entries": [...]} (documented shape)."""
    entries = list(items)
    return {"total": len(entries), "entries": entries}


def paging(page: Page) -> Record:
    return {"page": page.page, "page_size": page.limit, "total_count": page.total}


def person(employee: Record | None) -> Record:
    """An employee as a relationship; with none, the zero-valued object (Everflow sends zero values, never null)."""
    employee = employee or {}
    return {k: employee.get(k, "" if k != "instant_messaging_id" else 0) for k in (
        "first_name", "last_name", "email", "work_phone", "cell_phone", "instant_messaging_id",
        "instant_messaging_identifier")}


# -- affiliates ----------------------------------------------------------------------------------------

AFFILIATE_RELATIONSHIPS = ("reporting", "billing", "affiliate_payment_balance", "coupon_codes", "users", "audits",
                           "visibility", "signup", "api", "traffic_source", "referral_link", "referrer",
                           "referral", "supply_partner")


def affiliate_base(affiliate: Record) -> Record:
    """The affiliate fields every response carries (tier, labels and contact address both here and under
    relationship: the live example and the schema disagree, so both are given)."""
    out = {k: affiliate[k] for k in (
        "network_affiliate_id", "network_id", "name", "account_status", "network_employee_id", "internal_notes",
        "has_notifications", "network_traffic_source_id", "account_executive_id", "adress_id",
        "default_currency_id", "is_contact_address_enabled", "enable_media_cost_tracking_links",
        "time_created", "time_saved", "referrer_id")}
    out["network_affiliate_tier_id"] = affiliate["network_affiliate_tier_id"] or 0
    out["labels"] = list(affiliate["labels"])
    if affiliate["is_contact_address_enabled"] and affiliate.get("contact_address"):
        out["contact_address"] = dict(affiliate["contact_address"])
    return out


def affiliate_out(state: "EverflowState", affiliate: Record, relationships: Iterable[str],
                  defaults: bool = True) -> Record:
    """An affiliate; `defaults` adds the relationship data create and get return unasked (labels, users,
    account manager, encoded value, tier); `relationships` adds the asked-for ones the sandbox models."""
    wanted = set(relationships)
    out = affiliate_base(affiliate)
    rel: Record = {}
    users = state.users_of(affiliate["network_affiliate_id"])
    if defaults:
        rel["labels"] = collection(affiliate["labels"])
        rel["users"] = collection(user_out(state, u) for u in users) if "users" in wanted else \
            {"total": len(users), "entries": []}
        rel["account_manager"] = person(state.employees.get(affiliate["network_employee_id"]))
        rel["encoded_value"] = affiliate["encoded_value"]
        rel["network_affiliate_tier_id"] = out["network_affiliate_tier_id"]
        rel["ios_app_sources"] = collection([])
    elif "users" in wanted:
        rel["users"] = collection(user_out(state, u) for u in users)
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
    if rel or wanted:
        out["relationship"] = rel
    return out


def user_out(state: "EverflowState", user: Record) -> Record:
    affiliate = state.affiliates.get(user["network_affiliate_id"])
    out = {"network_affiliate_user_id": user["network_affiliate_user_id"], "network_id": user["network_id"],
           "network_affiliate_id": user["network_affiliate_id"]}
    out |= {k: user[k] for k in USER_FIELDS}
    out |= {"time_created": user["time_created"], "time_saved": user["time_saved"],
            "relationship": {"affiliate_account_status": affiliate["account_status"] if affiliate else ""}}
    return out


# -- tiers, labels -----------------------------------------------------------------------------------

def tier_out(state: "EverflowState", tier: Record, relationships: Iterable[str] = ()) -> Record:
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


def label_out(state: "EverflowState", record: Record) -> Record:
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


# -- offers ------------------------------------------------------------------------------------------

OFFER_RELATIONSHIPS = ("advertiser", "offer_group", "visibility", "payout_revenue", "custom_cap_settings",
                       "custom_scrub_rate_settings", "custom_payout_revenue_settings", "custom_creative_settings",
                       "redirects", "traffic_filters", "targeting", "files", "audits", "source_name", "urls",
                       "integrations", "campaigns", "reporting", "labels")


def default_entry(offer: Record) -> Record:
    return next(e for e in offer["payout_revenue"] if e["is_default"])


def offer_out(state: "EverflowState", offer: Record, relationships: Iterable[str] = ()) -> Record:
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


def offer_row(state: "EverflowState", offer: Record) -> Record:
    """A row of POST /networks/offerstable: the offer with its default payout and revenue."""
    entry = default_entry(offer)
    advertiser = state.advertisers.get(offer["network_advertiser_id"])
    return offer_out(state, offer) | {
        "network_advertiser_name": advertiser["name"] if advertiser else "",
        "payout": {"payout_type": entry["payout_type"], "payout_amount": entry["payout_amount"],
                   "payout_percentage": entry["payout_percentage"]},
        "revenue": {"revenue_type": entry["revenue_type"], "revenue_amount": entry["revenue_amount"],
                    "revenue_percentage": entry["revenue_percentage"]}}


# -- pixels, conversions -----------------------------------------------------------------------------

PIXEL_FIELDS = ("network_pixel_id", "network_id", "network_affiliate_id", "network_offer_id",
                "network_offer_payout_revenue_id", "delivery_method", "pixel_level", "pixel_status", "pixel_type",
                "postback_url", "html_code", "description", "delay_ms", "time_created", "time_saved")


def pixel_out(state: "EverflowState", pixel: Record) -> Record:
    """A postback; its relationship holds the affiliate and the offer objects (the live example)."""
    out = {k: pixel[k] for k in PIXEL_FIELDS}
    affiliate = state.affiliates.get(pixel["network_affiliate_id"])
    offer = state.offers.get(pixel["network_offer_id"]) if pixel["network_offer_id"] else None
    out["relationship"] = {
        "affiliate": {} if affiliate is None else affiliate_base(affiliate),
        "offer": {} if offer is None else {k: v for k, v in offer_out(state, offer).items() if k != "relationship"},
    }
    return out


CONVERSION_TEXT_FIELDS = ("sub1", "sub2", "sub3", "sub4", "sub5", "source_id", "adv1", "adv2", "adv3", "adv4",
                          "adv5", "order_id", "coupon_code", "email", "session_user_ip", "conversion_user_ip",
                          "country", "region", "city", "platform", "device_type", "browser", "notes")


def conversion_out(state: "EverflowState", conversion: Record) -> Record:
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


# -- affiliate billing: invoices, payments -------------------------------------------------------------

INVOICE_FIELDS = ("network_affiliate_invoice_id", "network_id", "network_affiliate_id", "status", "start_time",
                  "end_time", "currency_id", "balance", "billed", "paid", "public_notes", "internal_notes",
                  "is_hidden_affiliate", "payment_terms", "time_created", "time_saved")
PAYMENT_FIELDS = ("network_affiliate_payment_id", "network_id", "network_affiliate_id",
                  "network_affiliate_invoice_id", "amount", "currency_id", "payment_type", "time_created")


def payment_out(payment: Record) -> Record:
    return {k: payment[k] for k in PAYMENT_FIELDS}


def invoice_out(state: "EverflowState", invoice: Record, relationships: Iterable[str] = ()) -> Record:
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


# -- offer extras: offer URLs, offer groups, forwarding rules ------------------------------------------

OFFER_URL_DEFAULTS: Record = {"preview_url": "", "url_status": "active", "network_affiliate_ids": [],
                              "is_apply_specific_affiliates": False, "is_hidden_affiliate": False}
OFFER_URL_FIELDS = ("network_offer_url_id", "network_id", "network_offer_id", "name", "destination_url",
                    *OFFER_URL_DEFAULTS, "time_created", "time_saved")

CAP_FIELDS = tuple(f"{period}_{kind}_cap" for period in ("daily", "weekly", "monthly", "global")
                   for kind in ("conversion", "payout", "revenue", "click"))
OFFER_GROUP_DEFAULTS: Record = {"internal_notes": "", "offer_group_status": "active", "is_caps_enabled": False,
                                **{name: 0 for name in CAP_FIELDS}, "labels": []}

FORWARDING_RULE_DEFAULTS: Record = {"is_forwarding_enabled": False, "forwarding_type": "offer",
                                    "forwarding_network_offer_id": 0, "forwarding_url": "", "forward_on": []}


def offer_url_out(url: Record) -> Record:
    return {k: url[k] for k in OFFER_URL_FIELDS}


def offer_group_out(state: "EverflowState", group: Record) -> Record:
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
