"""A tenant's token: the routing key a stock load balancer hashes to send every request about a tenant to the one
replica that holds it (DESIGN.md §16, `deploy/README.md`).

A tenant made through the control plane has a token of 12 characters of [0-9a-z]. It is written where a proxy
can read it without running our code:
- in the tenant's id: `t_<token>` (so `/_sandbox/tenants/t_<token>/...` carries it in the path);
- in every key the control plane issues for it: the vendor's prefix, then `sbx`, then the token, then random
  characters (`lj_pk_sbx<token>...`, `pk_sbx<token>...`, `sk_sbx<token>...`, `ef_sbx<token>...`);
- for `POST /_sandbox/tenants`, in the `X-Sandbox-Tenant-Token` header: the client (or the proxy, from its own
  request id) names the token, so the tenant is made on the replica that the token hashes to.

`routing_key` is the rule the shipped nginx config applies, written once more in Python for tests and tools.
"""
from __future__ import annotations

import hashlib
import re

from .errors import ApiError
from .random import RandomSource

LENGTH = 12
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
MARK = "sbx"
"""Between a vendor's key prefix and the token; letters and digits only, so it fits every vendor's key format."""
HEADER = "X-Sandbox-Tenant-Token"
ID_PREFIX = "t_"

_TOKEN = re.compile(rf"^[0-9a-z]{{{LENGTH}}}$")
_FROM_ID = re.compile(rf"^{ID_PREFIX}([0-9a-z]{{{LENGTH}}})$")
_FROM_KEY = re.compile(rf"^(?:lj_pk_|pk_|sk_|ef_){MARK}([0-9a-z]{{{LENGTH}}})")


def new_token(random: RandomSource, salt: str = "") -> str:
    """A fresh token from the seeded stream; with `salt` (an auto-provisioned tenant's key), mixed with it, so
    replicas drawing from equally seeded streams still give the tenants their keys send them different ids."""
    drawn = random.token(LENGTH, ALPHABET)
    if not salt:
        return drawn
    number = int.from_bytes(hashlib.sha256(f"{salt}\x1f{drawn}".encode()).digest()[:10], "big")
    return "".join(ALPHABET[(number // len(ALPHABET) ** i) % len(ALPHABET)] for i in range(LENGTH))


def parse_token(text: str) -> str:
    """A client's (or proxy's) token as given; 400 `invalid_tenant_token` if it is not 12 of [0-9a-z]."""
    if not _TOKEN.match(text):
        raise ApiError(400, "invalid_tenant_token",
                       f"{HEADER}: {text[:40]!r} is not a tenant token ({LENGTH} characters of 0-9 and a-z)",
                       {"field": HEADER})
    return text


def tenant_id(token: str) -> str:
    return ID_PREFIX + token


def key_part(token: str) -> str:
    """What a control-issued key carries right after its vendor prefix."""
    return MARK + token


def routing_key(name: str) -> str:
    """What the proxy hashes for a tenant id or an API key: the token when there is one, else the text whole."""
    found = _FROM_ID.match(name) or _FROM_KEY.match(name)
    return found.group(1) if found else name
