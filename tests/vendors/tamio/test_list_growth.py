"""GET /affiliate-programs/list without filters reads one page of programs, however many exist (issue 17).
Counted, never timed."""
from __future__ import annotations

import pytest

from sandbox.vendors.tamio.handlers import programs as handler

from ...counting import CallCounter
from .conftest import MINIMAL_PROGRAM, TamioClient


@pytest.fixture
async def tamio(make_client) -> TamioClient:  # type: ignore[no-untyped-def]
    return TamioClient(await make_client(rate_limits=False))


async def add_programs(tamio: TamioClient, count: int) -> None:
    for _ in range(count):
        status, body, *_ = await tamio.post("/affiliate-programs/create", MINIMAL_PROGRAM)
        assert status == 200, body


async def first_page_work(tamio: TamioClient, monkeypatch: pytest.MonkeyPatch, query: str) -> tuple[int, int, dict]:
    counter = CallCounter(monkeypatch).wrap(handler, "program_out", "rows").collection_scans()
    status, body, *_ = await tamio.get(f"/affiliate-programs/list?{query}")
    assert status == 200, body
    monkeypatch.undo()
    return counter["rows"], counter["scans"] + counter["filters"], body


@pytest.mark.parametrize("order", ["desc", "asc"])
async def test_an_unfiltered_first_page_reads_no_more_at_250_programs_than_at_20(
        tamio: TamioClient, monkeypatch: pytest.MonkeyPatch, order: str) -> None:
    await add_programs(tamio, 20)
    small_rows, small_scans, small = await first_page_work(tamio, monkeypatch, f"per_page=10&order={order}")
    await add_programs(tamio, 230)
    large_rows, large_scans, large = await first_page_work(tamio, monkeypatch, f"per_page=10&order={order}")
    assert (small_scans, large_scans, small_rows, large_rows) == (0, 0, 10, 10)
    assert large["total_results"] == small["total_results"] + 230


async def test_affiliates_by_program_read_that_program_s_group(tamio: TamioClient,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`affiliate_program_id` is a declared group of affiliates: the filtered list reads it, not every one."""
    status, everything = await tamio.get("/affiliates/list?page=1&per_page=100")
    assert status == 200
    program = everything["affiliates"][0]["affiliate_program_id"]
    expected = [a["id"] for a in everything["affiliates"] if a["affiliate_program_id"] == program]
    counter = CallCounter(monkeypatch).collection_scans()
    status, body = await tamio.get(f"/affiliates/list?page=1&per_page=100&affiliate_program_id={program}")
    assert status == 200
    assert (counter["scans"], counter["filters"]) == (0, 0)
    assert [a["id"] for a in body["affiliates"]] == expected != []


async def test_payouts_and_blocked_affiliates_by_program_or_partner_read_a_group(
        tamio: TamioClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A payout's program and partner and a blocked entry's program are groups: their lists read those."""
    from .conftest import BLOCKED, JANE, PAYOUT, PROG_ACTIVE, PROG_EMPTY

    counter = CallCounter(monkeypatch).collection_scans()
    for query in (f"affiliate_partner_id={JANE}", f"affiliate_program_id={PROG_ACTIVE}",
                  f"affiliate_partner_id={JANE}&affiliate_program_id={PROG_ACTIVE}"):
        counter.reset()
        status, body = await tamio.get(f"/affiliates/payouts/list?page=1&per_page=100&{query}")
        assert (status, [p["id"] for p in body["payouts"]]) == (200, [PAYOUT]), query
        assert (counter["scans"], counter["filters"]) == (0, 0), query
    for query in (f"affiliate_program_id={PROG_EMPTY}", f"affiliate_partner_id={JANE}&affiliate_program_id={PROG_EMPTY}"):
        status, body = await tamio.get(f"/affiliates/payouts/list?page=1&per_page=100&{query}")
        assert (status, body["payouts"], body["total_results"]) == (200, [], 0), query
    counter.reset()
    status, body = await tamio.get(f"/affiliates/blocked/{PROG_ACTIVE}?page=1&per_page=100")
    assert (status, [b["id"] for b in body["blocked_affiliates"]]) == (200, [BLOCKED])
    status, body = await tamio.get(f"/affiliates/blocked/{PROG_EMPTY}?page=1&per_page=100")
    assert (status, body["blocked_affiliates"]) == (200, [])
    assert (counter["scans"], counter["filters"]) == (0, 0)
