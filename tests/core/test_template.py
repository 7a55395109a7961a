"""Tenant templates: a tenant stamped from a template is the tenant the fixtures build, and shares nothing."""
from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sandbox.config import Settings
from sandbox.core import store, template
from sandbox.core.fixtures import FixtureSet
from sandbox.core.snapshot import snapshot_tenant
from sandbox.core.store import Collection
from sandbox.core.tenants import Tenant, TenantOptions, TenantRegistry
from sandbox.vendors import VENDORS

from ..counting import CallCounter

FROZEN = "frozen:2026-06-15T12:00:00Z"


def registry(clock: str = FROZEN, **options: Any) -> TenantRegistry:
    return TenantRegistry([v() for v in VENDORS.values()], FixtureSet(Settings().fixtures),
                          TenantOptions(clock=clock, **options))


def built(reg: TenantRegistry, seed: int, clock: str = FROZEN) -> Tenant:
    """A tenant built from the fixtures the slow way, as before templates."""
    tenant = Tenant("built", seed, clock)
    for name, vendor in reg.vendors.items():
        tenant.states[name] = vendor.build_state(reg.fixtures.expanded(name, seed), tenant, reg.fixtures.source(name))
    return tenant


def collections(tenant: Tenant) -> dict[str, Collection]:
    return {f"{vendor}.{field.name}": getattr(state, field.name) for vendor, state in tenant.states.items()
            for field in dataclasses.fields(state) if isinstance(getattr(state, field.name), Collection)}


def insides(collection: Collection) -> tuple:
    """Everything a collection holds, indexes, groups, totals, orders and counters included."""
    return tuple(getattr(collection, name) for name in store._CONTENTS if name != "_orders")


def world(tenant: Tenant) -> dict[str, Any]:
    out = snapshot_tenant(tenant)
    del out["tenant"]
    out["insides"] = {name: insides(c) for name, c in collections(tenant).items()}
    return out


def test_every_attribute_of_a_collection_is_either_contents_or_declarations() -> None:
    fresh = Collection("x", unique={"a": lambda r: r["a"]}, orders={"a": lambda r: r["a"]})
    assert set(vars(fresh)) == set(store._CONTENTS) | set(store._SHELL)


@pytest.mark.parametrize("seed", [0, 7])
def test_a_stamped_tenant_is_the_tenant_the_fixtures_build(seed: int) -> None:
    """Every vendor's records, indexes, groups, totals, insertion numbers, plain fields and stream positions."""
    reg = registry()
    first, second = reg.create(seed=seed), reg.create(seed=seed)  # the first makes the template, both stamped
    expected = world(built(reg, seed))
    assert set(expected["vendors"]) == set(VENDORS)
    assert world(first) == expected and world(second) == expected


def test_a_reset_tenant_is_stamped_back_to_the_fixtures() -> None:
    reg = registry()
    tenant = reg.create()
    tenant.states["linkjolt"].affiliates.insert({"id": "aff_x", "email": "x@example.com", "name": "X"})
    tenant.stream("linkjolt").nanoid()
    reg.reset(tenant)
    assert world(tenant) == world(built(reg, 0))


def test_a_write_to_one_copy_never_shows_in_another_or_in_the_template() -> None:
    reg = registry()
    one, two = reg.create(), reg.create()
    affiliates = one.states["linkjolt"].affiliates
    record = next(iter(affiliates))
    affiliates.update(record["id"], {"name": "Changed"})
    record["nested"] = {"deep": [1]}  # a handler's direct change to a stored record
    one.states["promotekit"].settings["changed"] = True  # a plain field
    clicks = one.states["everflow"].clicks
    clicks.delete(next(iter(clicks))[clicks.id_field])
    one.stream("tamio").uuid()
    three = reg.create()
    expected = world(built(reg, 0))
    assert world(two) == expected and world(three) == expected


def test_a_stamped_tenant_unpickles_only_the_parts_it_touches(monkeypatch: pytest.MonkeyPatch) -> None:
    reg = registry()
    reg.create()  # the template exists
    counter = CallCounter(monkeypatch).wrap(pickle, "loads")
    tenant = reg.create()
    assert counter["loads"] == 0 and len(tenant.states) == len(VENDORS)  # no state made yet
    state = tenant.states["linkjolt"]
    assert counter["loads"] == 1  # its plain fields; the other vendors' states are still to make
    assert set(tenant.states.pending) == set(VENDORS) - {"linkjolt"}
    assert state.affiliates.find("email", "nobody@example.com") is None
    assert counter["loads"] == 2  # the affiliates' unique indexes
    assert len(state.affiliates) == 17 and state.affiliates.find("email", "nobody@example.com") is None
    assert counter["loads"] == 3  # and their records, each once
    assert state.conversions.total("campaignCount", ("nowhere", False)) == 0
    assert counter["loads"] == 4  # a count reads the totals, never the records


def test_states_made_on_demand_read_like_a_dict_of_every_vendor_in_order() -> None:
    reg = registry()
    tenant = reg.create()
    assert "tamio" in tenant.states and len(tenant.states) == len(VENDORS)
    assert tenant.states.get("everflow") is tenant.states["everflow"] and tenant.states.get("nope") is None
    assert list(tenant.states) == list(reg.vendors) and not tenant.states.pending  # reading all made all
    again = reg.create()
    replaced = built(reg, 0).states["promotekit"]
    again.states.update({"promotekit": replaced})  # a restore's swap: the pending state is dropped
    assert again.states["promotekit"] is replaced and list(again.states.items())[1] == ("promotekit", replaced)


def test_a_build_that_reads_a_real_clock_is_kept_for_that_second_only() -> None:
    clock = template.ProbeClock.from_setting("real")
    assert clock.second_read() is None
    clock.timestamp()
    read = clock.second_read()
    assert read is not None
    kept = template.TenantTemplate({}, {}, clock)
    later = template.ProbeClock.from_setting("real")
    later.advance(1.0)
    assert kept.fits(clock) and not kept.fits(later)
    spanning = template.ProbeClock.from_setting("real")
    spanning.timestamp()
    spanning.advance(1.0)
    spanning.timestamp()
    with pytest.raises(template.Unfit):
        spanning.second_read()


def test_a_real_clock_tenant_is_the_tenant_the_fixtures_build() -> None:
    reg = registry(clock="real")
    tenant = reg.create()
    expected = world(built(reg, 0, "real"))
    del expected["clock"]
    got = world(tenant)
    del got["clock"]
    assert got == expected


def test_a_state_a_template_cannot_hold_is_built_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    reg = registry()
    linkjolt = reg.vendors["linkjolt"]
    original = linkjolt.build_state

    def unpicklable(*args: Any) -> Any:
        state = original(*args)
        state.settings["hook"] = lambda: None  # not picklable: no template, the model is the tenant's world
        return state

    monkeypatch.setattr(linkjolt, "build_state", unpicklable)
    kept = set(reg._templates)
    tenant = reg.create(seed=5)  # a seed with no template yet
    assert callable(tenant.states["linkjolt"].settings["hook"])
    assert len(tenant.states["linkjolt"].affiliates) == 17
    assert set(reg._templates) == kept


async def test_tenants_made_by_fresh_keys_read_their_own_writes_only(client: TestClient) -> None:
    headers = {"Authorization": "Bearer lj_pk_test_template_one_0001"}
    others = {"Authorization": "Bearer lj_pk_test_template_two_0001"}
    before = await (await client.get("/linkjolt/api/v1/affiliates?limit=100", headers=others)).json()
    created = await client.post("/linkjolt/api/v1/affiliates", headers=headers, json={
        "email": "only.one@example.com", "name": "Only One", "campaignId": "camp_percentage_00001"})
    assert created.status == 201
    mine = await (await client.get("/linkjolt/api/v1/affiliates?limit=100", headers=headers)).json()
    assert mine["pagination"]["total"] == before["pagination"]["total"] + 1
    third = {"Authorization": "Bearer lj_pk_test_template_three_0001"}
    for key in (others, third):
        response = await client.get("/linkjolt/api/v1/affiliates?limit=100", headers=key)
        assert response.status == 200 and await response.json() == before
