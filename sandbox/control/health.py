"""GET /health: the ready check."""
from __future__ import annotations

from typing import Any

from .common import ControlCall, ControlHandler


async def health(call: ControlCall) -> dict[str, Any]:
    return {"status": "ok", "vendors": [v.name for v in call.vendors], "tenants": len(call.registry)}


HANDLERS: dict[str, ControlHandler] = {"getHealth": health}
