"""/tenants/{id}/webhooks: webhook endpoints without a vendor API (PromoteKit and Tamio have none; LinkJolt's
`POST /webhooks` works too). Each vendor's `webhooks.py` keeps them in its state, so a LinkJolt endpoint made
here shows in `GET /webhooks`, and the vendor's URL rule applies."""
from __future__ import annotations

from typing import Any

from ..core import endpoints
from ..core.clock import format_instant
from ..core.dispatcher import DISPATCHER, target_refusal
from ..core.errors import ApiError
from ..core.events import VendorWebhooks
from ..core.tenants import Tenant
from .common import ControlCall, ControlHandler, field_error


def _rules(call: ControlCall) -> dict[str, VendorWebhooks]:
    return call.request.config_dict[DISPATCHER].rules


def _vendor_rules(call: ControlCall, vendor: str) -> VendorWebhooks:
    rules = _rules(call).get(vendor)
    if rules is None:
        raise field_error("vendor", f"{vendor} is not served by this sandbox (see --vendors)")
    if not rules.CONTROL_SUBSCRIPTIONS:
        raise field_error("vendor", f"{vendor} has no webhook endpoints: its postbacks are pixels, made with its API "
                                    "(POST /everflow/v1/networks/pixels)")
    return rules


def _shown(vendor: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"vendor": vendor, **endpoints.describe(record)}


async def list_webhooks(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    wanted = call.query.get("vendor")
    return {"data": [_shown(vendor, record) for vendor, rules in _rules(call).items()
                     if wanted in (None, vendor) and rules.CONTROL_SUBSCRIPTIONS
                     for record in rules.list_subscriptions(tenant.states[vendor])]}


async def create_webhook(call: ControlCall) -> dict[str, Any]:
    tenant: Tenant = call.tenant()
    body = call.body
    vendor = body["vendor"]
    rules = _vendor_rules(call, vendor)
    unknown = [e for e in body["events"] if e not in rules.EVENTS]
    if unknown:
        raise field_error("events", f"unknown {vendor} event(s) {', '.join(unknown)}; known: "
                                    f"{', '.join(rules.EVENTS)}")
    refusal = target_refusal(rules, body["url"], tenant.outbox.hosts)
    if refusal is not None:
        raise field_error("url", refusal)
    record = rules.add_subscription(tenant.states[vendor], tenant.outbox.stream(tenant, vendor), body["url"],
                                    list(body["events"]), body.get("secret"), format_instant(tenant.clock.now()))
    return _shown(vendor, record)


async def delete_webhook(call: ControlCall) -> dict[str, Any]:
    tenant = call.tenant()
    webhook_id = call.path["webhook_id"]
    for vendor, rules in _rules(call).items():
        if rules.CONTROL_SUBSCRIPTIONS and rules.remove_subscription(tenant.states[vendor], webhook_id):
            return {"id": webhook_id, "vendor": vendor, "deleted": True}
    raise ApiError(404, "webhook_not_found", f"No webhook endpoint {webhook_id!r} in tenant {tenant.id!r}")


HANDLERS: dict[str, ControlHandler] = {
    "listWebhookSubscriptions": list_webhooks, "createWebhookSubscription": create_webhook,
    "deleteWebhookSubscription": delete_webhook,
}
