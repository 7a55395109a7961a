"""PromoteKit's key format and the values the sandbox fixes where PromoteKit documents none (README lists them)."""
from __future__ import annotations

import re

KEY_PREFIX = "pk_"

# A well-formed key: `pk_` then alphanumerics. Real keys show 22 (third-party code); any length of 1+ is accepted,
# so `pk_test123` makes a fresh tenant. There are no plans, scopes or test/live modes to encode in a key.
KEY_PATTERN = re.compile(r"^pk_[A-Za-z0-9]+$")
NEW_KEY_LENGTH = 22

RATE_PER_MINUTE = 200  # documented: 200 requests per minute per API key

# Error `type` strings: PromoteKit names none, these are guesses (the reference's suggestions).
INVALID_REQUEST = "invalid_request_error"
AUTHENTICATION = "authentication_error"
NOT_FOUND = "not_found"
RATE_LIMIT = "rate_limit_error"
API_ERROR = "api_error"
TYPE_BY_STATUS = {400: INVALID_REQUEST, 401: AUTHENTICATION, 404: NOT_FOUND, 429: RATE_LIMIT}

DEFAULT_CURRENCY = "usd"  # guess: Stripe's lowercase ISO code; a fixture `settings.currency` overrides it

# Links: campaign.website_url + "?via=" + ref_code (documented example https://yoursite.com?via=jane).
LINK_PARAMETER = "via"

CODE_MODES_WITH_LINKS = ("link", "both")
CODE_MODES_WITH_COUPONS = ("coupon", "both")


def describe() -> dict[str, str]:
    return {
        "pk_ + alphanumerics": "any unknown well-formed key makes a fresh tenant seeded from the fixtures",
        "rate limit": f"{RATE_PER_MINUTE} requests/min per key; 429 carries only Retry-After (guess)",
    }
