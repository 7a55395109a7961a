"""GET /meta/*: the ids other fields refer to and the targeting lists; GET /i18n/languages/{languageId}."""
from __future__ import annotations

from typing import Callable

from ....core.context import RequestContext
from ..errors import not_found
from ..state import META_LISTS
from . import HANDLERS
from .common import state_of


def _meta(kind: str) -> Callable[[RequestContext], dict]:
    def handler(ctx: RequestContext) -> dict:
        return {kind: [dict(row) for row in state_of(ctx).meta[kind]]}
    return handler


def _meta_list(kind: str) -> Callable[[RequestContext], dict]:
    def handler(ctx: RequestContext) -> dict:
        return {kind: [dict(row) for row in state_of(ctx).meta_lists[kind]]}
    return handler


for _kind, _operation in (("timezones", "listTimezones"), ("currencies", "listCurrencies"),
                          ("languages", "listLanguages"), ("countries", "listCountries")):
    HANDLERS.operation(_operation)(_meta(_kind))

for _kind in META_LISTS:
    HANDLERS.operation(f"listMeta{_kind.capitalize()}")(_meta_list(_kind))


@HANDLERS.operation("getPlatformLanguage")
def get_language(ctx: RequestContext) -> dict:
    """One platform language (the metadata list's row; the shape is a guess)."""
    language_id = ctx.path["languageId"]
    row = next((r for r in state_of(ctx).meta["languages"] if r["language_id"] == language_id), None)
    if row is None:
        raise not_found("Language")
    return dict(row)
