"""Affiliate users: GET|POST /networks/affiliates/{id}/users, GET|PUT /networks/affiliates/{id}/users/{userId}."""
from __future__ import annotations

import pytest

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, DORMANT, NOW, EverflowClient

USER = {"first_name": "Mia", "last_name": "Wong", "email": "mia@brightmedia.example", "title": "Editor",
        "work_phone": "555-0100", "language_id": 2, "timezone_id": 80, "currency_id": "EUR",
        "initial_password": "a-long-enough-password"}


async def test_list_users(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/affiliates/{COUPON_KINGS}/users")
    assert status == 200
    assert body == {"users": [{
        "network_affiliate_user_id": 2, "network_id": 1, "network_affiliate_id": COUPON_KINGS,
        "first_name": "Carl", "last_name": "King", "email": "carl@couponkings.example", "title": "",
        "work_phone": "", "cell_phone": "", "instant_messaging_id": 0, "instant_messaging_identifier": "",
        "language_id": 2, "timezone_id": 80, "currency_id": "USD", "account_status": "active",
        "time_created": 1773156600, "time_saved": 1773156600,
        "relationship": {"affiliate_account_status": "active"}}]}


async def test_create_user_returns_it_without_the_password(ef: EverflowClient) -> None:
    status, body, _ = await ef.post(f"/networks/affiliates/{BRIGHT_MEDIA}/users?notification=false", USER)
    assert status == 200
    expected = {k: v for k, v in USER.items() if k != "initial_password"}
    assert body == {"network_affiliate_user_id": 6, "network_id": 1, "network_affiliate_id": BRIGHT_MEDIA,
                    **expected, "cell_phone": "", "instant_messaging_id": 0, "instant_messaging_identifier": "",
                    "account_status": "active", "time_created": NOW, "time_saved": NOW,
                    "relationship": {"affiliate_account_status": "active"}}
    _, listed, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/users")
    assert [u["network_affiliate_user_id"] for u in listed["users"]] == [1, 6]


async def test_user_defaults_come_from_the_network_and_the_affiliate(ef: EverflowClient) -> None:
    """Guess: language 1, the network's timezone, the affiliate's currency."""
    _, body, _ = await ef.post(f"/networks/affiliates/{DORMANT}/users",
                               {"first_name": "D", "last_name": "E", "email": "d@e.example"})
    assert (body["language_id"], body["timezone_id"], body["currency_id"]) == (1, 67, "USD")
    assert body["relationship"] == {"affiliate_account_status": "inactive"}


async def test_email_unique_across_partner_users_is_400_and_creates_nothing(ef: EverflowClient) -> None:
    """Documented rule; guessed text."""
    status, body, _ = await ef.post(f"/networks/affiliates/{BRIGHT_MEDIA}/users",
                                    USER | {"email": "Carl@CouponKings.example"})
    assert (status, body) == (400, {"error": "Email already in use"})
    _, listed, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/users")
    assert len(listed["users"]) == 1


async def test_create_for_unknown_affiliate_is_404(ef: EverflowClient) -> None:
    """Guess."""
    status, body, _ = await ef.post("/networks/affiliates/999/users", USER)
    assert (status, body) == (404, {"error": "Affiliate not found"})


@pytest.mark.parametrize("change, message", [
    ({"initial_password": "too-short"}, "Invalid value for initial_password"),
    ({"account_status": "pending"}, "Invalid value for account_status: 'pending'. Supported values are: active, inactive"),
    ({"language_id": 42}, "Invalid language_id: 42"),
])
async def test_create_checks(ef: EverflowClient, change: dict, message: str) -> None:
    status, body, _ = await ef.post(f"/networks/affiliates/{BRIGHT_MEDIA}/users", USER | change)
    assert (status, body) == (400, {"error": message})


async def test_empty_initial_password_means_send_an_invite(ef: EverflowClient) -> None:
    status, _, _ = await ef.post(f"/networks/affiliates/{BRIGHT_MEDIA}/users", USER | {"initial_password": ""})
    assert status == 200


async def test_get_user_and_404s(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/users/1")
    assert (status, body["email"]) == (200, "jane@brightmedia.example")
    status, body, _ = await ef.get(f"/networks/affiliates/{COUPON_KINGS}/users/1")  # another affiliate's user
    assert (status, body) == (404, {"error": "User not found"})
    status, body, _ = await ef.get("/networks/affiliates/999/users/1")
    assert (status, body) == (404, {"error": "Affiliate not found"})


async def test_put_is_a_full_replacement(ef: EverflowClient) -> None:
    """Documented: "you must specify all fields"; what is left out falls back to its default."""
    await ef.post(f"/networks/affiliates/{BRIGHT_MEDIA}/users", USER)
    status, body, _ = await ef.put(f"/networks/affiliates/{BRIGHT_MEDIA}/users/6",
                                   {"first_name": "Mia", "last_name": "Wong-Lee", "email": "mia@brightmedia.example",
                                    "account_status": "inactive"})
    assert status == 200
    assert (body["last_name"], body["title"], body["work_phone"], body["language_id"], body["currency_id"],
            body["account_status"]) == ("Wong-Lee", "", "", 1, "USD", "inactive")
    _, again, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/users/6")
    assert again == body


async def test_put_keeps_its_own_email_but_not_anothers(ef: EverflowClient) -> None:
    same = {"first_name": "Jane", "last_name": "Doe", "email": "jane@brightmedia.example"}
    status, _, _ = await ef.put(f"/networks/affiliates/{BRIGHT_MEDIA}/users/1", same)
    assert status == 200
    status, body, _ = await ef.put(f"/networks/affiliates/{BRIGHT_MEDIA}/users/1",
                                   same | {"email": "carl@couponkings.example"})
    assert (status, body) == (400, {"error": "Email already in use"})
