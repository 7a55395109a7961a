"""The outbox as a plain object: bounded whatever the traffic, due attempts in order, one per subscription."""
from __future__ import annotations

from sandbox.core.events import Event, OutboundRequest
from sandbox.core.outbox import Delivery, Outbox


def _delivery(outbox: Outbox, n: int, subscription: str = "wh_1", at: float = 0.0) -> Delivery:
    event = Event("t", "linkjolt", "conversion.created", {"n": n}, False, at)
    return Delivery(f"d{n}", event, subscription, OutboundRequest("POST", "https://x.example/", {}, b"{}"), None,
                    outbox.next_seq())


def test_thousands_of_queued_deliveries_keep_the_last_limit() -> None:
    outbox = Outbox(limit=1000)
    for n in range(5000):
        outbox.add(_delivery(outbox, n, at=float(10_000 + n)))  # never due: a frozen clock that never moves
    assert len(outbox) == 1000 and outbox.dropped == 4000
    assert outbox.get("d3999") is None and outbox.get("d4000") is not None
    assert outbox._queued <= 2 * outbox.limit  # the queues are rebuilt, not left to grow with dropped entries


def test_due_attempts_go_one_per_subscription_in_order() -> None:
    outbox = Outbox()
    for n in range(3):
        outbox.add(_delivery(outbox, n))
    outbox.add(_delivery(outbox, 3, subscription="wh_2"))
    first = outbox.take_due(0.0)
    assert [d.id for d in first] == ["d0", "d3"]
    assert outbox.take_due(0.0) == []  # both subscriptions are busy
    outbox.release(first[0])
    first[0].state = "delivered"
    assert [d.id for d in outbox.take_due(0.0)] == ["d1"]
