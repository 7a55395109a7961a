"""Restores are all or nothing, checked whole first, and off the event loop; the snapshot PUT has its own body
limit (issue 13)."""
from __future__ import annotations

import asyncio
import copy
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sandbox.core import jsoncodec, snapshot

Make = Callable[..., Awaitable[TestClient]]
URL = "/_sandbox/tenants/default/snapshot"
LJ = {"Authorization": "Bearer lj_pk_sandbox_ultimate_0001"}


def _set(snap: dict, path: tuple, value: Any) -> None:
    target = snap
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


AFFILIATE = ("vendors", "linkjolt", "affiliates", "records")
BROKEN: list[tuple[str, Callable[[dict], None], str]] = [
    ("clock past 9999", lambda s: _set(s, ("clock",), {"frozen_at": 2.6e11, "offset": 0}),
     "clock.frozen_at 260000000000.0 is outside years 1-9999"),
    ("clock before year 1", lambda s: _set(s, ("clock",), {"frozen_at": -6.3e10, "offset": 0}),
     "clock.frozen_at -63000000000.0 is outside years 1-9999"),
    ("real clock offset past 9999", lambda s: _set(s, ("clock",), {"frozen_at": None, "offset": 3e11}),
     "clock.offset 300000000000.0 puts the clock outside years 1-9999"),
    ("clock not an object", lambda s: _set(s, ("clock",), "now"), "clock must be an object"),
    ("a number beyond 1e15", lambda s: _set(s, AFFILIATE + (0, "name"), 1e308),
     "vendors.linkjolt.affiliates.records[0].name: 1e+308 is not a finite number within ±1e+15"),
    ("random state of the wrong length", lambda s: _set(s, ("random", "linkjolt"), [3, [0] * 10, None]),
     "random.linkjolt is not"),
    ("random state with a negative word", lambda s: _set(s, ("random", "linkjolt", 1, 0), -1), "random.linkjolt is not"),
    ("random position out of range", lambda s: _set(s, ("random", "linkjolt", 1, 624), 700), "random.linkjolt is not"),
    ("random state not a list", lambda s: _set(s, ("random", "linkjolt"), "abc"), "random.linkjolt is not"),
    ("random gauss carry", lambda s: _set(s, ("random", "linkjolt", 2), "x"), "random.linkjolt[2]"),
    ("random streams not a map", lambda s: _set(s, ("random",), [3, [0] * 625, None]), "random must map"),
    ("random stream name", lambda s: _set(s, ("random", "../etc"), [3, [0] * 625, None]), "not a stream name"),
    ("duplicate unique email", lambda s: _set(s, AFFILIATE + (1, "email"), s["vendors"]["linkjolt"]["affiliates"]
                                            ["records"][0]["email"].upper()),
     "vendors.linkjolt.affiliates.records[1]: email 'jane@example.com' is already used by 'aff_jane_smith_000001'"),
    ("duplicate id", lambda s: _set(s, AFFILIATE + (1, "id"), "aff_jane_smith_000001"),
     "vendors.linkjolt.affiliates.records[1]: id 'aff_jane_smith_000001' is already used"),
    ("record without an id", lambda s: s["vendors"]["linkjolt"]["affiliates"]["records"][2].pop("id"),
     "vendors.linkjolt.affiliates.records[2].id must be a string or a number"),
    ("record not an object", lambda s: _set(s, AFFILIATE + (3,), [1, 2]),
     "vendors.linkjolt.affiliates.records[3] must be an object, not array"),
    ("unhashable unique key", lambda s: _set(s, AFFILIATE + (0, "email"), ["a@example.com"]),
     "vendors.linkjolt.affiliates.records[0].email: ['a@example.com'] is not of type 'string'"),  # its shape
    ("collection without records", lambda s: _set(s, ("vendors", "tamio", "programs"), []),
     "vendors.tamio.programs must be an object with a records array"),
    ("plain field of another type", lambda s: _set(s, ("vendors", "promotekit", "last_seq"), "seven"),
     "vendors.promotekit.last_seq must be number, not string"),
    ("missing field", lambda s: s["vendors"]["everflow"].pop("meta"), "the snapshot has no vendors.everflow.meta"),
    ("vendor not an object", lambda s: _set(s, ("vendors", "tamio"), 7), "vendors.tamio must be an object"),
]


@pytest.mark.parametrize("name, breaks, message", BROKEN, ids=[b[0] for b in BROKEN])
async def test_a_broken_snapshot_is_a_400_naming_the_field_and_changes_nothing(
        client: TestClient, name: str, breaks: Callable[[dict], None], message: str) -> None:
    saved = await (await client.get(URL)).json()
    assert (await client.post("/_sandbox/tenants/default/clock", json={"advance": 3600})).status == 200
    before = await (await client.get(URL)).json()
    bad = copy.deepcopy(saved)
    breaks(bad)
    response = await client.put(URL, json=bad)
    assert response.status == 400, await response.text()
    body = await response.json()
    assert body["error"]["code"] == "invalid_snapshot"
    assert message in body["error"]["message"]
    assert await (await client.get(URL)).json() == before
    assert (await client.get("/_sandbox/tenants")).status == 200
    assert (await client.get("/linkjolt/api/v1/affiliates", headers=LJ)).status == 200


async def test_a_body_that_is_not_json_is_a_400(client: TestClient) -> None:
    for raw in (b"", b"{", b'{"format": 1, "x": 1e999}', b'{"format": NaN}', b"\xff\xfe"):
        response = await client.put(URL, data=raw, headers={"Content-Type": "application/json"})
        assert response.status == 400, raw
        assert (await response.json())["error"]["code"] == "invalid_json"


async def test_the_sync_restore_checks_the_same_and_leaves_the_callers_dict_alone(client: TestClient) -> None:
    from sandbox.app import REGISTRY

    saved = await (await client.get(URL)).json()
    tenant = client.app[REGISTRY].default
    bad = copy.deepcopy(saved)
    bad["clock"] = {"frozen_at": 2.6e11, "offset": 0}
    with pytest.raises(Exception) as caught:
        snapshot.restore_tenant(tenant, bad)
    assert getattr(caught.value, "status", None) == 400
    snapshot.restore_tenant(tenant, saved)
    assert saved == await (await client.get(URL)).json()


async def test_a_restore_is_built_off_the_event_loop(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a restore is being parsed, other requests are answered: the parse holds a worker thread, not the loop
    (had it run on the loop, the reads below could never be served while it waits)."""
    saved = await (await client.get(URL)).json()
    started, release = threading.Event(), threading.Event()
    real = jsoncodec.loads_stepwise

    def held(raw: bytes, whole_below: int = 5) -> Any:
        started.set()
        release.wait(30)
        return real(raw, whole_below)

    monkeypatch.setattr(jsoncodec, "loads_stepwise", held)
    put = asyncio.create_task(client.put(URL, json=saved))
    try:
        assert await asyncio.get_running_loop().run_in_executor(None, started.wait, 30)
        health = await asyncio.wait_for(client.get("/_sandbox/health"), 10)
        assert health.status == 200
        read = await asyncio.wait_for(client.get("/linkjolt/api/v1/affiliates", headers=LJ), 10)
        assert read.status == 200
        assert not put.done()
    finally:
        release.set()
    assert (await put).status == 200


# -- the body limit ---------------------------------------------------------------------------------------------

async def _raw_put(client: TestClient, head: str, body: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", client.port)
    try:
        writer.write(head.encode("latin-1") + b"\r\n" + body)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(65536), 10)
    finally:
        writer.close()
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1]


async def test_a_255_mb_snapshot_put_is_refused_before_its_body_is_read(client: TestClient) -> None:
    size = 255 * 1024 * 1024
    status, body = await _raw_put(client, f"PUT {URL} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                                          f"\r\nContent-Length: {size}\r\n", b'{"format": 1')  # the rest never sent
    assert status == 413
    assert jsoncodec.loads(body) == {"error": {"code": "payload_too_large", "message":
                                               "A snapshot is larger than 67108864 bytes (raise it with "
                                               "--control-max-body)"}}


async def test_the_snapshot_limit_follows_the_setting_and_covers_chunked_bodies(make_client: Make) -> None:
    client = await make_client(control_max_body=4096)
    saved = await (await client.get(URL)).json()
    response = await client.put(URL, json=saved)
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "payload_too_large"

    async def chunks():  # no Content-Length: cut off once past the limit
        raw = jsoncodec.dumps(saved)
        for start in range(0, len(raw), 1024):
            yield raw[start:start + 1024]

    response = await client.put(URL, data=chunks(), headers={"Content-Type": "application/json"})
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "payload_too_large"
    roomy = await make_client(control_max_body=4 * 1024 * 1024)
    assert (await roomy.put(URL, json=await (await roomy.get(URL)).json())).status == 200


async def test_other_control_requests_keep_a_one_mib_limit(client: TestClient) -> None:
    response = await client.post("/_sandbox/tenants", json={"seed": 1, "pad": "x" * (1024 * 1024 + 1)})
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "payload_too_large"
