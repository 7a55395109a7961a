"""/affiliates/payouts: create (pays out the whole balance), list, retrieve."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import not_found, tamio_error
from ..models import Record
from ..views import payout_out
from .common import HANDLERS, in_range, listing, page_of, state_of, unix_now

INSUFFICIENT_BALANCE = 10201
METHOD_NOT_SUPPORTED = 10213
MISSING_BILLING_INFORMATION = 90052


@HANDLERS.operation("createAffiliatePayout")
def create_payout(ctx: RequestContext) -> Record:
    """Checks in a guessed order: 1002, 10213, 10201, 90052. The payout takes the whole balance."""
    state = state_of(ctx)
    affiliate = state.affiliates.get(ctx.path["uuid"])
    if affiliate is None or affiliate["status"] != "approved":
        raise not_found("Affiliate")
    program = state.programs[affiliate["program_id"]]
    method = ctx.body["payment"]
    if method not in program["payments"] or (affiliate["payments"] is not None
                                             and method not in affiliate["payments"]):
        raise tamio_error(METHOD_NOT_SUPPORTED, "Payment method not supported by affiliate or program")
    if affiliate["balance"] <= 0:
        raise tamio_error(INSUFFICIENT_BALANCE, "Affiliate balance is zero")
    if not state.billing_information_complete:
        raise tamio_error(MISSING_BILLING_INFORMATION, "Missing merchant billing information")
    payout = {
        "id": ctx.random.uuid(), "affiliate_id": affiliate["id"], "program_id": program["id"],
        "program_label": program["label"], "currency": program["currency"], "total": affiliate["balance"],
        "paid": False, "status": "new", "prefix": state.settings.get("payout_prefix"),
        "number": state.next_payout_number(), "payment": method, "date": unix_now(ctx),
        "invoice": ctx.random.uuid(), "affiliate_snapshot": dict(affiliate),
    }
    state.payouts.insert(payout)
    state.affiliates.update(affiliate["id"], {"balance": 0})
    return {"transaction": payout["id"], "invoice": payout["invoice"], "public_key": state.settings["public_key"]}


@HANDLERS.operation("listAffiliatePayouts")
def list_payouts(ctx: RequestContext) -> Record:
    state, q = state_of(ctx), ctx.query
    dated = in_range(q, "date")
    text = q.get("filter", "").lower()

    def keep(p: Record) -> bool:
        if "affiliate_partner_id" in q and p["affiliate_id"] != q["affiliate_partner_id"]:
            return False
        if "affiliate_program_id" in q and p["program_id"] != q["affiliate_program_id"]:
            return False
        partner = state.affiliates.get(p["affiliate_id"]) or p["affiliate_snapshot"]
        haystack = " ".join(str(partner.get(n) or "") for n in ("name", "surname", "email", "country")).lower()
        return dated(p) and text in haystack

    rows = state.payouts.filter_by_first_group(
        (("affiliate", q.get("affiliate_partner_id")), ("program", q.get("affiliate_program_id"))), keep)
    return listing("payouts", page_of(rows, q, "date"), lambda p: payout_out(state, p))


@HANDLERS.operation("retrieveAffiliatePayout")
def retrieve_payout(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    payout = state.payouts.get(ctx.path["uuid"])
    if payout is None:
        raise not_found("Payout")
    return {"payout": payout_out(state, payout)}
