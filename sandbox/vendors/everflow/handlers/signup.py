"""Partner and advertiser signup: the live POST /networks/affiliate/signup, and the docs mirror's
/networks/signup/* (the signup pages' configuration, and submissions that create a pending affiliate or advertiser).

Both affiliate forms make the same pending affiliate with one user, and keep what was sent under
relationship.signup in the live form's field names, so a client sees one shape whichever form it used. The signup
pages' settings live in the network settings (settings.affiliate_portal / advertiser_portal), the same values
GET /networks/settings/affiliateportal shows.
"""
from __future__ import annotations

from typing import Any

from ....core.context import RequestContext
from ..errors import bad_request, duplicate
from ..models import AFFILIATE_DEFAULTS, Record, encoded_value
from ..views import affiliate_out
from .common import HANDLERS, check_meta, now, state_of
from .users import DUPLICATE_EMAIL, new_user

SIGNUP_FIELDS = ("firstname", "lastname", "email", "company", "website", "phone", "advertise_method_description",
                 "heard_about_us", "legal_type", "referral_code", "tax_id", "contact_address")
# The docs mirror's field names -> the live form's (what relationship.signup shows).
DRAFT_NAMES = {"company_name": "company", "first_name": "firstname", "last_name": "lastname", "email": "email",
               "phone": "phone", "website": "website"}
# The signup page settings and their values when the network has set none (guesses; see the spec).
PAGE_DEFAULTS: Record = {"is_signup_enabled": True, "required_fields": [], "page_title": "", "welcome_message": ""}
AFFILIATE_PAGE_DEFAULTS: Record = {**PAGE_DEFAULTS, "is_terms_and_conditions_enabled": False}
SESSION_SECONDS = 86400


def _page(ctx: RequestContext, portal: str, defaults: Record) -> Record:
    settings = state_of(ctx).settings.get(portal) or {}
    return {k: settings.get(k, v) for k, v in defaults.items()}


def affiliate_page(ctx: RequestContext) -> Record:
    """The affiliate signup page's settings, with the custom questions (read-only here)."""
    fields = (state_of(ctx).settings.get("affiliate_portal") or {}).get("custom_fields") or []
    return _page(ctx, "affiliate_portal", AFFILIATE_PAGE_DEFAULTS) | {"custom_fields": [dict(f) for f in fields]}


def _check_open(ctx: RequestContext, page: Record, body: Record, who: str) -> None:
    """Signup must be enabled and every field the page requires given (guesses: 400 with these messages)."""
    if not page["is_signup_enabled"]:
        raise bad_request(f"{who} signup is disabled")
    for name in page["required_fields"]:
        if not body.get(name):
            raise bad_request(f"{name} is required")


def _custom_answers(ctx: RequestContext, portal: str, answers: Record) -> Record:
    """Answers keyed by one of the portal's custom fields, by id (as text) or label; any other key is 400
    (guess)."""
    fields = (state_of(ctx).settings.get(portal) or {}).get("custom_fields") or []
    known = {str(f.get("network_custom_field_id")) for f in fields} | {str(f.get("label")) for f in fields}
    for key in answers:
        if key not in known:
            raise bad_request(f"Invalid custom field: {key}")
    return dict(answers)


def _pending_affiliate(ctx: RequestContext, name: str, signup: Record, address: Record | None,
                       user: Record) -> Record:
    """Store a pending affiliate (default tier, network currency) and its one user, the signer; without an
    address, as an affiliate made with none."""
    state, at = state_of(ctx), now(ctx)
    if state.users.find("email", user["email"]) is not None:
        raise duplicate(DUPLICATE_EMAIL)
    default_tier = state.default_tier()
    affiliate = {**AFFILIATE_DEFAULTS, "name": name, "account_status": "pending",
                 "default_currency_id": state.network["default_currency_id"],
                 "network_affiliate_id": state.affiliates.next_int_id(), "network_id": state.network["network_id"],
                 "has_notifications": True, "network_traffic_source_id": 0, "account_executive_id": 0,
                 "adress_id": 0, "is_contact_address_enabled": address is not None, "contact_address": address,
                 "network_affiliate_tier_id": default_tier["network_affiliate_tier_id"] if default_tier else None,
                 "signup": signup, "encoded_value": encoded_value(ctx.random, state.affiliates),
                 "time_created": at, "time_saved": at}
    state.affiliates.insert(affiliate)
    new_user(ctx, affiliate, user)
    return affiliate


@HANDLERS.operation("signupAffiliate")
def signup_affiliate(ctx: RequestContext) -> Record:
    """The live form: a pending affiliate with one user (the signer); the verdict comes later."""
    state, body = state_of(ctx), ctx.body
    _check_open(ctx, affiliate_page(ctx), {"first_name": body.get("firstname"), "last_name": body.get("lastname"),
                                           **body}, "Affiliate")
    address = body["contact_address"]
    check_meta(ctx, "countries", "contact_address.country_id", address["country_id"])
    country = next(c for c in state.meta["countries"] if c["country_id"] == address["country_id"])
    affiliate = _pending_affiliate(
        ctx, body.get("company") or f"{body['firstname']} {body['lastname']}",
        {k: body[k] for k in SIGNUP_FIELDS if k in body},
        {**{k: address.get(k, "") for k in ("address_1", "address_2", "city", "region_code", "zip_postal_code")},
         "country_code": country["country_code"]},
        {"first_name": body["firstname"], "last_name": body["lastname"], "email": body["email"],
         "work_phone": body.get("phone", "")})
    return affiliate_out(state, affiliate, ["signup"])


def _draft_affiliate(ctx: RequestContext) -> Record:
    body = ctx.body
    _check_open(ctx, affiliate_page(ctx), body, "Affiliate")
    signup: dict[str, Any] = {DRAFT_NAMES[k]: body[k] for k in DRAFT_NAMES if k in body}
    if "custom_fields" in body:
        signup["custom_field_values"] = _custom_answers(ctx, "affiliate_portal", body["custom_fields"])
    return _pending_affiliate(ctx, body["company_name"], signup, None,
                              {"first_name": body.get("first_name", ""), "last_name": body.get("last_name", ""),
                               "email": body["email"], "work_phone": body.get("phone", "")})


@HANDLERS.operation("getAffiliateSignupPage")
def get_affiliate_page(ctx: RequestContext) -> Record:
    return affiliate_page(ctx)


@HANDLERS.operation("updateAffiliateSignupPage")
def update_affiliate_page(ctx: RequestContext) -> Record:
    """Full replacement of the page settings: a setting left out goes back to its default (guess)."""
    state = state_of(ctx)
    portal = dict(state.settings.get("affiliate_portal") or {})
    portal.update({k: ctx.body.get(k, v) for k, v in AFFILIATE_PAGE_DEFAULTS.items()})
    state.settings["affiliate_portal"] = portal
    return affiliate_page(ctx)


@HANDLERS.operation("submitAffiliateSignup")
def submit_affiliate(ctx: RequestContext) -> Record:
    return affiliate_out(state_of(ctx), _draft_affiliate(ctx), ["signup"])


@HANDLERS.operation("submitAffiliateSignupAndLogin")
def submit_affiliate_and_login(ctx: RequestContext) -> Record:
    """As the submission, plus a session for the new user (guess: the token opens nothing in the sandbox)."""
    state = state_of(ctx)
    affiliate = _draft_affiliate(ctx)
    user = state.users_of(affiliate["network_affiliate_id"])[0]
    return {"affiliate": affiliate_out(state, affiliate, ["signup"]),
            "session": {"network_affiliate_user_id": user["network_affiliate_user_id"],
                        "token": ctx.random.hex(16), "time_expires": now(ctx) + SESSION_SECONDS}}


def advertiser_out(advertiser: Record) -> Record:
    return {k: advertiser[k] for k in ("network_advertiser_id", "network_id", "name", "account_status")} | {
        "relationship": {"signup": dict(advertiser.get("signup") or {})}}


@HANDLERS.operation("getAdvertiserSignupPage")
def get_advertiser_page(ctx: RequestContext) -> Record:
    return _page(ctx, "advertiser_portal", PAGE_DEFAULTS)


@HANDLERS.operation("submitAdvertiserSignup")
def submit_advertiser(ctx: RequestContext) -> Record:
    """A pending advertiser; the email must not be another advertiser signup's (guess: 400)."""
    state, body = state_of(ctx), ctx.body
    _check_open(ctx, _page(ctx, "advertiser_portal", PAGE_DEFAULTS), body, "Advertiser")
    if state.advertisers.find("signup_email", body["email"]) is not None:
        raise duplicate(DUPLICATE_EMAIL)
    signup = {DRAFT_NAMES[k]: body[k] for k in DRAFT_NAMES if k in body}
    if "custom_fields" in body:
        signup["custom_field_values"] = _custom_answers(ctx, "advertiser_portal", body["custom_fields"])
    advertiser = state.advertisers.insert({"network_advertiser_id": state.advertisers.next_int_id(),
                                           "network_id": state.network["network_id"], "name": body["company_name"],
                                           "account_status": "pending", "signup": signup})
    return advertiser_out(advertiser)
