"""Stored-record shapes (issue 13): a restore checks each record's own fields, and the shapes stay honest.

Honest means: every field of every vendor's state has a shape, and what the handlers really store fits it — on the
default tenant and after every write operation the specs offer (tests/safety_writes.py). A handler that starts
storing a new field, or a new collection without a shape in specs/records/<vendor>.yaml, fails here by name.
"""
from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sandbox.app import REGISTRY
from sandbox.core.recordshapes import load_record_shapes
from sandbox.core.store import Collection
from sandbox.vendors import VENDORS

from .safety_writes import drive_every_write

URL = "/_sandbox/tenants/default/snapshot"
LJ = {"Authorization": "Bearer lj_pk_sandbox_ultimate_0001"}


def _misfits(client: TestClient, tenant_id: str = "default") -> list[str]:
    """Every state field without a shape and every stored record or value that does not fit its shape."""
    tenant = client.server.app[REGISTRY].get(tenant_id)
    assert tenant is not None
    shapes = load_record_shapes(tenant.states)
    problems: list[str] = []
    for vendor, state in tenant.states.items():
        if vendor not in shapes:
            problems.append(f"specs/records/{vendor}.yaml is missing")
            continue
        shape = shapes[vendor]
        names = {f.name for f in dataclasses.fields(state)}
        problems.extend(f"specs/records/{vendor}.yaml describes {name}, which the state does not have"
                        for name in sorted(set(shape.fields()) - names))
        for name in sorted(names):
            value = getattr(state, name)
            is_collection = isinstance(value, Collection)
            if shape.fits_collection(name) is None:
                problems.append(f"specs/records/{vendor}.yaml has no shape for {name}")
                continue
            if is_collection and not shape.fits_collection(name):
                problems.append(f"specs/records/{vendor}.yaml: {name} is a collection (`type: array` with `items`, "
                                "the shape of one record)")
                continue
            if is_collection:
                for index, record in enumerate(value):
                    problem = shape.record_problem(name, record)
                    if problem:
                        problems.append(f"{vendor}.{name}.records[{index}]{problem}")
            elif problem := shape.value_problem(name, value):
                problems.append(f"{vendor}.{name}{problem}")
    return problems


async def test_the_default_tenant_fits_the_stored_record_shapes(client: TestClient) -> None:
    assert _misfits(client) == []


@pytest.mark.parametrize("vendor", list(VENDORS))
async def test_after_every_write_the_stored_records_fit_their_shapes(client: TestClient, vendor: str) -> None:
    keys = (await (await client.get("/_sandbox/tenants/default")).json())["keys"]
    succeeded, _ = await drive_every_write(client, vendor, keys[vendor][0])
    # the driver must really write (a driver that reaches nothing would make this test pass for nothing)
    assert len(succeeded) >= {"linkjolt": 6, "promotekit": 6, "tamio": 10, "everflow": 48}[vendor], succeeded
    assert _misfits(client) == []
    # and what was written survives a round trip through a snapshot
    saved = await (await client.get(URL)).json()
    assert (await client.put(URL, json=saved)).status == 200


async def test_a_field_the_shapes_do_not_know_fails_the_honesty_check_by_name(client: TestClient) -> None:
    tenant = client.server.app[REGISTRY].get("default")
    first = next(iter(tenant.states["promotekit"].campaigns))
    tenant.states["promotekit"].campaigns.update(first["id"], {"brand_new_field": 1})
    assert _misfits(client) == [(
        "promotekit.campaigns.records[0].brand_new_field: unknown field (known: approval_needed, code_mode, "
        "collect_details, commission_amount, commission_type, cookie_duration, created_at, custom_commission_type, "
        "dashboard_text, details_text, first_payment_commission, hide_emails, id, is_default, limit_amount, "
        "limit_type, name, reference_coupon, seq, website_url, welcome_message)")]


# -- restores refused, one per finding of the hunt that drops fields and changes types ----------------------------

def _drop(*path: Any):
    def change(snapshot: dict) -> None:
        target = snapshot["vendors"]
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
    return change


def _set(value: Any, *path: Any):
    def change(snapshot: dict) -> None:
        target = snapshot["vendors"]
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return change


REFUSED = [
    ("promotekit campaign without approval_needed",
     _drop("promotekit", "campaigns", "records", 0, "approval_needed"),
     "vendors.promotekit.campaigns.records[0].approval_needed: is missing"),
    ("promotekit campaign without commission_type",
     _drop("promotekit", "campaigns", "records", 0, "commission_type"),
     "vendors.promotekit.campaigns.records[0].commission_type: is missing"),
    ("everflow offer without network_advertiser_id",
     _drop("everflow", "offers", "records", 0, "network_advertiser_id"),
     "vendors.everflow.offers.records[0].network_advertiser_id: is missing"),
    ("everflow offer without preview_url", _drop("everflow", "offers", "records", 0, "preview_url"),
     "vendors.everflow.offers.records[0].preview_url: is missing"),
    ("linkjolt merchant without name", _drop("linkjolt", "merchant", "name"),
     "vendors.linkjolt.merchant.name: is missing"),
    ("linkjolt autoApproveAffiliates 0.5", _set(0.5, "linkjolt", "campaigns", "records", 0, "autoApproveAffiliates"),
     "vendors.linkjolt.campaigns.records[0].autoApproveAffiliates: 0.5 is not of type 'boolean'"),
    ("linkjolt createdAt empty", _set("", "linkjolt", "affiliates", "records", 0, "createdAt"),
     "vendors.linkjolt.affiliates.records[0].createdAt: '' is not a 'date-time'"),
    ("everflow meta_lists.cities not a list", _set({}, "everflow", "meta_lists", "cities"),
     "vendors.everflow.meta_lists.cities: {} is not of type 'array'"),
    ("a sorted field of mixed types", _set(5, "linkjolt", "conversions", "records", 1, "createdAt"),
     "vendors.linkjolt.conversions.records[1].createdAt: 5 is not of type 'string'"),
    ("a closed record with an unknown field", _set(1, "tamio", "programs", "records", 0, "surprise"),
     "vendors.tamio.programs.records[0].surprise: unknown field"),
    ("an integral float where an integer is stored (the hunt: GET /stats was a 500)",
     _set(-0.0, "linkjolt", "conversions", "records", 1, "commissionCents"),
     "vendors.linkjolt.conversions.records[1].commissionCents: -0.0 is not of type 'integer'"),
    ("money beyond its bound", _set(10 ** 13, "linkjolt", "conversions", "records", 0, "amountCents"),
     "vendors.linkjolt.conversions.records[0].amountCents: 10000000000000 is greater than the maximum"),
]


@pytest.mark.parametrize("name, change, message", REFUSED, ids=[r[0] for r in REFUSED])
async def test_a_record_that_does_not_fit_its_shape_is_refused_and_changes_nothing(
        client: TestClient, name: str, change: Any, message: str) -> None:
    saved = await (await client.get(URL)).json()
    assert (await client.post("/_sandbox/tenants/default/clock", json={"advance": 60})).status == 200
    before = await (await client.get(URL)).json()
    bad = copy.deepcopy(saved)
    change(bad)
    response = await client.put(URL, json=bad)
    assert response.status == 400, await response.text()
    body = await response.json()
    assert body["error"]["code"] == "invalid_snapshot"
    assert body["error"]["message"].startswith(message), body
    assert await (await client.get(URL)).json() == before
    assert (await client.get("/linkjolt/api/v1/affiliates", headers=LJ)).status == 200
