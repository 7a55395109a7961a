"""Garbage-collector policy for a long-running server: keep pauses short as the tenants' data grows.

CPython's full collections walk every tracked object, and a sandbox under load stores hundreds of thousands
of records: a full pass then stalls every request for 100-300 ms (bench/RESULTS.md: p99 of 214 ms on Tamio
creates, 4 ms with the collector off). So the server, twice a second, collects the young generations and
freezes what survives (stored records, mostly), which later collections then skip. Every ten minutes it
unfreezes everything and runs one full collection, so a cycle that became garbage after being frozen is
still reclaimed.

Start-up is the other end of the same idea: importing and building the app allocate only what the server
keeps, so collections then free nothing and only walk a growing heap (about 25 ms of a 300 ms start).
`serve` pauses the collector until it answers, then freezes what start-up built.

The application runs `keep_collections_short` for as long as it serves (`create_app` registers it through
`core.lifecycle`), so an app started without the CLI (tests, the pytest plugin) gets the same policy.
"""
from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable

FREEZE_EVERY_S = 0.5
FULL_COLLECTION_EVERY_S = 600.0


def pause_for_start_up() -> None:
    gc.disable()


def start_up_done() -> None:
    """Freeze what start-up built (it lives as long as the server) and let the collector run again."""
    gc.freeze()
    resume()


def resume() -> None:
    gc.enable()


def freeze_survivors() -> None:
    """Collect generations 0 and 1, then move every surviving object out of the collector's sight."""
    gc.collect(1)
    gc.freeze()


def full_collection() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


async def keep_collections_short(sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
    """Run forever (until cancelled): freeze survivors often, collect fully now and then."""
    since_full = 0.0
    while True:
        await sleep(FREEZE_EVERY_S)
        since_full += FREEZE_EVERY_S
        if since_full >= FULL_COLLECTION_EVERY_S:
            since_full = 0.0
            full_collection()
        else:
            freeze_survivors()
