"""A tenant's outbox: every delivery with its exact request, its attempts, its state and its next attempt.

Deliveries are made when an event is published (ids and bodies drawn then, so they are deterministic per seed)
and kept in order; the outbox holds the last `LIMIT` of them, whatever their state, so a flood of events costs
bounded memory. Due attempts come out of a heap keyed by tenant-clock time; a subscription never has two
attempts in flight, and its first attempts go out in the order the events happened.
"""
from __future__ import annotations

import heapq
import itertools
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from .clock import format_timestamp
from .events import Event, HostPolicy, OutboundRequest, StagedEvents, VendorWebhooks
from .random import RandomSource
from .tenantlike import TenantLike

LIMIT = 1000
STATES = ("pending", "delivered", "failed", "suppressed")


@dataclass
class Attempt:
    at: float  # tenant clock
    status: int | None
    error: str | None
    duration_ms: int

    def describe(self) -> dict[str, Any]:
        return {"at": format_timestamp(self.at), "status": self.status, "error": self.error,
                "durationMs": self.duration_ms}


class Delivery:
    """One event to one subscription."""

    __slots__ = (
        "attempts",
        "created_at",
        "event",
        "id",
        "next_attempt",
        "reason",
        "request",
        "retries_used",
        "secret",
        "sent_headers",
        "seq",
        "state",
        "subscription_id",
        "vendor",
    )

    def __init__(self, delivery_id: str, event: Event, subscription_id: str, request: OutboundRequest,
                 secret: str | None, seq: int) -> None:
        self.id = delivery_id
        self.vendor = event.vendor
        self.event = event.type
        self.subscription_id = subscription_id
        self.request = request
        self.secret = secret
        self.state = "pending"
        self.reason: str | None = None
        self.attempts: list[Attempt] = []
        self.next_attempt: float | None = event.at + request.delay
        self.created_at = event.at
        self.sent_headers: dict[str, str] | None = None  # the headers of the latest attempt, signature included
        self.retries_used = 0
        self.seq = seq

    def suppress(self, reason: str) -> None:
        self.state, self.reason, self.next_attempt = "suppressed", reason, None

    def describe(self) -> dict[str, Any]:
        request = self.request
        return {
            "id": self.id, "vendor": self.vendor, "event": self.event, "subscriptionId": self.subscription_id,
            "state": self.state, "reason": self.reason, "createdAt": format_timestamp(self.created_at),
            "request": {"method": request.method, "url": request.url,
                        "headers": dict(self.sent_headers if self.sent_headers is not None else request.headers),
                        "body": request.body.decode("utf-8", "replace")},
            "attempts": [a.describe() for a in self.attempts],
            "nextAttemptAt": None if self.next_attempt is None else format_timestamp(self.next_attempt),
        }


class Outbox:
    """One tenant's deliveries (the last `limit`), and the heap of attempts that are due."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.hosts = HostPolicy()  # where deliveries may go beyond the vendors' rules (--webhook-hosts)
        self.staged = StagedEvents()
        self.dropped = 0  # deliveries pushed out by newer ones
        self._deliveries: OrderedDict[str, Delivery] = OrderedDict()
        # Per subscription, its queued attempts (tenant time, seq, delivery id); `_ready` holds each idle
        # subscription's earliest one, so finding what is due never walks a busy subscription's backlog.
        self._queues: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
        self._ready: list[tuple[float, int, tuple[str, str]]] = []
        self._queued = 0
        self._seq = itertools.count()
        self._busy: set[tuple[str, str]] = set()  # (vendor, subscription) with an attempt in flight
        self.readied = 0  # counts idle subscriptions given a queued attempt: the dispatcher wakes when it moves

    def __len__(self) -> int:
        return len(self._deliveries)

    # -- filling ---------------------------------------------------------------------------------

    def next_seq(self) -> int:
        return next(self._seq)

    def add(self, delivery: Delivery) -> None:
        self._deliveries[delivery.id] = delivery
        while len(self._deliveries) > self.limit:
            self._deliveries.popitem(last=False)
            self.dropped += 1
        if delivery.state == "pending" and delivery.next_attempt is not None:
            self.schedule(delivery, delivery.next_attempt)

    def schedule(self, delivery: Delivery, at: float) -> None:
        """Queue an attempt at tenant-clock time `at` behind the subscription's earlier ones."""
        delivery.next_attempt = at
        key = (delivery.vendor, delivery.subscription_id)
        heapq.heappush(self._queues.setdefault(key, []), (at, delivery.seq, delivery.id))
        self._queued += 1
        if key not in self._busy:
            heapq.heappush(self._ready, (at, delivery.seq, key))
            self.readied += 1
        if self._queued > 2 * self.limit:  # entries of dropped deliveries: rebuild from the live ones
            self._rebuild()

    def _rebuild(self) -> None:
        self._queues, self._ready, self._queued = {}, [], 0
        for d in self._deliveries.values():
            if d.state == "pending" and d.next_attempt is not None:
                key = (d.vendor, d.subscription_id)
                heapq.heappush(self._queues.setdefault(key, []), (d.next_attempt, d.seq, d.id))
                self._queued += 1
        for key, queue in self._queues.items():
            if key not in self._busy:
                heapq.heappush(self._ready, (queue[0][0], queue[0][1], key))

    def clear(self) -> None:
        self._deliveries.clear()
        self._queues, self._ready, self._queued = {}, [], 0
        self.dropped = 0
        self.staged.take()

    # -- reading ---------------------------------------------------------------------------------

    def get(self, delivery_id: str) -> Delivery | None:
        return self._deliveries.get(delivery_id)

    def select(self, vendor: str | None = None, event: str | None = None,
               state: str | None = None) -> list[Delivery]:
        return [d for d in self._deliveries.values()
                if (vendor is None or d.vendor == vendor) and (event is None or d.event == event)
                and (state is None or d.state == state)]

    def next_due(self) -> float | None:
        """The tenant-clock time of the earliest attempt an idle subscription has queued (a hint for sleeping)."""
        return self._ready[0][0] if self._ready else None

    def has_pending(self) -> bool:
        return bool(self._ready) or bool(self._busy)

    # -- dispatching -----------------------------------------------------------------------------

    def take_due(self, now: float) -> list[Delivery]:
        """The attempts due by `now`, at most one per subscription and none for a subscription in flight; each
        taken delivery's subscription is busy until `release`."""
        taken: list[Delivery] = []
        while self._ready and self._ready[0][0] <= now:
            at, seq, key = heapq.heappop(self._ready)
            queue = self._queues.get(key)
            if key in self._busy or not queue or queue[0][:2] != (at, seq):
                continue  # a stale entry: the subscription is busy or its head has changed
            _, _, delivery_id = heapq.heappop(queue)
            self._queued -= 1
            delivery = self._deliveries.get(delivery_id)
            if delivery is None or delivery.state != "pending" or delivery.next_attempt != at:
                if queue:  # dropped, finished or rescheduled since: the next one in line
                    heapq.heappush(self._ready, (queue[0][0], queue[0][1], key))
                continue
            self._busy.add(key)
            taken.append(delivery)
        return taken

    def release(self, delivery: Delivery) -> None:
        key = (delivery.vendor, delivery.subscription_id)
        self._busy.discard(key)
        queue = self._queues.get(key)
        if queue:
            heapq.heappush(self._ready, (queue[0][0], queue[0][1], key))
        elif queue is not None:
            del self._queues[key]

    @staticmethod
    def stream(tenant: TenantLike, vendor: str) -> RandomSource:
        """The random stream delivery ids come from: the tenant's own `vendor/webhooks` stream."""
        return tenant.stream(vendor, "webhooks")


class OutboxTenant(TenantLike, Protocol):
    """A tenant whose outbox is an `Outbox` (what `make_deliveries` fills)."""

    @property
    def outbox(self) -> Outbox: ...


def make_deliveries(tenant: OutboxTenant, rules: VendorWebhooks, events: Iterable[Event]) -> list[Delivery]:
    """Turn events into deliveries in the tenant's outbox: ids from the vendor's webhook stream, drawn now."""
    outbox: Outbox = tenant.outbox
    made: list[Delivery] = []
    for event in events:
        state = tenant.states.get(event.vendor)
        subscriptions = rules.subscriptions(state, event)
        if not subscriptions:
            continue
        random = outbox.stream(tenant, event.vendor)
        suppressed = rules.suppression(event)
        for subscription in subscriptions:
            delivery_id = rules.delivery_id(random)
            request = rules.request(event, subscription, delivery_id)
            delivery = Delivery(delivery_id, event, subscription.id, request, subscription.secret, outbox.next_seq())
            if suppressed:
                delivery.suppress(suppressed)
            outbox.add(delivery)
            made.append(delivery)
    return made
