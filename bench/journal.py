"""What the request journal costs: in-process CPU per LinkJolt create, with and without the journal stage.

Each request goes through the app's route table and `VendorPipeline.run` with a mocked aiohttp request whose
body has arrived (no sockets, no HTTP parsing: only the pipeline's work, which is what the journal adds to).
Two apps in one process, one without the journal stage, run short rounds in turn (off, on, on, off, ...) under
the server's collector policy (`gcpolicy`: what start-up built is frozen, survivors are frozen every
FREEZE_EVERY requests and between rounds, standing in for the server's twice a second, so neither app's heap
slows the other's collections). The median of the paired rounds' ratios is reported: a neighbour's burst on a
shared machine hits both sides of a pair alike. (One process per mode, best round of each, was tried: its
result moved between +8% and +24% from run to run on the shared machine; the paired rounds stay within a
few points.)

    PYTHONPATH=. python bench/journal.py [--requests 500] [--rounds 20]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inproc import _Protocol  # noqa: E402  (bench/ is not a package)

FREEZE_EVERY = 1000
PATH = "/linkjolt/api/v1/affiliates"
KEY = "lj_pk_sandbox_ultimate_0001"


def _request(body: bytes, loop: asyncio.AbstractEventLoop) -> Any:
    from aiohttp import streams
    from aiohttp.test_utils import make_mocked_request

    payload = streams.StreamReader(_Protocol(), 2 ** 16, loop=loop)  # not a Mock: its bookkeeping cost 10-15 µs
    payload.feed_data(body)
    payload.feed_eof()
    return make_mocked_request("POST", PATH, headers={
        "Authorization": f"Bearer {KEY}", "Content-Type": "application/json",
        "Content-Length": str(len(body))}, payload=payload)


def _app(journal: bool) -> Any:
    from sandbox import Settings, create_app
    from sandbox.app import HOOKS
    from sandbox.core.journalstage import JournalStage

    app = create_app(Settings(clock="frozen:2026-06-15T12:00:00Z", rate_limits=False, response_cache="on"))
    if not journal:
        hooks = app[HOOKS]
        for _name, factory in list(hooks.added("journal")):
            if isinstance(factory, JournalStage):
                hooks.remove("journal", factory)
    return app


async def _round(app: Any, start: int, count: int) -> float:
    """CPU seconds per request for `count` creates with fresh emails."""
    from sandbox import gcpolicy
    from sandbox.app import ROUTES

    loop = asyncio.get_running_loop()
    endpoint, params = app[ROUTES].match("POST", PATH)
    requests = [_request(json.dumps({"email": f"u{start + i}@bench.example", "name": "Bench",
                                     "campaignId": "camp_percentage_00001"}).encode(), loop)
                for i in range(count)]
    gcpolicy.freeze_survivors()
    spent = 0.0
    for first in range(0, count, FREEZE_EVERY):
        began = time.process_time()
        for request in requests[first:first + FREEZE_EVERY]:
            response = await endpoint(request, params)
            if response.status != 201:
                raise SystemExit(f"unexpected {response.status}: {response.body!r}")
        spent += time.process_time() - began
        gcpolicy.freeze_survivors()  # outside the timing: the server does it beside the requests
    return spent / count


async def main(requests: int, rounds: int) -> tuple[list[float], list[float]]:
    """Per-round CPU per request of each app, rounds interleaved (off, on, on, off, ...)."""
    from sandbox import gcpolicy

    gcpolicy.pause_for_start_up()
    apps = {"off": _app(False), "on": _app(True)}
    gcpolicy.start_up_done()
    for app in apps.values():  # warm up: the first calls, the stage lists, a full journal
        await _round(app, 10_000_000, 1200)
    spent: dict[str, list[float]] = {"off": [], "on": []}
    for r in range(rounds):
        for mode in (("off", "on") if r % 2 == 0 else ("on", "off")):
            spent[mode].append(await _round(apps[mode], r * requests, requests))
    return spent["off"], spent["on"]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="creates per round")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    off, on = asyncio.run(main(args.requests, args.rounds))
    ratio = statistics.median(b / a for a, b in zip(off, on, strict=True))
    print(f"LinkJolt create, CPU per request in the pipeline (median of {args.rounds} paired rounds): journal off "
          f"{statistics.median(off) * 1e6:.1f} µs, on {statistics.median(on) * 1e6:.1f} µs, "
          f"cost {(ratio - 1) * 100:+.1f}% (target: at most +10%)")
