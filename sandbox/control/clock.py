"""POST /tenants/{id}/clock: advance a tenant's clock, or set it."""
from __future__ import annotations

from typing import Any

from ..core.clock import ClockOutOfRange, format_instant, parse_instant
from ..core.dispatcher import DISPATCHER
from ..core.errors import ApiError
from ..core.tenants import Tenant
from .common import ControlCall, ControlHandler, field_error


def _naming(error: ClockOutOfRange, field: str) -> ApiError:
    """The clock's own 400 (`clock_out_of_range`; the clock did not move), naming the body field."""
    return ApiError(error.status, error.code, error.message, {"field": field})


async def move_clock(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    field = "advance" if "advance" in call.body else "set"
    try:
        if field == "advance":
            tenant.clock.advance(float(call.body["advance"]))
        else:
            try:
                instant = parse_instant(call.body["set"])
            except (OverflowError, ValueError) as exc:
                raise field_error("set", f"not an ISO-8601 instant the clock can hold: {exc}") from exc
            tenant.clock.set(instant)
    except ClockOutOfRange as error:  # the clock keeps every instant within years 1-9999
        raise _naming(error, field) from error
    return await clock_answer(call, tenant)


async def clock_answer(call: ControlCall, tenant: Tenant) -> dict[str, Any]:
    """What every clock call answers: the tenant, its time now and whether its clock is frozen; webhook
    attempts that became due have been made by then."""
    dispatcher = call.request.config_dict.get(DISPATCHER)
    if dispatcher is not None:  # webhook attempts that became due have been made when the call answers
        await dispatcher.settle(tenant)
    return {"id": tenant.id, "now": format_instant(tenant.clock.now()), "frozen": tenant.clock.frozen}


HANDLERS: dict[str, ControlHandler] = {"setTenantClock": move_clock}
