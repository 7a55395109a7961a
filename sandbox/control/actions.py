"""Vendor simulations: `GET /actions` lists them; each vendor's `ControlAction`s become operations under
/tenants/{id}/<vendor>/<path>, added to the control spec when the app is built (see `action_paths`)."""
from __future__ import annotations

import inspect
import re
from typing import Any

from ..core.dispatcher import DISPATCHER
from ..vendors.base import ControlAction, Vendor
from .common import ControlCall, ControlHandler

ACTION_TAG = "vendor actions"


def operation_id(vendor: Vendor, action: ControlAction) -> str:
    """`tamio_post_programs_signup` for POST tamio programs/{program_id}/signup."""
    words = [part for part in action.path.split("/") if part and not part.startswith("{")]
    return "_".join([vendor.name, action.method.lower(), *(re.sub(r"\W", "_", w) for w in words)])


def full_path(vendor: Vendor, action: ControlAction) -> str:
    """The action's path in the control spec (relative to /_sandbox)."""
    return f"/tenants/{{id}}/{vendor.name}/{action.path}"


def action_paths(vendors: list[Vendor]) -> dict[str, dict[str, Any]]:
    """OpenAPI path items for every vendor action: path parameters as strings, a generic object body that the
    action checks itself, a generic object answer, and the control plane's errors."""
    paths: dict[str, dict[str, Any]] = {}
    for vendor in vendors:
        for action in vendor.control_actions():
            template = full_path(vendor, action)
            names = re.findall(r"\{([^}/]+)\}", template)
            operation: dict[str, Any] = {
                "operationId": operation_id(vendor, action),
                "tags": [ACTION_TAG],
                "summary": action.summary,
                "x-sandbox-fidelity": "documented",
                "x-sandbox-vendor": vendor.name,
                "parameters": [{"$ref": "#/components/parameters/TenantId"}] + [
                    {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
                    for name in names if name != "id"],
                "responses": {
                    "200": {"description": "What the action did.",
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "404": {"$ref": "#/components/responses/TenantNotFound"},
                    "default": {"$ref": "#/components/responses/Error"},
                },
            }
            if action.method != "GET":
                operation["requestBody"] = {"required": False, "content": {"application/json": {"schema": {
                    "type": "object",
                    "description": "the action's fields (see its summary); the action refuses what it does not "
                                   "know with 400 invalid_body"}}}}
            paths.setdefault(template, {})[action.method.lower()] = operation
    return paths


def action_handlers(vendors: list[Vendor]) -> dict[str, ControlHandler]:
    return {operation_id(vendor, action): _run_action(vendor.name, action)
            for vendor in vendors for action in vendor.control_actions()}


def _run_action(vendor_name: str, action: ControlAction) -> ControlHandler:
    async def run(call: ControlCall) -> Any:
        tenant = call.tenant()
        params = {k: v for k, v in call.path.items() if k != "id"}
        try:
            result = action.handler(tenant, tenant.states[vendor_name], params, call.body)
            if inspect.isawaitable(result):
                result = await result
        except BaseException:
            tenant.outbox.staged.take()  # a failed action sends nothing
            raise
        dispatcher = call.request.config_dict.get(DISPATCHER)
        if dispatcher is not None:
            dispatcher.publish_staged(tenant)  # the webhooks the action emitted (events.stage_event)
        return result
    return run


async def list_actions(call: ControlCall) -> dict[str, Any]:
    return {"data": [
        {"vendor": v.name, "method": a.method, "path": f"/_sandbox{full_path(v, a)}", "summary": a.summary}
        for v in call.vendors for a in v.control_actions()]}


HANDLERS: dict[str, ControlHandler] = {"listActions": list_actions}
