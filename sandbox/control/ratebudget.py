"""POST /tenants/{id}/rate-limits: set what is left of a key's rate-limit budget (0: the next call is a 429)."""
from __future__ import annotations

from typing import Any

from ..core.clock import format_timestamp
from ..core.ratelimit import Limit
from ..core.spec import Spec
from .common import VENDOR_SPECS, ControlCall, ControlHandler, field_error


async def set_budget(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    vendor_name = call.body["vendor"]
    vendor = call.registry.vendors.get(vendor_name)
    if vendor is None:
        served = ", ".join(call.registry.vendors)
        raise field_error("vendor", f"no vendor {vendor_name!r}; this sandbox serves {served}")
    keys = tenant.keys_by_vendor().get(vendor_name, [])
    key = call.body.get("key") or (keys[0] if keys else None)
    if key is None or (vendor_name, key) not in tenant.keys:
        raise field_error("key", f"tenant {tenant.id} has no {vendor_name} key {key!r}")
    spec: Spec = call.request.config_dict[VENDOR_SPECS][vendor_name]
    info = tenant.keys[(vendor_name, key)]
    limits: dict[Limit, None] = {}  # every bucket any of the vendor's operations counts this key in, in order
    for operation in spec.operations:
        limits.update(dict.fromkeys(vendor.rate_limits(info, operation)))
    if not limits:
        raise field_error("key", f"{vendor_name} applies no rate limit to {key!r}")
    now = tenant.clock.timestamp()
    decisions = [tenant.limiter.set_remaining(key, limit, now, call.body["remaining"]) for limit in limits]
    return {"id": tenant.id, "vendor": vendor_name, "key": key, "limits": [
        {"bucket": d.bucket, "limit": d.limit, "remaining": d.remaining, "reset": format_timestamp(d.reset_at)}
        for d in decisions]}


HANDLERS: dict[str, ControlHandler] = {"setTenantRateLimit": set_budget}
