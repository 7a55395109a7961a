"""Everflow's magic key segments and values, in one place (docs/vendors/everflow.md lists the same)."""
from __future__ import annotations

import re

PREFIX = "ef_"

# A well-formed sandbox key: ef_ then at least 8 of [A-Za-z0-9_]. (Real keys are opaque; the prefix lets
# the sandbox tell a key from noise and auto-provision a tenant for it.)
KEY_PATTERN = re.compile(r"^ef_[A-Za-z0-9_]{8,}$")

# The portal a key belongs to. The Network API answers 403 "Out of realm" to the others (documented).
PORTALS = ("network", "affiliate", "advertiser", "partner")
PORTAL_SEGMENTS = {"affiliate_": "affiliate", "advertiser_": "advertiser", "partner_": "partner"}
# A network key whose permissions are read-only: writes get 403 (the message is a guess).
READ_ONLY_SEGMENT = "ro_"

# Requests per second by portal (documented); the window is 30 s and X-RateLimit-Limit is rps x 30 (guess).
RATE_PER_SECOND = {"network": 30, "affiliate": 5, "advertiser": 5, "partner": 5}
RATE_WINDOW_SECONDS = 30

# Conversion reports may span at most this many days, and start no earlier than this many days ago.
REPORT_MAX_DAYS = 366
REPORT_LOOKBACK_DAYS = 366

ENCODED_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def portal_of(key: str) -> str:
    rest = key[len(PREFIX):]
    for segment, portal in PORTAL_SEGMENTS.items():
        if rest.startswith(segment):
            return portal
    return "network"


def read_only(key: str) -> bool:
    return key[len(PREFIX):].startswith(READ_ONLY_SEGMENT)


def describe() -> dict[str, str]:
    return {
        "ef_affiliate_... / ef_advertiser_... / ef_partner_...": "a key for another portal: 403 Out of realm",
        "ef_ro_...": "a network key with read-only permissions: writes get 403",
        "any other ef_...": "a network key with every permission, 30 requests/s (900 per 30-second window)",
    }
