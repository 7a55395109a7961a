"""Generated snapshots and clock operations against the control plane (issue 13): never a 5xx, and each request
either applies whole or changes nothing."""
from __future__ import annotations

import copy
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox import create_app

from .conftest import test_settings as settings_for_tests

URL = "/_sandbox/tenants/default"

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
                      st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
json_value = st.recursive(json_leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                          max_leaves=8)
seconds = st.one_of(st.integers(min_value=-(10 ** 13), max_value=10 ** 13),
                    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([1e20, 1e308, 253402300800]),
                    json_value)
instants = st.one_of(st.sampled_from(["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-05:00",
                                      "0001-01-01T00:00:00+05:00", "2026-01-01", "tomorrow"]),
                     st.datetimes().map(lambda d: d.isoformat() + "Z"), json_value)
clock_bodies = st.one_of(st.fixed_dictionaries({"advance": seconds}), st.fixed_dictionaries({"set": instants}),
                         st.dictionaries(st.sampled_from(["advance", "set", "x"]), json_value, max_size=2))

# Paths into a real snapshot, and what to put there: the mutation a generated snapshot makes.
SPOTS = [("clock",), ("clock", "frozen_at"), ("clock", "offset"), ("random",), ("random", 0), ("random", 1),
         ("random", 1, 0), ("random", 1, 624), ("random", 2), ("format",), ("vendors",),
         ("vendors", "linkjolt"), ("vendors", "linkjolt", "affiliates"), ("vendors", "linkjolt", "affiliates",
                                                                          "records"),
         ("vendors", "linkjolt", "affiliates", "records", 0), ("vendors", "linkjolt", "affiliates", "records", 0,
                                                               "id"),
         ("vendors", "linkjolt", "affiliates", "records", 1, "email"), ("vendors", "tamio", "affiliates", "records",
                                                                        0, "balance"),
         ("vendors", "promotekit", "last_seq"), ("vendors", "everflow", "payout_revenue_seq"),
         ("vendors", "everflow", "meta")]
special = st.sampled_from([1e308, -1e308, 2 ** 64, 1e16, 2.6e11, -6.3e10, 10 ** 20, "jane@example.com",
                           "aff_jane_smith_000001", None, [], {}])
mutations = st.lists(st.tuples(st.sampled_from(SPOTS), st.one_of(special, json_value)), min_size=1, max_size=3)


def _mutate(snapshot: dict, changes: list[tuple[tuple, Any]]) -> dict:
    out = copy.deepcopy(snapshot)
    for path, value in changes:
        target: Any = out
        try:
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            pass  # an earlier change already replaced a parent: this one has nowhere to go
    return out


async def _state(client: TestClient) -> tuple[Any, Any]:
    snap = await client.get(f"{URL}/snapshot")
    described = await client.get(URL)
    assert snap.status == 200 and described.status == 200
    return await snap.json(), await described.json()


def _run(scenario) -> None:
    import asyncio

    async def go() -> None:
        async with TestClient(TestServer(create_app(settings_for_tests()))) as client:
            await scenario(client)
    asyncio.run(go())


SETTINGS = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


@SETTINGS
@given(bodies=st.lists(clock_bodies, min_size=1, max_size=4))
def test_clock_operations_never_5xx_and_apply_whole_or_not_at_all(bodies: list[dict]) -> None:
    async def scenario(client: TestClient) -> None:
        for body in bodies:
            before = await (await client.get(URL)).json()
            response = await client.post(f"{URL}/clock", json=body)
            assert response.status in (200, 400), (body, response.status, await response.text())
            after = await (await client.get(URL)).json()
            if response.status == 400:
                assert after == before, body
            else:
                assert (await response.json())["now"] == after["now"]
            listed = await client.get("/_sandbox/tenants")
            assert listed.status == 200
    _run(scenario)


@SETTINGS
@given(changes=mutations)
def test_generated_snapshots_never_5xx_and_restore_whole_or_not_at_all(changes: list) -> None:
    async def scenario(client: TestClient) -> None:
        saved, _ = await _state(client)
        await client.post(f"{URL}/clock", json={"advance": 60})  # so a refused restore is told from a good one
        before = await _state(client)
        candidate = _mutate(saved, changes)
        response = await client.put(f"{URL}/snapshot", json=candidate)
        assert response.status in (200, 400), (changes, response.status, await response.text())
        after = await _state(client)
        if response.status == 400:
            assert after == before
        else:
            assert after[0]["vendors"] == candidate["vendors"] and after[0]["clock"] == candidate["clock"]
            restored = await client.get("/_sandbox/tenants")  # what was let in can be read back by everyone
            assert restored.status == 200
            for path in ("/linkjolt/api/v1/affiliates", "/tamio/v2/affiliates/list"):
                read = await client.get(path, headers={"Authorization": "Bearer lj_pk_sandbox_ultimate_0001"}
                                        if "linkjolt" in path else {"Authorization": "Bearer sk_sandbox_full_0001"})
                assert read.status < 500, (changes, path, await read.text())
    _run(scenario)
