"""PromoteKit test helpers: the default key, fixture ids and a request helper."""
from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from ...apiclient import VendorClient

BASE = "/promotekit/api/v1"
KEY = "pk_sandboxDefaultKey00001"

CAMP_DEFAULT = "ca000000-0000-4000-8000-000000000001"
CAMP_COUPON = "ca000000-0000-4000-8000-000000000002"
JANE = "af000000-0000-4000-8000-000000000001"
SAM = "af000000-0000-4000-8000-000000000002"
UNA_UNAPPROVED = "af000000-0000-4000-8000-000000000003"
BEN_BANNED = "af000000-0000-4000-8000-000000000004"
REF_ACTIVE = "dd000000-0000-4000-8000-000000000001"
REF_TRIALING = "dd000000-0000-4000-8000-000000000002"
REF_SIGNED_UP = "dd000000-0000-4000-8000-000000000003"
REF_CANCELED = "dd000000-0000-4000-8000-000000000004"
REF_PAST_DUE = "dd000000-0000-4000-8000-000000000005"
REF_BANNED = "dd000000-0000-4000-8000-000000000006"
COM_PAID_JANE = "cc000000-0000-4000-8000-000000000001"
COM_UNPAID_JANE = "cc000000-0000-4000-8000-000000000002"
COM_UNPAID_JANE_2 = "cc000000-0000-4000-8000-000000000003"
COM_PAID_SAM = "cc000000-0000-4000-8000-000000000004"
COM_UNPAID_SAM = "cc000000-0000-4000-8000-000000000005"
PAYOUT_JANE = "bb000000-0000-4000-8000-000000000001"
PAYOUT_SAM = "bb000000-0000-4000-8000-000000000002"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
NOW = "2026-06-15T12:00:00Z"


def error(message: str, error_type: str = "invalid_request_error") -> dict:
    return {"success": False, "error": {"message": message, "type": error_type}}


class PromoteKitClient(VendorClient):
    """Calls PromoteKit paths with a key; returns (status, json body, headers)."""

    base = BASE
    vendor = "promotekit"
    default_key = KEY



@pytest.fixture
async def pk(client: TestClient) -> PromoteKitClient:
    return PromoteKitClient(client)


DASHBOARD_DEFAULTS = {
    "limit_type": None, "limit_amount": None, "custom_commission_type": None, "welcome_message": None,
    "approval_needed": False, "collect_details": False, "details_text": None, "hide_emails": False,
    "dashboard_text": None, "cookie_duration": 60,
    "first_payment_commission": {"enabled": False, "type": None, "amount": None},
}


def campaign(**fields: Any) -> dict:
    """A full Campaign object in the documented key order, dashboard-only fields at their (guessed) defaults."""
    out = {"id": None, "name": None, "created_at": None, "website_url": None, "commission_type": None,
           "commission_amount": None, "is_default": False, "limit_type": None, "limit_amount": None,
           "code_mode": None, "reference_coupon": None}
    out |= DASHBOARD_DEFAULTS
    out |= fields
    return out


DEFAULT_CAMPAIGN = campaign(
    id=CAMP_DEFAULT, name="Default Campaign", created_at="2026-01-10T09:00:00Z", website_url="https://acme.example",
    commission_type="percentage", commission_amount=20, is_default=True, code_mode="link")
COUPON_CAMPAIGN = campaign(
    id=CAMP_COUPON, name="Podcast Coupons", created_at="2026-02-01T09:00:00Z", commission_type="fixed",
    commission_amount=25, code_mode="coupon", reference_coupon="PODCAST20")

JANE_AFFILIATE = {
    "id": JANE, "email": "jane@example.com", "first_name": "Jane", "last_name": "Doe",
    "payout_email": "jane.payouts@example.com",
    "links": [{"url": "https://acme.example?via=jane", "code": "jane"}], "promo_codes": [],
    "clicks": 240, "approved": True, "banned": False, "details": None, "new_paid_referral_notifications": True,
    "created_at": "2026-01-20T12:00:00Z", "campaign": DEFAULT_CAMPAIGN,
}
SAM_AFFILIATE = {
    "id": SAM, "email": "sam@example.com", "first_name": "Sam", "last_name": "Podcaster", "payout_email": None,
    "links": [], "promo_codes": [{"code": "SAM20", "external_id": "promo_1SandboxSam000000000000"}],
    "clicks": 35, "approved": True, "banned": False, "details": "Hosts a weekly podcast",
    "new_paid_referral_notifications": True, "created_at": "2026-02-05T10:00:00Z", "campaign": COUPON_CAMPAIGN,
}
