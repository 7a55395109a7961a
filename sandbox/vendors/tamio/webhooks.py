"""Tamio's webhooks (tamio.md §8): the `whev_` event envelope, sent to endpoints made in Tamio's dashboard (here:
the fixtures' `webhooks:` in tamio.yaml and the control plane).

Documented: `{"event_id": "whev_…", "event_type", "api_version": 2, "object": "event", "data", "endpoint_id"}`;
program events `affiliate-program-created`, `-updated` (data has `changes`: the changed field names), `-removed`;
affiliate events `affiliate-signup`, `-approved`, `-declined`, `-removed` with data `{"affiliate": {"id"}}`.
Guesses: program data is the program as the API shows it; the event id is per delivery (`whev_<24>`); retries
after 1, 5 and 30 minutes, a 10 s timeout, HTTPS endpoints, no signature (none is documented), the User-Agent.
"""
from __future__ import annotations

from typing import Any

from ...core import endpoints, jsoncodec
from ...core.events import (
    Event,
    HostPolicy,
    OutboundRequest,
    RetryPolicy,
    Subscription,
    url_refusal,
)
from ...core.random import RandomSource
from .models import Record

EVENTS: tuple[str, ...] = ("affiliate-program-created", "affiliate-program-updated", "affiliate-program-removed",
          "affiliate-signup", "affiliate-approved", "affiliate-declined", "affiliate-removed")
POLICY = RetryPolicy(delays=(60.0, 300.0, 1800.0), timeout=10.0, deactivate_after=None)
CONTROL_SUBSCRIPTIONS = True
API_VERSION = 2
USER_AGENT = "Tamio-Webhooks/2"  # guess


def affiliate_data(affiliate: Record) -> Record:
    return {"affiliate": {"id": affiliate["id"]}}


def program_changes(before: Record, after: Record) -> list[str]:
    """The names of the fields an update changed, sorted."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def subscriptions(state: Any, event: Event) -> list[Subscription]:
    return endpoints.matching(state.webhooks, event.type)


def listening(state: Any) -> bool:
    return len(state.webhooks) > 0  # the control plane's endpoints are stored there too


def suppression(event: Event) -> str | None:
    return None


def delivery_id(random: RandomSource) -> str:
    return "whev_" + random.token(24)


def request(event: Event, subscription: Subscription, delivery_id: str) -> OutboundRequest:
    body = jsoncodec.dumps({"event_id": delivery_id, "event_type": event.type, "api_version": API_VERSION,
                            "object": "event", "data": event.data, "endpoint_id": subscription.id})
    return OutboundRequest("POST", subscription.url, {"Content-Type": "application/json", "User-Agent": USER_AGENT},
                           body)


def sign(body: bytes, secret: str | None, at: int) -> dict[str, str]:
    return {}


def target_refusal(url: str, hosts: HostPolicy) -> str | None:
    return url_refusal(url, hosts, https_only=True)


def is_active(state: Any, subscription_id: str) -> bool:
    return endpoints.is_active(state.webhooks, subscription_id)


def record_outcome(state: Any, subscription_id: str, delivered: bool) -> None:
    endpoints.record_outcome(state.webhooks, subscription_id, delivered, POLICY.deactivate_after)


def add_subscription(state: Any, random: RandomSource, url: str, events: list[str], secret: str | None,
                     created_at: str) -> Record:
    return endpoints.add(state.webhooks, {"id": random.uuid(), "url": url, "events": events, "secret": secret,
                                          "createdAt": created_at})


def list_subscriptions(state: Any) -> list[Record]:
    return list(state.webhooks)


def remove_subscription(state: Any, subscription_id: str) -> bool:
    return state.webhooks.delete(subscription_id) is not None
