"""The GET response cache: a repeated read is served from the cache until a write, and never stale.

A stored record changed behind the sandbox's back (a write that does not advance the generation) is how these
tests tell a cached answer from a fresh one.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sandbox.app import REGISTRY
from sandbox.core.generation import Generation
from sandbox.core.responsecache import CachedResponse, ResponseCache

from .vendors.linkjolt.conftest import CAMP_PERCENT, JANE, LinkJoltClient

MakeClient = Callable[..., Awaitable[TestClient]]
pytestmark = pytest.mark.generic  # about the cache, not about the operations it calls


def _rename_behind_the_sandboxs_back(client: TestClient, name: str) -> None:
    """Change a stored record directly, as no handler may: no generation moves, so only a fresh read sees it."""
    state = client.app[REGISTRY].default.states["linkjolt"]
    state.affiliates.get(JANE)["name"] = name


async def _jane_name(lj: LinkJoltClient) -> tuple[int, Any]:
    status, body, _ = await lj.get(f"/affiliates/{JANE}")
    return status, body["data"]["name"] if status == 200 else body


async def test_a_repeated_get_is_served_from_the_cache(make_client: MakeClient) -> None:
    client = await make_client(response_cache="on")
    lj = LinkJoltClient(client)
    assert await _jane_name(lj) == (200, "Jane Smith")
    _rename_behind_the_sandboxs_back(client, "Changed Silently")
    assert await _jane_name(lj) == (200, "Jane Smith")  # the cached answer: nothing wrote through the sandbox


async def test_with_the_cache_off_every_get_is_built_afresh(make_client: MakeClient) -> None:
    client = await make_client(response_cache="off")
    lj = LinkJoltClient(client)
    await _jane_name(lj)
    _rename_behind_the_sandboxs_back(client, "Changed Silently")
    assert await _jane_name(lj) == (200, "Changed Silently")


async def test_verify_mode_answers_500_when_a_cached_answer_went_stale(make_client: MakeClient) -> None:
    client = await make_client(response_cache="verify")
    lj = LinkJoltClient(client)
    await _jane_name(lj)
    _rename_behind_the_sandboxs_back(client, "Changed Silently")
    status, body = await _jane_name(lj)
    assert status == 500
    assert body["error"]["code"] == "sandbox_stale_cache"
    assert "getAffiliate" in body["error"]["message"]


async def test_any_write_through_the_api_invalidates(make_client: MakeClient) -> None:
    client = await make_client(response_cache="on")
    lj = LinkJoltClient(client)
    _, before, _ = await lj.get("/affiliates?limit=100")
    await lj.get("/affiliates?limit=100")
    _rename_behind_the_sandboxs_back(client, "Renamed")
    status, _, _ = await lj.post("/affiliates", {"email": "new@example.com", "name": "New", "campaignId": CAMP_PERCENT})
    assert status == 201
    _, after, _ = await lj.get("/affiliates?limit=100")
    assert len(after["data"]) == len(before["data"]) + 1
    assert await _jane_name(lj) == (200, "Renamed")  # other cached reads went too, not just the list's


async def test_a_write_its_handler_refuses_still_invalidates(make_client: MakeClient) -> None:
    """A handler may change a record's own dict and then fail; the generation moves around every write."""
    client = await make_client(response_cache="on")
    lj = LinkJoltClient(client)
    await _jane_name(lj)
    _rename_behind_the_sandboxs_back(client, "Renamed")
    status, body, _ = await lj.post("/affiliates", {"email": "new@example.com", "name": "New",
                                                    "campaignId": "camp_does_not_exist"})
    assert (status, body["error"]["code"]) == (404, "not_found")
    assert await _jane_name(lj) == (200, "Renamed")


async def test_control_plane_writes_invalidate(make_client: MakeClient) -> None:
    client = await make_client(response_cache="on")
    lj = LinkJoltClient(client)
    await lj.post("/affiliates", {"email": "new@example.com", "name": "New", "campaignId": CAMP_PERCENT})
    _, created, _ = await lj.get("/affiliates?limit=100")
    response = await client.post("/_sandbox/reset")
    assert response.status == 200
    _, after_reset, _ = await lj.get("/affiliates?limit=100")
    assert len(after_reset["data"]) == len(created["data"]) - 1


async def test_rate_limit_headers_are_this_requests_own(make_client: MakeClient) -> None:
    client = await make_client(response_cache="on")
    lj = LinkJoltClient(client)
    _, first, h1 = await lj.get("/affiliates?limit=5")
    _, second, h2 = await lj.get("/affiliates?limit=5")
    assert first == second
    assert int(h2["X-RateLimit-Remaining"]) == int(h1["X-RateLimit-Remaining"]) - 1


async def test_a_handler_that_reads_its_rate_limit_is_never_cached(make_client: MakeClient) -> None:
    lj = LinkJoltClient(await make_client(response_cache="on"))
    _, first, _ = await lj.get("/me")
    _, second, _ = await lj.get("/me")
    assert second["data"]["rateLimit"]["remaining"] == first["data"]["rateLimit"]["remaining"] - 1


async def test_each_key_has_its_own_answers(make_client: MakeClient) -> None:
    client = await make_client(response_cache="on")
    response = await client.post("/_sandbox/tenants", json={})
    other = LinkJoltClient(client, (await response.json())["keys"]["linkjolt"])
    await other.post("/affiliates", {"email": "new@example.com", "name": "New", "campaignId": CAMP_PERCENT})
    lj = LinkJoltClient(client)
    answers = [(await c.get("/affiliates?limit=100"))[1] for c in (lj, other, lj, other)]
    assert answers[0] == answers[2] and answers[1] == answers[3]
    assert len(answers[1]["data"]) == len(answers[0]["data"]) + 1


def test_the_cache_keeps_one_generation() -> None:
    generation = Generation()
    cache = ResponseCache(generation)
    entry = CachedResponse(200, b"{}")
    built_in = generation.current
    cache.put("k", built_in, entry)
    assert cache.get("k") == entry
    generation.advance()
    assert cache.get("k") is None
    cache.put("k", built_in, entry)  # built before the write: never kept
    assert cache.get("k") is None


def test_the_cache_is_bounded() -> None:
    generation = Generation()
    cache = ResponseCache(generation, max_entries=2, max_bytes=10, max_body=6)
    at = generation.current
    cache.put("big", at, CachedResponse(200, b"1234567"))
    assert cache.get("big") is None and len(cache) == 0
    cache.put("a", at, CachedResponse(200, b"12345"))
    cache.put("b", at, CachedResponse(200, b"12345"))
    assert len(cache) == 2
    cache.put("c", at, CachedResponse(200, b"1"))  # full: starts over
    assert len(cache) == 1 and cache.get("c") is not None


async def test_a_write_in_one_app_leaves_another_apps_cache_alone(make_client: MakeClient) -> None:
    """Each app has its own generation: two sandboxes in one test process do not invalidate each other."""
    first, second = await make_client(response_cache="on"), await make_client(response_cache="on")
    assert await _jane_name(LinkJoltClient(second)) == (200, "Jane Smith")
    _rename_behind_the_sandboxs_back(second, "Changed Silently")
    status, _, _ = await LinkJoltClient(first).post("/affiliates", {"email": "x@example.com", "name": "X",
                                                                    "campaignId": CAMP_PERCENT})
    assert status == 201
    assert await _jane_name(LinkJoltClient(second)) == (200, "Jane Smith")  # still the cached answer
