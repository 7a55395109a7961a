"""Affiliate users: list, create, get and full-replacement update, under /networks/affiliates/{affiliateId}/users."""
from __future__ import annotations

from ....core.context import RequestContext
from ....core.errors import Conflict
from ..errors import duplicate, not_found
from ..models import USER_DEFAULTS, Record
from ..views import user_out
from .common import HANDLERS, check_meta, now, require_affiliate, state_of

DUPLICATE_EMAIL = "Email already in use"  # guess: the docs say emails are unique, not the message
USER_META_FIELDS = (("languages", "language_id"), ("timezones", "timezone_id"), ("currencies", "currency_id"))


def check_user(ctx: RequestContext, user: Record, where: str = "", user_id: int | None = None) -> None:
    """Metadata ids exist and the email is not another partner user's (unique among partner users)."""
    for kind, name in USER_META_FIELDS:
        value = user.get(name)
        if value is not None:  # the field's name is only spelled out for an error
            check_meta(ctx, kind, f"{where}.{name}" if where else name, value)
    holder = state_of(ctx).users.find("email", user["email"])
    if holder is not None and holder["network_affiliate_user_id"] != user_id:
        raise duplicate(DUPLICATE_EMAIL)


def _fields(ctx: RequestContext, affiliate: Record, body: Record) -> Record:
    """The stored fields of a user: what was sent, the documented defaults for the rest."""
    network = state_of(ctx).network
    # In USER_FIELDS order: the template's keys, then only the body's keys are visited (a body names few).
    fields = {"first_name": None, "last_name": None, "email": None, **USER_DEFAULTS,
              "language_id": network["default_language_id"], "timezone_id": network["default_timezone_id"],
              "currency_id": affiliate["default_currency_id"]}
    for name, value in body.items():
        if name in fields:
            fields[name] = value
    return fields


def new_user(ctx: RequestContext, affiliate: Record, body: Record, at: int | None = None) -> Record:
    """Store a user already checked with check_user (`at`: the request's time, if the caller has read it)."""
    state = state_of(ctx)
    if at is None:
        at = now(ctx)
    user = _fields(ctx, affiliate, body)
    user["network_affiliate_user_id"] = state.users.next_int_id()
    user["network_id"] = state.network["network_id"]
    user["network_affiliate_id"] = affiliate["network_affiliate_id"]
    user["time_created"] = user["time_saved"] = at
    try:
        return state.users.insert(user)
    except Conflict as exc:  # two users of one request with the same email
        raise duplicate(DUPLICATE_EMAIL) from exc


def _require_user(ctx: RequestContext, affiliate: Record) -> Record:
    user = state_of(ctx).users.get(ctx.path["userId"])
    if user is None or user["network_affiliate_id"] != affiliate["network_affiliate_id"]:
        raise not_found("User")
    return user


@HANDLERS.operation("listAffiliateUsers")
def list_users(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    return {"users": [user_out(state, u) for u in state.users_of(affiliate["network_affiliate_id"])]}


@HANDLERS.operation("createAffiliateUser")
def create_user(ctx: RequestContext) -> Record:
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    check_user(ctx, ctx.body)
    return user_out(state_of(ctx), new_user(ctx, affiliate, ctx.body))


@HANDLERS.operation("getAffiliateUser")
def get_user(ctx: RequestContext) -> Record:
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    return user_out(state_of(ctx), _require_user(ctx, affiliate))


@HANDLERS.operation("updateAffiliateUser")
def update_user(ctx: RequestContext) -> Record:
    """Full replacement ("you must specify all fields"): omitted fields fall back to their defaults."""
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    user = _require_user(ctx, affiliate)
    check_user(ctx, ctx.body, user_id=user["network_affiliate_user_id"])
    state.users.update(user["network_affiliate_user_id"], {**_fields(ctx, affiliate, ctx.body),
                                                            "time_saved": now(ctx)})
    return user_out(state, user)
