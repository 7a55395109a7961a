"""Webhook load (issue 14): LinkJolt conversion creates with an active subscription to a slow receiver (100 ms
per request) against the same creates without one. Target: at least 0.8x the throughput without.

    python bench/webhooks.py [--seconds 8] [--rounds 2] [--connections 16] [--profile out.prof]

Three processes, as a user's would be: the server (`sandbox serve`, real clock, rate limits off, the receiver's
host allowed) pinned to CPU 0; `wrk` (POST /conversions, a unique orderId each) and the receiver (an aiohttp
server that sleeps 100 ms per request) on CPU 1. Each phase runs on a fresh auto-provisioned Scale-plan tenant
(no earnings cap); the hooked tenant first registers a subscription to `conversion.created` with
`POST /webhooks`. Phases alternate (plain, hooked, plain, hooked, ...) so the machine's drift falls on both.
The subscription is deleted after its phase, so its backlog does not load
the phases after it. Besides wrk's requests/s it prints the server's CPU time per request (from /proc), which
another busy process on the machine hardly moves. `--profile FILE` runs the server under cProfile and writes its
stats there; `--only plain|hooked` runs one kind of phase, so two profiles can be compared.
Not part of the test suite; run it briefly on a shared machine.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from run import (
    LINKJOLT,
    LOAD_CPU,
    ROOT,
    SERVER_CPU,
    Load,
    Server,
    free_port,
    wait_ready,
    wrk,
)

SALE = ('{"campaignId":"camp_percentage_00001","affiliateId":"aff_jane_smith_000001","amount":1,'
        '"orderId":"order-{n}"}')
RECEIVER_DELAY = 0.1


def receiver_main(port: int) -> None:
    """The slow receiver (its own process): every request is read, held 100 ms and answered 200."""
    from aiohttp import web

    received = 0

    async def handle(request: web.Request) -> web.Response:
        nonlocal received
        await request.read()
        await asyncio.sleep(RECEIVER_DELAY)
        received += 1
        return web.Response(status=200)

    async def count(request: web.Request) -> web.Response:
        return web.json_response({"received": received})

    app = web.Application()
    app.router.add_post("/hook", handle)
    app.router.add_get("/count", count)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def start_receiver() -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(["taskset", "-c", LOAD_CPU, sys.executable, __file__, "--receiver", str(port)],
                               cwd=ROOT)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/count", timeout=1):
                return process, port
        except OSError:
            time.sleep(0.02)
    process.kill()
    raise SystemExit("receiver not ready after 30 s")


def received(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/count", timeout=5) as response:
        return int(json.load(response)["received"])


def start_server(profile: str | None) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "sandbox", "serve", "--port", str(port), "--rate-limits", "off",
               "--log-level", "warning", "--webhook-hosts", "127.0.0.1"]
    if profile:
        command[1:3] = ["-m", "cProfile", "-o", profile, "-m", "sandbox"]
    started = time.perf_counter()
    process = subprocess.Popen(["taskset", "-c", SERVER_CPU, *command], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Server(process, port, started, wait_ready(port, process, started))


def linkjolt(server: Server, key: str, method: str, path: str, body: object = None) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{LINKJOLT}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def subscribe(server: Server, key: str, receiver_port: int) -> str:
    answer = linkjolt(server, key, "POST", "/webhooks",
                      {"url": f"http://127.0.0.1:{receiver_port}/hook", "events": ["conversion.created"]})
    return str(answer["data"]["id"])


def phase(server: Server, key: str, seconds: float, salt: str) -> dict:
    load = Load("conversions", f"{LINKJOLT}/conversions", SALE, auth=("Authorization", f"Bearer {key}"))
    wrk(server, load, "1s", salt + "w")  # warm the tenant (auto-provisioning, first-use paths)
    cpu_before = server.cpu_seconds()
    result = wrk(server, load, f"{seconds:g}s", salt)
    result["cpu_us_per_request"] = round((server.cpu_seconds() - cpu_before) * 1e6 / result["requests"], 1)
    return result


def main(seconds: float, rounds: int, connections: int, profile: str | None, only: str | None) -> None:
    import run
    run.CONNECTIONS = str(connections)
    print(f"uptime: {Path('/proc/loadavg').read_text().split()[:3]} (load average 1, 5, 15 min)")
    receiver, receiver_port = start_receiver()
    server = start_server(profile)
    plain: list[dict] = []
    hooked: list[dict] = []
    try:
        for n in range(rounds):
            if only != "hooked":
                plain.append(phase(server, f"lj_pk_scale_bench_plain_{n:04d}", seconds, f"p{n}"))
            if only != "plain":
                key = f"lj_pk_scale_bench_hooked_{n:04d}"
                webhook_id = subscribe(server, key, receiver_port)
                hooked.append(phase(server, key, seconds, f"h{n}"))
                # Its backlog (the outbox keeps 1,000) would otherwise keep the receiver busy in later phases.
                linkjolt(server, key, "DELETE", f"/webhooks/{webhook_id}")
            for name, result in (("plain", plain[-1:]), ("hooked", hooked[-1:])):
                if not result:
                    continue
                result = result[0]
                print(f"round {n} {name:6}: {result['rps']:7.0f} creates/s, {result['cpu_us_per_request']:6.1f} "
                      f"µs CPU/request, p99 {result['p99_ms']:.1f} ms, non-2xx {result['non_2xx']}")
        delivered = received(receiver_port)
    finally:
        server.stop()
        receiver.terminate()
        receiver.wait()
    if profile:
        print(f"server profile: {profile} (python -m pstats {profile})")
    if not plain or not hooked:
        return
    rps = statistics.median(r["rps"] for r in hooked) / statistics.median(r["rps"] for r in plain)
    cpu = statistics.median(r["cpu_us_per_request"] for r in plain) / statistics.median(
        r["cpu_us_per_request"] for r in hooked)
    print(f"hooked/plain throughput: {rps:.2f}x (target >= 0.80x); plain/hooked CPU per request: {cpu:.2f}x; "
          f"the receiver got {delivered} deliveries")
    print(f"uptime: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--profile", metavar="FILE")
    parser.add_argument("--only", choices=("plain", "hooked"), help="run one kind of phase (to profile it alone)")
    parser.add_argument("--receiver", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.receiver is not None:
        receiver_main(args.receiver)
    else:
        main(args.seconds, args.rounds, args.connections, args.profile, args.only)
