"""LinkJolt's magic key segments and values, in one place (the README lists the same)."""
from __future__ import annotations

import re

LIVE_PREFIX = "lj_pk_"
TEST_PREFIX = "lj_pk_test_"  # checked first: every test key also starts with lj_pk_

# A well-formed key: the prefix, then at least 8 of [A-Za-z0-9_].
KEY_PATTERN = re.compile(r"^lj_pk_[A-Za-z0-9_]{8,}$")

# Auto-provisioned keys: this segment right after the prefix makes a Professional (read-only) key;
# any other key is Ultimate. e.g. lj_pk_pro_abc12345, lj_pk_test_pro_abc12345.
PROFESSIONAL_SEGMENT = "pro_"
SCALE_SEGMENT = "scale_"

PLANS = ("professional", "ultimate", "scale")
RATE_PER_MINUTE = {"professional": 60, "ultimate": 300, "scale": 300}
INVITE_RATE_PER_MINUTE = 10
WRITE_PLANS = ("ultimate", "scale")

# Monthly tracked-sales cap per plan, in cents (None: no cap). Fixtures may override per merchant.
EARNINGS_CAP_CENTS = {"professional": 2_500_000, "ultimate": 5_000_000, "scale": None}

# Self-referral outcome (a guess: the docs do not say): "reject" stores the conversion as rejected (201),
# "error" refuses it with 422 self_referral. Set per merchant in the fixtures (`settings.selfReferral`).
SELF_REFERRAL_POLICIES = ("reject", "error")

# The approval guard: commission above this multiple of the sale needs confirmAboveSale.
ABOVE_SALE_FACTOR = 5


def plan_of(key: str) -> str:
    rest = key[len(TEST_PREFIX):] if key.startswith(TEST_PREFIX) else key[len(LIVE_PREFIX):]
    if rest.startswith(PROFESSIONAL_SEGMENT):
        return "professional"
    if rest.startswith(SCALE_SEGMENT):
        return "scale"
    return "ultimate"


def describe() -> dict[str, str]:
    return {
        "lj_pk_test_...": "test mode: records carry isTest: true; earnings cap and self-referral check skipped",
        "lj_pk_pro_... / lj_pk_test_pro_...": "Professional plan: read-only (writes get 403), 60 requests/min",
        "lj_pk_scale_... / lj_pk_test_scale_...": "Scale plan: read + write, 300 requests/min, no earnings cap",
        "any other lj_pk_...": "Ultimate plan: read + write, 300 requests/min, $50,000 monthly earnings cap",
    }
