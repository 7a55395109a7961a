"""Everflow's postbacks (everflow.md §9): the API's pixels, fired when a conversion happens.

Every pixel with `delivery_method: postback` and `pixel_status: active` for the conversion's affiliate fires its
`postback_url` (GET) with the macros replaced: `pixel_level` global (every offer of the affiliate), specific
(that offer only; with a `network_offer_payout_revenue_id` other than 0, that payout entry only) or
global_offer (every affiliate on the offer); `pixel_type` conversion for a base conversion (event for a
post-conversion event); `delay_ms` waits on the tenant clock.
Documented: the pixel fields and their meaning, `{transaction_id}`, macros in curly brackets. Third-party lists
(tagged guess here): `{sub1}`…`{sub5}`, `{source_id}`, `{payout_amount}`, `{sale_amount}`, `{offer_id}`,
`{affiliate_id}`, `{conversion_id}`, `{order_id}`, `{coupon_code}`, `{currency_id}`, `{event_name}`,
`{conversion_unix_timestamp}`. Guesses: values URL-encoded, an unknown macro left as it is, no retries, a 10 s
timeout, any public http(s) URL, no signature.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

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

CONVERSION = "conversion"  # the event a base conversion emits (its data: the conversion record)
POST_CONVERSION = "event"
EVENTS: tuple[str, ...] = (CONVERSION, POST_CONVERSION)
POLICY = RetryPolicy(delays=(), timeout=10.0, deactivate_after=None)
CONTROL_SUBSCRIPTIONS = False  # postbacks are pixels: POST /networks/pixels
USER_AGENT = "Everflow-Postback/1.0"  # guess
_MACRO = re.compile(r"\{([a-z0-9_]+)\}")
_FIELDS = {"transaction_id": "transaction_id", "conversion_id": "conversion_id", "sub1": "sub1", "sub2": "sub2",
           "sub3": "sub3", "sub4": "sub4", "sub5": "sub5", "source_id": "source_id", "payout_amount": "payout",
           "sale_amount": "sale_amount", "offer_id": "network_offer_id", "affiliate_id": "network_affiliate_id",
           "order_id": "order_id", "coupon_code": "coupon_code", "currency_id": "currency_id",
           "event_name": "event", "conversion_unix_timestamp": "conversion_unix_timestamp"}


def macros(conversion: Record) -> dict[str, str]:
    """Each macro's value for a conversion, as text."""
    return {macro: "" if conversion.get(field) is None else str(conversion[field])
            for macro, field in _FIELDS.items()}


def fill(url: str, values: dict[str, str]) -> str:
    return _MACRO.sub(lambda m: quote(values[m[1]], safe="") if m[1] in values else m[0], url)


def _fires(pixel: Record, conversion: Record, pixel_type: str) -> bool:
    if pixel["pixel_status"] != "active" or pixel["delivery_method"] != "postback" or pixel["pixel_type"] != pixel_type:
        return False
    level = pixel["pixel_level"]
    if level == "global_offer":
        return pixel["network_offer_id"] == conversion["network_offer_id"]
    if pixel["network_affiliate_id"] != conversion["network_affiliate_id"]:
        return False
    if level == "global":
        return True
    entry = pixel.get("network_offer_payout_revenue_id") or 0
    return pixel["network_offer_id"] == conversion["network_offer_id"] and (
        not entry or entry == conversion.get("network_offer_payout_revenue_id"))


def listening(state: Any) -> bool:
    return len(state.pixels) > 0  # the only subscriptions Everflow has


def subscriptions(state: Any, event: Event) -> list[Subscription]:
    """The pixels that fire (pixels are few per network: a scan)."""
    conversion = event.data
    return [Subscription(str(p["network_pixel_id"]), p["postback_url"], (event.type,), None, True,
                         delay=(p.get("delay_ms") or 0) / 1000)
            for p in state.pixels if _fires(p, conversion, event.type)]


def suppression(event: Event) -> str | None:
    return None


def delivery_id(random: RandomSource) -> str:
    return "pb_" + random.hex(12)


def request(event: Event, subscription: Subscription, delivery_id: str) -> OutboundRequest:
    return OutboundRequest("GET", fill(subscription.url, macros(event.data)), {"User-Agent": USER_AGENT}, b"",
                           delay=subscription.delay)


def sign(body: bytes, secret: str | None, at: int) -> dict[str, str]:
    return {}


def target_refusal(url: str, hosts: HostPolicy) -> str | None:
    return url_refusal(url, hosts, https_only=False)


def is_active(state: Any, subscription_id: str) -> bool:
    pixel = state.pixels.get(int(subscription_id))
    return pixel is not None and pixel["pixel_status"] == "active"


def record_outcome(state: Any, subscription_id: str, delivered: bool) -> None:
    """Everflow documents no deactivation of a failing postback."""


def add_subscription(state: Any, random: RandomSource, url: str, events: list[str], secret: str | None,
                     created_at: str) -> Record:
    raise NotImplementedError("Everflow postbacks are pixels")


def list_subscriptions(state: Any) -> list[Record]:
    return []


def remove_subscription(state: Any, subscription_id: str) -> bool:
    return False
