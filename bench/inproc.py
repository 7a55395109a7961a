"""CPU per request inside the server, without sockets: the route table and `VendorPipeline.run` on requests whose
body has arrived, for any load of `run.py` (a GET load's first round fills the response cache; the load with
`--response-cache off` builds every answer). A quick, quieter check of a change than the wrk runs (which
also count aiohttp's HTTP work and the kernel's), and a profile of where a request's time goes.

    PYTHONPATH=. python bench/inproc.py "everflow POST /networks/affiliates" [--profile] [--calls] [--http]
    PYTHONPATH=. python bench/inproc.py --list

`--http` sends the load's raw HTTP/1.1 requests through the connection handler `sandbox serve` uses (aiohttp's
parser, the inline answers of `core/inline.py`, each connection's one write as the loop's turn ends: here 16
connections, each answered once a turn) on an in-memory transport: the whole server's Python per request, without
the kernel's share (bench/NOTES.md, round 6). With `INPROC_NO_HOLD=1` each answer is written at once instead
(`hold_answers=False`): in-process, where a write costs nothing, holding costs about 1.5 µs a request; under wrk
it saves 10-15 (bench/NOTES.md, round 9).

Rounds of `--requests` requests each, under the server's collector policy (survivors frozen between rounds, as the
server does twice a second); the median round is reported. `--profile` adds cProfile's top functions of one more
round; `--calls` prints every function's calls and own time per request instead (diff two trees' outputs).
`--bytecodes` counts the bytecodes each function runs per request (`sys.settrace` with opcode events, over one more
round): the same count on every run, where this machine's CPU times drift by 10% and more, so a change's effect on
the Python work of a request shows at once. Not a time: a bytecode that calls into C (orjson, a dict built by a
comprehension) costs many times one that loads a name (bench/NOTES.md, round 11). The traced round runs some 30
times slower, so the app's watchdog may report the loop as blocked meanwhile.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import gc
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import LOADS, Load  # noqa: E402  (bench/ is not a package)


class _Protocol:
    """What a StreamReader asks of its connection (a Mock's bookkeeping cost 10-15 µs a request here)."""

    _reading_paused = False

    def pause_reading(self, *args: object, **kwargs: object) -> None:
        pass

    def resume_reading(self, *args: object, **kwargs: object) -> None:
        pass


def _request(load: Load, body: bytes, loop: asyncio.AbstractEventLoop) -> Any:
    from aiohttp import streams
    from aiohttp.test_utils import make_mocked_request

    headers = {}
    if load.auth:
        headers[load.auth[0]] = load.auth[1]
    if load.body is None:
        return make_mocked_request("GET", load.path, headers=headers)
    payload = streams.StreamReader(_Protocol(), 2 ** 16, loop=loop)
    payload.feed_data(body)
    payload.feed_eof()
    headers.update({"Content-Type": "application/json", "Content-Length": str(len(body))})
    return make_mocked_request("POST", load.path, headers=headers, payload=payload)


TURN = 16  # connections, each answered once a turn of the loop (the benchmark's turns hold about that many)


class _Transport:
    """What a connection handler writes to, in memory: counts the answers (a write holds a turn's) and keeps the last
    write, and how many answers were not a 2xx."""

    def __init__(self) -> None:
        self.answers, self.refused, self.last = 0, 0, b""

    def write(self, data: bytes) -> None:
        answers = data.count(b"HTTP/1.1 ")
        self.answers += answers
        self.refused += answers - data.count(b"HTTP/1.1 20")
        self.last = data

    def is_closing(self) -> bool:
        return False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 40000), "sockname": ("127.0.0.1", 8080)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def close(self) -> None:
        pass


def _raw(load: Load, body: bytes) -> bytes:
    head = f"{'GET' if load.body is None else 'POST'} {load.path} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
    if load.auth:
        head += f"{load.auth[0]}: {load.auth[1]}\r\n"
    if load.body is None:
        return (head + "\r\n").encode()
    return (head + f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


async def _connections(app: Any, count: int) -> tuple[list[Any], _Transport]:
    """`count` connections of the server `sandbox serve` runs, on one in-memory transport, their `start()` asleep."""
    from sandbox.app import serving_runner

    runner = serving_runner(app, access_log=None, hold_answers=not os.environ.get("INPROC_NO_HOLD"))
    await runner.setup()
    transport = _Transport()
    handlers = []
    for _ in range(count):
        handler = runner.server()  # type: ignore[misc]
        handler.connection_made(transport)
        handlers.append(handler)
    for _ in range(100):
        if all(handler._start_is_idle() for handler in handlers):
            return handlers, transport
        await asyncio.sleep(0)
    raise SystemExit("the connection handlers never went idle")


def _where(filename: str) -> str:
    """A code object's file as the reports name it: its package path, or its path under sandbox/."""
    return filename.split("site-packages/")[-1].split("/sandbox/", 1)[-1]


class BytecodeCounter:
    """A `sys.settrace` function counting the bytecodes each code object runs."""

    def __init__(self) -> None:
        self.counts: collections.Counter[Any] = collections.Counter()

    def __call__(self, frame: Any, event: str, arg: Any) -> BytecodeCounter:
        frame.f_trace_opcodes = True
        if event == "opcode":
            self.counts[frame.f_code] += 1
        return self

    def report(self, requests: int, top: int = 60) -> None:
        print(f"bytecodes per request: {sum(self.counts.values()) / requests:.0f}")
        for code, count in self.counts.most_common(top):
            print(f"{count / requests:7.1f}  {_where(code.co_filename)}:{code.co_firstlineno}:{code.co_name}")


async def main(load: Load, requests: int, rounds: int, profile: bool, calls: bool, http: bool = False,
               bytecodes: bool = False) -> None:
    from sandbox import Settings, create_app, gcpolicy
    from sandbox.app import ROUTES
    from sandbox.core.journal import JOURNALS

    gcpolicy.pause_for_start_up()
    cache = "off" if load.flags == ("--response-cache", "off") else "on"
    app = create_app(Settings(rate_limits=False, response_cache=cache))
    gcpolicy.start_up_done()
    if os.environ.get("INPROC_NO_GC"):  # a what-if: the same rounds with the collector off
        gc.disable()
    loop = asyncio.get_running_loop()
    endpoint, params = app[ROUTES].match("GET" if load.body is None else "POST", load.path.partition("?")[0])
    handlers, transport = await _connections(app, TURN) if http else ([], None)
    journals = app[JOURNALS]
    made = 0

    async def one_round(count: int, profiler: cProfile.Profile | None = None,
                        counter: BytecodeCounter | None = None) -> float:
        nonlocal made
        batch = []
        for _ in range(count):
            made += 1
            body = (load.body or "").replace("{n}", f"x{made}").encode()
            batch.append(_raw(load, body) if http else _request(load, body, loop))
        gcpolicy.freeze_survivors()
        if profiler:
            profiler.enable()
        if counter:
            sys.settrace(counter)
        began = time.process_time()
        if http:
            before, refused = transport.answers, transport.refused
            turn = handlers[0]._turn  # the server's answers held to the end of the loop's turn (core/turnwrites.py)
            for index, raw in enumerate(batch, 1):
                handlers[index % TURN].data_received(raw)  # answered inside, as on a live connection that is idle
                if turn is not None and (index % TURN == 0 or index == count):
                    turn.turn_ended()  # and written as the loop's turn ends
            answered = transport.answers - before
            if answered != count or transport.refused != refused:
                raise SystemExit(f"unexpected answers ({answered} of {count}, {transport.refused - refused} not 2xx): "
                                 f"{transport.last[:300]!r}")
        else:
            for request in batch:
                response = await endpoint(request, params)
                if response.status >= 300:
                    raise SystemExit(f"unexpected {response.status}: {response.body[:300]!r}")
        journals.settle()  # the journal keeps the round's records as the server's turns would, inside the count
        spent = time.process_time() - began
        if counter:
            sys.settrace(None)
        if profiler:
            profiler.disable()
        await asyncio.sleep(0)  # a turn of the loop between rounds: the app's watchdog sees it alive
        return spent / count

    await one_round(1500)  # warm-up: first calls, stage lists, a full journal
    spent = [await one_round(requests) for _ in range(rounds)]
    where = "through the connection handler" if http else "in-process"
    print(f"{load.name}: {statistics.median(spent) * 1e6:.1f} µs CPU per request {where} "
          f"(median of {rounds} rounds of {requests}; best {min(spent) * 1e6:.1f})")
    if bytecodes:
        counter = BytecodeCounter()
        await one_round(requests, counter=counter)
        counter.report(requests)
    if profile or calls:
        profiler = cProfile.Profile()
        await one_round(requests, profiler)
        stats = pstats.Stats(profiler)
        print(f"function calls per request: {stats.total_calls / requests:.1f}")  # type: ignore[attr-defined]
        if calls:
            rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])  # type: ignore[attr-defined]
            for (file, _line, name), (_cc, ncalls, own, _cum, _callers) in rows:
                print(f"{ncalls / requests:7.1f} {own / requests * 1e6:7.2f} µs  {_where(file)}:{name}")
        else:
            stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("load", nargs="?", help="a load's name from run.py's LOADS")
    parser.add_argument("--list", action="store_true", help="list the loads")
    parser.add_argument("--requests", type=int, default=2000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--calls", action="store_true")
    parser.add_argument("--bytecodes", action="store_true", help="bytecodes run per request, by function")
    parser.add_argument("--http", action="store_true", help="raw requests through the connection handler")
    args = parser.parse_args()
    posts = {load.name: load for load in LOADS}
    if args.list or args.load not in posts:
        print("\n".join(posts))
        raise SystemExit(0 if args.list else 2)
    asyncio.run(main(posts[args.load], args.requests, args.rounds, args.profile, args.calls, args.http,
                     args.bytecodes))
