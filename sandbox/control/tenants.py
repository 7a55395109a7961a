"""Tenants: list, create, read, delete."""
from __future__ import annotations

import socket
from typing import Any

from ..core import tenanttoken
from ..core.errors import ApiError
from .clockmode import checked_clock, use_clock
from .common import ControlCall, ControlHandler
from .tenantref import note_tenant


def replica_name(call: ControlCall) -> str:
    """This process as its host name and the port the request came in on: a listing is one replica's."""
    sockname = call.request.transport.get_extra_info("sockname") if call.request.transport else None
    port = sockname[1] if isinstance(sockname, tuple) and len(sockname) >= 2 else None
    return f"{socket.gethostname()}:{port}" if port is not None else socket.gethostname()


async def list_tenants(call: ControlCall) -> dict[str, Any]:
    return {"replica": replica_name(call), "data": [t.describe() for t in call.registry]}


async def create_tenant(call: ControlCall) -> dict[str, Any]:
    seed = call.body.get("seed")
    setting = call.body.get("clock")
    clock = None if setting is None else checked_clock(setting)  # refused before a tenant is made
    token = call.request.headers.get(tenanttoken.HEADER)
    # JSON Schema counts 3.0 as an integer; the tenant keeps an int either way.
    tenant = call.registry.create(None if seed is None else int(seed),
                                  None if token is None else tenanttoken.parse_token(token.strip()))
    if clock is not None:
        use_clock(tenant, setting, clock)
    note_tenant(call.request, tenant.id)
    return {"id": tenant.id, "seed": tenant.seed,
            "keys": {vendor: keys[0] for vendor, keys in tenant.keys_by_vendor().items()}}


async def get_tenant(call: ControlCall) -> dict[str, Any]:
    return call.tenant().describe()


async def delete_tenant(call: ControlCall) -> dict[str, Any]:
    tenant_id = call.tenant().id
    if tenant_id == "default":
        raise ApiError(400, "default_tenant", "The default tenant cannot be deleted; reset it instead")
    if not call.registry.delete(tenant_id):
        raise ApiError(404, "tenant_not_found", f"No tenant {tenant_id!r}")
    return {"id": tenant_id, "deleted": True}


HANDLERS: dict[str, ControlHandler] = {
    "listTenants": list_tenants, "createTenant": create_tenant, "getTenant": get_tenant,
    "deleteTenant": delete_tenant,
}
