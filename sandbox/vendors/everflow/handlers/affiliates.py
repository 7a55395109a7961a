"""Affiliates (partners): create, get, list, search, full-replacement update and the pending verdict (the bulk
edit is in affiliate_bulk, signup in signup)."""
from __future__ import annotations

from collections.abc import Callable

from ....core.context import RequestContext
from ..errors import bad_request, duplicate, invalid_transition, not_found
from ..models import AFFILIATE_DEFAULTS, Record, affiliate_base, encoded_value
from ..views import affiliate_out
from .common import (
    HANDLERS,
    check_meta,
    invalid,
    listing,
    listing_of_collection,
    now,
    relationships,
    require_affiliate,
    state_of,
)
from .users import DUPLICATE_EMAIL, check_user, new_user

# The schedule fields each billing frequency needs in billing.details (documented: details are required
# unless the frequency is manual or other; which keys each frequency needs is from the field notes).
BILLING_DETAILS = {"weekly": ("day_of_week",), "bimonthly": ("day_of_month_one", "day_of_month_two"),
                   "monthly": ("day_of_month",), "two_months": ("day_of_month", "starting_month"),
                   "quarterly": ("day_of_month", "starting_month"), "manual": (), "other": ()}

LIST_FILTER_FIELDS = ("time_created", "time_saved", "account_status")

# Guess: what an enabled contact address must hold (the page only says it is used when enabled).
ADDRESS_REQUIRED = ("address_1", "city", "country_code", "zip_postal_code")


def _check_billing(billing: Record | None) -> None:
    if billing is None:
        return
    frequency = billing["billing_frequency"]
    needed = BILLING_DETAILS[frequency]
    details = billing.get("details") or {}
    if needed and not details:
        raise bad_request(f"billing.details is required for billing_frequency {frequency}")
    for name in needed:
        if name not in details:
            raise bad_request(f"billing.details.{name} is required for billing_frequency {frequency}")


def _checked_fields(ctx: RequestContext, body: Record, current_id: int | None = None) -> Record:
    """The affiliate fields of a create or a full-replacement update, with every cross-record check done."""
    state = state_of(ctx)
    fields = dict(AFFILIATE_DEFAULTS)  # in its order; only the body's keys are visited (a body names few)
    for name, value in body.items():
        if name in fields:
            fields[name] = value
    fields["name"] = body["name"]
    currency = fields["default_currency_id"] = fields["default_currency_id"] or state.network["default_currency_id"]
    check_meta(ctx, "currencies", "default_currency_id", currency)
    employee_id = fields["network_employee_id"]
    if employee_id and employee_id not in state.employees:
        raise invalid("network_employee_id", employee_id)
    tier_id = fields["network_affiliate_tier_id"]
    if tier_id:
        if tier_id not in state.tiers:
            raise invalid("network_affiliate_tier_id", tier_id)
    else:  # guess: an affiliate without a tier lands in the network's default tier, if it has one
        default = state.default_tier()
        fields["network_affiliate_tier_id"] = default["network_affiliate_tier_id"] if default else None
    referrer = fields["referrer_id"]
    if referrer and (referrer == current_id or referrer not in state.affiliates):
        raise invalid("referrer_id", referrer)
    if fields["is_contact_address_enabled"]:
        address = fields["contact_address"]
        if not address:
            raise bad_request("contact_address is required when is_contact_address_enabled is true")
        for name in ADDRESS_REQUIRED:
            if not address.get(name):
                raise bad_request(f"contact_address.{name} is required")
        if address["country_code"] not in state.country_codes():
            raise invalid("contact_address.country_code", address["country_code"])
    else:  # documented: the address is only used when enabled
        fields["contact_address"] = None
    _check_billing(fields["billing"])
    labels = fields["labels"]
    # The schema makes labels a list of strings (or leaves it out: the default []); a fresh list either way.
    fields["labels"] = list(dict.fromkeys(labels)) if labels else []
    return fields


def _check_users(ctx: RequestContext, users: list[Record]) -> None:
    """A create's users: each one valid, and no email twice (case-insensitively) nor already a partner user's."""
    seen: set[str] = set()
    for i, user in enumerate(users):
        check_user(ctx, user, f"users[{i}]")
        email = user["email"].lower()
        if email in seen:
            raise duplicate(DUPLICATE_EMAIL)
        seen.add(email)


@HANDLERS.operation("createAffiliate")
def create_affiliate(ctx: RequestContext) -> Record:
    """Everything is checked before anything is stored, so a bad user or address creates nothing."""
    state, body, at = state_of(ctx), ctx.body, now(ctx)
    affiliate = _checked_fields(ctx, body)
    users = body.get("users") or []
    if users:
        _check_users(ctx, users)
    affiliates = state.affiliates
    affiliate |= {"network_affiliate_id": affiliates.next_int_id(), "network_id": state.network["network_id"],
                  "has_notifications": True, "network_traffic_source_id": 0, "account_executive_id": 0,
                  "adress_id": 0, "signup": None, "encoded_value": encoded_value(ctx.random, affiliates),
                  "time_created": at, "time_saved": at}
    if affiliate["labels"]:
        state.ensure_labels(affiliate["labels"], at)
    affiliates.insert(affiliate)
    stored = [new_user(ctx, affiliate, user, at) for user in users]
    return affiliate_out(state, affiliate, ["users", *relationships(ctx)], users=stored)


@HANDLERS.operation("getAffiliate")
def get_affiliate(ctx: RequestContext) -> Record:
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    return affiliate_out(state_of(ctx), affiliate, relationships(ctx))


@HANDLERS.operation("listAffiliates")
def list_affiliates(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return listing_of_collection("affiliates", state.affiliates, ctx, LIST_FILTER_FIELDS, _row_renderer(ctx))


def _row_renderer(ctx: RequestContext) -> Callable[[Record], Record]:
    """How a list or search renders its rows, decided once per request: a row asking for no relationship is the
    plain affiliate (what affiliate_out gives it, without its per-row checks)."""
    state, wanted = state_of(ctx), relationships(ctx)
    if not wanted:
        return affiliate_base
    return lambda a: affiliate_out(state, a, wanted, defaults=False)


def _search_match(affiliate: Record, body: Record) -> bool:
    for term in body.get("search_terms") or []:
        if term["value"].lower() not in affiliate["name"].lower():
            return False
    f = body.get("filters") or {}
    billing = affiliate.get("billing") or {}
    address = affiliate.get("contact_address") or {}
    checks = [
        ("account_status", lambda v: affiliate["account_status"] == v),
        ("account_manager_ids", lambda v: not v or affiliate["network_employee_id"] in v),
        ("network_account_executives_ids", lambda v: not v or affiliate["account_executive_id"] in v),
        ("billing_frequency", lambda v: billing.get("billing_frequency") == v),
        ("payment_type", lambda v: billing.get("payment_type") == v),
        ("labels", lambda v: not v or bool(set(v) & set(affiliate["labels"]))),
        ("country_codes", lambda v: not v or address.get("country_code") in v),
        ("region_codes", lambda v: not v or address.get("region_code") in v),
    ]
    return all(test(f[name]) for name, test in checks if name in f)


@HANDLERS.operation("searchAffiliates")
def search_affiliates(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    body = ctx.body or {}
    render = _row_renderer(ctx)
    rows = [render(a) for a in state.affiliates if _search_match(a, body)]
    return listing("affiliates", rows, ctx)


@HANDLERS.operation("updateAffiliate")
def update_affiliate(ctx: RequestContext) -> Record:
    """Full replacement: fields left out go back to their defaults (documented)."""
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    fields = _checked_fields(ctx, ctx.body, affiliate["network_affiliate_id"])
    at = now(ctx)
    state.ensure_labels(fields["labels"], at)
    state.affiliates.update(affiliate["network_affiliate_id"], {**fields, "time_saved": at})
    return affiliate_out(state, affiliate, relationships(ctx))


@HANDLERS.operation("decidePendingAffiliates")
def decide_pending(ctx: RequestContext) -> Record:
    """approve: pending -> active (documented); reject: pending -> inactive (guess). All or nothing."""
    state, body = state_of(ctx), ctx.body
    targets = _pending_targets(ctx, body["network_affiliate_ids"])
    status = "active" if body["action"] == "approve" else "inactive"
    at = now(ctx)
    for affiliate in targets:
        state.affiliates.update(affiliate["network_affiliate_id"], {"account_status": status, "time_saved": at})
    return {"result": True}


def _pending_targets(ctx: RequestContext, ids: list[int]) -> list[Record]:
    """The affiliates of a verdict: all must exist (404) and be pending (400), or nothing changes."""
    state = state_of(ctx)
    targets = []
    for affiliate_id in ids:
        affiliate = state.affiliates.get(affiliate_id)
        if affiliate is None:
            raise not_found("Affiliate", affiliate_id)
        if affiliate["account_status"] != "pending":
            raise invalid_transition(f"Affiliate {affiliate_id} is not pending")
        targets.append(affiliate)
    return targets


@HANDLERS.operation("processPendingAffiliates")
def process_pending(ctx: RequestContext) -> Record:
    """The live verdict: the pending affiliates take account_status, and optionally a manager, tier and notes."""
    state, body = state_of(ctx), ctx.body
    targets = _pending_targets(ctx, body["network_affiliate_ids"])
    changes: Record = {"account_status": body["account_status"], "time_saved": now(ctx)}
    if body.get("affiliate_manager_id"):
        if body["affiliate_manager_id"] not in state.employees:
            raise invalid("affiliate_manager_id", body["affiliate_manager_id"])
        changes["network_employee_id"] = body["affiliate_manager_id"]
    if body.get("network_affiliate_tier_id"):
        if body["network_affiliate_tier_id"] not in state.tiers:
            raise invalid("network_affiliate_tier_id", body["network_affiliate_tier_id"])
        changes["network_affiliate_tier_id"] = body["network_affiliate_tier_id"]
    for name in ("internal_notes", "network_traffic_source_id"):
        if name in body:
            changes[name] = body[name]
    for affiliate in targets:
        state.affiliates.update(affiliate["network_affiliate_id"], changes)
    return {"result": True}
