"""Labels: GET/POST/PUT/DELETE /networks/labels."""
from __future__ import annotations

from .conftest import BRIGHT_MEDIA, OFFER_PUBLIC, EverflowClient


async def _labels(ef: EverflowClient) -> dict:
    _, body, _ = await ef.get("/networks/labels")
    return {row["label"]: row for row in body["labels"]}


async def test_list_labels_with_what_carries_them(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/labels")
    assert status == 200
    rows = {row["label"]: row for row in body["labels"]}
    assert list(rows) == ["newsletter", "gold", "vip", "top-performer"]
    assert rows["top-performer"] == {
        "label": "top-performer", "advertiser_ids": [], "affiliate_ids": [BRIGHT_MEDIA], "campaign_ids": [],
        "offer_ids": [OFFER_PUBLIC], "offer_group_ids": [],
        "relationship": {"advertisers": [], "campaigns": [], "offer_groups": [],
                         "affiliates": [{"network_affiliate_id": 1, "network_id": 1, "name": "Bright Media",
                                         "account_status": "active"}],
                         "offers": [{"network_offer_id": 1, "network_id": 1, "name": "Acme CPA Offer",
                                     "offer_status": "active"}]}}
    assert rows["newsletter"]["affiliate_ids"] == []  # zero values, never null (documented)


async def test_create_label(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/labels", {"label": "premium"})
    assert (status, body) == (200, {"label": "premium"})
    assert "premium" in await _labels(ef)


async def test_create_existing_label_is_400(ef: EverflowClient) -> None:
    """Guess."""
    status, body, _ = await ef.post("/networks/labels", {"label": "vip"})
    assert (status, body) == (400, {"error": "Label already exists"})


async def test_rename_label_everywhere(ef: EverflowClient) -> None:
    """Guess: body {label, new_label}."""
    status, body, _ = await ef.put("/networks/labels", {"label": "vip", "new_label": "very-important"})
    assert (status, body) == (200, {"label": "very-important"})
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    assert affiliate["labels"] == ["very-important", "top-performer"]
    assert "vip" not in await _labels(ef)


async def test_rename_checks(ef: EverflowClient) -> None:
    status, body, _ = await ef.put("/networks/labels", {"label": "nope", "new_label": "x"})
    assert (status, body) == (404, {"error": "Label not found"})
    status, body, _ = await ef.put("/networks/labels", {"label": "vip", "new_label": "gold"})
    assert (status, body) == (400, {"error": "Label already exists"})


async def test_delete_label_takes_it_off_everything(ef: EverflowClient) -> None:
    status, body, _ = await ef.delete("/networks/labels?label=top-performer")
    assert (status, body) == (200, {"result": True})
    _, offer, _ = await ef.get(f"/networks/offers/{OFFER_PUBLIC}")
    assert offer["labels"] == []
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    assert affiliate["labels"] == ["vip"]


async def test_delete_checks(ef: EverflowClient) -> None:
    status, body, _ = await ef.delete("/networks/labels?label=nope")
    assert (status, body) == (404, {"error": "Label not found"})
    status, body, _ = await ef.delete("/networks/labels")
    assert (status, body) == (400, {"error": "Missing required field label"})
