"""GET /meta/timezones, /meta/currencies, /meta/languages, /meta/countries: the ids the fixtures and checks use."""
from __future__ import annotations

import pytest

from .conftest import EverflowClient


async def test_timezones_hold_the_documented_ids(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/meta/timezones")
    assert status == 200
    by_id = {row["timezone_id"]: row["timezone"] for row in body["timezones"]}
    assert (by_id[67], by_id[80]) == ("UTC", "America/New_York")


@pytest.mark.parametrize("path, key, expected", [
    ("/meta/currencies", "currencies", {"currency_id": "USD", "currency_name": "US Dollar", "currency_symbol": "$"}),
    ("/meta/languages", "languages", {"language_id": 1, "language_name": "English", "language_code": "en"}),
    ("/meta/countries", "countries", {"country_id": 232, "country_code": "US", "country_name": "United States"}),
])
async def test_meta_lists(ef: EverflowClient, path: str, key: str, expected: dict) -> None:
    status, body, _ = await ef.get(path)
    assert status == 200
    assert body[key][0] == expected


async def test_ids_not_in_the_meta_lists_are_refused_where_they_are_used(ef: EverflowClient) -> None:
    """Guess (the notes): default_currency_id, language_id and timezone_id are checked against /meta."""
    status, body, _ = await ef.post("/networks/affiliates/1/users", {
        "first_name": "A", "last_name": "B", "email": "meta@check.example", "currency_id": "JPY"})
    assert (status, body) == (400, {"error": "Invalid currency_id: JPY"})
