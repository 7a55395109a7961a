"""Report exports: the rows of the matching report, as a JSON file. The sandbox writes JSON only (its pipeline
answers JSON): the spec allows format json alone, so a CSV export is a 400 naming the allowed value."""
from __future__ import annotations

from ....core.context import RequestContext
from .. import magic
from ..models import Record
from ..reports import in_range, matcher
from ..views import conversion_out
from .common import HANDLERS, state_of
from .reporting import _entity, report_range
from .reporting_logs import on_hold_conversions, pixel_log
from .reporting_transactions import post_conversions


@HANDLERS.operation("exportEntityTable")
def export_entity_table(ctx: RequestContext) -> Record:
    """Every row of the entity report (no row cap), as entity/stream gives them."""
    return {"table": _entity(ctx, None)["table"]}


@HANDLERS.operation("exportConversions")
def export_conversions(ctx: RequestContext) -> Record:
    """The conversions (and events when show_events) of the range, newest first, as the search renders them."""
    state, body = state_of(ctx), ctx.body
    low, high = report_range(ctx, body, magic.REPORT_MAX_DAYS, magic.REPORT_LOOKBACK_DAYS)
    keep = matcher(state, body.get("query"))
    shown = {True: body.get("show_events", False), False: body.get("show_conversions", True)}
    rows = [c for c in in_range(state.conversions, "conversion_unix_timestamp", low, high)
            if shown[c["is_event"]] and keep(c) and (not body.get("show_only_scrub") or c["is_scrub"])]
    rows.sort(key=lambda c: (-c["conversion_unix_timestamp"], c["conversion_id"]))
    return {"conversions": [conversion_out(state, c) for c in rows]}


@HANDLERS.operation("exportPostConversions")
def export_post_conversions(ctx: RequestContext) -> Record:
    return post_conversions(ctx)


@HANDLERS.operation("exportPartnerPixelLog")
def export_pixel_log(ctx: RequestContext) -> Record:
    return pixel_log(ctx)


@HANDLERS.operation("exportOnHoldConversions")
def export_on_hold(ctx: RequestContext) -> Record:
    return on_hold_conversions(ctx)
