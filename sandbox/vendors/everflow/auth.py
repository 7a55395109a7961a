"""Everflow keys: `X-Eflow-Api-Key: <key>`; portal, permissions and the per-network rate window."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...core import tenanttoken
from ...core.context import KeyInfo
from ...core.errors import ApiError
from ...core.ratelimit import Decision, Limit
from ...core.spec import Operation
from . import magic

if TYPE_CHECKING:
    from ...core.random import RandomSource

VENDOR = "everflow"
HEADER = "X-Eflow-Api-Key"


def read_key(headers: Mapping[str, str]) -> str | None:
    """The key header, matched case-insensitively (the docs spell it X-Eflow-API-Key and X-Eflow-Api-Key)."""
    value = headers.get(HEADER)
    return value.strip() or None if value is not None else None


def describe_key(key: str, portal: str | None = None, permissions: Any = None) -> KeyInfo | None:
    """KeyInfo for a well-formed key; portal and permissions come from the fixtures, else from magic segments."""
    if not magic.KEY_PATTERN.match(key):
        return None
    portal = portal or magic.portal_of(key)
    if portal not in magic.PORTALS:
        raise ValueError(f"unknown Everflow portal {portal!r}; expected one of {', '.join(magic.PORTALS)}")
    if permissions is None:
        permissions = ["read"] if magic.read_only(key) else ["read", "write"]
    return KeyInfo(vendor=VENDOR, key=key, plan=portal, permissions=frozenset(permissions))


def new_key(random: RandomSource, token: str) -> str:
    """A network key with write access, carrying the tenant token (`core.tenanttoken`)."""
    part = tenanttoken.key_part(token)
    return magic.PREFIX + part + random.token(22 - len(part))


# The metadata lists answer without a key: the live reference's openapi/metadata.yaml declares `security: []`,
# and tap-everflow calls GET /meta/timezones with a bare session (client.py, utc_timezone_id).
PUBLIC_PREFIX = "/meta/"
ANONYMOUS = KeyInfo(vendor=VENDOR, key="anonymous", plan="network", permissions=frozenset({"read"}))


def anonymous(operation: Operation) -> KeyInfo | None:
    """A keyless request to /meta/* runs as a read-only network caller on the default tenant."""
    return ANONYMOUS if operation.path.startswith(PUBLIC_PREFIX) and not operation.is_write else None


def authorize(key: KeyInfo, operation: Operation) -> None:
    # The key's side of each test first: it settles a network key with write access without reading the path.
    if key.plan != "network" and (operation.path == "/networks" or operation.path.startswith("/networks/")):
        raise ApiError(403, "out_of_realm", "Out of realm")
    if "write" not in key.permissions and operation.is_write:
        raise ApiError(403, "forbidden", "Forbidden")


_LIMITS = {plan: (Limit(plan, per_second * magic.RATE_WINDOW_SECONDS, magic.RATE_WINDOW_SECONDS, per_key=False),)
           for plan, per_second in magic.RATE_PER_SECOND.items()}


def rate_limits(key: KeyInfo, operation: Operation) -> tuple[Limit, ...]:
    """One bucket per network and user type, shared by every key of the network (documented); a keyless call
    to a public list belongs to no network and is not counted (guess)."""
    if key is ANONYMOUS:
        return ()
    return _LIMITS[key.plan or "network"]


def rate_limit_headers(decision: Decision) -> dict[str, str]:
    return {"X-RateLimit-Limit": str(decision.limit), "X-RateLimit-Remaining": str(decision.remaining)}
