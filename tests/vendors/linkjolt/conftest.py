"""LinkJolt test helpers: the default keys and fixture ids, and a request helper."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from ...apiclient import VendorClient

BASE = "/linkjolt/api/v1"
ULTIMATE = "lj_pk_sandbox_ultimate_0001"
PROFESSIONAL = "lj_pk_sandbox_professional_0001"
TEST_KEY = "lj_pk_test_sandbox_0001"

CAMP_PERCENT = "camp_percentage_00001"
CAMP_FIXED = "camp_fixed_0000000002"
CAMP_TIERED = "camp_tiered_000000003"
CAMP_PAUSED = "camp_paused_000000004"
JANE = "aff_jane_smith_000001"
PAT_PENDING = "aff_pending_pat_00002"
REX_REJECTED = "aff_rejected_rex_0003"
FRAN_FIXED = "aff_fixed_fran_000004"
ALEX_API = "aff_api_alex_00000005"


class LinkJoltClient(VendorClient):
    """Calls LinkJolt paths with a key; returns (status, json body, headers)."""

    base = BASE
    vendor = "linkjolt"
    default_key = ULTIMATE



@pytest.fixture
async def lj(client: TestClient) -> LinkJoltClient:
    return LinkJoltClient(client)
