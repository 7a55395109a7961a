"""Everflow record shapes: defaults for full-replacement writes, Unix timestamps and the JSON each endpoint returns."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...core.codes import draw_token
from ...core.random import RandomSource
from ...core.store import Collection, Page
from . import magic

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
# A user as stored and as output: its ids, USER_FIELDS, then its times (views.user_out adds the relationship).
USER_OUT_FIELDS = ("network_affiliate_user_id", "network_id", "network_affiliate_id", *USER_FIELDS, "time_created",
                   "time_saved")

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


# An employee as a relationship, each field's zero value for one the employee lacks (Everflow sends zero values,
# never null).
NO_PERSON: Record = {"first_name": "", "last_name": "", "email": "", "work_phone": "", "cell_phone": "",
                     "instant_messaging_id": 0, "instant_messaging_identifier": ""}


def person(employee: Record | None) -> Record:
    """An employee as a relationship; with none, the zero-valued object."""
    if not employee:
        return dict(NO_PERSON)
    return {k: employee.get(k, zero) for k, zero in NO_PERSON.items()}


# -- affiliates ----------------------------------------------------------------------------------------

AFFILIATE_RELATIONSHIPS = ("reporting", "billing", "affiliate_payment_balance", "coupon_codes", "users", "audits",
                           "visibility", "signup", "api", "traffic_source", "referral_link", "referrer",
                           "referral", "supply_partner")


def affiliate_base(affiliate: Record) -> Record:
    """The affiliate fields every response carries (tier, labels and contact address both here and under
    relationship: the live example and the schema disagree, so both are given)."""
    a = affiliate  # one literal, not a comprehension over the names: a third cheaper, and every list row pays it
    out = {"network_affiliate_id": a["network_affiliate_id"], "network_id": a["network_id"], "name": a["name"],
           "account_status": a["account_status"], "network_employee_id": a["network_employee_id"],
           "internal_notes": a["internal_notes"], "has_notifications": a["has_notifications"],
           "network_traffic_source_id": a["network_traffic_source_id"],
           "account_executive_id": a["account_executive_id"], "adress_id": a["adress_id"],
           "default_currency_id": a["default_currency_id"],
           "is_contact_address_enabled": a["is_contact_address_enabled"],
           "enable_media_cost_tracking_links": a["enable_media_cost_tracking_links"],
           "time_created": a["time_created"], "time_saved": a["time_saved"], "referrer_id": a["referrer_id"],
           "network_affiliate_tier_id": a["network_affiliate_tier_id"] or 0, "labels": list(a["labels"])}
    if affiliate["is_contact_address_enabled"] and affiliate.get("contact_address"):
        out["contact_address"] = dict(affiliate["contact_address"])
    return out


# -- offers ------------------------------------------------------------------------------------------

OFFER_RELATIONSHIPS = ("advertiser", "offer_group", "visibility", "payout_revenue", "custom_cap_settings",
                       "custom_scrub_rate_settings", "custom_payout_revenue_settings", "custom_creative_settings",
                       "redirects", "traffic_filters", "targeting", "files", "audits", "source_name", "urls",
                       "integrations", "campaigns", "reporting", "labels")


def default_entry(offer: Record) -> Record:
    return next(e for e in offer["payout_revenue"] if e["is_default"])


# -- pixels, conversions -----------------------------------------------------------------------------

PIXEL_FIELDS = ("network_pixel_id", "network_id", "network_affiliate_id", "network_offer_id",
                "network_offer_payout_revenue_id", "delivery_method", "pixel_level", "pixel_status", "pixel_type",
                "postback_url", "html_code", "description", "delay_ms", "time_created", "time_saved")


CONVERSION_TEXT_FIELDS = ("sub1", "sub2", "sub3", "sub4", "sub5", "source_id", "adv1", "adv2", "adv3", "adv4",
                          "adv5", "order_id", "coupon_code", "email", "session_user_ip", "conversion_user_ip",
                          "country", "region", "city", "platform", "device_type", "browser", "notes")


# -- affiliate billing: invoices, payments -------------------------------------------------------------

INVOICE_FIELDS = ("network_affiliate_invoice_id", "network_id", "network_affiliate_id", "status", "start_time",
                  "end_time", "currency_id", "balance", "billed", "paid", "public_notes", "internal_notes",
                  "is_hidden_affiliate", "payment_terms", "time_created", "time_saved")
PAYMENT_FIELDS = ("network_affiliate_payment_id", "network_id", "network_affiliate_id",
                  "network_affiliate_invoice_id", "amount", "currency_id", "payment_type", "time_created")


def payment_out(payment: Record) -> Record:
    return {k: payment[k] for k in PAYMENT_FIELDS}


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


