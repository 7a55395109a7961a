"""LinkJolt keys: `Authorization: Bearer lj_pk_...`; plan, test mode and rate limits."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...core import tenanttoken
from ...core.context import KeyInfo
from ...core.errors import ApiError
from ...core.ratelimit import Decision, Limit
from ...core.spec import Operation
from . import magic

if TYPE_CHECKING:
    from ...core.random import RandomSource

VENDOR = "linkjolt"


def describe_key(key: str, plan: str | None = None) -> KeyInfo | None:
    """KeyInfo for a well-formed key; the plan comes from the fixtures, else from the key's magic segment."""
    if not magic.KEY_PATTERN.match(key):
        return None
    plan = plan or magic.plan_of(key)
    if plan not in magic.PLANS:
        raise ValueError(f"unknown LinkJolt plan {plan!r}; expected one of {', '.join(magic.PLANS)}")
    permissions = frozenset({"read", "write"} if plan in magic.WRITE_PLANS else {"read"})
    return KeyInfo(vendor=VENDOR, key=key, test_mode=key.startswith(magic.TEST_PREFIX), plan=plan,
                   permissions=permissions)


def new_key(random: RandomSource, token: str) -> str:
    """A live Ultimate key carrying the tenant token (`core.tenanttoken`): 24 characters after the prefix."""
    part = tenanttoken.key_part(token)
    return magic.LIVE_PREFIX + part + random.token(24 - len(part))


def authorize(key: KeyInfo, operation: Operation) -> None:
    if "write" not in key.permissions and operation.is_write:
        raise ApiError(403, "insufficient_permissions",
                       "This API key is read-only. Writes need an Ultimate plan key with write access.")


_PER_MINUTE = {plan: Limit("minute", requests, 60) for plan, requests in magic.RATE_PER_MINUTE.items()}
_INVITE = Limit("invite", magic.INVITE_RATE_PER_MINUTE, 60)


def rate_limits(key: KeyInfo, operation: Operation) -> tuple[Limit, ...]:
    minute = _PER_MINUTE[key.plan or "ultimate"]
    return (minute, _INVITE) if operation.operation_id == "inviteAffiliate" else (minute,)


def rate_limit_headers(decision: Decision) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(decision.limit),
        "X-RateLimit-Remaining": str(decision.remaining),
        "X-RateLimit-Reset": str(decision.reset_at),
    }
