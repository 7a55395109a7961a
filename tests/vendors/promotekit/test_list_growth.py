"""GET /affiliates reads one page's worth of affiliates, however many are stored (issue 17); a unique filter
(email, ref_code, promo_code) is one index lookup. Counted, never timed."""
from __future__ import annotations

import pytest

from sandbox.vendors.promotekit import models

from ...counting import CallCounter
from .conftest import CAMP_COUPON, PromoteKitClient


@pytest.fixture
async def pk(make_client) -> PromoteKitClient:  # type: ignore[no-untyped-def]
    return PromoteKitClient(await make_client(rate_limits=False))


async def add_affiliates(pk: PromoteKitClient, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        body = {"email": f"grow{n}@example.com", "first_name": f"Grow{n}", "last_name": "Load"}
        status, answer, _ = await pk.post("/affiliates", body | ({"campaign_id": CAMP_COUPON} if n % 2 else {}))
        assert status == 200, answer


async def first_page_work(pk: PromoteKitClient, monkeypatch: pytest.MonkeyPatch, query: str) -> tuple[int, int, dict]:
    counter = CallCounter(monkeypatch).wrap(models, "campaign_out", "rows").collection_scans()
    status, body, _ = await pk.get(f"/affiliates?{query}")
    assert status == 200
    monkeypatch.undo()
    return counter["rows"], counter["scans"] + counter["filters"], body


@pytest.mark.parametrize("query", ["limit=10", f"limit=10&campaign_id={CAMP_COUPON}", "limit=10&email=grow7@example.com",
                                   "limit=10&ref_code=grow7", f"limit=10&campaign_id={CAMP_COUPON}&ref_code=grow7"])
async def test_a_first_page_reads_no_more_at_400_affiliates_than_at_50(
        pk: PromoteKitClient, monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    await add_affiliates(pk, 50)
    small_rows, small_scans, small = await first_page_work(pk, monkeypatch, query)
    await add_affiliates(pk, 350, start=50)
    large_rows, large_scans, large = await first_page_work(pk, monkeypatch, query)
    assert (small_scans, large_scans) == (0, 0)
    assert small_rows == large_rows <= 10
    assert small["data"][:1] == large["data"][:1] or "email" not in query and "ref_code" not in query
    grown = large["pagination"]["total_count"] - small["pagination"]["total_count"]
    assert grown == {"limit=10": 350, f"limit=10&campaign_id={CAMP_COUPON}": 175}.get(query, 0)


async def test_a_commission_create_counts_the_referral_s_commissions_without_reading_them(
        pk: PromoteKitClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from .test_commissions import NEW

    counter = CallCounter(monkeypatch).collection_scans()
    status, body, _ = await pk.post("/commissions", NEW)
    assert status == 200, body
    assert (counter["scans"], counter["filters"]) == (0, 0)


async def test_referrals_by_email_are_one_index_lookup(pk: PromoteKitClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A referral's email is unique: the filtered list finds it in the index, whatever its case."""
    from .conftest import JANE, SAM

    for n, affiliate in enumerate((JANE, SAM, JANE)):
        status, body, _ = await pk.post("/referrals", {"affiliate_id": affiliate, "email": f"buyer{n}@example.com"})
        assert status == 200, body
    counter = CallCounter(monkeypatch).collection_scans()
    status, found, _ = await pk.get("/referrals?email=BUYER1@example.com")
    _, elsewhere, _ = await pk.get(f"/referrals?email=buyer1@example.com&affiliate_id={JANE}")
    _, nobody, _ = await pk.get("/referrals?email=nobody@example.com")
    assert status == 200
    assert (counter["scans"], counter["filters"]) == (0, 0)
    assert [(r["email"], r["affiliate"]["id"]) for r in found["data"]] == [("buyer1@example.com", SAM)]
    assert elsewhere["data"] == [] == nobody["data"]


@pytest.mark.parametrize(("path", "field"), [("/referrals", "affiliate_id"), ("/commissions", "affiliate_id"),
                                             ("/commissions", "referral_id"), ("/payouts", "affiliate_id")])
async def test_lists_by_a_parent_id_read_its_group_not_every_record(
        pk: PromoteKitClient, monkeypatch: pytest.MonkeyPatch, path: str, field: str) -> None:
    """Referrals, commissions and payouts are grouped by the parent ids their lists filter on (lower-cased, as the
    filters compare): such a list reads the group. The rows are those of the whole list with that parent."""
    status, everything, _ = await pk.get(f"{path}?limit=100")
    assert status == 200
    parent = next(row[field] if field in row else row[field.removesuffix("_id")]["id"]
                  for row in everything["data"] if field in row or field.removesuffix("_id") in row)
    owned = [row["id"] for row in everything["data"]
             if (row[field] if field in row else row[field.removesuffix("_id")]["id"]) == parent]
    counter = CallCounter(monkeypatch).collection_scans()
    status, body, _ = await pk.get(f"{path}?limit=100&{field}={parent.upper()}")
    assert status == 200
    assert (counter["scans"], counter["filters"]) == (0, 0)
    assert [row["id"] for row in body["data"]] == owned != []
