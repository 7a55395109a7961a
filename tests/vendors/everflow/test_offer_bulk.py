"""Offer bulk edit: POST /networks/patch/offers/submit (preview), PATCH /networks/patch/offers/apply,
PATCH /networks/offers/offerstyped (laravel-everflow), PATCH /networks/offers/patch (docs mirror)."""
from __future__ import annotations

import pytest

from .conftest import NOW, OFFER_APPROVAL, OFFER_PUBLIC, EverflowClient

PAUSE = {"network_offer_ids": [OFFER_PUBLIC, OFFER_APPROVAL],
         "fields": [{"field_type": "offer_status", "field_value": "paused", "operator": "overwrite"}]}


async def _statuses(ef: EverflowClient) -> list[str]:
    return [(await ef.get(f"/networks/offers/{i}"))[1]["offer_status"] for i in (OFFER_PUBLIC, OFFER_APPROVAL)]


async def test_preview_changes_nothing(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/patch/offers/submit", PAUSE | {"network_offer_ids": [OFFER_PUBLIC, 99]})
    assert status == 200
    assert body == {"changes": [{
        "network_offer": {"network_offer_id": OFFER_PUBLIC, "network_id": 1, "name": "Acme CPA Offer",
                          "offer_status": "active"},
        "change_status": "ok",
        "current_field": {"field_type": "offer_status", "field_value": "active", "operator": "overwrite"},
        "changed_field": PAUSE["fields"][0], "error_message": "", "related_changes": ""}],
        "resource_errors": ["Offer 99 not found"]}
    assert await _statuses(ef) == ["active", "active"]
    status, draft, _ = await ef.post("/networks/offers/patch/submit", PAUSE | {"network_offer_ids": [OFFER_PUBLIC, 99]})
    assert (status, draft) == (200, body)


@pytest.mark.parametrize("method, path", [("PATCH", "/networks/patch/offers/apply"),
                                          ("PATCH", "/networks/offers/offerstyped")])
async def test_apply_changes_every_offer(ef: EverflowClient, method: str, path: str) -> None:
    status, body, _ = await ef.call(method, path, json=PAUSE)
    assert (status, body) == (200, {"result": True})
    assert await _statuses(ef) == ["paused", "paused"]
    _, offer, _ = await ef.get(f"/networks/offers/{OFFER_PUBLIC}")
    assert offer["time_saved"] == NOW


async def test_docs_mirror_form(ef: EverflowClient) -> None:
    status, body, _ = await ef.patch("/networks/offers/patch", {"offer_ids": [OFFER_PUBLIC, OFFER_APPROVAL],
                                                                "changes": {"offer_status": "paused",
                                                                            "internal_notes": "bulk"}})
    assert (status, body) == (200, {"result": True})
    assert await _statuses(ef) == ["paused", "paused"]
    status, body, _ = await ef.patch("/networks/offers/patch", {"offer_ids": [OFFER_PUBLIC],
                                                                "changes": {"payout": 3}})
    assert (status, body) == (400, {"error": "Unknown field(s) in changes: payout"})


@pytest.mark.parametrize("body, message", [
    (PAUSE | {"network_offer_ids": [OFFER_PUBLIC, 99]}, "Offer 99 not found"),
    (PAUSE | {"fields": [{"field_type": "offer_status", "field_value": "gone"}]}, "Invalid value for offer_status: gone"),
    (PAUSE | {"fields": [{"field_type": "network_advertiser_id", "field_value": 9}]},
     "Invalid value for network_advertiser_id: 9"),
    (PAUSE | {"fields": [{"field_type": "name", "field_value": "x"}]},
     "Invalid value for fields[0].field_type: 'name'. Supported values are: offer_status, visibility, "
     "network_advertiser_id, network_tracking_domain_id, currency_id, session_duration, internal_notes"),
])
async def test_apply_is_all_or_nothing(ef: EverflowClient, body: dict, message: str) -> None:
    status, answer, _ = await ef.patch("/networks/patch/offers/apply", body)
    assert (status, answer) == (400, {"error": message})
    assert await _statuses(ef) == ["active", "active"]
