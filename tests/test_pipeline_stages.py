"""The pipeline as named stages: the documented order, insertion points, the deciding stage, request ids."""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient

from sandbox.app import HOOKS
from sandbox.core import pipeline
from sandbox.core.pipeline import SLOTS, CompiledOperation, Exchange, VendorPipeline

from .vendors.linkjolt.conftest import BASE, JANE, ULTIMATE

pytestmark = pytest.mark.generic  # about the pipeline, not about the operations it reaches

AUTH = {"Authorization": f"Bearer {ULTIMATE}"}
MakeClient = Callable[..., Awaitable[TestClient]]


def test_the_docstring_lists_the_stages_in_the_codes_order() -> None:
    listed = re.findall(r"^\s*\d+\.\s+(\w+)\s", pipeline.__doc__ or "", re.MULTILINE)
    assert tuple(listed) == SLOTS


def _deciders(seen: list[tuple[str, str, int]]) -> Callable[[VendorPipeline, CompiledOperation | None], object]:
    def factory(pipe: VendorPipeline, compiled: CompiledOperation | None) -> object:
        def journal(ex: Exchange) -> None:
            seen.append((ex.decided_by, ex.reason, ex.status))
        return journal
    return factory


async def test_the_journal_slot_sees_which_stage_decided_and_why(make_client: MakeClient) -> None:
    client = await make_client(response_cache="on")
    seen: list[tuple[str, str, int]] = []
    client.app[HOOKS].add("journal", _deciders(seen))
    await client.get(f"{BASE}/affiliates/{JANE}", headers=AUTH)
    await client.get(f"{BASE}/affiliates/{JANE}", headers=AUTH)
    await client.get(f"{BASE}/affiliates/{JANE}")
    await client.post(f"{BASE}/affiliates", headers=AUTH, json={"email": "nope"})
    await client.put(f"{BASE}/affiliates", headers=AUTH)
    await client.get(f"{BASE}/affiliates/{JANE}", headers={"Authorization": "Bearer lj_pk_sandbox_professional_0001"})
    await client.post(f"{BASE}/affiliates", headers={"Authorization": "Bearer lj_pk_sandbox_professional_0001"},
                      json={})
    assert seen == [("handle", "ok", 200), ("cache", "cached", 200), ("authenticate", "unauthorized", 401),
                    ("validate", "validation_error", 400), ("route", "method_not_allowed", 405),
                    ("handle", "ok", 200), ("authorize", "insufficient_permissions", 403)]


async def test_a_fault_stage_fires_before_the_cache_for_a_cached_get(make_client: MakeClient) -> None:
    client = await make_client(response_cache="on")
    first = await client.get(f"{BASE}/affiliates/{JANE}", headers=AUTH)
    assert first.status == 200
    seen: list[tuple[str, str, int]] = []
    hooks = client.app[HOOKS]

    def fault_factory(pipe: VendorPipeline, compiled: CompiledOperation | None) -> object:
        if compiled is None or compiled.operation.operation_id != "getAffiliate":
            return None

        def fault(ex: Exchange) -> None:
            ex.answer("fault", 503, {"error": {"code": "unavailable", "message": "injected"}}, "injected")
        return fault

    hooks.add("fault", fault_factory)
    hooks.add("journal", _deciders(seen))
    faulted = await client.get(f"{BASE}/affiliates/{JANE}", headers=AUTH)
    assert faulted.status == 503
    assert await faulted.json() == {"error": {"code": "unavailable", "message": "injected"}}
    assert "X-RateLimit-Limit" in faulted.headers  # the stages before the fault ran
    assert (await client.get(f"{BASE}/me", headers=AUTH)).status == 200  # other operations: no fault
    assert seen == [("fault", "injected", 503), ("handle", "ok", 200)]


async def test_an_unknown_slot_is_refused(client: TestClient) -> None:
    with pytest.raises(ValueError, match="no pipeline slot 'authorise'"):
        client.app[HOOKS].add("authorise", lambda pipe, compiled: None)


async def test_every_vendor_answer_carries_a_request_id(make_client: MakeClient) -> None:
    client = await make_client(response_cache="verify")
    answers = [await client.get(f"{BASE}/affiliates/{JANE}", headers=AUTH),
               await client.get(f"{BASE}/affiliates/{JANE}", headers=AUTH),  # verified against the cache
               await client.get(f"{BASE}/nowhere", headers=AUTH),
               await client.put(f"{BASE}/affiliates", headers=AUTH),
               await client.get(f"{BASE}/affiliates/{JANE}"),
               await client.get(f"{BASE}/openapi.json")]
    assert [a.status for a in answers] == [200, 200, 404, 405, 401, 200]
    ids = [a.headers["X-Sandbox-Request-Id"] for a in answers]
    assert ids == [f"req_{n}" for n in range(1, 7)]
    assert await answers[0].read() == await answers[1].read()


async def test_two_apps_count_their_request_ids_apart(make_client: MakeClient) -> None:
    first, second = await make_client(), await make_client()
    for client in (first, second, first):
        await client.get(f"{BASE}/me", headers=AUTH)
    again = await second.get(f"{BASE}/me", headers=AUTH)
    assert again.headers["X-Sandbox-Request-Id"] == "req_2"
