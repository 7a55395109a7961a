"""PromoteKit's webhooks (promotekit.md §5): endpoints are made in the dashboard, so here through the fixtures
(`webhooks:` in promotekit.yaml) and the control plane.

Documented: the five event types; a POST whose JSON body is `{"type", "data"}` with `data` shaped like the API's
GET of the resource (an Affiliate, a Referral with its affiliate, a Commission); HTTPS endpoint URLs.
Not documented, so not sent: a signature, an event id or timestamp. Guesses: no automatic retries (only manual
retry from the dashboard is mentioned: `POST /_sandbox/tenants/{id}/deliveries/{delivery}/redeliver`), a 10 s
timeout, the sandbox's own delivery id `pkd_<16>` (never sent), the User-Agent.
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

EVENTS: tuple[str, ...] = ("affiliate.created", "affiliate.approved", "referral.created", "referral.converted",
                           "commission.created")
POLICY = RetryPolicy(delays=(), timeout=10.0, deactivate_after=None)
CONTROL_SUBSCRIPTIONS = True
USER_AGENT = "PromoteKit-Webhooks/1.0"  # guess


def subscriptions(state: Any, event: Event) -> list[Subscription]:
    return endpoints.matching(state.webhooks, event.type)


def listening(state: Any) -> bool:
    return len(state.webhooks) > 0  # the control plane's endpoints are stored there too


def suppression(event: Event) -> str | None:
    return None


def delivery_id(random: RandomSource) -> str:
    return "pkd_" + random.nanoid(16)


def request(event: Event, subscription: Subscription, delivery_id: str) -> OutboundRequest:
    body = jsoncodec.dumps({"type": event.type, "data": event.data})
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
    return endpoints.add(state.webhooks, {"id": "ep_" + random.nanoid(16), "url": url, "events": events,
                                          "secret": secret, "createdAt": created_at})


def list_subscriptions(state: Any) -> list[Record]:
    return list(state.webhooks)


def remove_subscription(state: Any, subscription_id: str) -> bool:
    return state.webhooks.delete(subscription_id) is not None
