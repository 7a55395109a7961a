"""What the pipeline hands a handler and what a handler hands back (what core asks of a vendor: `vendorapi`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .events import Event
from .keyinfo import KeyInfo  # re-exported: handlers and vendors import it from here
from .ratelimit import Decision
from .spec import Operation

if TYPE_CHECKING:
    from aiohttp import web

    from .random import RandomSource
    from .tenantlike import TenantLike


class RequestContext:
    """Everything a handler may read: the validated request, the caller's key and the tenant's world.

    Reading what can differ between two identical requests (a real clock, the random source, this request's
    rate-limit count, the raw request, the tenant object itself) marks the context `volatile`, and the
    pipeline then never reuses the response it builds (see `responsecache`).
    """

    __slots__ = ("operation", "key", "state", "path", "query", "body", "volatile", "events", "_tenant", "_random",
                 "_request", "_rate_limit", "_now", "_listening")

    def __init__(self, operation: Operation, tenant: TenantLike, key: KeyInfo, state: Any, random: RandomSource,
                 path: dict[str, Any], query: dict[str, Any], body: Any, request: web.Request | None = None,
                 rate_limit: Decision | None = None, now: float | None = None,
                 listening: Callable[[Any], bool] | None = None) -> None:
        self.operation = operation
        self.key = key
        self.state = state  # the vendor's state object in this tenant
        self.path = path
        self.query = query
        self.body = body
        self.volatile = False
        self.events: list[Event] | None = None  # what the handler emitted; published once it has succeeded
        self._tenant = tenant
        self._random = random  # the vendor's own stream in this tenant
        self._request = request
        self._rate_limit = rate_limit
        self._now = now  # the tenant clock's reading for this request, if the pipeline has taken one
        self._listening = listening  # whether an event of this state could go anywhere (None: always build it)

    @property
    def tenant(self) -> TenantLike:
        self.volatile = True
        return self._tenant

    @property
    def request(self) -> web.Request | None:
        self.volatile = True
        return self._request

    @property
    def rate_limit(self) -> Decision | None:
        """This request's count in its tightest window."""
        self.volatile = True
        return self._rate_limit

    @property
    def random(self) -> RandomSource:
        self.volatile = True
        return self._random

    def emit(self, type_: str, data: Any) -> None:
        """Emit a vendor event (its name and data are the vendor's); the vendor's webhooks module turns it
        into deliveries after the handler has returned. Nothing is built while no subscription could receive it."""
        listening = self._listening
        if listening is not None and not listening(self.state):
            return
        tenant = self._tenant
        now = self._now
        event = Event(tenant.id, self.key.vendor, type_, data, self.key.test_mode,
                      tenant.clock.timestamp() if now is None else now)
        if self.events is None:
            self.events = [event]
        else:
            self.events.append(event)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=UTC)

    def timestamp(self) -> float:
        """The tenant's time in seconds since the epoch: `now()` without building a datetime; the pipeline's one
        reading for this request when it took one."""
        clock = self._tenant.clock
        if not clock.frozen:  # a frozen clock moves only through the control plane, which is a write
            self.volatile = True
        now = self._now
        return clock.timestamp() if now is None else now


@dataclass
class Reply:
    """A handler's result when the spec's first 2xx status or the default headers are not enough."""

    data: Any
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[RequestContext], Any]
"""A plain function, or an `async def` (the pipeline asks which once, not of every result)."""


__all__ = ["Handler", "KeyInfo", "Reply", "RequestContext"]
