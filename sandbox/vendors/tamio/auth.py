"""Tamio keys: `Authorization: Bearer <key>`; secret keys with permissions, publishable keys refused."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ...core import tenanttoken
from ...core.context import KeyInfo
from ...core.errors import ApiError
from ...core.ratelimit import Limit
from ...core.spec import Operation
from . import errors, magic

if TYPE_CHECKING:
    from ...core.random import RandomSource

VENDOR = "tamio"


def describe_key(key: str, permissions: Iterable[str] | None = None,
                 rate_limit: Mapping[str, Any] | None = None) -> KeyInfo | None:
    """KeyInfo for a well-formed key; permissions from the fixtures, else from the key's magic segment."""
    if not magic.KEY_PATTERN.match(key):
        return None
    scopes = magic.scopes_of(key) if permissions is None else frozenset(permissions)
    unknown = sorted(scopes - magic.ALL_SCOPES)
    if unknown:
        raise ValueError(f"tamio: key {key!r}: unknown permission(s) {', '.join(unknown)}; "
                         f"expected some of {', '.join(sorted(magic.ALL_SCOPES))}")
    attributes: dict[str, Any] = {"kind": "publishable" if magic.is_publishable(key) else "secret"}
    if rate_limit is not None:
        attributes["rate_limit"] = Limit("key", int(rate_limit["requests"]), int(rate_limit.get("window", 60)))
    return KeyInfo(vendor=VENDOR, key=key, permissions=scopes, attributes=attributes)


def new_key(random: RandomSource, token: str) -> str:
    """A secret key with every permission, carrying the tenant token (`core.tenanttoken`)."""
    part = tenanttoken.key_part(token)
    return magic.SECRET_PREFIX + part + random.token(24 - len(part))


def authorize(key: KeyInfo, operation: Operation) -> None:
    if key.attributes.get("kind") == "publishable":
        raise ApiError(401, "unauthorized", "Publishable keys can only be used with the Transactions API")
    needed = magic.OPERATION_SCOPES.get(operation.operation_id)
    if needed is not None and needed not in key.permissions:
        raise errors.tamio_error(403, f"NotAuthorised: this API key lacks the {needed} permission")


def rate_limits(key: KeyInfo, operation: Operation) -> tuple[Limit, ...]:
    """None unless the fixtures give the key a `rate_limit` (Tamio documents no limits)."""
    limit = key.attributes.get("rate_limit")
    return (limit,) if limit is not None else ()
