"""Which tenant a control call is about, and saying so.

Wherever a route takes a tenant (the `{id}` path parameter, `?tenant=` on reset), `key:<api key>` names the
tenant holding that key for any vendor, so an auto-provisioned tenant (made by a vendor request with a fresh key)
is as easy to reach as one made here. Every answer about one tenant carries `X-Sandbox-Tenant: <id>`, so a
silently fresh tenant is visible.
"""
from __future__ import annotations

from typing import Any

from aiohttp import web

from ..core.errors import ApiError
from ..core.tenants import Tenant, TenantRegistry, require_tenant

KEY_PREFIX = "key:"
TENANT_HEADER = "X-Sandbox-Tenant"
# Request storage: the id of the tenant this call was about (a typed key where aiohttp has them, 3.13+).
_ANSWERED: Any = (web.RequestKey("sandbox_control_tenant", str) if hasattr(web, "RequestKey")
                  else "sandbox_control_tenant")


def find_tenant(registry: TenantRegistry, request: web.Request, ref: str) -> Tenant:
    """The tenant `ref` names (an id, an API key, or `key:<api key>`); 404 `tenant_not_found` otherwise."""
    if ref.startswith(KEY_PREFIX):
        key = ref[len(KEY_PREFIX):]
        tenant = registry.by_key(key) if key else None
        if tenant is None:
            raise ApiError(404, "tenant_not_found", f"No tenant has the key {key!r}")
    else:
        tenant = require_tenant(registry, ref)
    note_tenant(request, tenant.id)
    return tenant


def note_tenant(request: web.Request, tenant_id: str) -> None:
    """This call's answer is about `tenant_id`."""
    request[_ANSWERED] = tenant_id


async def _stamp(request: web.Request, response: web.StreamResponse) -> None:
    tenant_id = request.get(_ANSWERED)
    if tenant_id is not None:
        response.headers[TENANT_HEADER] = tenant_id


def install(app: web.Application) -> None:
    """Stamp `X-Sandbox-Tenant` on the control app's answers about one tenant."""
    app.on_response_prepare.append(_stamp)
