"""POST|GET /webhooks, DELETE /webhooks/{id}."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ....core.context import RequestContext
from ....core.errors import Issue, ValidationFailed
from ....core.store import Page, paginate
from . import HANDLERS
from .common import now_iso, state_of
from ..errors import not_found
from ..models import Record, visible, webhook_out

_PRIVATE_NETS = [ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10",
    "0.0.0.0/8", "::1/128", "fc00::/7", "fe80::/10")]


def is_public_https_url(url: str) -> bool:
    """LinkJolt's isPublicHttpsUrl(): https, and not localhost, private, link-local, CGNAT, .local or .internal."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return False
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not any(address in net for net in _PRIVATE_NETS if net.version == address.version)


@HANDLERS.operation("createWebhook")
def create_webhook(ctx: RequestContext) -> Record:
    body = ctx.body
    if not is_public_https_url(body["url"]):
        raise ValidationFailed([Issue(("url",), "URL must be a public HTTPS URL", "x-public-https")])
    webhook = {"id": "wh_" + ctx.random.nanoid(16), "url": body["url"],
               "events": list(dict.fromkeys(body["events"])), "secret": ctx.random.hex(32), "active": True,
               "isTest": ctx.key.test_mode, "createdAt": now_iso(ctx)}
    state_of(ctx).webhooks.insert(webhook)
    return webhook_out(webhook, with_secret=True)


@HANDLERS.operation("listWebhooks")
def list_webhooks(ctx: RequestContext) -> Page:
    hooks = [w for w in state_of(ctx).webhooks if visible(w, ctx.key)]
    page = paginate(hooks, ctx.query["page"], ctx.query["limit"])
    return Page([webhook_out(w) for w in page.items], page.page, page.limit, page.total)


@HANDLERS.operation("deleteWebhook")
def delete_webhook(ctx: RequestContext) -> Record:
    hooks = state_of(ctx).webhooks
    webhook = hooks.get(ctx.path["id"])
    if webhook is None or not visible(webhook, ctx.key):
        raise not_found("Webhook", ctx.path["id"])
    hooks.delete(webhook["id"])
    return {"id": webhook["id"], "deleted": True}
