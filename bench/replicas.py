"""Throughput through nginx with three replicas against one replica directly (issue 18).

    python bench/replicas.py [--seconds 10] [--tenants 60] [--connections 32]

Starts three `sandbox serve` processes (real clock, rate limits off, each with its own --state-dir) behind a
real nginx running deploy/nginx/ (the same harness as tests/scale/test_nginx.py), makes `--tenants` tenants
through nginx, and drives them with wrk (bench/replicas.lua: 4/5 lists, 1/5 creates, keys round-robin). Then the
same load on as many tenants made directly on one replica, against that replica alone. Prints both, and the
ratio. Needs nginx and wrk. Not part of the test suite; on a shared machine, run it briefly: the replicas, nginx
and wrk share the machine's cores, so the ratio says more about the cores than about the design.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scale.cluster import Cluster, find_nginx  # noqa: E402  (after the path it needs)

SCRIPT = Path(__file__).with_name("replicas.lua")


def make_tenants(url: str, count: int) -> list[str]:
    keys = []
    for _ in range(count):
        request = urllib.request.Request(f"{url}/_sandbox/tenants", data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            keys.append(json.loads(response.read())["keys"]["linkjolt"])
    return keys


def wrk(url: str, keys: list[str], seconds: int, connections: int, salt: str) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".keys", delete=False) as out:
        out.write("\n".join(keys) + "\n")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(SCRIPT), url]
    result = subprocess.run(command, capture_output=True, text=True, check=True,
                            env={"KEYS_FILE": out.name, "SALT": salt, "PATH": "/usr/bin:/bin"})
    Path(out.name).unlink()
    text = result.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"requests_per_second": rate, "non_2xx": int(errors.group(1)) if errors else 0,
            "p50_ms": int(re.search(r"LATENCY_P50_US (\d+)", text).group(1)) / 1000,  # type: ignore[union-attr]
            "p99_ms": int(re.search(r"LATENCY_P99_US (\d+)", text).group(1)) / 1000}  # type: ignore[union-attr]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--tenants", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    nginx = find_nginx()
    if nginx is None or shutil.which("wrk") is None:
        print("needs nginx and wrk (apt-get install nginx-light wrk)", file=sys.stderr)
        return 2
    cluster = Cluster.start(nginx, count=3, extra=("--rate-limits", "off"))
    try:
        through = wrk(cluster.url, make_tenants(cluster.url, args.tenants), args.seconds, args.connections, "n")
        single = cluster.replica_url(0)
        direct = wrk(single, make_tenants(single, args.tenants), args.seconds, args.connections, "d")
    finally:
        cluster.close()
    report = {"nginx_three_replicas": through, "one_replica_direct": direct,
              "ratio": round(through["requests_per_second"] / direct["requests_per_second"], 2),
              "seconds": args.seconds, "tenants": args.tenants, "connections": args.connections}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
