"""GET and PUT /tenants/{id}/snapshot: a tenant's world as JSON, and back."""
from __future__ import annotations

from typing import Any

from .common import ControlCall, ControlHandler


async def get_snapshot(call: ControlCall) -> dict[str, Any]:
    from ..core.snapshot import snapshot_tenant  # with the record shapes, by the first snapshot: not at start-up

    return snapshot_tenant(call.tenant())


async def put_snapshot(call: ControlCall) -> dict[str, Any]:
    from ..core.snapshot import restore_tenant_json

    tenant = call.tenant()
    await restore_tenant_json(tenant, call.body)  # the raw bytes (x-sandbox-raw-body): parsed off the loop
    return tenant.describe()


HANDLERS: dict[str, ControlHandler] = {"getTenantSnapshot": get_snapshot, "restoreTenantSnapshot": put_snapshot}
