"""/tenants/{id}/deliveries: the tenant's outbox, one delivery, and redelivery."""
from __future__ import annotations

from typing import Any

from ..core.dispatcher import DISPATCHER
from ..core.errors import ApiError
from ..core.outbox import Delivery
from ..core.tenants import Tenant
from .common import ControlCall, ControlHandler


def _delivery(tenant: Tenant, delivery_id: str) -> Delivery:
    delivery = tenant.outbox.get(delivery_id)
    if delivery is None:
        raise ApiError(404, "delivery_not_found", f"No delivery {delivery_id!r} in tenant {tenant.id!r} "
                                                  "(the outbox keeps the last 1,000)")
    return delivery


async def list_deliveries(call: ControlCall) -> dict[str, Any]:
    outbox = call.tenant().outbox
    q = call.query
    return {"data": [d.describe() for d in outbox.select(q.get("vendor"), q.get("event"), q.get("state"))],
            "dropped": outbox.dropped}


async def get_delivery(call: ControlCall) -> dict[str, Any]:
    return _delivery(call.tenant(), call.path["delivery_id"]).describe()


async def redeliver(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    delivery = _delivery(tenant, call.path["delivery_id"])
    if delivery.state == "suppressed":
        raise ApiError(409, "delivery_suppressed", f"Delivery {delivery.id} is suppressed ({delivery.reason}); "
                                                   "it is never sent")
    await call.request.config_dict[DISPATCHER].redeliver(tenant, delivery)
    return delivery.describe()


HANDLERS: dict[str, ControlHandler] = {
    "listDeliveries": list_deliveries, "getDelivery": get_delivery, "redeliverDelivery": redeliver,
}
