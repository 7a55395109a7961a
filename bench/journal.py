"""What the request journal costs: in-process CPU per LinkJolt create, with and without the journal stage.

Each request goes through the app's route table and `VendorPipeline.run` with a mocked aiohttp request whose
body has arrived (no sockets, no HTTP parsing: only the pipeline's work, which is what the journal adds to).
Each mode runs in its own process (the garbage collector is per process: one app's heap must not slow the
other's rounds), with the server's collector policy (`gcpolicy`: what start-up built is frozen, survivors are
frozen every FREEZE_EVERY requests, standing in for the server's twice a second). Processes alternate between
the modes and the best round of each mode is reported, so a neighbour's burst on a shared machine counts
against neither.

    python bench/journal.py [--requests 3000] [--rounds 3] [--processes 3]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from typing import Any
from unittest import mock

FREEZE_EVERY = 1000
PATH = "/linkjolt/api/v1/affiliates"
KEY = "lj_pk_sandbox_ultimate_0001"


def _request(body: bytes, loop: asyncio.AbstractEventLoop) -> Any:
    from aiohttp import streams
    from aiohttp.test_utils import make_mocked_request

    payload = streams.StreamReader(mock.Mock(_reading_paused=False), 2 ** 16, loop=loop)
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


async def _child(journal: bool, requests: int, rounds: int) -> float:
    from sandbox import gcpolicy

    gcpolicy.pause_for_start_up()
    app = _app(journal)
    gcpolicy.start_up_done()
    await _round(app, 10_000_000, 1200)  # warm up: the first calls, the stage lists, a full journal
    return min([await _round(app, r * requests, requests) for r in range(rounds)])


def main(requests: int, rounds: int, processes: int) -> dict[str, float]:
    best = {"off": float("inf"), "on": float("inf")}
    for _ in range(processes):
        for mode in ("off", "on"):
            out = subprocess.run([sys.executable, __file__, "--child", mode, "--requests", str(requests),
                                  "--rounds", str(rounds)], check=True, capture_output=True, text=True).stdout
            best[mode] = min(best[mode], float(out.strip().splitlines()[-1]))
    return best


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--child", choices=("on", "off"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(asyncio.run(_child(args.child == "on", args.requests, args.rounds)))
        sys.exit(0)
    best = main(args.requests, args.rounds, args.processes)
    off, on = best["off"], best["on"]
    print(f"LinkJolt create, CPU per request: journal off {off * 1e6:.1f} µs, on {on * 1e6:.1f} µs, "
          f"cost {(on - off) / off * 100:+.1f}% (target: at most +10%)")
