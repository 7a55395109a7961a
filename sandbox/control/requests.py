"""The request journal: /tenants/{id}/requests (list, filter, clear) and /requests/{request_id} (explain one)."""
from __future__ import annotations

from typing import Any

from ..core.clock import parse_instant
from ..core.errors import ApiError
from ..core.journal import JOURNALS
from .common import ControlCall, ControlHandler, field_error


def _since(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return parse_instant(text).timestamp()
    except ValueError as exc:
        raise ApiError(400, "invalid_parameter", f"since: not an ISO-8601 instant: {exc}",
                       {"field": "since", "details": [{"location": "query", "field": "since",
                                                        "message": "not an ISO-8601 instant"}]}) from exc


async def list_requests(call: ControlCall) -> dict[str, Any]:
    journal = call.tenant().journal
    q = call.query
    if q.get("operation") is not None and q.get("vendor") is None:
        raise field_error("vendor", "an operation is named within one vendor: give `vendor` too")
    entries = journal.select(q.get("vendor"), q.get("operation"), q.get("status"), _since(q.get("since")),
                             q.get("limit", 100))
    return {"data": [e.describe() for e in entries], "dropped": journal.dropped}


async def clear_requests(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    return {"tenant": tenant.id, "deleted": tenant.journal.clear()}


async def explain_request(call: ControlCall) -> dict[str, Any]:
    request_id = call.path["request_id"]
    entry = call.request.config_dict[JOURNALS].find(request_id)
    if entry is None:
        raise ApiError(404, "request_not_found",
                       f"No request {request_id!r} in any journal (each tenant keeps its last 1,000 requests, "
                       "the server its last 200 that reached no tenant)")
    return entry.describe()


HANDLERS: dict[str, ControlHandler] = {
    "listRequests": list_requests, "clearRequests": clear_requests, "explainRequest": explain_request,
}
