"""Affiliate users across the network, under /networks/affiliates/users: list, emails, get, update, reset."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import not_found
from ..models import Record
from ..views import user_out
from .common import HANDLERS, listing, now, require_affiliate, state_of
from .users import _fields, check_user


def _require_user(ctx: RequestContext) -> Record:
    user = state_of(ctx).users.get(ctx.path["userId"])
    if user is None:
        raise not_found("User")
    return user


@HANDLERS.operation("listAllAffiliateUsers")
def list_all_users(ctx: RequestContext) -> Record:
    """Every partner user of the network, in id order, paged as every list."""
    state = state_of(ctx)
    return listing("users", [user_out(state, u) for u in state.users], ctx)


@HANDLERS.operation("listAffiliateUserEmails")
def list_user_emails(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return {"emails": [{"email": u["email"], "network_affiliate_user_id": u["network_affiliate_user_id"],
                        "network_affiliate_id": u["network_affiliate_id"]} for u in state.users]}


@HANDLERS.operation("getNetworkAffiliateUser")
def get_network_user(ctx: RequestContext) -> Record:
    return user_out(state_of(ctx), _require_user(ctx))


@HANDLERS.operation("updateNetworkAffiliateUser")
def update_network_user(ctx: RequestContext) -> Record:
    """Full replacement, as under /networks/affiliates/{affiliateId}/users/{userId}."""
    state = state_of(ctx)
    user = _require_user(ctx)
    affiliate = require_affiliate(ctx, user["network_affiliate_id"])
    check_user(ctx, ctx.body, user_id=user["network_affiliate_user_id"])
    state.users.update(user["network_affiliate_user_id"], {**_fields(ctx, affiliate, ctx.body),
                                                            "time_saved": now(ctx)})
    return user_out(state, user)


@HANDLERS.operation("resetAffiliateUserPassword")
def reset_password(ctx: RequestContext) -> Record:
    """The sandbox sends no email; a known user is {"result": true}."""
    _require_user(ctx)
    return {"result": True}
