"""GET /payouts, GET /payouts/{id}: read-only (payouts are made by the control-plane payout run)."""
from __future__ import annotations

from ....core.context import RequestContext
from ....core.store import Page
from ..models import Record
from ..views import payout_out
from .common import HANDLERS, filtered, lookup, matches, page_of, state_of


@HANDLERS.operation("listPayouts")
def list_payouts(ctx: RequestContext) -> Page:
    state, q = state_of(ctx), ctx.query
    records = filtered(state.payouts, q, ("affiliate_id",), lambda p: matches(q, p, ("affiliate_id",)))
    return page_of(records, q, lambda p: payout_out(state, p))


@HANDLERS.operation("getPayout")
def get_payout(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return payout_out(state, lookup(state.payouts, ctx.path["id"], "Payout"))
