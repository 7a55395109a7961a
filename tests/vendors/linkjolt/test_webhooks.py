"""POST|GET /webhooks, DELETE /webhooks/{id}."""
from __future__ import annotations

import re

import pytest

from .conftest import PROFESSIONAL, LinkJoltClient

HOOK = {"url": "https://hooks.example.com/linkjolt", "events": ["conversion.created", "conversion.approved"]}


async def test_create_returns_the_secret_once(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.post("/webhooks", HOOK)
    assert status == 201
    data = body["data"]
    assert re.fullmatch(r"[0-9a-f]{64}", data["secret"])
    assert data["id"].startswith("wh_")
    assert {k: data[k] for k in ("url", "events", "active", "createdAt")} == {
        "url": HOOK["url"], "events": HOOK["events"], "active": True, "createdAt": "2026-06-15T12:00:00Z"}
    _, listed, _ = await lj.get("/webhooks")
    assert listed["data"] == [{k: v for k, v in data.items() if k != "secret"}]


@pytest.mark.parametrize("url", [
    "http://hooks.example.com/x", "https://localhost/x", "https://127.0.0.1/x", "https://10.1.2.3/x",
    "https://172.16.0.1/x", "https://192.168.1.1/x", "https://169.254.169.254/latest", "https://100.64.0.1/x",
    "https://[::1]/x", "https://printer.local/x", "https://db.internal/x"])
async def test_non_public_or_non_https_urls_are_refused(lj: LinkJoltClient, url: str) -> None:
    status, body, _ = await lj.post("/webhooks", HOOK | {"url": url})
    assert status == 400
    assert body == {"error": {"code": "validation_error", "message": "Validation failed",
                              "details": [{"path": ["url"], "message": "URL must be a public HTTPS URL"}]}}


async def test_unknown_event_and_empty_events_are_refused(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.post("/webhooks", HOOK | {"events": ["conversion.exploded"]})
    assert (status, body["error"]["details"][0]["path"]) == (400, ["events", 0])
    status, body, _ = await lj.post("/webhooks", HOOK | {"events": []})
    assert body["error"]["details"] == [{"path": ["events"], "message": "Array must contain at least 1 element(s)"}]


async def test_not_a_url_is_refused(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.post("/webhooks", HOOK | {"url": "not a url"})
    assert (status, body["error"]["details"]) == (400, [{"path": ["url"], "message": "Invalid url"}])


async def test_delete_then_404(lj: LinkJoltClient) -> None:
    _, created, _ = await lj.post("/webhooks", HOOK)
    wid = created["data"]["id"]
    status, body, _ = await lj.delete(f"/webhooks/{wid}")
    assert (status, body) == (200, {"data": {"id": wid, "deleted": True}})
    assert (await lj.delete(f"/webhooks/{wid}"))[0] == 404
    _, listed, _ = await lj.get("/webhooks")
    assert listed["data"] == []


async def test_professional_key_cannot_manage_webhooks(lj: LinkJoltClient) -> None:
    assert (await lj.as_key(PROFESSIONAL).post("/webhooks", HOOK))[0] == 403
    assert (await lj.as_key(PROFESSIONAL).get("/webhooks"))[0] == 200
