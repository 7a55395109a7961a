"""Matatika/tap-everflow (Singer tap, https://github.com/Matatika/tap-everflow, HEAD e401f4f) replayed call by call:
its offers, conversions and clicks streams, with the method, path, query, headers and body it sends and the
response fields it reads next. References are `file:line` in that repository.

The tap runs on the wall clock; the replay puts its "now" at the tests' frozen tenant clock.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

BASE = "/everflow/v1"  # the tap's url_base is https://api.eflow.team/v1 (client.py:18)
KEY = "ef_sandbox_network_0001"
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)  # tests/conftest.py FROZEN_AT
START_DATE = NOW - timedelta(days=365)  # the tap's default start_date (tap.py:28-34)
FORMAT = r"%Y-%m-%d %H:%M:%S"  # streams.py:327-328 and 550-551
PAGE_SIZE = 2000  # client.py:41


def _auth() -> dict[str, str]:
    """APIKeyAuthenticator with key "X-Eflow-API-Key" in the header (client.py:20-28)."""
    return {"X-Eflow-API-Key": KEY}


async def _json(response: Any, status: int = 200) -> Any:
    assert response.status == status, await response.text()
    return await response.json()


async def _utc_timezone_id(client: TestClient) -> int:
    """client.py:45-57: a bare `requests_session.get` of /meta/timezones (no API key), then the entry whose
    `timezone` is "UTC"."""
    body = await _json(await client.get(f"{BASE}/meta/timezones"))
    return next(tz["timezone_id"] for tz in body["timezones"] if tz["timezone"] == str(UTC))


async def _paged(client: TestClient, method: str, path: str, records: str, json: Any = None) -> list[dict]:
    """EverflowPaginator (pagination.py:16-36): ?page_size=2000, then ?page=N while page_size * page < total_count;
    records from `$.<records>[*]` (streams.py:22, 293)."""
    out: list[dict] = []
    page: int | None = None
    for _ in range(100):  # the tap has no bound; the replay stops a runaway loop
        params: dict[str, Any] = {"page_size": PAGE_SIZE} if page is None else {"page": page, "page_size": PAGE_SIZE}
        body = await _json(await client.request(method, BASE + path, params=params, json=json, headers=_auth()))
        out += body[records]
        paging = body["paging"]
        if not paging["page_size"] * paging["page"] < paging["total_count"]:
            return out
        page = paging["page"] + 1
    raise AssertionError("the paginator never stopped")


async def test_offers_stream(client: TestClient) -> None:
    """OffersStream (streams.py:16-22): GET /networks/offers, primary key network_offer_id."""
    offers = await _paged(client, "GET", "/networks/offers", "offers")
    assert sorted(o["network_offer_id"] for o in offers) == [1, 2, 3, 4]
    for offer in offers:  # fields its schema and post_process read (streams.py:26-121, 274-279)
        assert isinstance(offer["name"], str) and isinstance(offer["time_saved"], int)
        assert "date_live_until" in offer and isinstance(offer["relationship"], dict)


async def test_conversions_stream(client: TestClient) -> None:
    """ConversionsStream (streams.py:282-331): the UTC timezone id first, then POST /networks/reporting/conversions
    from start_date to now with show_conversions and show_events; replication key conversion_unix_timestamp."""
    timezone_id = await _utc_timezone_id(client)
    assert timezone_id == 67
    body = {"from": START_DATE.strftime(FORMAT), "to": NOW.strftime(FORMAT), "timezone_id": timezone_id,
            "show_conversions": True, "show_events": True}
    conversions = await _paged(client, "POST", "/networks/reporting/conversions", "conversions", body)
    assert len(conversions) == 62  # every fixture conversion (tests/vendors/everflow/test_conversions.py)
    assert len({c["conversion_id"] for c in conversions}) == 62
    assert all(isinstance(c["conversion_unix_timestamp"], int) for c in conversions)


async def test_clicks_stream(client: TestClient) -> None:
    """ClicksStream (streams.py:394-553) and ClicksPaginator (pagination.py:39-58): POST
    /networks/reporting/clicks/stream with {from, to, timezone_id}, from no earlier than 90 days ago and to at most
    14 days later; the next window starts at clicks[0].unix_timestamp, sent again as from and (through the base
    class's get_url_params, client.py:35-43) as ?page=<that datetime>; the stream stops when clicks[0] is the
    window's own start. Every valid click of the last 90 days is read."""
    timezone_id = await _utc_timezone_id(client)
    seen: set[str] = set()
    start, token = START_DATE, None
    for _ in range(100):
        from_date = max(token or start, NOW - timedelta(days=90))
        to_date = min(from_date + timedelta(days=14), NOW)
        body = {"from": from_date.strftime(FORMAT), "to": to_date.strftime(FORMAT), "timezone_id": timezone_id}
        params: dict[str, Any] = {"page_size": PAGE_SIZE} if token is None else {"page": str(token),
                                                                                  "page_size": PAGE_SIZE}
        answer = await _json(await client.post(f"{BASE}/networks/reporting/clicks/stream", params=params,
                                               json=body, headers=_auth()))
        clicks = answer["clicks"]
        assert clicks, f"an empty window {body} stops the tap with IndexError (pagination.py:49)"
        seen |= {c["transaction_id"] for c in clicks}
        next_date = datetime.fromtimestamp(clicks[0]["unix_timestamp"], tz=UTC)
        if next_date.strftime(FORMAT) == body["from"]:
            break
        token = next_date
    else:
        raise AssertionError("the clicks paginator never stopped")
    summary = await _json(await client.post(
        f"{BASE}/networks/reporting/entity/summary", headers=_auth(),
        json={"from": (NOW - timedelta(days=90)).strftime(FORMAT), "to": NOW.strftime(FORMAT),
              "timezone_id": timezone_id, "currency_id": "USD"}))
    assert len(seen) == summary["total_click"]


async def test_the_timezones_list_answers_without_a_key(client: TestClient) -> None:
    """Everflow's metadata reference declares `security: []`: the lists answer without a key (the tap relies on
    it, client.py:48), with a key too; other paths still need one."""
    assert (await _json(await client.get(f"{BASE}/meta/timezones")))["timezones"]
    assert (await _json(await client.get(f"{BASE}/meta/currencies", headers=_auth())))["currencies"]
    assert await _json(await client.get(f"{BASE}/networks/offers"), 401) == {
        "error": "No Authentication Method Found"}
    assert await _json(await client.get(f"{BASE}/meta/timezones", headers={"X-Eflow-API-Key": "bad"}), 401) == {
        "error": "No Authentication Method Found"}
