"""Events and the shape every vendor's `webhooks.py` has.

Handlers emit neutral events (`ctx.emit(type, data)`); control actions emit them with `stage_event`. Core never
reads an event's type or data: the vendor's webhooks module decides which subscriptions an event matches and
what request each one gets (`VendorWebhooks`). The outbox (`outbox.py`) keeps the deliveries and the dispatcher
(`dispatcher.py`) sends them.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .clock import Clock
    from .random import RandomSource


# Event, Subscription and OutboundRequest are named tuples, not frozen dataclasses: every emit and every delivery
# makes them, and a frozen dataclass's __init__ (one object.__setattr__ a field) costs three times as much.


class Event(NamedTuple):
    """Something happened in a tenant: `type` and `data` are the vendor's own; `at` is the tenant's clock."""

    tenant: str
    vendor: str
    type: str
    data: Any
    test_mode: bool
    at: float


class Subscription(NamedTuple):
    """Where a vendor sends an event: a webhook endpoint (or, for Everflow, a postback pixel)."""

    id: str
    url: str
    events: tuple[str, ...]
    secret: str | None = None
    active: bool = True
    delay: float = 0.0  # seconds between the event and the first attempt (Everflow's delay_ms)


class OutboundRequest(NamedTuple):
    """The request a delivery sends (headers without the signature, which is made at each attempt)."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes = b""
    delay: float = 0.0  # seconds after the event before the first attempt (the subscription's)


@dataclass(frozen=True)
class RetryPolicy:
    """How a vendor retries: the waits (seconds, on the tenant clock) before each retry, the per-attempt
    timeout, and after how many fully failed deliveries in a row a subscription is deactivated (None: never)."""

    delays: tuple[float, ...] = ()
    timeout: float = 10.0
    deactivate_after: int | None = None


@dataclass(frozen=True)
class HostPolicy:
    """Which targets the sandbox may send to beyond the vendor's own URL rule: the built-in inbox always, and
    the hosts of `--webhook-hosts` (a test receiver on a private network)."""

    allowed: frozenset[str] = frozenset()

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.allowed


_PRIVATE_NETS = [ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10",
    "0.0.0.0/8", "::1/128", "fc00::/7", "fe80::/10", "::/128")]


def is_private_host(host: str) -> bool:
    """localhost, a private, loopback, link-local or CGNAT address, or a `.local`/`.internal` name."""
    name = host.lower().rstrip(".").strip("[]")
    if name == "localhost" or name.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return any(address in net for net in _PRIVATE_NETS if net.version == address.version)


def url_refusal(url: str, hosts: HostPolicy, https_only: bool = True) -> str | None:
    """The common URL rule: an absolute http(s) URL to a public host (HTTPS when `https_only`); a host of
    `--webhook-hosts` passes over plain HTTP too. None when the URL is fine, else why not."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "the URL cannot be parsed"
    if parts.scheme not in ("http", "https") or not host:
        return "the URL must be an absolute http(s) URL"
    if hosts.allows_host(host):
        return None
    if is_private_host(host):
        return (f"{host} is a private or local address; allow it with --webhook-hosts (SANDBOX_WEBHOOK_HOSTS) "
                "or use the built-in inbox /_sandbox/inbox/<name>")
    if https_only and parts.scheme != "https":
        return "the URL must use HTTPS"
    return None


RESERVED_DOMAINS = ("example", "test", "invalid", "example.com", "example.net", "example.org")


def reserved_host(url: str) -> bool:
    """A name reserved for documentation and tests (RFC 2606/6761): the fixtures use them; nothing is sent."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return False
    return any(host == domain or host.endswith("." + domain) for domain in RESERVED_DOMAINS)


INBOX_PATH = "/_sandbox/inbox/"


def inbox_name(url: str) -> str | None:
    """The inbox a URL names (`http://<any host>/_sandbox/inbox/<name>`), or None for any other URL."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    if not path.startswith(INBOX_PATH):
        return None
    name = path[len(INBOX_PATH):]
    return name if name and "/" not in name else None


class VendorWebhooks(Protocol):
    """What a vendor's `webhooks.py` module provides (the same names in every vendor folder)."""

    EVENTS: tuple[str, ...]
    POLICY: RetryPolicy
    CONTROL_SUBSCRIPTIONS: bool  # whether the control plane may register endpoints for this vendor

    def subscriptions(self, state: Any, event: Event) -> Sequence[Subscription]:
        """The active subscriptions the event goes to, in a stable order."""

    def listening(self, state: Any) -> bool:
        """Whether any event could go anywhere now (some subscription exists). Asked when a handler emits: while
        it is False the event is not even built (most tenants subscribe to nothing). So a handler that adds a
        subscription and emits must add it first."""

    def suppression(self, event: Event) -> str | None:
        """Why nothing may be sent for this event (e.g. a test key's action), or None."""

    def delivery_id(self, random: RandomSource) -> str: ...

    def request(self, event: Event, subscription: Subscription, delivery_id: str) -> OutboundRequest: ...

    def sign(self, body: bytes, secret: str | None, at: int) -> dict[str, str]:
        """Headers that depend on the attempt's time (a signature), added to the request at each attempt."""

    def target_refusal(self, url: str, hosts: HostPolicy) -> str | None:
        """Why the vendor would refuse to send to `url` (its URL rule, unless the host is allowed), or None."""

    def is_active(self, state: Any, subscription_id: str) -> bool: ...

    def record_outcome(self, state: Any, subscription_id: str, delivered: bool) -> None:
        """A delivery finished (delivered, or failed after every retry): count it toward deactivation."""

    def add_subscription(self, state: Any, random: RandomSource, url: str, events: list[str],
                         secret: str | None, created_at: str) -> dict[str, Any]: ...

    def list_subscriptions(self, state: Any) -> list[dict[str, Any]]: ...

    def remove_subscription(self, state: Any, subscription_id: str) -> bool: ...


@dataclass
class StagedEvents:
    """Events a control action emitted, published when the action has succeeded (dropped when it failed)."""

    events: list[Event] = field(default_factory=list)

    def take(self) -> list[Event]:
        events, self.events = self.events, []
        return events


class _Stage(Protocol):
    @property
    def staged(self) -> StagedEvents: ...


class StagingTenant(Protocol):
    """What `stage_event` reads of a tenant (a `tenantlike.TenantLike` is one; that module builds on this one's
    types, so this one cannot name it)."""

    @property
    def id(self) -> str: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def outbox(self) -> _Stage: ...


def stage_event(tenant: StagingTenant, vendor: str, type_: str, data: Any, test_mode: bool = False) -> None:
    """Emit from a control action (which has the tenant, not a request context)."""
    tenant.outbox.staged.events.append(Event(tenant.id, vendor, type_, data, test_mode, tenant.clock.timestamp()))
