"""GET /meta/timezones, /meta/currencies, /meta/languages, /meta/countries: the ids other fields refer to."""
from __future__ import annotations

from ....core.context import RequestContext
from . import HANDLERS
from .common import state_of


def _meta(kind: str):
    def handler(ctx: RequestContext) -> dict:
        return {kind: [dict(row) for row in state_of(ctx).meta[kind]]}
    return handler


for _kind, _operation in (("timezones", "listTimezones"), ("currencies", "listCurrencies"),
                          ("languages", "listLanguages"), ("countries", "listCountries")):
    HANDLERS.operation(_operation)(_meta(_kind))
