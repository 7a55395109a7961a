"""Reports of things the sandbox never produces - conversions on hold, fired pixels (postbacks), impressions -
which check their request and answer empty lists, and conversion CSV uploads, recorded but never fetched."""
from __future__ import annotations

from ....core.context import RequestContext
from .. import magic
from ..errors import bad_request, not_found
from ..models import Record
from .common import HANDLERS, listing, now, state_of
from .reporting import CLICK_LOOKBACK_DAYS, CLICK_STREAM_MAX_DAYS, report_range

UPLOAD_FAILURE = "The sandbox does not download files: no conversion was created"


def _checked_range(ctx: RequestContext) -> None:
    report_range(ctx, ctx.body, magic.REPORT_MAX_DAYS, magic.REPORT_LOOKBACK_DAYS)


@HANDLERS.operation("searchOnHoldConversions")
@HANDLERS.operation("streamOnHoldConversions")
def on_hold_conversions(ctx: RequestContext) -> Record:
    """No conversion is ever put on hold in the sandbox (guess, like a transaction's on_hold_conversions)."""
    _checked_range(ctx)
    return {"conversions": []}


@HANDLERS.operation("updateOnHoldConversions")
def update_on_hold(ctx: RequestContext) -> Record:
    """Every id must be a conversion on hold: unknown ids are 404, others 400 (guesses)."""
    state = state_of(ctx)
    for conversion_id in ctx.body["conversion_ids"]:
        if str(conversion_id) not in state.conversions:
            raise not_found("Conversion", conversion_id)
        raise bad_request(f"Conversion {conversion_id} is not on hold")
    return {"result": True}


@HANDLERS.operation("getAdvertiserPixelLog")
@HANDLERS.operation("getPartnerPixelLog")
def pixel_log(ctx: RequestContext) -> Record:
    """The sandbox fires no postbacks, so the logs are empty (as a transaction's pixels are)."""
    _checked_range(ctx)
    return {"logs": []}


@HANDLERS.operation("streamImpressions")
def impressions(ctx: RequestContext) -> Record:
    """The sandbox records no impressions (imp is 0 in every report); the clicks stream's range rules apply."""
    report_range(ctx, ctx.body, CLICK_STREAM_MAX_DAYS, CLICK_LOOKBACK_DAYS)
    return {"impressions": []}


@HANDLERS.operation("uploadConversions")
def upload_conversions(ctx: RequestContext) -> Record:
    """Recorded with status failed: the sandbox never fetches temp_url (guess; the upload can be looked up)."""
    state, file = state_of(ctx), ctx.body["file"]
    record = {"network_conversion_upload_id": state.conversion_uploads.next_int_id(),
              "network_id": state.network["network_id"], "original_file_name": file.get("original_file_name", ""),
              "temp_url": file.get("temp_url", ""), "status": "failed", "error_message": UPLOAD_FAILURE,
              "total_rows": 0, "processed_rows": 0, "time_created": now(ctx), "time_saved": now(ctx)}
    return dict(state.conversion_uploads.insert(record))


@HANDLERS.operation("searchConversionUploads")
def list_uploads(ctx: RequestContext) -> Record:
    """Newest first; filters.status narrows (guess)."""
    state = state_of(ctx)
    status = ((ctx.body or {}).get("filters") or {}).get("status")
    rows = [dict(u) for u in state.conversion_uploads if status is None or u["status"] == status]
    rows.reverse()
    return listing("uploads", rows, ctx)


@HANDLERS.operation("getConversionUpload")
def get_upload(ctx: RequestContext) -> Record:
    upload = state_of(ctx).conversion_uploads.get(ctx.path["uploadId"])
    if upload is None:
        raise not_found("Conversion upload")
    return dict(upload)
