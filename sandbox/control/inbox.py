"""/inbox/{name}: the built-in webhook receiver. Any write stores the request as it came (any content type,
any query); GET reads the inbox back, DELETE empties it. It is open: no control token, no JSON-only rule."""
from __future__ import annotations

from typing import Any

from ..core.dispatcher import DISPATCHER
from ..core.inbox import Inbox
from .common import ControlCall, ControlHandler, read_body


def _inbox(call: ControlCall) -> Inbox:
    return call.request.config_dict[DISPATCHER].inbox


async def receive(call: ControlCall) -> dict[str, Any]:
    request = call.request
    body = await read_body(request)
    message = _inbox(call).store(call.path["name"], request.method, request.path, request.query_string,
                                 request.headers, body)
    return {"received": message["id"]}


async def read(call: ControlCall) -> dict[str, Any]:
    return {"name": call.path["name"], "data": _inbox(call).read(call.path["name"])}


async def empty(call: ControlCall) -> dict[str, Any]:
    return {"name": call.path["name"], "deleted": _inbox(call).empty(call.path["name"])}


HANDLERS: dict[str, ControlHandler] = {
    "readInbox": read, "emptyInbox": empty,
    "receiveInboxPost": receive, "receiveInboxPut": receive, "receiveInboxPatch": receive,
}
