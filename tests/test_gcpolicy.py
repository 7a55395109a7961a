"""The server's collector policy: survivors frozen often, a full collection now and then."""
from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest

from sandbox import Settings, create_app, gcpolicy
from sandbox.cli import main


@pytest.fixture(autouse=True)
def thawed():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_freeze_survivors_hides_live_objects_from_later_collections() -> None:
    keep = [{"record": n} for n in range(1000)]
    gcpolicy.freeze_survivors()
    assert gc.get_freeze_count() >= len(keep)


def test_full_collection_reclaims_a_cycle_that_died_after_being_frozen() -> None:
    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    watch = weakref.ref(a)
    gcpolicy.freeze_survivors()
    del a, b  # now garbage, but frozen: ordinary collections do not look at it
    gc.collect()
    assert watch() is not None
    gcpolicy.full_collection()
    assert watch() is None


async def test_the_keeper_freezes_then_collects_fully_on_its_own_schedule(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(gcpolicy, "freeze_survivors", lambda: calls.append("freeze"))
    monkeypatch.setattr(gcpolicy, "full_collection", lambda: calls.append("full"))
    monkeypatch.setattr(gcpolicy, "FULL_COLLECTION_EVERY_S", 1.5)
    ticks = 0

    async def fake_sleep(seconds: float) -> None:
        nonlocal ticks
        ticks += 1
        if ticks > 4:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await gcpolicy.keep_collections_short(fake_sleep)
    assert calls == ["freeze", "freeze", "full", "freeze"]


def test_start_up_runs_without_the_collector_then_freezes_what_it_built() -> None:
    try:
        gcpolicy.pause_for_start_up()
        assert not gc.isenabled()
        built = [{"route": n} for n in range(1000)]
        gcpolicy.start_up_done()
        assert gc.isenabled() and gc.get_freeze_count() >= len(built)
    finally:
        gc.enable()


def test_a_failed_start_gives_the_collector_back(tmp_path: Path) -> None:
    (tmp_path / "linkjolt.yaml").write_text("campaigns:\n  - {id: c1}\n")
    try:
        assert main(["serve", "--port", "0", "--fixtures", str(tmp_path)]) == 2
        assert gc.isenabled()
    finally:
        gc.enable()


def test_the_command_module_imports_no_server_before_the_collector_is_paused() -> None:
    """main() pauses the collector, then serve() imports aiohttp: importing sandbox.cli must not import it."""
    probe = "import sys, sandbox.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'aiohttp'))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


async def test_an_app_runs_the_keeper_while_it_serves(monkeypatch: pytest.MonkeyPatch,
                                                      aiohttp_client: Any) -> None:
    """create_app alone is complete: no CLI needed for the collector policy."""
    events: list[str] = []

    async def keeper() -> None:
        events.append("started")
        try:
            await asyncio.Event().wait()
        finally:
            events.append("stopped")

    monkeypatch.setattr(gcpolicy, "keep_collections_short", keeper)
    client = await aiohttp_client(create_app(Settings()))
    await asyncio.sleep(0)
    assert events == ["started"]
    await client.close()
    assert events == ["started", "stopped"]
