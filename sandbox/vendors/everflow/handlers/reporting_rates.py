"""GET /networks/reporting/currencyrates: the exchange rates reports convert with, per US dollar."""
from __future__ import annotations

from ....core.context import RequestContext
from ..models import Record
from .common import HANDLERS, state_of


@HANDLERS.operation("listCurrencyRates")
def currency_rates(ctx: RequestContext) -> Record:
    """{"rates": {<currency id>: <units per US dollar>}} from the fixtures' currency_rates (USD is 1)."""
    return {"rates": dict(state_of(ctx).currency_rates)}
