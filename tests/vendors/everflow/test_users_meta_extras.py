"""Everflow users across the network, the device type and brand lists, the global search and the i18n
operations (issue 16)."""
from __future__ import annotations

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, OFFER_PUBLIC, EverflowClient

JANE = 1  # Bright Media's user
CARL = 2  # Coupon Kings' user


async def test_every_user_of_the_network_and_their_emails(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/affiliates/users?page_size=1")
    assert status == 200
    assert [u["network_affiliate_user_id"] for u in body["users"]] == [JANE]
    total = body["paging"]["total_count"]
    assert total >= 2
    status, emails, _ = await ef.get("/networks/affiliates/users/emails")
    assert status == 200 and len(emails["emails"]) == total
    assert emails["emails"][1]["network_affiliate_user_id"] == CARL
    assert emails["emails"][1]["network_affiliate_id"] == COUPON_KINGS


async def test_one_user_by_id_as_the_affiliate_path_gives_it(ef: EverflowClient) -> None:
    status, by_id, _ = await ef.get(f"/networks/affiliates/users/{JANE}")
    _, nested, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/users/{JANE}")
    assert (status, by_id) == (200, nested)
    status, body, _ = await ef.get("/networks/affiliates/users/999")
    assert (status, body) == (404, {"error": "User not found"})


async def test_update_a_user_by_id_and_reset_the_password(ef: EverflowClient) -> None:
    status, body, _ = await ef.put(f"/networks/affiliates/users/{JANE}", {
        "first_name": "Janet", "last_name": "Doe", "email": "janet@bright.example", "account_status": "active"})
    assert status == 200, body
    assert (body["first_name"], body["email"], body["network_affiliate_id"]) == ("Janet", "janet@bright.example",
                                                                               BRIGHT_MEDIA)
    _, carl, _ = await ef.get(f"/networks/affiliates/users/{CARL}")
    status, body, _ = await ef.put(f"/networks/affiliates/users/{JANE}", {
        "first_name": "Janet", "last_name": "Doe", "email": carl["email"], "account_status": "active"})
    assert (status, body) == (400, {"error": "Email already in use"})
    status, body, _ = await ef.post(f"/networks/affiliates/users/{JANE}/resetpassword")
    assert (status, body) == (200, {"result": True})
    status, body, _ = await ef.post("/networks/affiliates/users/999/resetpassword")
    assert (status, body) == (404, {"error": "User not found"})


async def test_device_type_and_brand_lists_answer_without_a_key(ef: EverflowClient) -> None:
    keyless = ef.as_key(None)
    status, body, _ = await keyless.get("/meta/devicetypes")
    assert status == 200 and body["devicetypes"][0] == {"device_type_id": 1, "device_type_name": "Desktop"}
    status, body, _ = await keyless.get("/meta/brands")
    assert status == 200 and [b["device_brand_name"] for b in body["brands"]] == ["Apple", "Samsung", "Google"]


async def test_global_search_by_name_or_id(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/meta/search?q=acme")
    assert status == 200
    assert {"network_offer_id": OFFER_PUBLIC, "name": "Acme CPA Offer"} in body["offers"]
    assert all("acme" in row["name"].lower() for kind in body.values() for row in kind)
    status, body, _ = await ef.get(f"/networks/meta/search?q={COUPON_KINGS}")
    assert {"network_affiliate_id": COUPON_KINGS, "name": "Coupon Kings"} in body["affiliates"]
    status, body, _ = await ef.get("/networks/meta/search")
    assert status == 400


async def test_languages_and_portal_translations(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/i18n/languages")
    _, meta, _ = await ef.get("/meta/languages")
    assert (status, body["languages"]) == (200, meta["languages"])
    status, body, _ = await ef.get("/i18n/portal/affiliate/translations/2")
    assert status == 200
    assert (body["language_code"], body["translations"]["offers"]) == ("fr", "Offres")
    status, body, _ = await ef.get("/i18n/portal/affiliate/translations/3")
    assert (status, body["translations"]) == (200, {})
    status, body, _ = await ef.get("/i18n/portal/affiliate/translations/99")
    assert (status, body) == (404, {"error": "Language not found"})
