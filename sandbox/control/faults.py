"""Fault injection: /tenants/{id}/faults (add, list, clear) and /tenants/{id}/faults/{fault_id}."""
from __future__ import annotations

from typing import Any

from ..core.errors import ApiError
from ..core.faults import FaultError, FaultLimitReached, fault_operations, parse_fault
from ..core.faultstage import FAULT_STAGE
from ..core.spec import Spec
from .common import VENDOR_SPECS, ControlCall, ControlHandler, field_error


async def add_fault(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    table = tenant.faults
    try:
        specs: dict[str, Spec] = call.request.config_dict[VENDOR_SPECS]
        fault = parse_fault(table.new_id(), call.body, fault_operations(specs))
        table.add(fault)
    except FaultLimitReached as exc:
        raise ApiError(409, "too_many_faults", exc.message) from exc
    except FaultError as exc:
        raise field_error(exc.field, exc.message) from exc
    stage = call.request.config_dict.get(FAULT_STAGE)
    if stage is not None:
        stage.activate()
    return fault.describe()


async def list_faults(call: ControlCall) -> dict[str, Any]:
    return {"data": [f.describe() for f in call.tenant().faults]}


async def clear_faults(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    return {"tenant": tenant.id, "deleted": tenant.faults.clear()}


def _fault_not_found(call: ControlCall) -> ApiError:
    return ApiError(404, "fault_not_found", f"No fault {call.path['fault_id']!r} in tenant {call.path['id']!r}")


async def get_fault(call: ControlCall) -> dict[str, Any]:
    fault = call.tenant().faults.get(call.path["fault_id"])
    if fault is None:
        raise _fault_not_found(call)
    return fault.describe()


async def delete_fault(call: ControlCall) -> dict[str, Any]:
    if not call.tenant().faults.remove(call.path["fault_id"]):
        raise _fault_not_found(call)
    return {"id": call.path["fault_id"], "deleted": True}


HANDLERS: dict[str, ControlHandler] = {
    "addFault": add_fault, "listFaults": list_faults, "clearFaults": clear_faults, "getFault": get_fault,
    "deleteFault": delete_fault,
}
