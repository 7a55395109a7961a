"""Labels: GET/POST/PUT/DELETE /networks/labels."""
from __future__ import annotations

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, OFFER_PUBLIC, EverflowClient


async def _labels(ef: EverflowClient) -> dict:
    _, body, _ = await ef.get("/networks/labels")
    return {row["label"]: row for row in body["labels"]}


async def test_list_labels_with_what_carries_them(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/labels")
    assert status == 200
    rows = {row["label"]: row for row in body["labels"]}
    assert list(rows) == ["newsletter", "gold", "vip", "top-performer"]
    assert rows["top-performer"] == {
        "network_label_id": 4, "label": "top-performer", "advertiser_ids": [], "affiliate_ids": [BRIGHT_MEDIA], "campaign_ids": [],
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
    """Guess: laravel-everflow's PUT /networks/labels names the label in the body; new_label renames it."""
    status, body, _ = await ef.put("/networks/labels", {"label": "vip", "new_label": "very-important"})
    assert status == 200
    assert (body["network_label_id"], body["label"], body["affiliate_ids"]) == (3, "very-important", [BRIGHT_MEDIA])
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    assert affiliate["labels"] == ["very-important", "top-performer"]
    assert "vip" not in await _labels(ef)


async def test_put_sets_what_carries_the_label(ef: EverflowClient) -> None:
    """Guess: affiliate_ids / offer_ids (the ids the label object lists) set exactly what carries it."""
    status, body, _ = await ef.put("/networks/labels", {"label": "vip", "affiliate_ids": [COUPON_KINGS],
                                                         "offer_ids": [OFFER_PUBLIC]})
    assert status == 200
    assert (body["affiliate_ids"], body["offer_ids"]) == ([COUPON_KINGS], [OFFER_PUBLIC])
    _, bright, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    assert bright["labels"] == ["top-performer"]


async def test_rename_checks(ef: EverflowClient) -> None:
    status, body, _ = await ef.put("/networks/labels", {"label": "nope", "new_label": "x"})
    assert (status, body) == (404, {"error": "Label not found"})
    status, body, _ = await ef.put("/networks/labels", {"label": "vip", "new_label": "gold"})
    assert (status, body) == (400, {"error": "Label already exists"})
    status, body, _ = await ef.put("/networks/labels", {"label": "vip", "affiliate_ids": [99]})
    assert (status, body) == (400, {"error": "Invalid affiliate_ids: 99"})
    status, body, _ = await ef.put("/networks/labels", {"label": "vip", "color": "red"})
    assert (status, body) == (400, {"error": "Unknown field(s) in body: color"})
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    assert affiliate["labels"] == ["vip", "top-performer"]


async def test_get_label_by_id_or_name(ef: EverflowClient) -> None:
    status, by_id, _ = await ef.get("/networks/labels/3")
    assert (status, by_id["label"], by_id["affiliate_ids"]) == (200, "vip", [BRIGHT_MEDIA])
    status, by_name, _ = await ef.get("/networks/labels/vip")
    assert (status, by_name) == (200, by_id)
    status, body, _ = await ef.get("/networks/labels/99")
    assert (status, body) == (404, {"error": "Label not found"})


async def test_put_label_by_id_renames_it(ef: EverflowClient) -> None:
    """The docs mirror: PUT /networks/labels/{labelId} {"label": <new name>}."""
    status, body, _ = await ef.put("/networks/labels/3", {"label": "premium-v2"})
    assert (status, body["network_label_id"], body["label"]) == (200, 3, "premium-v2")
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    assert affiliate["labels"] == ["premium-v2", "top-performer"]
    status, body, _ = await ef.put("/networks/labels/3", {"label": "gold"})
    assert (status, body) == (400, {"error": "Label already exists"})


async def test_delete_label_named_in_the_body(ef: EverflowClient) -> None:
    """laravel-everflow sends DELETE /networks/labels with {"label": ...} in the body."""
    status, body, _ = await ef.delete("/networks/labels", json={"label": "vip"})
    assert (status, body) == (200, {"result": True})
    assert "vip" not in await _labels(ef)
    status, body, _ = await ef.delete("/networks/labels", json={"label": "vip"})
    assert (status, body) == (404, {"error": "Label not found"})


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
