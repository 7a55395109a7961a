"""The latency distribution of one load under wrk, as `run.py` runs it (server on CPU 0, `wrk -t1 -c32` on CPU 1,
a fresh server per round): p1 to p99.9 and the max, to see the shape of a tail that p50 and p99 alone hide
(bench/NOTES.md, round 7: a share of requests waiting one event-loop turn more than the rest).

    python bench/tail.py "linkjolt GET /affiliates?limit=10" [--rounds 3] [--duration 4s] [--tree DIR ...]

`--tree` names sandbox source trees to compare (default: this one); rounds alternate between them, so the
figures of one run come from the same minutes of a shared machine. `--reference` adds the reference server.
Not part of CI; never a timed test.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/ is not a package)


def _distribution(server: run.Server, load: run.Load, duration: str) -> str:
    run.wrk(server, load, run.WARMUP, "w")
    out = run.wrk_output(server, load, duration, "m")
    figures = run.wrk_figures(out)
    rps = figures["rps"]
    points = {"50": figures["p50_ms"] * 1000, "99": figures["p99_ms"] * 1000}
    points |= {p: int(us) for p, us in re.findall(r"LATENCY_AT (\S+) (\d+)", out)}
    ordered = sorted(points.items(), key=lambda item: float(item[0]))
    peak = int(re.search(r"LATENCY_MAX_US (\d+)", out).group(1))  # type: ignore[union-attr]
    return (f"{rps:8,.0f} rps  " + " ".join(f"p{p}={us / 1000:.2f}" for p, us in ordered)
            + f"  max={peak / 1000:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("load", choices=[load.name for load in run.LOADS], metavar="LOAD")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="4s")
    parser.add_argument("--tree", action="append", type=Path, help="a sandbox source tree (default: this one)")
    parser.add_argument("--reference", action="store_true", help="also the reference server")
    args = parser.parse_args()
    load = next(load for load in run.LOADS if load.name == args.load)
    kinds = [("sandbox", tree.resolve()) for tree in args.tree or [run.ROOT]]
    if args.reference:
        kinds.append(("reference", run.ROOT))
    for n in range(args.rounds):
        for kind, tree in kinds:
            run.ROOT = tree  # `run.start` starts the server from this tree
            server = run.start(kind, load.flags if kind == "sandbox" else ())
            try:
                time.sleep(0.5)
                line = _distribution(server, load, args.duration)
            finally:
                server.stop()
            print(f"round {n + 1} {kind} {tree}: {line}", flush=True)


if __name__ == "__main__":
    main()
