"""GET /me."""
from __future__ import annotations

from ....core.context import RequestContext
from .common import HANDLERS, state_of


@HANDLERS.operation("getMe")
def get_me(ctx: RequestContext) -> dict:
    merchant = state_of(ctx).merchant
    decision = ctx.rate_limit
    if decision is None:  # every LinkJolt key has a per-minute limit (auth.rate_limits), counted even when off
        raise RuntimeError("getMe: no rate-limit decision for a LinkJolt key")
    return {
        "merchant": {"id": merchant["id"], "name": merchant["name"], "website": merchant.get("website")},
        "keyType": "test" if ctx.key.test_mode else "live",
        "permissions": sorted(ctx.key.permissions),
        "plan": ctx.key.plan,
        "rateLimit": {"limit": decision.limit, "remaining": decision.remaining, "reset": decision.reset_at},
    }
