"""POST /reset: every tenant, or the one named by `?tenant=`, back to its fixtures."""
from __future__ import annotations

from typing import Any

from .common import ControlCall, ControlHandler
from .tenantref import find_tenant


async def reset(call: ControlCall) -> dict[str, Any]:
    registry = call.registry
    tenant_id = call.query.get("tenant")
    tenants = [find_tenant(registry, call.request, tenant_id)] if tenant_id else list(registry)
    for tenant in tenants:
        registry.reset(tenant)
    return {"reset": [t.id for t in tenants]}


HANDLERS: dict[str, ControlHandler] = {"resetTenants": reset}
