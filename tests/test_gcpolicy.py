"""The server's collector policy: survivors frozen often, a full collection now and then."""
from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

from sandbox import gcpolicy


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
