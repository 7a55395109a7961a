"""Ready time: process start to the first 200 from /_sandbox/health, the sandbox against the reference server.

    python bench/startup.py [--runs 7] [--tree DIR ...] [--first-requests]

Each round starts every server once, in turn (reference, then each tree), pinned to CPU 0 as in `run.py`, so the
figures of one run come from the same minutes of a shared machine; the median of the rounds is printed with its
ratio to the reference's, and the server's CPU time up to ready (user + system, in clock ticks: coarse, but
what a busy machine hardly moves). Each tree's bytecode is compiled first, so no tree pays for compiling its
modules at every start (under `PYTHONDONTWRITEBYTECODE` a stale cache stays stale). `--tree` names sandbox
source trees to compare (default: this one), e.g. a checkout of main against a branch's worktree.
`--first-requests` also times, once ready, the first request of each vendor (a GET list and a create) on the
same server: work deferred past ready must stay cheap there.
Not part of CI; never a timed test.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/ is not a package)

# One GET list and one create a vendor; the loads' own paths and bodies.
FIRST_REQUESTS = [load for load in run.LOADS if not load.flags and load.name != "linkjolt POST /conversions"]


def _first_requests(port: int) -> dict[str, float]:
    """Milliseconds of each vendor's first GET list and create, in the order of `run.LOADS`."""
    times = {}
    for load in FIRST_REQUESTS:
        body = None if load.body is None else load.body.replace("{n}", "first").encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}{load.path}", data=body,
                                         method="GET" if body is None else "POST")
        if load.auth:
            request.add_header(*load.auth)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            if response.status >= 300:
                raise SystemExit(f"{load.name}: status {response.status}")
        times[load.name] = (time.perf_counter() - started) * 1000
    return times


def _start(kind: str, tree: Path) -> run.Server:
    """`run.start`, with the sandbox run from `tree` (python -m puts the working directory first on the path)."""
    saved = run.ROOT
    run.ROOT = tree
    try:
        return run.start(kind)
    finally:
        run.ROOT = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tree", type=Path, action="append", help="a sandbox source tree (repeatable)")
    parser.add_argument("--first-requests", action="store_true")
    args = parser.parse_args()
    trees = [t.resolve() for t in (args.tree or [run.ROOT])]
    names = ["reference", *(str(t) for t in trees)]
    for tree in trees:
        subprocess.run([sys.executable, "-m", "compileall", "-q", "sandbox"], cwd=tree, check=True)
    ready: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    first: dict[str, dict[str, list[float]]] = {str(t): {} for t in trees}
    for _ in range(args.runs):
        for name in names:
            kind = "reference" if name == "reference" else "sandbox"
            server = _start(kind, Path(name) if kind == "sandbox" else run.ROOT)
            try:
                ready[name].append(server.ready_ms)
                cpu[name].append(server.cpu_seconds() * 1000)
                if kind == "sandbox" and args.first_requests:
                    for load, ms in _first_requests(server.port).items():
                        first[name].setdefault(load, []).append(ms)
            finally:
                server.stop()
    base, cpu_base = statistics.median(ready["reference"]), statistics.median(cpu["reference"])
    summary = {}
    for name in names:
        median, cpu_median = statistics.median(ready[name]), statistics.median(cpu[name])
        summary[name] = {"ready_ms": round(median, 1), "ratio": round(median / base, 2),
                         "cpu_ms": round(cpu_median), "cpu_ratio": round(cpu_median / cpu_base, 2),
                         "runs": [round(t) for t in ready[name]]}
        print(f"{name}: ready {median:.0f} ms (median of {args.runs}; {median / base:.2f}x the reference), "
              f"CPU {cpu_median:.0f} ms ({cpu_median / cpu_base:.2f}x)  runs {summary[name]['runs']}")
        for load, times in first.get(name, {}).items():
            print(f"    first {load}: {statistics.median(times):.1f} ms")
            summary[name].setdefault("first_ms", {})[load] = round(statistics.median(times), 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
