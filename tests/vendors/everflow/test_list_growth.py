"""GET /networks/affiliates without a filter reads and renders one page, however many affiliates exist
(issue 17). Counted, never timed."""
from __future__ import annotations

import pytest

from sandbox.vendors.everflow.handlers import affiliates as handler

from ...counting import CallCounter
from .conftest import EverflowClient


@pytest.fixture
async def ef(make_client) -> EverflowClient:  # type: ignore[no-untyped-def]
    return EverflowClient(await make_client(rate_limits=False))


async def add_affiliates(ef: EverflowClient, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        status, body, _ = await ef.post("/networks/affiliates", {"name": f"Grow {n}", "account_status": "active"})
        assert status == 200, body


async def test_an_unfiltered_first_page_renders_no_more_at_250_affiliates_than_at_20(
        ef: EverflowClient, monkeypatch: pytest.MonkeyPatch) -> None:
    await add_affiliates(ef, 20)
    counter = CallCounter(monkeypatch).wrap(handler, "affiliate_base", "rows")  # a row without relationships
    _, small, _ = await ef.get("/networks/affiliates?page_size=10")
    small_rows = counter["rows"]
    await add_affiliates(ef, 230, start=20)
    counter.reset()
    status, large, _ = await ef.get("/networks/affiliates?page_size=10")
    assert status == 200
    assert (small_rows, counter["rows"], len(large["affiliates"])) == (10, 10, 10)
    assert large["paging"]["total_count"] == small["paging"]["total_count"] + 230


async def test_a_conversion_search_reads_the_days_of_its_range_not_every_conversion(
        ef: EverflowClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The date range is required and conversions are grouped by day: a search reads those days' groups."""
    from .test_conversions import REPORT

    counter = CallCounter(monkeypatch).collection_scans()
    status, body, _ = await ef.post("/networks/reporting/conversions?page_size=100", REPORT)
    assert status == 200, body
    assert (counter["scans"], counter["filters"]) == (0, 0)
    assert body["conversions"], "the fixtures' month has conversions"


async def test_an_offer_search_on_an_offer_group_reads_that_group_in_insertion_order(
        ef: EverflowClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Offers are grouped by offer group: a search (and the stream) filtered on one reads it, not every offer; an
    offer moved into the group is listed where a scan of every offer would list it."""
    from .conftest import OFFER_APPROVAL, OFFER_PAUSED, OFFER_PRIVATE

    group = {"network_advertiser_id": 2, "name": "Later first", "offer_group_status": "active",
             "network_offer_ids": [OFFER_PAUSED, OFFER_PRIVATE, OFFER_APPROVAL]}
    status, created, _ = await ef.post("/networks/offergroups", group)
    assert status == 200, created
    search = {"filters": {"network_offer_group_id": created["network_offer_group_id"]}}
    counter = CallCounter(monkeypatch).collection_scans()
    status, table, _ = await ef.post("/networks/offerstable", search)
    _, streamed, _ = await ef.post("/networks/offers/stream", search)
    assert (counter["scans"], counter["filters"]) == (0, 0)
    assert [o["network_offer_id"] for o in table["offers"]] == [OFFER_APPROVAL, OFFER_PRIVATE, OFFER_PAUSED]
    assert (table["paging"]["total_count"], streamed["offers"]) == (3, table["offers"])
    status, everything, _ = await ef.post("/networks/offerstable", {})
    assert [o["network_offer_id"] for o in everything["offers"] if o["network_offer_group_id"] == 2] == [
        o["network_offer_id"] for o in table["offers"]]
