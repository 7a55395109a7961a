"""Tamio's magic key segments and values, in one place (docs/vendors/tamio.md lists the same).

Tamio's real key format is not documented; the sandbox's keys are `sk_...` (secret) and `pk_...` (publishable).
A secret key's permissions come from the fixtures for known keys; for an auto-provisioned key, from the
segment right after `sk_`:

  sk_ro_<rest>                    view only: affiliate_programs.view, affiliates.view
  sk_none_<rest>                  no permission at all (every operation is refused)
  sk_<codes>_<rest>               codes joined by '-', e.g. sk_pv-ae_abc12345:
                                    pc affiliate_programs.create   pe affiliate_programs.edit
                                    pv affiliate_programs.view     av affiliates.view   ae affiliates.edit
  any other sk_<rest>             every permission
  pk_<rest>                       publishable: 401 on every operation of this API (Transactions API only)

`<rest>` is at least 8 of [A-Za-z0-9_-].
"""
from __future__ import annotations

import re

SECRET_PREFIX = "sk_"
PUBLISHABLE_PREFIX = "pk_"
KEY_PATTERN = re.compile(r"^(sk|pk)_[A-Za-z0-9_-]{8,}$")

SCOPE_CODES = {
    "pc": "affiliate_programs.create",
    "pe": "affiliate_programs.edit",
    "pv": "affiliate_programs.view",
    "av": "affiliates.view",
    "ae": "affiliates.edit",
}
ALL_SCOPES = frozenset(SCOPE_CODES.values())
VIEW_SCOPES = frozenset({"affiliate_programs.view", "affiliates.view"})
NAMED_SEGMENTS = {"ro": VIEW_SCOPES, "none": frozenset()}

# The permission each operation needs (the spec's `security` entries say the same; a test keeps them equal).
# Which permission guards delete, pause-resume, the agency actions and payouts is a guess.
OPERATION_SCOPES = {
    "createAffiliateProgram": "affiliate_programs.create",
    "updateAffiliateProgram": "affiliate_programs.edit",
    "deleteAffiliateProgram": "affiliate_programs.edit",
    "pauseResumeAffiliateProgram": "affiliate_programs.edit",
    "retrieveAffiliateProgram": "affiliate_programs.view",
    "listAffiliatePrograms": "affiliate_programs.view",
    "listAgencyAffiliatePrograms": "affiliate_programs.view",
    "approveAgencyAffiliateProgram": "affiliate_programs.edit",
    "declineAgencyAffiliateProgram": "affiliate_programs.edit",
    "listAffiliates": "affiliates.view",
    "retrieveAffiliate": "affiliates.view",
    "listBlockedAffiliates": "affiliates.view",
    "deleteAffiliate": "affiliates.edit",
    "approveAffiliate": "affiliates.edit",
    "declineAffiliate": "affiliates.edit",
    "addAffiliateBonus": "affiliates.edit",
    "deductAffiliateBonus": "affiliates.edit",
    "sendAffiliateEmail": "affiliates.edit",
    "unblockAffiliate": "affiliates.edit",
    "createAffiliatePayout": "affiliates.edit",
    "listAffiliatePayouts": "affiliates.view",
    "retrieveAffiliatePayout": "affiliates.view",
}


def is_publishable(key: str) -> bool:
    return key.startswith(PUBLISHABLE_PREFIX)


def scopes_of(key: str) -> frozenset[str]:
    """The permissions an auto-provisioned key gets from its magic segment."""
    if is_publishable(key):
        return frozenset()
    segment = key[len(SECRET_PREFIX):].split("_", 1)[0]
    if segment in NAMED_SEGMENTS:
        return NAMED_SEGMENTS[segment]
    codes = segment.split("-")
    if all(code in SCOPE_CODES for code in codes):
        return frozenset(SCOPE_CODES[code] for code in codes)
    return ALL_SCOPES


def describe() -> dict[str, str]:
    return {
        "sk_...": "secret key with every permission",
        "sk_ro_...": "secret key with affiliate_programs.view and affiliates.view only",
        "sk_none_...": "secret key with no permission (every operation: 400, error_code 403)",
        "sk_<codes>_...": "codes joined by '-' (pc, pe, pv, av, ae), e.g. sk_pv-ae_abc12345",
        "pk_...": "publishable key: 401 on every operation of this API",
    }
