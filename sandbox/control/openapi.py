"""GET /openapi.json: the control spec as served, vendor actions included, `servers` naming this sandbox."""
from __future__ import annotations

from typing import Any

from .common import CONTROL_SPEC, ControlCall, ControlHandler


async def openapi(call: ControlCall) -> dict[str, Any]:
    request = call.request
    document = dict(request.config_dict[CONTROL_SPEC].document)
    base = request.path[: -len("/openapi.json")]
    document["servers"] = [{"url": f"{request.scheme}://{request.host}{base}", "description": "affiliate-sandbox"}]
    return document


HANDLERS: dict[str, ControlHandler] = {"getControlOpenApi": openapi}
