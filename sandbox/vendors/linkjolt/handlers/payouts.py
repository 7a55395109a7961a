"""GET /payouts: the payout queue (read-only; the control plane runs payouts)."""
from __future__ import annotations

from ....core.context import RequestContext
from ....core.store import Page
from ..models import payout_out
from .common import HANDLERS, date_filter, page_of, state_of


@HANDLERS.operation("listPayouts")
def list_payouts(ctx: RequestContext) -> Page:
    q = ctx.query
    in_range = date_filter(q)
    records = state_of(ctx).payouts.filter_by_first_group(
        (("conversion", q.get("conversionId")), ("affiliate", q.get("affiliateId"))),
        lambda p: in_range(p) and all(p[name] == q[name] for name in ("status", "affiliateId", "conversionId")
                                      if name in q))
    page = page_of(records, q, aliases={"amount": "amountCents"})
    return Page([payout_out(p) for p in page.items], page.page, page.limit, page.total)
