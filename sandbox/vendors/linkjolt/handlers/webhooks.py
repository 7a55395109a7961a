"""POST|GET /webhooks, DELETE /webhooks/{id}."""
from __future__ import annotations

from ....core.context import RequestContext
from ....core.dispatcher import target_refusal
from ....core.errors import Issue, ValidationFailed
from ....core.store import Page, paginate
from .. import webhooks
from ..errors import not_found
from ..models import Record, visible, webhook_out
from .common import HANDLERS, now_iso, state_of


def url_refusal(ctx: RequestContext, url: str) -> str | None:
    """LinkJolt's isPublicHttpsUrl() (documented), except for the built-in inbox and `--webhook-hosts`."""
    return target_refusal(webhooks, url, ctx.tenant.outbox.hosts)


@HANDLERS.operation("createWebhook")
def create_webhook(ctx: RequestContext) -> Record:
    body = ctx.body
    if url_refusal(ctx, body["url"]) is not None:
        raise ValidationFailed([Issue(("url",), "URL must be a public HTTPS URL", "x-public-https")])
    webhook = {"id": "wh_" + ctx.random.nanoid(16), "url": body["url"],
               "events": list(dict.fromkeys(body["events"])), "secret": ctx.random.hex(32), "active": True,
               "consecutiveFailures": 0, "isTest": ctx.key.test_mode, "createdAt": now_iso(ctx)}
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
