"""An affiliate's tracking domains (/networks/affiliates/{id}/trackingdomains) and API keys (apikeys, /apikey)."""
from __future__ import annotations

import re

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, NOW, EverflowClient

EPOCH = 1767225600


async def test_list_and_get_an_affiliates_tracking_domains(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/trackingdomains")
    assert status == 200
    row = {"network_tracking_domain_id": 2, "network_id": 1, "domain": "go.brightmedia-track.example",
           "status": "active", "is_default": True, "time_created": EPOCH, "time_saved": EPOCH,
           "network_affiliate_tracking_domain_id": 1, "network_affiliate_id": BRIGHT_MEDIA}
    assert body == {"tracking_domains": [row]}
    status, one, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/trackingdomains/1")
    assert (status, one) == (200, row)
    status, other, _ = await ef.get(f"/networks/affiliates/{COUPON_KINGS}/trackingdomains/1")
    assert (status, other) == (404, {"error": "Tracking domain not found"})
    status, missing, _ = await ef.get("/networks/affiliates/99/trackingdomains")
    assert (status, missing) == (404, {"error": "Affiliate not found"})


async def test_assign_change_and_remove_a_tracking_domain(ef: EverflowClient) -> None:
    path = f"/networks/affiliates/{BRIGHT_MEDIA}/trackingdomains"
    status, created, _ = await ef.post(path, {"network_tracking_domain_id": 1, "is_default": True})
    assert status == 200
    assert (created["network_affiliate_tracking_domain_id"], created["domain"], created["is_default"],
            created["time_created"]) == (2, "www.example-track.com", True, NOW)
    _, listed, _ = await ef.get(path)
    assert [(r["network_affiliate_tracking_domain_id"], r["is_default"]) for r in listed["tracking_domains"]] == [
        (1, False), (2, True)]  # one default at a time (guess)
    status, body, _ = await ef.post(path, {"network_tracking_domain_id": 2})
    assert (status, body) == (400, {"error": "Invalid network_tracking_domain_id: 2"})  # already assigned
    status, body, _ = await ef.put(f"{path}/2", {"network_tracking_domain_id": 9})
    assert (status, body) == (400, {"error": "Invalid network_tracking_domain_id: 9"})
    status, body, _ = await ef.put(f"{path}/2", {"network_tracking_domain_id": 1, "is_default": False})
    assert (status, body["is_default"]) == (200, False)
    status, body, _ = await ef.delete(f"{path}/2")
    assert (status, body) == (200, {"result": True})
    status, body, _ = await ef.delete(f"{path}/2")
    assert (status, body) == (404, {"error": "Tracking domain not found"})
    status, body, _ = await ef.post(path, {"network_tracking_domain_id": 1, "domain": "x"})
    assert (status, body) == (400, {"error": "Unknown field(s) in body: domain"})


async def test_api_keys_of_an_affiliate(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/apikeys")
    assert status == 200
    assert body == {"keys": [
        {"network_api_key_id": 1, "network_id": 1, "network_affiliate_id": BRIGHT_MEDIA, "resource_type": "affiliate",
         "api_key": "ef_affiliate_brightmedia_0001", "key_status": "active", "time_created": EPOCH,
         "time_saved": EPOCH},
        {"network_api_key_id": 2, "network_id": 1, "network_affiliate_id": BRIGHT_MEDIA, "resource_type": "affiliate",
         "api_key": "ef_affiliate_brightmedia_0000", "key_status": "inactive", "time_created": EPOCH,
         "time_saved": EPOCH}]}
    status, none, _ = await ef.get(f"/networks/affiliates/{COUPON_KINGS}/apikeys")
    assert (status, none) == (200, {"keys": []})


async def test_create_an_api_key_for_an_affiliate(ef: EverflowClient) -> None:
    status, key, _ = await ef.post("/networks/apikey", {"resource_id": COUPON_KINGS, "resource_type": "affiliate"})
    assert status == 200
    assert re.fullmatch(r"ef_affiliate_[A-Za-z0-9]{22}", key["api_key"])
    assert key == {"network_api_key_id": 3, "network_id": 1, "network_affiliate_id": COUPON_KINGS,
                   "resource_type": "affiliate", "api_key": key["api_key"], "key_status": "active",
                   "time_created": NOW, "time_saved": NOW}
    _, listed, _ = await ef.get(f"/networks/affiliates/{COUPON_KINGS}/apikeys")
    assert listed == {"keys": [key]}
    # the new key is an Affiliate-portal key: the network API is out of its realm
    status, body, _ = await ef.as_key(key["api_key"]).get("/networks/affiliates")
    assert (status, body) == (403, {"error": "Out of realm"})
    status, body, _ = await ef.post("/networks/apikey", {"resource_id": 99, "resource_type": "affiliate"})
    assert (status, body) == (404, {"error": "Affiliate not found"})
    status, body, _ = await ef.post("/networks/apikey", {"resource_id": 1, "resource_type": "advertiser"})
    assert (status, body) == (400, {"error": "Invalid value for resource_type: 'advertiser'. Supported values are: "
                                             "affiliate"})
