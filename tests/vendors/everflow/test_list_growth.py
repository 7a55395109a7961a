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
