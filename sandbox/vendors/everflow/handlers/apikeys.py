"""Affiliate API keys: GET /networks/affiliates/{affiliateId}/apikeys and POST /networks/apikey.

A key made here is an Affiliate-portal key (`ef_affiliate_...`), so the sandbox's own auth reads it as one."""
from __future__ import annotations

from ....core.context import RequestContext
from .. import magic
from ..models import Record
from .common import HANDLERS, now, require_affiliate, state_of

KEY_FIELDS = ("network_api_key_id", "network_id", "network_affiliate_id", "resource_type", "api_key", "key_status",
              "time_created", "time_saved")


def key_out(key: Record) -> Record:
    return {k: key[k] for k in KEY_FIELDS}


@HANDLERS.operation("listAffiliateApiKeys")
def list_keys(ctx: RequestContext) -> Record:
    """{"keys": [...]}: laravel-everflow reads keys[].key_status and keys[].api_key (field names from it)."""
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    keys = state_of(ctx).api_keys.group("affiliate", affiliate["network_affiliate_id"])
    return {"keys": [key_out(k) for k in sorted(keys, key=lambda k: k["network_api_key_id"])]}


@HANDLERS.operation("createApiKey")
def create_key(ctx: RequestContext) -> Record:
    state, at = state_of(ctx), now(ctx)
    affiliate = require_affiliate(ctx, ctx.body["resource_id"])
    key = {"network_api_key_id": state.api_keys.next_int_id(), "network_id": state.network["network_id"],
           "network_affiliate_id": affiliate["network_affiliate_id"], "resource_type": "affiliate",
           "api_key": magic.PREFIX + "affiliate_" + ctx.random.token(22), "key_status": "active",
           "time_created": at, "time_saved": at}
    state.api_keys.insert(key)
    return key_out(key)
