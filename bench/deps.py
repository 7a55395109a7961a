"""Does each speed dependency pay? The sandbox's CPU time per request with each of orjson and uvloop blocked in
turn (the code falls back to the standard library and asyncio's loop).

    bench/.venv/bin/python bench/deps.py        (after bash bench/run.sh has set up bench/.venv)

CPU time per request barely moves when another process competes for the machine, unlike requests per second.
"""
from __future__ import annotations

import subprocess
import sys
import time

import run

BLOCKABLE = ("orjson", "uvloop")
LOADS = [load for load in run.LOADS if load.name.startswith("linkjolt")]


def start(blocked: str | None) -> run.Server:
    port = run.free_port()
    prelude = f"import sys; sys.modules[{blocked!r}] = None; " if blocked else "import sys; "
    code = prelude + (f"from sandbox.cli import main; sys.exit(main(['serve', '--port', '{port:d}', '--rate-limits', "
                      "'off', '--log-level', 'warning']))")
    started = time.perf_counter()
    process = subprocess.Popen(["taskset", "-c", run.SERVER_CPU, sys.executable, "-c", code], cwd=run.ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return run.Server(process, port, started, run.wait_ready(port, process, started))


def measure(blocked: str | None) -> dict[str, float]:
    server = start(blocked)
    try:
        out = {}
        for n, load in enumerate(LOADS):
            run.wrk(server, load, "1s", f"w{n}")
            before = server.cpu_seconds()
            result = run.wrk(server, load, "5s", f"m{n}")
            out[load.name] = (server.cpu_seconds() - before) * 1e6 / result["requests"]
        return out
    finally:
        server.stop()


def main() -> None:
    rows = {"all installed": measure(None)}
    for name in BLOCKABLE:
        rows[f"without {name}"] = measure(name)
    names = [load.name for load in LOADS]
    print("| CPU µs per request | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for label, values in rows.items():
        print(f"| {label} | " + " | ".join(f"{values[n]:.0f}" for n in names) + " |")


if __name__ == "__main__":
    main()
