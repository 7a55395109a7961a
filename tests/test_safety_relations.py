"""A restore can never store a reference that points nowhere or a counter behind its records (issue 13 follow-up).

Every relation and counter a vendor's state declares is broken once here, through the control plane; each must be
a 400 `invalid_snapshot` naming the field, change nothing, and leave every read working."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
from aiohttp.test_utils import TestClient

from sandbox.core.fixtures import FixtureError
from sandbox.core.relations import Counter, Relation, declared_problem, first_problem
from sandbox.core.store import Collection
from sandbox.vendors import VENDORS
from sandbox.vendors.everflow.state import EverflowState
from sandbox.vendors.linkjolt.state import LinkJoltState
from sandbox.vendors.promotekit.state import PromoteKitState
from sandbox.vendors.tamio.state import TamioState

URL = "/_sandbox/tenants/default/snapshot"
LJ = {"Authorization": "Bearer lj_pk_sandbox_ultimate_0001"}
MISSING = "no-such-record"


STATES: dict[str, type] = {"linkjolt": LinkJoltState, "promotekit": PromoteKitState, "tamio": TamioState,
                           "everflow": EverflowState}
assert set(STATES) == set(VENDORS)


RELATIONS = [(vendor, relation) for vendor in VENDORS for relation in STATES[vendor].RELATIONS]


async def _refused(client: TestClient, bad: dict, message: str) -> None:
    before = await (await client.get(URL)).json()
    response = await client.put(URL, json=bad)
    assert response.status == 400, await response.text()
    assert await response.json() == {"error": {"code": "invalid_snapshot", "message": message}}
    assert await (await client.get(URL)).json() == before
    assert (await client.get("/linkjolt/api/v1/affiliates", headers=LJ)).status == 200


async def test_emptied_affiliates_with_memberships_left_is_refused(client: TestClient) -> None:
    """The property test's finding: affiliates [] while memberships still name them was stored, then a 500."""
    bad = await (await client.get(URL)).json()
    bad["vendors"]["linkjolt"]["affiliates"]["records"] = []
    first = bad["vendors"]["linkjolt"]["memberships"]["records"][0]["affiliateId"]
    await _refused(client, bad, f"vendors.linkjolt.memberships.records[0].affiliateId: {first!r} is not the id of "
                                "a record in affiliates")


@pytest.mark.parametrize("vendor, relation", RELATIONS,
                         ids=[f"{v}.{r.collection}.{r.field}" for v, r in RELATIONS])
async def test_every_declared_reference_that_points_nowhere_is_refused(client: TestClient, vendor: str,
                                                                        relation: Relation) -> None:
    bad = await (await client.get(URL)).json()
    records = bad["vendors"][vendor][relation.collection]["records"]
    assert records, f"the default fixtures hold no {vendor} {relation.collection} to break"
    index = 0
    if relation.many:
        records[index].setdefault(relation.field, [])
        records[index][relation.field] = [*records[index][relation.field], MISSING]
        suffix = f"[{len(records[index][relation.field]) - 1}]"
    else:
        records[index][relation.field] = MISSING
        suffix = ""
    await _refused(client, bad, f"vendors.{vendor}.{relation.collection}.records[{index}].{relation.field}{suffix}: "
                                f"{MISSING!r} is not the id of a record in {relation.target}")


async def test_a_missing_reference_field_is_refused(client: TestClient) -> None:
    """The property test's second finding: a membership without campaignId was stored, then GET /affiliates 500."""
    bad = await (await client.get(URL)).json()
    del bad["vendors"]["linkjolt"]["memberships"]["records"][0]["campaignId"]
    # campaignId is read by the memberships' own index, so the insert finds it missing before the relation does
    await _refused(client, bad, "vendors.linkjolt.memberships.records[0].campaignId: is missing")
    bad = await (await client.get(URL)).json()
    del bad["vendors"]["everflow"]["affiliates"]["records"][0]["network_affiliate_tier_id"]
    await _refused(client, bad, "vendors.everflow.affiliates.records[0].network_affiliate_tier_id: is missing (it "
                                "must be null or the id of a record in tiers)")


async def test_null_where_everflow_writes_0_is_refused(client: TestClient) -> None:
    """Found by the property: a pixel with network_offer_id null was stored, then GET /networks/pixels 500 under
    strict responses (the field is an integer)."""
    bad = await (await client.get(URL)).json()
    bad["vendors"]["everflow"]["pixels"]["records"][1]["network_offer_id"] = None
    await _refused(client, bad, "vendors.everflow.pixels.records[1].network_offer_id: None is not the id of a record "
                                "in offers")


async def test_a_reference_that_is_no_id_at_all_is_refused(client: TestClient) -> None:
    bad = await (await client.get(URL)).json()
    bad["vendors"]["tamio"]["programs"]["records"][0]["products"] = {"a": 1}
    await _refused(client, bad, "vendors.tamio.programs.records[0].products: {'a': 1} is not the id of a record in "
                                "products")


@pytest.mark.parametrize("vendor, name, collection, record_field", [
    ("promotekit", "last_seq", "commissions", "seq"), ("everflow", "label_seq", "labels", "network_label_id")])
async def test_a_counter_behind_its_records_is_refused(client: TestClient, vendor: str, name: str, collection: str,
                                                      record_field: str) -> None:
    bad = await (await client.get(URL)).json()
    highest = max(r[record_field] for r in bad["vendors"][vendor][collection]["records"])
    bad["vendors"][vendor][name] = 1
    assert highest > 1
    message = await (await client.put(URL, json=bad)).json()
    assert message["error"]["code"] == "invalid_snapshot"
    assert message["error"]["message"].startswith(f"vendors.{vendor}.{name}: 1 is below ")


async def test_a_none_value_is_no_reference_and_a_restore_of_what_the_api_made_is_accepted(
        client: TestClient) -> None:
    """Everflow's 0 for "no tier" and a null parent are not references; a deleted Tamio affiliate's paid payout
    keeps its copy of the affiliate and is still a valid snapshot."""
    saved = await (await client.get(URL)).json()
    good = copy.deepcopy(saved)
    good["vendors"]["everflow"]["affiliates"]["records"][0]["network_affiliate_tier_id"] = 0
    good["vendors"]["everflow"]["pixels"]["records"][0]["network_offer_id"] = 0
    good["vendors"]["linkjolt"]["conversions"]["records"][0]["parentConversionId"] = None
    payout = good["vendors"]["tamio"]["payouts"]["records"][0]
    good["vendors"]["tamio"]["affiliates"]["records"] = [
        a for a in good["vendors"]["tamio"]["affiliates"]["records"] if a["id"] != payout["affiliate_id"]]
    response = await client.put(URL, json=good)
    assert response.status == 200, await response.text()
    assert (await (await client.get(URL)).json())["vendors"] == good["vendors"]


# -- the mechanism itself, and fixture loading -----------------------------------------------------------------

@dataclass
class _Shop:
    RELATIONS: ClassVar[tuple[Relation, ...]] = (Relation("orders", "customer", "customers"),
                                                 Relation("orders", "tags", "tags", many=True, none=(None, 0)))
    COUNTERS: ClassVar[tuple[Counter, ...]] = (Counter("seq", (("orders", "n"),)),)
    customers: Collection = field(default_factory=lambda: Collection("customers"))
    tags: Collection = field(default_factory=lambda: Collection("tags"))
    orders: Collection = field(default_factory=lambda: Collection("orders"))
    seq: int = 0


def _shop(orders: list[dict[str, Any]], seq: int = 9) -> _Shop:
    shop = _Shop(seq=seq)
    shop.customers.insert({"id": "c1"})
    shop.tags.insert({"id": "t1"})
    for order in orders:
        shop.orders.insert(order)
    return shop


def test_first_problem_names_the_record_and_field_in_order() -> None:
    assert declared_problem(_shop([{"id": 1, "customer": "c1", "tags": ["t1", 0, None], "n": 3}])) is None
    problem = declared_problem(_shop([{"id": 1, "customer": "c1", "n": 1},
                                      {"id": 2, "customer": "c2", "tags": ["t9"], "n": 2}]))
    assert str(problem) == "orders.records[1].customer: 'c2' is not the id of a record in customers"
    problem = declared_problem(_shop([{"id": 1, "customer": "c1", "tags": ["t1", "t9"], "n": 2}]))
    assert str(problem) == "orders.records[0].tags[1]: 't9' is not the id of a record in tags"
    problem = declared_problem(_shop([{"id": 1, "n": 2}]))
    assert str(problem) == "orders.records[0].customer: is missing (it must be the id of a record in customers)"
    problem = declared_problem(_shop([{"id": 1, "customer": [1], "n": 2}]))
    assert str(problem) == "orders.records[0].customer: [1] is not the id of a record in customers"
    problem = declared_problem(_shop([{"id": 1, "customer": "c1", "tags": [], "n": 12}]))
    assert str(problem) == ("seq: 9 is below 12, the highest orders n: the next one would repeat a number already "
                            "used")
    assert first_problem(_shop([{"id": 1}]), ()) is None  # nothing declared, nothing checked


def test_fixture_loading_runs_the_same_check_after_the_vendor_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A builder that forgot a reference check still cannot start a world with a dangling reference."""
    vendor = VENDORS["promotekit"]()
    broken = _shop([{"id": 1, "customer": "gone", "n": 1}])
    monkeypatch.setattr(vendor.parts.state, "build_state", lambda data, tenant, source: broken)
    with pytest.raises(FixtureError) as caught:
        vendor.build_state({}, None, "fixtures/promotekit.yaml")  # type: ignore[arg-type]
    assert str(caught.value) == ("fixtures/promotekit.yaml: orders.records[0].customer: 'gone' is not the id of a "
                                 "record in customers")
