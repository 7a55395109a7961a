"""POST /tenants/{id}/clock: advance a tenant's clock, or set it."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..core.clock import format_instant, parse_instant
from ..core.tenants import Tenant
from .common import ControlCall, ControlHandler, field_error


async def move_clock(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    if "advance" in call.body:
        seconds = float(call.body["advance"])
        try:  # the spec bounds the sign, not the size: an instant past year 9999 is refused before it is kept
            datetime.fromtimestamp(tenant.clock.timestamp() + seconds, tz=UTC)
        except (OverflowError, ValueError, OSError) as exc:
            raise field_error("advance", f"{call.body['advance']} seconds moves the clock out of range") from exc
        tenant.clock.advance(seconds)
    else:
        try:
            tenant.clock.set(parse_instant(call.body["set"]))
        except (OverflowError, ValueError) as exc:
            raise field_error("set", f"not an ISO-8601 instant the clock can hold: {exc}") from exc
    return clock_answer(tenant)


def clock_answer(tenant: Tenant) -> dict[str, Any]:
    """What every clock call answers: the tenant, its time now and whether its clock is frozen."""
    return {"id": tenant.id, "now": format_instant(tenant.clock.now()), "frozen": tenant.clock.frozen}


HANDLERS: dict[str, ControlHandler] = {"setTenantClock": move_clock}
