"""/affiliates: list, retrieve, delete (with block), approve, decline, bonuses, send-email, blocked list, unblock.

Tamio has no API that creates affiliates; they sign up on the program's page (the control plane simulates it).
"""
from __future__ import annotations

from ....core.context import RequestContext
from .. import webhooks
from ..errors import not_found, tamio_error
from ..models import Record, affiliate_out, blocked_out
from .common import (
    HANDLERS,
    in_range,
    listing,
    page_of,
    require_affiliate,
    require_program,
    state_of,
    unix_now,
)
from .payouts import INSUFFICIENT_BALANCE

CANNOT_DELETE = 10199
SORT_FIELDS = {"name": "name", "email": "email", "country": "country", "created_at": "date_joined"}


def _out(ctx: RequestContext, affiliate: Record) -> Record:
    return {"affiliate": affiliate_out(affiliate, state_of(ctx).programs[affiliate["program_id"]])}


@HANDLERS.operation("listAffiliates")
def list_affiliates(ctx: RequestContext) -> Record:
    state, q = state_of(ctx), ctx.query
    dated = in_range(q, "date_joined")
    text = q.get("filter", "").lower()
    countries = set(q.get("countries") or [])

    def keep(a: Record) -> bool:
        if "automation_id" in q:  # the sandbox has no automations: nobody is in one
            return False
        if "affiliate_program_id" in q and a["program_id"] != q["affiliate_program_id"]:
            return False
        if "status" in q and a["status"] != q["status"]:
            return False
        if countries and a.get("country") not in countries:
            return False
        haystack = " ".join(str(a.get(name) or "") for name in ("name", "surname", "email")).lower()
        return dated(a) and text in haystack

    # By program, the program's group of affiliates is read, not every affiliate (in insertion order either way:
    # an affiliate never changes program).
    rows = state.affiliates.filter_by_group("program", q.get("affiliate_program_id"), keep)
    page = page_of(rows, {**q, "order": q.get("order", "desc")}, SORT_FIELDS[q["sort_by"]])
    return listing("affiliates", page,
                   lambda a: affiliate_out(a, state.programs[a["program_id"]]))


@HANDLERS.operation("retrieveAffiliate")
def retrieve_affiliate(ctx: RequestContext) -> Record:
    return _out(ctx, require_affiliate(ctx, ctx.path["uuid"]))


@HANDLERS.operation("deleteAffiliate")
def delete_affiliate(ctx: RequestContext) -> Record:
    """10199 while the affiliate has an unpaid payout (a guess at when Tamio refuses); block=true blocks the email."""
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["uuid"])
    if any(p["affiliate_id"] == affiliate["id"] and not p["paid"] for p in state.payouts):
        raise tamio_error(CANNOT_DELETE, "Cannot delete affiliate from this program: it has an unpaid payout")
    state.affiliates.delete(affiliate["id"])
    ctx.emit("affiliate-removed", webhooks.affiliate_data(affiliate))
    if ctx.query["block"] and state.blocked.find("program_email", f"{affiliate['program_id']}|{affiliate['email']}") \
            is None:
        state.blocked.insert({"id": ctx.random.uuid(), "email": affiliate["email"],
                              "program_id": affiliate["program_id"], "created_at": unix_now(ctx)})
    return {}


@HANDLERS.operation("approveAffiliate")
def approve_affiliate(ctx: RequestContext) -> Record:
    affiliate = require_affiliate(ctx, ctx.path["uuid"], "or already approved")
    if affiliate["status"] == "approved":
        raise not_found("Affiliate", affiliate["id"], "or already approved")
    state_of(ctx).affiliates.update(affiliate["id"], {"status": "approved"})
    ctx.emit("affiliate-approved", webhooks.affiliate_data(affiliate))
    return _out(ctx, affiliate)


@HANDLERS.operation("declineAffiliate")
def decline_affiliate(ctx: RequestContext) -> Record:
    """Guess: declining removes the application; the answer shows it one last time, approved false."""
    affiliate = require_affiliate(ctx, ctx.path["uuid"])
    state_of(ctx).affiliates.delete(affiliate["id"])
    ctx.emit("affiliate-declined", webhooks.affiliate_data(affiliate))
    return _out(ctx, {**affiliate, "status": "declined"})


@HANDLERS.operation("addAffiliateBonus")
def add_bonus(ctx: RequestContext) -> Record:
    affiliate = require_affiliate(ctx, ctx.path["uuid"])
    amount = ctx.body["amount"]
    state_of(ctx).affiliates.update(affiliate["id"], {"bonus": affiliate["bonus"] + amount,
                                                      "balance": affiliate["balance"] + amount})
    return _out(ctx, affiliate)


@HANDLERS.operation("deductAffiliateBonus")
def deduct_bonus(ctx: RequestContext) -> Record:
    affiliate = require_affiliate(ctx, ctx.path["uuid"], "or not approved")
    if affiliate["status"] != "approved":
        raise not_found("Affiliate", affiliate["id"], "or not approved")
    amount = ctx.body["amount"]
    if amount > affiliate["balance"]:
        raise tamio_error(INSUFFICIENT_BALANCE, "Affiliate balance is insufficient")
    state_of(ctx).affiliates.update(affiliate["id"], {"bonus": affiliate["bonus"] - amount,
                                                      "balance": affiliate["balance"] - amount})
    return _out(ctx, affiliate)


@HANDLERS.operation("sendAffiliateEmail")
def send_email(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["uuid"])
    template = state.email_templates.get(ctx.body["email_template_id"])
    if template is None:
        raise not_found("Email template")
    state.emails.append({"affiliate_id": affiliate["id"], "email": affiliate["email"],
                         "email_template_id": template["id"], "subject": template.get("subject"),
                         "sent_at": unix_now(ctx)})
    return {}


@HANDLERS.operation("listBlockedAffiliates")
def list_blocked(ctx: RequestContext) -> Record:
    state, q = state_of(ctx), ctx.query
    program = require_program(ctx, ctx.path["uuid"])
    dated = in_range(q, "created_at")
    rows = state.blocked.filter_by_group("program", program["id"], dated)
    return listing("blocked_affiliates", page_of(rows, q, "created_at"), blocked_out)


@HANDLERS.operation("unblockAffiliate")
def unblock_affiliate(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    if state.blocked.delete(ctx.path["uuid"]) is None:
        raise not_found("Blocked affiliate")
    return {}
