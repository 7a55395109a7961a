"""Helpers every Everflow handler module shares: paging, relationships, reference checks, lookups that 404."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from ....core.context import RequestContext
from ....core.errors import ApiError
from ....core.filters import FilterError, matches, parse_filters
from ....core.store import Collection, Page, paginate, paginate_lazily
from ...base import HandlerTable
from ..errors import bad_request, not_found
from ..models import Record, paging
from ..state import EverflowState

HANDLERS = HandlerTable()  # operationId -> handler; every module of this folder registers here

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 2000


def state_of(ctx: RequestContext) -> EverflowState:
    return ctx.state


def now(ctx: RequestContext) -> int:
    """Unix seconds on the tenant clock (Everflow's time_created / time_saved)."""
    return int(ctx.timestamp())


def relationships(ctx: RequestContext) -> list[str]:
    return list(ctx.query.get("relationship") or [])


def page_params(ctx: RequestContext) -> tuple[int, int]:
    """page / page_size from the query, else the body's top level, else a body `paging` object: the docs show
    all three for POST search endpoints (guess: the query wins when several are given)."""
    body = ctx.body if isinstance(ctx.body, dict) else {}
    nested = body.get("paging") or {}
    page = ctx.query.get("page") or body.get("page") or nested.get("page") or 1
    size = ctx.query.get("page_size") or body.get("page_size") or nested.get("page_size") or DEFAULT_PAGE_SIZE
    return page, size


def listing(name: str, rows: list[Any], ctx: RequestContext) -> Record:
    """`{<name>: [...], "paging": {page, page_size, total_count}}` for one page of rows."""
    page_no, size = page_params(ctx)
    page: Page = paginate(rows, page_no, size)
    return {name: page.items, "paging": paging(page)}


def listing_of_collection(name: str, collection: Collection, ctx: RequestContext, fields: Iterable[str],
                          render: Callable[[Record], Any]) -> Record:
    """`listing` of a collection in insertion order, rendering only the page's rows; without `?filter=` only
    the records up to the page's end are read, so a first page costs the same at 100 records and at 50,000."""
    page_no, size = page_params(ctx)
    if ctx.query.get("filter"):
        page = paginate(filtered(collection, ctx, fields), page_no, size)
    else:
        page = paginate_lazily(iter(collection), page_no, size, len(collection))
    return {name: [render(r) for r in page.items], "paging": paging(page)}


def filtered(records: Iterable[Record], ctx: RequestContext, fields: Iterable[str]) -> list[Record]:
    """Records passing every `?filter=<field><op><value>` expression (=, > and < are documented)."""
    try:
        filters = parse_filters(ctx.query.get("filter") or [], fields, operators=("=", ">", "<"))
    except FilterError as exc:
        raise bad_request(str(exc)) from exc
    return [r for r in records if matches(r, filters)]


def require(collection: Collection, record_id: Any, what: str) -> Record:
    """The record with that id, or Everflow's 404 naming what was looked for."""
    record = collection.get(record_id)
    if record is None:
        raise not_found(what)
    return record


def require_affiliate(ctx: RequestContext, affiliate_id: int) -> Record:
    return require(state_of(ctx).affiliates, affiliate_id, "Affiliate")


def require_offer(ctx: RequestContext, offer_id: int) -> Record:
    return require(state_of(ctx).offers, offer_id, "Offer")


def invalid(field: str, value: Any) -> ApiError:
    """A body value naming something that does not exist (guess: 400, like every other bad value)."""
    return bad_request(f"Invalid {field}: {value}")


def check_meta(ctx: RequestContext, kind: str, field: str, value: Any) -> None:
    """A currency, language, timezone or country id must be one the metadata API lists (guess: 400)."""
    if value is not None and value not in state_of(ctx).meta_ids(kind):
        raise invalid(field, value)


LINK_PARAMS = ("sub1", "sub2", "sub3", "sub4", "sub5", "source_id")


def tracking_url(state: EverflowState, offer: Record | None, affiliate: Record | None, params: Record,
                 kind: str = "") -> str:
    """https://<tracking domain>/<kind><offer encoded>/<affiliate encoded>/?sub1=... (the format is a guess; the
    same as POST /networks/tracking/offers/clicks answers). A click's report row may lack its offer or affiliate."""
    query = urlencode([(k, params[k]) for k in LINK_PARAMS if params.get(k)])
    url = (f"https://{state.network['tracking_domain']}/{kind}{offer['encoded_value'] if offer else ''}/"
           f"{affiliate['encoded_value'] if affiliate else ''}/")
    return url + (f"?{query}" if query else "")


def bulk_changes(records: Collection, ids: list[int], fields: list[Record], value_error: Callable[[str, Any], str],
                 *, what: str, key: str, shown: tuple[str, ...],
                 operator: str | None = None) -> tuple[list[Record], list[str]]:
    """A bulk edit's preview: one change per record and field, each with why it cannot apply ("" when it can),
    and an error for each id that names no record. `operator`, when given, is the operator a field may leave out
    (offers); without it every field names its own (affiliates)."""
    changes, resource_errors = [], []
    for record_id in ids:
        record = records.get(record_id)
        if record is None:
            resource_errors.append(f"{what} {record_id} not found")
            continue
        for field in fields:
            error = value_error(field["field_type"], field["field_value"])
            field_operator = field["operator"] if operator is None else field.get("operator", operator)
            changes.append({
                key: {k: record[k] for k in shown},
                "change_status": "error" if error else "ok",
                "current_field": {"field_type": field["field_type"], "field_value": record[field["field_type"]],
                                  "operator": field_operator},
                "changed_field": dict(field) if operator is None else {"operator": operator, **field},
                "error_message": error, "related_changes": ""})
    return changes, resource_errors


def applicable(preview: tuple[list[Record], list[str]]) -> list[Record]:
    """A bulk edit's changes (from `bulk_changes`) when every one applies; else the first error, as a 400."""
    changes, resource_errors = preview
    if resource_errors:
        raise bad_request(resource_errors[0])
    failed = next((c for c in changes if c["error_message"]), None)
    if failed is not None:
        raise bad_request(failed["error_message"])
    return changes
