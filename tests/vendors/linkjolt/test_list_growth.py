"""GET /affiliates reads one page's worth of memberships, however many are stored (issue 17).

Counted, never timed: how many memberships a first page examines, and that no list reads every record.
"""
from __future__ import annotations

import pytest

from sandbox.vendors.linkjolt.handlers import affiliates as handler

from ...counting import CallCounter
from .conftest import CAMP_FIXED, CAMP_PERCENT, LinkJoltClient


@pytest.fixture
async def lj(make_client) -> LinkJoltClient:  # type: ignore[no-untyped-def]
    return LinkJoltClient(await make_client(rate_limits=False))


async def add_affiliates(lj: LinkJoltClient, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        status, body, _ = await lj.post("/affiliates", {"email": f"grow{n}@example.com", "name": f"Grow {n:04d}",
                                                        "campaignId": CAMP_PERCENT if n % 4 else CAMP_FIXED})
        assert status == 201, body


async def first_page_work(lj: LinkJoltClient, monkeypatch: pytest.MonkeyPatch, query: str) -> tuple[int, int, dict]:
    counter = CallCounter(monkeypatch).wrap(handler, "visible", "examined").collection_scans()
    status, body, _ = await lj.get(f"/affiliates?{query}")
    assert status == 200
    monkeypatch.undo()
    return counter["examined"], counter["scans"] + counter["filters"], body


@pytest.mark.parametrize("sort", ["joinedAt:desc", "joinedAt:asc", "name:asc", "email:desc"])
async def test_a_first_page_examines_the_same_number_of_memberships_at_50_and_at_400(
        lj: LinkJoltClient, monkeypatch: pytest.MonkeyPatch, sort: str) -> None:
    await add_affiliates(lj, 50)
    small, small_scans, small_body = await first_page_work(lj, monkeypatch, f"limit=10&sort={sort}")
    await add_affiliates(lj, 350, start=50)
    large, large_scans, large_body = await first_page_work(lj, monkeypatch, f"limit=10&sort={sort}")
    assert (small_scans, large_scans) == (0, 0)
    assert small == large <= 12  # the page, plus a test membership or two the live key skips
    assert large_body["pagination"]["total"] == small_body["pagination"]["total"] + 350


async def test_a_filtered_first_page_counts_its_total_from_an_index(
        lj: LinkJoltClient, monkeypatch: pytest.MonkeyPatch) -> None:
    await add_affiliates(lj, 200)
    examined, scans, body = await first_page_work(lj, monkeypatch,
                                                  f"limit=10&campaignId={CAMP_PERCENT}&status=approved")
    assert scans == 0 and examined <= 20  # three of four new affiliates are on CAMP_PERCENT
    _, everything, _ = await lj.get(f"/affiliates?limit=100&page=2&campaignId={CAMP_PERCENT}&status=approved")
    assert body["pagination"]["total"] == everything["pagination"]["total"] >= 150


async def test_conversions_by_affiliate_read_that_affiliate_s_group_not_every_conversion(
        lj: LinkJoltClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """`affiliateId` is a declared group of conversions: the filtered list reads it (issue 17's indexed filters)."""
    status, everything, _ = await lj.get("/conversions?limit=100")
    assert status == 200
    affiliate = everything["data"][0]["affiliateId"]
    expected = [c["id"] for c in everything["data"] if c["affiliateId"] == affiliate]
    counter = CallCounter(monkeypatch).collection_scans()
    status, body, _ = await lj.get(f"/conversions?limit=100&affiliateId={affiliate}")
    assert status == 200
    assert (counter["scans"], counter["filters"]) == (0, 0)
    assert [c["id"] for c in body["data"]] == expected and body["pagination"]["total"] == len(expected) > 0


async def test_payouts_by_affiliate_or_conversion_read_a_group_not_every_payout(
        lj: LinkJoltClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A payout's affiliate and conversion are groups: lists filtered on either read that group."""
    status, everything, _ = await lj.get("/payouts?limit=100")
    assert status == 200 and len(everything["data"]) >= 2
    counter = CallCounter(monkeypatch).collection_scans()
    for name in ("affiliateId", "conversionId"):
        for value in dict.fromkeys(p[name] for p in everything["data"]):
            counter.reset()
            status, body, _ = await lj.get(f"/payouts?limit=100&{name}={value}")
            assert status == 200
            assert (counter["scans"], counter["filters"]) == (0, 0)
            assert [p["id"] for p in body["data"]] == [p["id"] for p in everything["data"] if p[name] == value]
    counter.reset()
    status, body, _ = await lj.get("/payouts?limit=100&affiliateId=nobody")
    assert (status, body["data"], counter["scans"], counter["filters"]) == (200, [], 0, 0)
