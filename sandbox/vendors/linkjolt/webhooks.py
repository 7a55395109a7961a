"""LinkJolt's outbound webhooks (linkjolt.md §4): which subscriptions an event goes to, the body, the signature,
the URL rule, retries and deactivation.

Documented: the event names (the union of both lists); the body `{"event", "data", "timestamp", "id"}` with
`conversionId` in conversion data; `X-LinkJolt-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`;
POST with JSON; 2xx within 10 s or retried, up to 3 retries with exponential backoff; 5 consecutive failed
deliveries deactivate the subscription; public HTTPS URLs only; nothing sent for test-key actions.
Guesses (tagged here and in the README): the backoff (1, 5, 30 minutes); a "failure" toward deactivation is a
delivery that failed all its retries; `t` is Unix seconds at each attempt; the secret's hex text is the HMAC key;
the delivery id `wh_del_<16>`; affiliate data `{affiliateId, campaignId, email, name, status}`; payout data
`{payoutId, affiliateId, conversionId, amount, currency, status}`; the User-Agent.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from ...core import endpoints, jsoncodec
from ...core.clock import format_timestamp
from ...core.events import (
    Event,
    HostPolicy,
    OutboundRequest,
    RetryPolicy,
    Subscription,
    url_refusal,
)
from ...core.random import RandomSource
from .models import Record, money

EVENTS: tuple[str, ...] = ("conversion.created", "conversion.approved", "conversion.rejected", "conversion.paid",
          "conversion.updated", "affiliate.joined", "affiliate.approved", "affiliate.rejected", "affiliate.removed",
          "payout.completed", "payout.failed")
POLICY = RetryPolicy(delays=(60.0, 300.0, 1800.0), timeout=10.0, deactivate_after=5)
CONTROL_SUBSCRIPTIONS = True
SIGNATURE_HEADER = "X-LinkJolt-Signature"
USER_AGENT = "LinkJolt-Webhooks/1.0"  # guess
TEST_KEY_REASON = "made with a test key (lj_pk_test_): LinkJolt sends no webhooks for test-key actions"


# -- event data (what handlers and control actions emit) ------------------------------------------------
# An event carries the records it is about (a conversion, a payout, an (affiliate, membership) pair); the documented
# payload is built from them in `request`, only for a subscription that wants the event (most events have none).
# Bodies are built as the request or control action that emitted the event ends, so the records then still hold
# what the event reports.

def conversion_data(conversion: Record) -> Record:
    """The documented conversion payload."""
    return {"conversionId": conversion["id"], "campaignId": conversion["campaignId"],
            "affiliateId": conversion["affiliateId"], "amount": money(conversion["amountCents"]),
            "commission": money(conversion["commissionCents"]), "currency": conversion["currency"],
            "status": conversion["status"]}


def affiliate_data(joined: tuple[Record, Record]) -> Record:
    """An (affiliate, membership) pair's payload."""
    affiliate, membership = joined
    return {"affiliateId": affiliate["id"], "campaignId": membership["campaignId"], "email": affiliate["email"],
            "name": affiliate["name"], "status": membership["status"]}


def payout_data(payout: Record) -> Record:
    return {"payoutId": payout["id"], "affiliateId": payout["affiliateId"], "conversionId": payout["conversionId"],
            "amount": money(payout["amountCents"]), "currency": payout["currency"], "status": payout["status"]}


_PAYLOADS: dict[str, Callable[[Any], Record]] = {
    "conversion": conversion_data, "affiliate": affiliate_data, "payout": payout_data}


def payload(event: Event) -> Record:
    """The documented `data` of an event, from the records it carries: the builder of its kind ("conversion.paid":
    conversion)."""
    return _PAYLOADS[event.type.partition(".")[0]](event.data)


# -- deliveries ---------------------------------------------------------------------------------------

def subscriptions(state: Any, event: Event) -> list[Subscription]:
    return endpoints.matching(state.webhooks, event.type)


def listening(state: Any) -> bool:
    return len(state.webhooks) > 0  # the control plane's endpoints are stored there too


def suppression(event: Event) -> str | None:
    return TEST_KEY_REASON if event.test_mode else None


def delivery_id(random: RandomSource) -> str:
    return "wh_del_" + random.nanoid(16)


def request(event: Event, subscription: Subscription, delivery_id: str) -> OutboundRequest:
    body = jsoncodec.dumps({"event": event.type, "data": payload(event), "timestamp": format_timestamp(event.at),
                            "id": delivery_id})
    return OutboundRequest("POST", subscription.url, {"Content-Type": "application/json", "User-Agent": USER_AGENT},
                           body)


def sign(body: bytes, secret: str | None, at: int) -> dict[str, str]:
    digest = hmac.new((secret or "").encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return {SIGNATURE_HEADER: f"t={at},v1={digest}"}


def target_refusal(url: str, hosts: HostPolicy) -> str | None:
    """isPublicHttpsUrl(), documented; checked on registration and again before each send."""
    return url_refusal(url, hosts, https_only=True)


def is_active(state: Any, subscription_id: str) -> bool:
    return endpoints.is_active(state.webhooks, subscription_id)


def record_outcome(state: Any, subscription_id: str, delivered: bool) -> None:
    endpoints.record_outcome(state.webhooks, subscription_id, delivered, POLICY.deactivate_after)


# -- subscriptions from the control plane ------------------------------------------------------------------

def add_subscription(state: Any, random: RandomSource, url: str, events: list[str], secret: str | None,
                     created_at: str) -> Record:
    """Like POST /webhooks: a `wh_` id and a 64-hex secret (or the one given)."""
    return endpoints.add(state.webhooks, {"id": "wh_" + random.nanoid(16), "url": url, "events": events,
                                          "secret": secret or endpoints.new_secret(random), "isTest": False,
                                          "createdAt": created_at})


def list_subscriptions(state: Any) -> list[Record]:
    return list(state.webhooks)


def remove_subscription(state: Any, subscription_id: str) -> bool:
    return state.webhooks.delete(subscription_id) is not None
