"""--state-dir: tenants survive a restart (core.persistence)."""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sandbox.app import PERSISTER, REGISTRY
from sandbox.core.persistence import FILE_MARK, Persister, encode_tenant

MakeClient = Callable[..., Awaitable[TestClient]]
AFFILIATES = "/linkjolt/api/v1/affiliates"
NEW = {"email": "kept@example.com", "name": "Kept", "campaignId": "camp_percentage_00001"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def persister(client: TestClient) -> Persister:
    return client.app[PERSISTER]


async def new_tenant(client: TestClient, **body: Any) -> dict[str, Any]:
    response = await client.post("/_sandbox/tenants", json=body)
    assert response.status == 201
    return await response.json()


async def restart(client: TestClient, make_client: MakeClient, state_dir: Path, **changes: Any) -> TestClient:
    """Stop the app (a clean stop: its cleanup flushes) and start a new one on the same directory."""
    await client.close()
    return await make_client(state_dir=state_dir, **changes)


async def test_a_clean_stop_keeps_tenants_keys_records_and_clocks(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(state_dir=tmp_path)
    tenant = await new_tenant(client, seed=7)
    key = bearer(tenant["keys"]["linkjolt"])
    assert (await client.post(AFFILIATES, headers=key, json=NEW)).status == 201
    moved = await client.post(f"/_sandbox/tenants/{tenant['id']}/clock", json={"advance": 3600})
    before = await (await client.get(f"/_sandbox/tenants/{tenant['id']}")).json()
    listed = await (await client.get(AFFILIATES, headers=key)).json()
    assert moved.status == 200

    client = await restart(client, make_client, tmp_path)
    after = await client.get(f"/_sandbox/tenants/{tenant['id']}")
    assert after.status == 200
    assert await after.json() == before  # id, seed, clock and keys
    assert await (await client.get(AFFILIATES, headers=key)).json() == listed
    duplicate = await client.post(AFFILIATES, headers=key, json=NEW)
    assert duplicate.status == 409  # the restored record still holds its unique email


async def test_the_default_tenants_state_is_kept_and_its_keys_stay_the_fixtures(
        make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(state_dir=tmp_path)
    key = bearer("lj_pk_sandbox_ultimate_0001")
    assert (await client.post(AFFILIATES, headers=key, json=NEW)).status == 201
    client = await restart(client, make_client, tmp_path)
    assert (await client.post(AFFILIATES, headers=key, json=NEW)).status == 409


async def test_an_auto_provisioned_tenant_keeps_its_id_and_key(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(state_dir=tmp_path)
    key = bearer("lj_pk_test_persisted_0001")
    created = await client.post(AFFILIATES, headers=key, json=NEW)
    assert created.status == 201
    tenant_id = created.headers["X-Sandbox-Tenant"]
    client = await restart(client, make_client, tmp_path)
    again = await client.post(AFFILIATES, headers=key, json=NEW)
    assert again.status == 409 and "X-Sandbox-Tenant-Created" not in again.headers
    assert (await (await client.get(f"/_sandbox/tenants/{tenant_id}")).json())["keys"] == {
        "linkjolt": ["lj_pk_test_persisted_0001"]}


async def test_changes_are_saved_a_debounce_interval_later_without_a_stop(
        make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(state_dir=tmp_path)
    persister(client).debounce = 0.05
    tenant = await new_tenant(client)
    saved = tmp_path / f"{tenant['id']}.json"
    for _ in range(200):  # a bound, not a timing assertion: the task saves once the interval has passed
        if saved.exists():
            break
        await asyncio.sleep(0.05)
    document = json.loads(saved.read_bytes())
    assert document["saved_by"] == FILE_MARK and document["tenant"] == tenant["id"]
    assert sorted(document["keys"]) == sorted([vendor, key] for vendor, key in tenant["keys"].items())
    assert persister(client).pending == frozenset()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind


async def test_writes_mark_only_their_tenant(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(state_dir=tmp_path)
    persister(client).debounce = 3600  # nothing is saved during the test: the marks stay visible
    first, second = await new_tenant(client), await new_tenant(client)
    persister(client)._dirty.clear()
    assert (await client.post(AFFILIATES, headers=bearer(first["keys"]["linkjolt"]), json=NEW)).status == 201
    assert persister(client).pending == {first["id"]}
    assert (await client.get(AFFILIATES, headers=bearer(second["keys"]["linkjolt"]))).status == 200
    assert persister(client).pending == {first["id"]}  # a read marks nothing
    assert (await client.post(f"/_sandbox/tenants/{second['id']}/clock", json={"advance": 5})).status == 200
    assert persister(client).pending == {first["id"], second["id"]}


async def test_a_deleted_tenants_file_goes(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(state_dir=tmp_path)
    tenant = await new_tenant(client)
    await persister(client).save_marked()
    assert (tmp_path / f"{tenant['id']}.json").exists()
    assert (await client.delete(f"/_sandbox/tenants/{tenant['id']}")).status == 200
    await persister(client).save_marked()
    assert not (tmp_path / f"{tenant['id']}.json").exists()
    client = await restart(client, make_client, tmp_path)
    assert (await client.get(f"/_sandbox/tenants/{tenant['id']}")).status == 404


async def test_unusable_files_are_logged_by_name_and_skipped(
        make_client: MakeClient, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    client = await make_client(state_dir=tmp_path)
    kept = await new_tenant(client)
    other = await new_tenant(client)
    client.app[REGISTRY].peek(other["id"])
    await client.close()
    good = (tmp_path / f"{other['id']}.json").read_bytes()
    (tmp_path / "t_000000000001.json").write_text("{not json")
    (tmp_path / "t_000000000002.json").write_text(json.dumps({"some": "other program's file"}))
    (tmp_path / "t_000000000003.json").write_bytes(good)  # its tenant is named otherwise
    foreign_key = json.loads(good)
    foreign_key["keys"][0][0] = "nope"
    (tmp_path / f"{other['id']}.json").write_text(json.dumps(foreign_key))
    no_vendors = {**json.loads(good), "tenant": "t_000000000005", "vendors": {}}
    (tmp_path / "t_000000000005.json").write_text(json.dumps(no_vendors))
    (tmp_path / ".t_000000000004.json.99.tmp").write_text("half written")
    (tmp_path / "notes.txt").write_text("not a state file at all")
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        client = await make_client(state_dir=tmp_path)
    assert (await client.get(f"/_sandbox/tenants/{kept['id']}")).status == 200
    assert (await client.get(f"/_sandbox/tenants/{other['id']}")).status == 404
    assert (await client.get("/_sandbox/tenants/t_000000000005")).status == 404
    for name in ("t_000000000001.json", "t_000000000002.json", "t_000000000003.json", f"{other['id']}.json",
                 "t_000000000005.json"):
        assert f"state file {tmp_path / name} skipped" in caplog.text
    assert "not valid JSON" in caplog.text and "not a sandbox state file" in caplog.text
    assert "does not match its file name" in caplog.text
    assert "it has a key of 'nope', a vendor this server does not serve" in caplog.text
    assert "the snapshot's vendors must be" in caplog.text
    assert not (tmp_path / ".t_000000000004.json.99.tmp").exists()
    assert (tmp_path / "notes.txt").exists() and (tmp_path / "t_000000000001.json").exists()  # never deleted


async def test_a_file_of_another_vendor_set_is_skipped(make_client: MakeClient, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    client = await make_client(state_dir=tmp_path)
    tenant = await new_tenant(client)
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        client = await restart(client, make_client, tmp_path, vendors=("linkjolt",))
    assert (await client.get(f"/_sandbox/tenants/{tenant['id']}")).status == 404
    assert f"state file {tmp_path / (tenant['id'] + '.json')} skipped" in caplog.text


async def test_a_lower_cap_keeps_the_most_recently_saved_and_removes_the_rest(
        make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(state_dir=tmp_path)
    ids = []
    for _ in range(3):
        ids.append((await new_tenant(client))["id"])
        await persister(client).save_marked()
        await asyncio.sleep(0.01)  # distinct modification times: the load order is the save order
    client = await restart(client, make_client, tmp_path, max_tenants=2)
    listed = await (await client.get("/_sandbox/tenants")).json()
    assert [t["id"] for t in listed["data"]] == ["default", ids[2]]
    await persister(client).save_marked()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["default.json", f"{ids[2]}.json"]) or \
        sorted(p.name for p in tmp_path.iterdir()) == [f"{ids[2]}.json"]


async def test_encoding_copies_nothing_and_reads_as_the_snapshot(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(state_dir=tmp_path)
    tenant = await new_tenant(client)
    live = client.app[REGISTRY].peek(tenant["id"])
    snapshot = await (await client.get(f"/_sandbox/tenants/{tenant['id']}/snapshot")).json()
    document = json.loads(encode_tenant(live))
    assert {k: v for k, v in document.items() if k not in ("saved_by", "keys")} == snapshot


@pytest.mark.parametrize("problem", ["a file", "no permission"])
def test_a_state_dir_that_cannot_be_used_fails_at_start_naming_the_flag(tmp_path: Path, problem: str) -> None:
    import os

    from sandbox.config import ConfigError, Settings

    if problem == "a file":
        target = tmp_path / "state"
        target.write_text("")
        expected = "is not a directory"
    else:
        if os.geteuid() == 0:
            pytest.skip("root may write anywhere")
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "state"
        expected = "cannot be made"
    with pytest.raises(ConfigError, match=f"--state-dir: .*{expected}"):
        Settings(state_dir=target).validate()


async def test_a_missing_state_dir_is_made(make_client: MakeClient, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    client = await make_client(state_dir=target)
    await new_tenant(client)
    await client.close()
    assert len(list(target.glob("t_*.json"))) == 1
