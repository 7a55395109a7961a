"""Generated ref codes and promo codes: bounded work per create, whatever the store holds, and never a hang.

Issue 17 / issue 13: the 91st same-name affiliate on a coupon campaign looped forever (two-digit promo suffix),
and the ref_code was found by trying jane, jane1, jane2, ... in turn. These tests count index lookups and random
draws per create; none of them times anything.
"""
from __future__ import annotations

import re

import pytest

from sandbox.core.random import RandomSource
from sandbox.core.store import Collection

from ...counting import CallCounter
from .conftest import CAMP_COUPON, PromoteKitClient

pytestmark = pytest.mark.usefixtures("counter")

MANY = 200


def jane(n: int, **extra: object) -> dict:
    return {"email": f"jane.{n}@example.com", "first_name": "Jane", "last_name": f"Number{n}", **extra}


@pytest.fixture
async def pk(make_client) -> PromoteKitClient:  # type: ignore[no-untyped-def]
    """More creates than PromoteKit's 200 a minute: the limiter counts but does not refuse here."""
    return PromoteKitClient(await make_client(rate_limits=False))


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> CallCounter:
    # A budget per create: the old promo-code draw loops forever once the two-digit codes are gone.
    return (CallCounter(monkeypatch, budget=1_000)
            .wrap(Collection, "find", "lookups").wrap(RandomSource, "integer", "draws"))


async def test_two_hundred_same_name_affiliates_on_a_coupon_campaign_all_get_distinct_codes(
        pk: PromoteKitClient, counter: CallCounter) -> None:
    promo_codes, ref_codes = [], []
    for n in range(MANY):
        counter.reset()
        status, body, _ = await pk.post("/affiliates", jane(n, campaign_id=CAMP_COUPON))
        assert status == 200, body
        [promo] = body["data"]["promo_codes"]
        promo_codes.append(promo["code"])
        ref_codes.append(body["data"]["links"][0]["code"] if body["data"]["links"] else None)
    assert len(set(promo_codes)) == MANY
    assert all(re.fullmatch(r"JANE[1-9]\d+", code) for code in promo_codes)
    assert all(re.fullmatch(r"JANE[1-9]\d", code) for code in promo_codes[:40])  # two digits while there is room
    assert len(promo_codes[-1]) > len("JANE00")  # and wider once half of them are taken
    _, listed, _ = await pk.get(f"/affiliates?campaign_id={CAMP_COUPON}&limit=1")
    assert listed["pagination"]["total_count"] >= MANY


async def test_promo_code_draws_per_create_stay_bounded_as_same_name_affiliates_pile_up(
        pk: PromoteKitClient, counter: CallCounter) -> None:
    draws = []
    for n in range(MANY):
        counter.reset()
        status, _, _ = await pk.post("/affiliates", jane(n, campaign_id=CAMP_COUPON))
        assert status == 200
        draws.append(counter["draws"])
    # At most half of any width is ever taken, so a draw rarely misses; never anything like a scan.
    assert max(draws) <= 8
    assert sum(draws[-50:]) <= sum(draws[:50]) + 25


async def test_ref_code_lookups_per_create_do_not_grow_with_same_name_affiliates(
        pk: PromoteKitClient, counter: CallCounter) -> None:
    lookups = []
    for n in range(MANY):
        counter.reset()
        status, body, _ = await pk.post("/affiliates", jane(n))
        assert status == 200
        lookups.append(counter["lookups"])
        if n == 0:
            assert body["data"]["links"][0]["code"] == "jane1"  # the fixtures' Jane holds `jane`
    assert body["data"]["links"][0]["code"] == f"jane{MANY}"  # numbered in turn, as before
    assert max(lookups) == min(lookups)  # the 200th create looks up as much as the first


async def test_ref_codes_set_by_hand_in_the_way_cost_a_few_lookups_then_a_random_suffix(
        pk: PromoteKitClient, counter: CallCounter) -> None:
    for n in range(1, 40):  # jane1 .. jane39 taken by other people, by hand
        status, _, _ = await pk.post("/affiliates", {"email": f"other{n}@example.com", "first_name": "Other",
                                                      "last_name": "Person", "ref_code": f"jane{n}"})
        assert status == 200
    counter.reset()
    status, body, _ = await pk.post("/affiliates", jane(0))
    assert status == 200
    code = body["data"]["links"][0]["code"]
    assert re.fullmatch(r"jane\d+", code) and code not in {f"jane{n}" for n in range(40)}
    assert counter["lookups"] <= 12


async def test_a_create_without_campaign_id_finds_the_default_campaign_without_reading_every_campaign(
        pk: PromoteKitClient, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(30):
        status, _, _ = await pk.post("/campaigns", {"name": f"Extra {n}", "commission_type": "fixed",
                                                    "commission_amount": 5, "code_mode": "coupon",
                                                    "reference_coupon": f"C{n}"})
        assert status == 200
    read = CallCounter(monkeypatch).collection_scans()
    status, body, _ = await pk.post("/affiliates", jane(1))
    assert status == 200 and body["data"]["campaign"]["is_default"] is True
    assert (read["scans"], read["filters"]) == (0, 0)
