"""Freeze or unfreeze one tenant's clock, and the clock a new tenant starts with (`POST /tenants {"clock"}`)."""
from __future__ import annotations

from typing import Any

from ..core.clock import Clock, ClockOutOfRange, parse_instant
from ..core.tenants import Tenant
from .clock import clock_answer
from .common import ControlCall, ControlHandler, field_error


def checked_clock(setting: str) -> Clock:
    """A clock from a `clock` field (`real` or `frozen:<ISO-8601>`); 400 naming the field otherwise."""
    try:
        clock = Clock.from_setting(setting)
        clock.now()  # an instant the clock cannot show is refused here, not on the next read
    except (OverflowError, ValueError) as exc:
        raise field_error("clock", f"must be 'real' or 'frozen:<ISO-8601>' within years 1-9999: {exc}") from exc
    return clock


def use_clock(tenant: Tenant, setting: str, clock: Clock) -> None:
    """The tenant's own clock; `setting` is what a reset goes back to."""
    tenant.clock_setting = setting
    tenant.clock = clock


async def freeze_clock(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    at = call.body.get("at")
    try:
        moment = None if at is None else parse_instant(at)
        tenant.clock.freeze(moment)
    except (OverflowError, ValueError, ClockOutOfRange) as exc:
        raise field_error("at", f"not an ISO-8601 instant the clock can hold: {exc}") from exc
    return await clock_answer(call, tenant)


async def unfreeze_clock(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    tenant.clock.unfreeze()
    return await clock_answer(call, tenant)


HANDLERS: dict[str, ControlHandler] = {"freezeTenantClock": freeze_clock, "unfreezeTenantClock": unfreeze_clock}
