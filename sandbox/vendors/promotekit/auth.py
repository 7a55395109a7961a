"""PromoteKit keys: `Authorization: Bearer pk_...`; one key is one organisation, no scopes, 200 requests/min."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...core import tenanttoken
from ...core.context import KeyInfo
from ...core.ratelimit import Limit
from ...core.spec import Operation
from . import magic

if TYPE_CHECKING:
    from ...core.random import RandomSource

VENDOR = "promotekit"


def describe_key(key: str) -> KeyInfo | None:
    """KeyInfo for a well-formed `pk_` key, None otherwise."""
    if not magic.KEY_PATTERN.match(key):
        return None
    return KeyInfo(vendor=VENDOR, key=key, permissions=frozenset({"read", "write"}))


def new_key(random: RandomSource, token: str) -> str:
    """A key carrying the tenant token (`core.tenanttoken`), as long as a real one."""
    part = tenanttoken.key_part(token)
    return magic.KEY_PREFIX + part + random.token(magic.NEW_KEY_LENGTH - len(part))


_LIMITS = (Limit("minute", magic.RATE_PER_MINUTE, 60),)


def rate_limits(key: KeyInfo, operation: Operation) -> tuple[Limit, ...]:
    """200 requests a minute per key (documented). No rate_limit_headers here: PromoteKit documents none, so
    ordinary responses carry none (a guess); a 429 carries Retry-After."""
    return _LIMITS
