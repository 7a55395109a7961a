"""/affiliate-programs: create, update (full replacement), retrieve, list, delete, pause-resume."""
from __future__ import annotations

import sys
from typing import Any

from ....core.context import RequestContext
from ....core.store import paginate_lazily
from .. import webhooks
from ..errors import not_found, schema_error, tamio_error
from ..models import PROGRAM_DEFAULTS, Record, main_language
from ..views import program_out
from .common import HANDLERS, in_range, listing, page_of, require_program, state_of, unix_now

BOTH_ZERO = 10314
METHOD_NOT_FOR_CURRENCY = 10203
DOMAIN_NOT_FOUND = 10315
HAS_ACTIVE_AFFILIATES = 10316


def _checked_currency(ctx: RequestContext, body: dict[str, Any]) -> str:
    """The body's currency (upper case), after the checks that depend on the account.

    The schema has already checked shapes, ranges, duplicates and `repeating` needs `duration` > 0.
    Order of the business checks (a guess): 10314, 10203, 10315, then 1002 for products.
    """
    state = state_of(ctx)
    currencies = state.currencies
    currency = sys.intern(body["currency"].upper())  # one shared copy for every program in that currency
    if currency not in currencies:
        raise schema_error(f"Invalid currency {body['currency']!r} (must be a currency enabled on your account)")
    enabled = state.languages
    for code in body["languages"]:
        if code not in enabled:
            raise schema_error(f"languages has an invalid key {code!r} (not a language enabled on your account)")
    if body["commission_amount"] == 0 and body["commission_percent"] == 0:
        raise tamio_error(BOTH_ZERO, "Both commission amount and percent are zero")
    methods = currencies[currency]
    for method in body["payments"]:
        if method not in methods:
            raise tamio_error(METHOD_NOT_FOR_CURRENCY,
                              f"Payment method not supported for the selected currency ({method}, {currency})")
    domain = body.get("domain")
    if domain is not None and domain not in state.domains:
        raise tamio_error(DOMAIN_NOT_FOUND, "Domain not found")
    products = body.get("products")
    if products and any(product not in state.products for product in products):
        raise not_found("Product")
    return currency


# The fields a program has before its body's, in the stored record's key order (snapshots show it): what a create
# adds first, the defaults, then label, description and promo. Each program starts from a copy of one of these
# (presized, its keys in place; the None placeholders are filled in), cheaper than merging the parts anew.
CREATED_FIELDS: Record = {"id": None, "created_at": None, "signup_url": None, "allow_bonuses": True, "is_active": True,
                          "sales": 0, **PROGRAM_DEFAULTS, "label": None, "description": None, "promo": None}
UPDATED_FIELDS: Record = {**PROGRAM_DEFAULTS, "label": None, "description": None, "promo": None}


def _program_fields(template: Record, body: dict[str, Any], currency: str) -> Record:
    """A copy of `template` with the program fields the body describes: label and description from its main
    language, then the body's own fields (which may replace them), the checked currency last."""
    main = main_language(body["languages"])
    # Payment methods and destinations are a few short codes repeated by every program: the stored lists hold the
    # one shared copy of each (immutable strings; ~55 B a program each). The lists are the body's own, kept as
    # they are, so they keep their exact size.
    for codes in (body["payments"], body["destinations"]):
        codes[:] = map(sys.intern, codes)
    fields = template.copy()
    fields["label"] = main["label"]
    fields["description"] = main["description"]
    fields.update(body)
    fields["currency"] = currency
    if fields["subscription_commission_type"] != "repeating":
        fields["duration"] = None
    return fields


@HANDLERS.operation("createAffiliateProgram")
def create_program(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    # The id is drawn before the checks, so a refused create uses one too (seeded ids depend on it).
    program_id, created_at = ctx.random.uuid(), unix_now(ctx)
    program = _program_fields(CREATED_FIELDS, body, _checked_currency(ctx, body))
    program["id"], program["created_at"] = program_id, created_at
    state.programs.insert(program)
    out = program_out(state, program)
    ctx.emit("affiliate-program-created", out)
    return {"program": out}


@HANDLERS.operation("updateAffiliateProgram")
def update_program(ctx: RequestContext) -> Record:
    """A full replacement; is_active keeps its value when omitted (guess: so an update does not resume)."""
    state = state_of(ctx)
    program = require_program(ctx, ctx.path["uuid"])
    fields = _program_fields(UPDATED_FIELDS, ctx.body, _checked_currency(ctx, ctx.body))
    fields.setdefault("is_active", program["is_active"])
    before = program_out(state, program)
    state.programs.update(program["id"], fields)
    return {"program": _updated(ctx, before, program_out(state, program))}


def _updated(ctx: RequestContext, before: Record, after: Record) -> Record:
    """affiliate-program-updated with `changes` (the fields that changed), when something did."""
    changes = webhooks.program_changes(before, after)
    if changes:
        ctx.emit("affiliate-program-updated", {**after, "changes": changes})
    return after


@HANDLERS.operation("retrieveAffiliateProgram")
def retrieve_program(ctx: RequestContext) -> Record:
    return {"program": program_out(state_of(ctx), require_program(ctx, ctx.path["uuid"]))}


@HANDLERS.operation("listAffiliatePrograms")
def list_programs(ctx: RequestContext) -> Record:
    state, q = state_of(ctx), ctx.query
    product = q.get("product_id")
    if product is not None and product not in state.products:
        raise not_found("Product", detail="or does not belong to your account")
    if product is None and "from" not in q and "to" not in q:  # the whole list: read only the page
        ordered = state.programs.ordered("created_at", q.get("order", "desc") == "desc")
        page = paginate_lazily(ordered, q["page"], q["per_page"], len(state.programs))
        return listing("programs", page, lambda p: program_out(state, p))
    dated = in_range(q, "created_at")
    rows = state.programs.filter(lambda p: dated(p) and (product is None or product in p["products"]))
    return listing("programs", page_of(rows, q, "created_at"), lambda p: program_out(state, p))


@HANDLERS.operation("deleteAffiliateProgram")
def delete_program(ctx: RequestContext) -> Record:
    """Refused while approved affiliates remain; pending ones and the blocked list go with the program."""
    state = state_of(ctx)
    program = require_program(ctx, ctx.path["uuid"])
    if state.approved_count(program["id"]):
        raise tamio_error(HAS_ACTIVE_AFFILIATES, "Program has active affiliates and cannot be deleted")
    for affiliate in state.affiliates_of(program["id"]):
        state.affiliates.delete(affiliate["id"])
    for blocked in state.blocked.group("program", program["id"]):
        state.blocked.delete(blocked["id"])
    out = program_out(state, program)
    state.programs.delete(program["id"])
    ctx.emit("affiliate-program-removed", out)
    return {"id": program["id"]}


@HANDLERS.operation("pauseResumeAffiliateProgram")
def pause_resume_program(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    program = require_program(ctx, ctx.path["uuid"])
    before = program_out(state, program)
    state.programs.update(program["id"], {"is_active": not program["is_active"]})
    return {"program": _updated(ctx, before, program_out(state, program))}
