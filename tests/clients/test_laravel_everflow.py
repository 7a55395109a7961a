"""sbarale/laravel-everflow (PHP) replayed call by call against the sandbox, in its network families.

Each request is the one the client builds: `EverflowHttpClient::request` (src/EverflowHttpClient.php:30-156)
prefixes `https://api.eflow.team/v1/`, sends `Accept`, `X-Eflow-API-Key`, `Cache-Control` and `Pragma`
(lines 78-86), and `Content-Type: application/json` with `json_encode($data)` only when `$data` is not empty
(lines 89-92); paths come from `EverflowHttpClient::route` (lines 158-193: `urlencode`d path values, array query
values comma-joined). It throws on any 4xx/5xx (lines 127-139), so every call below must answer 2xx, and it reads
only the response fields the asserts name. Line numbers are those of the fetched snapshot (commit 75314b6).

Not replayed: the client's campaign click/impression tracking and reporting/dashboard calls (another room), and
three calls the client itself builds wrongly - `EverflowNetworkAffiliatesDomains::all()` and `create()` (lines
12 and 25) never substitute `:affiliateId`, and `update()` with several ids (line 34) PATCHes that same unfilled
path; `EverflowMetadataTranslations::all()` is private and marked as not working (line 12). `route()` uses PHP's
`urlencode`, so a label name with a space reaches the path as `+`: the replay uses a name without one.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote_plus

from aiohttp.test_utils import TestClient

BASE = "/everflow/v1/"
API_KEY = "ef_laravel_client_0001"  # a fresh, well-formed network key: its own tenant, seeded from the fixtures
PER_PAGE = 100  # config/everflow.php 'per_page'


class LaravelEverflow:
    """EverflowHttpClient::request, as the PHP client sends it."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.calls: list[tuple[str, str]] = []

    async def request(self, method: str, url: str, data: Any = None) -> Any:
        headers = {"Accept": "application/json", "X-Eflow-API-Key": API_KEY, "Cache-Control": "no-cache",
                   "Pragma": "no-cache"}
        body = None
        if data:  # PHP's !empty($data)
            headers["Content-Type"] = "application/json"
            body = json.dumps(data, separators=(",", ":"))
        response = await self.client.request(method, BASE + url, data=body, headers=headers)
        text = await response.text()
        self.calls.append((method, url))
        assert response.status < 400, f"{method} {url} -> {response.status} {text}"  # the client throws on 4xx/5xx
        decoded = json.loads(text)
        assert not (isinstance(decoded, dict) and "Error" in decoded)  # line 150: it throws on a capital-E Error
        return decoded

    async def page_all(self, endpoint: str, field: str) -> list[Any]:
        """Traits/HasPagination.php:8-49: page 1, then every other page by paging.total_count / page_size."""
        response = await self.request("GET", f"{endpoint}?page=1&page_size={PER_PAGE}")
        rows = list(response[field])
        if "paging" in response:
            pages = -(-response["paging"]["total_count"] // response["paging"]["page_size"])
            for page in range(2, pages + 1):
                more = await self.request("GET", f"{endpoint}?page={page}&page_size={response['paging']['page_size']}")
                rows += more[field]
        return rows


def route(path: str, **values: Any) -> str:
    """EverflowHttpClient::route: ':name' replaced by urlencode(value)."""
    for name, value in values.items():
        path = path.replace(f":{name}", quote_plus(str(value)))
    return path


async def test_network_labels_settings_and_meta(client: TestClient) -> None:
    ef = LaravelEverflow(client)
    await ef.request("GET", route("networks"))                                       # EverflowNetwork.php:29
    # EverflowNetworkLabels.php
    labels = await ef.request("GET", route("networks/labels"))                       # :12
    assert "vip" in [row["label"] for row in labels["labels"]]
    created = await ef.request("POST", route("networks/labels"), {"label": "laravel-client"})  # :24
    assert created["label"] == "laravel-client"
    one = await ef.request("GET", route("networks/labels/:label", label="laravel-client"))     # :17
    assert one["label"] == "laravel-client" and one["affiliate_ids"] == []
    # update($label, $data): $data['label'] = $label, then PUT networks/labels (:27-32)
    updated = await ef.request("PUT", route("networks/labels"), {"affiliate_ids": [1], "label": "laravel-client"})
    assert updated["affiliate_ids"] == [1]
    deleted = await ef.request("DELETE", route("networks/labels"), {"label": "laravel-client"})  # :37
    assert deleted == {"result": True}
    labels = await ef.request("GET", route("networks/labels"))
    assert "laravel-client" not in [row["label"] for row in labels["labels"]]

    # EverflowNetworkSettings.php: customFields() reads relationship->custom_fields[]->label (:18-25)
    portal = await ef.request("GET", route("networks/settings/affiliateportal"))     # :12
    assert [field["label"] for field in portal["relationship"]["custom_fields"]] == ["Traffic Sources",
                                                                                    "Monthly Visitors"]
    await ef.request("GET", route("networks/settings/address"))                      # :39
    await ef.request("GET", route("networks/settings/billing"))                      # :49
    await ef.request("GET", route("networks/domains/tracking"))                      # EverflowNetworkDomainsSettings.php:12

    # EverflowMetadataGeneral.php:17-80, one GET per list
    for kind in ("timezones", "countries", "regions", "cities", "dmas", "mobilecarriers", "browsers", "platforms",
                 "osversions", "devices", "connectiontypes", "currencies", "browserlanguages"):
        await ef.request("GET", route(f"meta/{kind}"))
    language = await ef.request("GET", route("i18n/languages/:id", id=1))           # EverflowMetadataTranslations.php:18
    assert language["language_id"] == 1


async def test_affiliates_keys_and_tracking_domains(client: TestClient) -> None:
    ef = LaravelEverflow(client)
    # EverflowNetworkAffiliates.php
    affiliates = await ef.page_all(route("networks/affiliates"), "affiliates")          # :24
    assert 1 in [a["network_affiliate_id"] for a in affiliates]
    found = await ef.request("GET", route("networks/affiliates?filter=:field%3D:value",  # :53
                                          field="account_status", value="pending"))
    assert [a["network_affiliate_id"] for a in found["affiliates"]] == [4]
    await ef.request("GET", route("networks/affiliates/:affiliateId", affiliateId=1))    # :29

    # EverflowApiBase::asAffiliate (:90-114) -> EverflowNetworkAffiliatesKeys::all() (:12): the first active key
    keys = await ef.request("GET", route("networks/affiliates/:affiliateId/apikeys", affiliateId=1))
    active = [k for k in keys["keys"] if k["key_status"] == "active"]
    assert active[0]["api_key"] == "ef_affiliate_brightmedia_0001"
    made = await ef.request("POST", route("networks/apikey"), {"resource_id": 2, "resource_type": "affiliate"})  # :19
    keys = await ef.request("GET", route("networks/affiliates/:affiliateId/apikeys", affiliateId=2))
    assert [k["api_key"] for k in keys["keys"] if k["key_status"] == "active"] == [made["api_key"]]

    # EverflowNetworkAffiliatesDomains.php
    path = "networks/affiliates/:affiliateId/trackingdomains/:trackingDomainId"
    domain = await ef.request("GET", route(path, affiliateId=1, trackingDomainId=1))    # :17
    assert domain["domain"] == "go.brightmedia-track.example"
    changed = await ef.request("PUT", route(path, affiliateId=1, trackingDomainId=1),   # :39
                               {"network_tracking_domain_id": 1, "is_default": True})
    assert changed["domain"] == "www.example-track.com"
    assert await ef.request("DELETE", route(path, affiliateId=1, trackingDomainId=1)) == {"result": True}  # :48

    # EverflowNetworkAffiliatesUsers.php
    users = await ef.request("GET", route("networks/affiliates/:affiliateId/users", affiliateId=1))   # :12
    user_id = users["users"][0]["network_affiliate_user_id"]
    await ef.request("GET", route("networks/affiliates/:affiliateId/users/:userId", affiliateId=1, userId=user_id))


async def test_offers_bulk_edit_and_postbacks(client: TestClient) -> None:
    ef = LaravelEverflow(client)
    # EverflowNetworkOffers.php
    offers = await ef.page_all(route("networks/offers"), "offers")                     # :23
    assert [o["network_offer_id"] for o in offers][:2] == [1, 2]
    await ef.request("GET", route("networks/offers/:offerId", offerId=1))              # :28
    edit = {"fields": [{"field_type": "internal_notes", "field_value": "from laravel", "operator": "overwrite"}]}
    # update() with several ids: $data['network_offer_ids'] = ids, PATCH networks/offers/offerstyped (:43-47)
    assert await ef.request("PATCH", route("networks/offers/offerstyped"), edit | {"network_offer_ids": [1, 2]}) == {
        "result": True}
    # patch($data, $apply): POST networks/patch/offers/submit, or PATCH networks/patch/offers/apply (:55-61)
    preview = await ef.request("POST", route("networks/patch/offers/submit"), edit | {"network_offer_ids": [3]})
    assert preview["changes"][0]["change_status"] == "ok"
    await ef.request("PATCH", route("networks/patch/offers/apply"), edit | {"network_offer_ids": [3]})
    notes = [(await ef.request("GET", route("networks/offers/:offerId", offerId=i)))["internal_notes"] for i in (1, 2, 3)]
    assert notes == ["from laravel"] * 3

    # EverflowNetworkPostbacks.php
    pixels = await ef.request("GET", route("networks/pixels"))                         # :12
    assert [p["network_pixel_id"] for p in pixels["pixels"]] == [1, 2]
    pixel = {"network_affiliate_id": 1, "network_offer_id": 1, "delivery_method": "postback", "pixel_level": "specific",
             "pixel_status": "active", "pixel_type": "conversion", "postback_url": "https://example.com/pb"}
    created = await ef.request("POST", route("networks/pixels"), pixel)                # :24
    pixel_id = created["network_pixel_id"]
    await ef.request("GET", route("networks/pixels/:pixelId", pixelId=pixel_id))       # :17
    await ef.request("PUT", route("networks/pixels/:pixelId", pixelId=pixel_id), pixel | {"description": "x"})  # :29
