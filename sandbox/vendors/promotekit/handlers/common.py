"""Helpers every PromoteKit handler module shares: lists, lookups that 404 or 400."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ....core.clock import format_timestamp
from ....core.context import RequestContext
from ....core.store import Collection, Page, paginate, paginate_lazily, sort_records
from ...base import HandlerTable
from ..errors import invalid, not_found
from ..models import Record
from ..state import PromoteKitState

HANDLERS = HandlerTable()  # operationId -> handler; every module of this folder registers here


def state_of(ctx: RequestContext) -> PromoteKitState:
    return ctx.state


def now_iso(ctx: RequestContext) -> str:
    return format_timestamp(ctx.timestamp())


def page_of(records: list[Record], query: dict[str, Any], out: Callable[[Record], Record]) -> Page:
    """Newest first (guess: the order is undocumented), ties in reverse insertion order; then the page."""
    ordered = sort_records(records, "created_at", descending=True, tiebreak="seq")
    page = paginate(ordered, query["page"], query["limit"])
    return Page([out(r) for r in page.items], page.page, page.limit, page.total)


def filtered(collection: Collection, query: dict[str, Any], grouped: tuple[str, ...],
             keep: Callable[[Record], bool]) -> list[Record]:
    """The records passing `keep`, read from the declared group of the first of `grouped` (parent ids the collection
    groups lower-cased) the query names, else from every record."""
    return collection.filter_by_first_group(((name, _lowered(query.get(name))) for name in grouped), keep)


def _lowered(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None


def page_of_collection(collection: Collection, query: dict[str, Any], out: Callable[[Record], Record],
                       keep: Callable[[Record], bool] | None = None, total: int | None = None) -> Page:
    """`page_of` through the collection's kept `newest` order: only the records up to the page's end are read.

    With `keep`, `total` must come from an index (a running count) so that nothing is scanned."""
    records = collection.ordered("newest", descending=True)
    if keep is not None:
        records = filter(keep, records)
    page = paginate_lazily(records, query["page"], query["limit"], len(collection) if total is None else total)
    return Page([out(r) for r in page.items], page.page, page.limit, page.total)


def lookup(collection: Collection, record_id: str, what: str) -> Record:
    """A record named by the path: 404 "<What> not found" when unknown."""
    record = collection.get(record_id)
    if record is None:
        raise not_found(what)
    return record


def referenced(collection: Collection, record_id: str, what: str) -> Record:
    """A record named in a body: 400 "<What> not found" when unknown (create endpoints document no 404)."""
    record = collection.get(record_id)
    if record is None:
        raise invalid(f"{what} not found")
    return record


def matches(query: dict[str, Any], record: Record, fields: tuple[str, ...]) -> bool:
    """AND of exact filters; text compares case-insensitively (emails and codes)."""
    for name in fields:
        if name not in query:
            continue
        value, wanted = record.get(name), query[name]
        if isinstance(value, str) and isinstance(wanted, str):
            if value.lower() != wanted.lower():
                return False
        elif value != wanted:
            return False
    return True
