"""GET /meta/*: the ids other fields refer to and the targeting lists; GET /networks/meta/search; GET /i18n/*."""
from __future__ import annotations

from collections.abc import Callable

from ....core.context import RequestContext
from ..errors import not_found
from ..models import Record
from ..state import META_LISTS
from .common import HANDLERS, state_of


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


SEARCH_LIMIT = 20  # rows per kind (guess)


@HANDLERS.operation("searchNetwork")
def global_search(ctx: RequestContext) -> Record:
    """Offers, affiliates and advertisers whose name contains q (case-insensitive) or whose id is q, at most
    SEARCH_LIMIT of each kind, in id order (guess: the draft gives the keys only)."""
    state, text = state_of(ctx), ctx.query["q"].strip().lower()

    def hits(records: object, id_field: str) -> list[Record]:
        found: list[Record] = []
        for record in records:  # type: ignore[attr-defined]
            if text in record["name"].lower() or text == str(record[id_field]):
                found.append({id_field: record[id_field], "name": record["name"]})
                if len(found) == SEARCH_LIMIT:
                    break
        return found
    return {"offers": hits(state.offers, "network_offer_id"),
            "affiliates": hits(state.affiliates, "network_affiliate_id"),
            "advertisers": hits(state.advertisers, "network_advertiser_id")}


@HANDLERS.operation("listPlatformLanguages")
def list_languages(ctx: RequestContext) -> dict:
    """The platform languages: the /meta/languages rows (guess)."""
    return {"languages": [dict(row) for row in state_of(ctx).meta["languages"]]}


@HANDLERS.operation("getAffiliatePortalTranslations")
def portal_translations(ctx: RequestContext) -> dict:
    """The partner portal's strings in a language: the fixtures' translations section gives them by language
    code, empty when it has none for the language (guess)."""
    row = get_language(ctx)
    strings = state_of(ctx).translations.get(row["language_code"], {})
    return {"language_id": row["language_id"], "language_code": row["language_code"],
            "translations": dict(strings)}
