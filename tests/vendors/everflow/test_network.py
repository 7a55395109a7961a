"""GET /networks, /networks/settings/*, tracking domains, the /meta/* lists and /i18n/languages/{id}."""
from __future__ import annotations

import pytest

from .conftest import AFFILIATE_PORTAL_KEY, EverflowClient

EPOCH = 1767225600  # 2026-01-01T00:00:00Z, the fixtures' network time_created
DOMAIN_1 = {"network_tracking_domain_id": 1, "network_id": 1, "domain": "www.example-track.com", "status": "active",
            "is_default": True, "time_created": EPOCH, "time_saved": EPOCH}


async def test_get_network(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks")
    assert status == 200
    assert body == {"network_id": 1, "name": "Sandbox Network", "default_currency_id": "USD",
                    "default_timezone_id": 67, "default_language_id": 1, "status": "active",
                    "reporting_timezone_id": 67, "settings": {"tracking_domain": "www.example-track.com"},
                    "feature_flags": {}, "time_created": EPOCH, "time_saved": EPOCH}


async def test_network_paths_are_out_of_realm_for_an_affiliate_key(ef: EverflowClient) -> None:
    status, body, _ = await ef.as_key(AFFILIATE_PORTAL_KEY).get("/networks")
    assert (status, body) == (403, {"error": "Out of realm"})


async def test_affiliate_portal_settings_carry_the_signup_custom_fields(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/settings/affiliateportal")
    assert status == 200
    assert body == {"is_signup_enabled": True, "is_terms_and_conditions_enabled": True, "relationship": {
        "custom_fields": [
            {"network_custom_field_id": 1, "label": "Traffic Sources", "field_type": "text", "is_required": True,
             "status": "active"},
            {"network_custom_field_id": 2, "label": "Monthly Visitors", "field_type": "number",
             "is_required": False, "status": "active"}]}}


@pytest.mark.parametrize("path, expected", [
    ("/networks/settings", {"network_id": 1, "default_currency_id": "USD", "default_timezone_id": 67,
                            "default_language_id": 1, "tracking_domain": "www.example-track.com"}),
    ("/networks/settings/advertiserportal", {}),
    ("/networks/settings/address", {"address_1": "100 Network Way", "address_2": "", "city": "Austin",
                                    "region_code": "TX", "country_code": "US", "zip_postal_code": "78701"}),
    ("/networks/settings/billing", {"billing_frequency": "monthly", "payment_terms": 30, "currency_id": "USD",
                                    "tax_id": ""}),
])
async def test_other_settings(ef: EverflowClient, path: str, expected: dict) -> None:
    status, body, _ = await ef.get(path)
    assert (status, body) == (200, expected)


@pytest.mark.parametrize("path", ["/networks/trackingdomains", "/networks/domains/tracking"])
async def test_tracking_domains(ef: EverflowClient, path: str) -> None:
    status, body, _ = await ef.get(path)
    assert status == 200
    assert body["tracking_domains"][0] == DOMAIN_1
    assert [d["domain"] for d in body["tracking_domains"]] == ["www.example-track.com", "go.brightmedia-track.example"]


async def test_one_tracking_domain(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/trackingdomains/1")
    assert (status, body) == (200, DOMAIN_1)
    status, body, _ = await ef.get("/networks/trackingdomains/9")
    assert (status, body) == (404, {"error": "Tracking domain not found"})


@pytest.mark.parametrize("kind, first", [
    ("regions", {"region_id": 5, "region_code": "CA", "region_name": "California", "country_code": "US"}),
    ("cities", {"city_id": 1001, "city_name": "San Francisco", "region_code": "CA", "country_code": "US"}),
    ("dmas", {"dma_id": 807, "dma_code": "807", "dma_name": "San Francisco-Oakland-San Jose"}),
    ("mobilecarriers", {"mobile_carrier_id": 1, "mobile_carrier_name": "Verizon", "country_code": "US"}),
    ("browsers", {"browser_id": 1, "browser_name": "Chrome"}),
    ("platforms", {"platform_id": 1, "platform_name": "Windows"}),
    ("osversions", {"os_version_id": 1, "os_version_name": "iOS 17", "platform_id": 2}),
    ("devices", {"device_type_id": 1, "device_type_name": "Desktop"}),
    ("connectiontypes", {"connection_type_id": 1, "connection_type_name": "Cable/DSL"}),
    ("browserlanguages", {"browser_language_id": 1, "browser_language_code": "en-US",
                          "browser_language_name": "English (United States)"}),
])
async def test_meta_lists(ef: EverflowClient, kind: str, first: dict) -> None:
    status, body, _ = await ef.get(f"/meta/{kind}")
    assert status == 200
    assert list(body) == [kind] and body[kind][0] == first


async def test_i18n_language(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/i18n/languages/2")
    assert (status, body) == (200, {"language_id": 2, "language_name": "French", "language_code": "fr"})
    status, body, _ = await ef.get("/i18n/languages/99")
    assert (status, body) == (404, {"error": "Language not found"})
    status, _, _ = await ef.get("/i18n/languages/fr")
    assert status == 400
