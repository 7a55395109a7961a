"""Webhook endpoints kept in a vendor's state as a `Collection` of records
`{id, url, events, secret, active, createdAt, consecutiveFailures}`: what LinkJolt, PromoteKit and Tamio share
(their webhooks modules call these; Everflow's postbacks are its pixels instead)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .events import Subscription
from .fixtures import FixtureError, insert_record
from .random import RandomSource
from .store import Collection

Record = dict[str, Any]


def matching(endpoints: Collection, event_type: str) -> list[Subscription]:
    """The active endpoints subscribed to `event_type`, oldest first (endpoints are few: a scan is fine)."""
    if not len(endpoints):
        return []
    return [subscription(r) for r in endpoints if r["active"] and event_type in r["events"]]


def subscription(record: Record) -> Subscription:
    return Subscription(record["id"], record["url"], tuple(record["events"]), record.get("secret"), record["active"])


def is_active(endpoints: Collection, endpoint_id: str) -> bool:
    record = endpoints.get(endpoint_id)
    return record is not None and bool(record["active"])


def record_outcome(endpoints: Collection, endpoint_id: str, delivered: bool, deactivate_after: int | None) -> None:
    """Count fully failed deliveries in a row; at `deactivate_after` the endpoint becomes inactive."""
    record = endpoints.get(endpoint_id)
    if record is None:
        return
    failures = 0 if delivered else record.get("consecutiveFailures", 0) + 1
    changes: Record = {"consecutiveFailures": failures}
    if deactivate_after is not None and failures >= deactivate_after:
        changes["active"] = False
    if any(record.get(k) != v for k, v in changes.items()):
        endpoints.update(endpoint_id, changes)


def add(endpoints: Collection, record: Record) -> Record:
    record = {"active": True, "consecutiveFailures": 0, **record}
    record["events"] = list(dict.fromkeys(record["events"]))
    endpoints.insert(record)
    return record


def describe(record: Record) -> Record:
    """How the control plane shows an endpoint (secret included: the control plane is the owner's)."""
    return {"id": record["id"], "url": record["url"], "events": list(record["events"]), "secret": record.get("secret"),
            "active": record["active"], "consecutiveFailures": record.get("consecutiveFailures", 0),
            "createdAt": record["createdAt"]}


def load_fixtures(endpoints: Collection, raws: Iterable[Any], known_events: tuple[str, ...],
                  new_id: Callable[[], str], new_secret: Callable[[], str | None], source: str,
                  created_at: str) -> None:
    """`webhooks:` records of a fixture file: `url` and `events` required; id, secret, active optional."""
    for i, raw in enumerate(raws or []):
        where = f"webhooks[{i}] {raw.get('id', '') if isinstance(raw, dict) else ''}".strip()
        if not isinstance(raw, dict) or not isinstance(raw.get("url"), str) or not isinstance(raw.get("events"), list):
            raise FixtureError(f"{source}: {where}: a webhook needs url (string) and events (list)")
        unknown = [e for e in raw["events"] if e not in known_events]
        if unknown:
            raise FixtureError(f"{source}: {where}: unknown event(s) {unknown}; known: {list(known_events)}")
        record = {"createdAt": created_at, **raw}
        record.setdefault("id", new_id())
        record.setdefault("secret", new_secret())
        insert_record(endpoints, {"active": True, "consecutiveFailures": 0, **record}, source, where)


def new_secret(random: RandomSource) -> str:
    return random.hex(32)
