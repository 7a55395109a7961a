"""The benchmark: the sandbox against a bare aiohttp + jsonschema reference, on this machine.

    python3 bench/run.py            (or: bash bench/run.sh, which installs wrk and the project first)

The server under test is pinned to CPU 0 and wrk (-t1 -c32) to CPU 1; each load runs 10 s after a 3 s warm-up.
It measures cold start (process start to first successful answer, median of 5), GET and POST throughput and p99
latency, idle and post-load RSS and RSS growth per stored record. Every figure is also printed as a ratio to the
reference measured in the same run. Results go to bench/results/<time>.json and a table to bench/RESULTS.md;
`python bench/run.py --summary` rewrites RESULTS.md from the saved results (after an edit to NOTES.md).
Not part of CI.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DURATION = os.environ.get("BENCH_DURATION", "10s")
WARMUP = os.environ.get("BENCH_WARMUP", "3s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "32")
SERVER_CPU, LOAD_CPU = "0", "1"
LINKJOLT = "/linkjolt/api/v1"
LJ_AUTH = ("Authorization", "Bearer lj_pk_sandbox_ultimate_0001")
PK_AUTH = ("Authorization", "Bearer pk_sandboxDefaultKey00001")
TAMIO_AUTH = ("Authorization", "Bearer sk_sandbox_full_0001")
EF_AUTH = ("X-Eflow-Api-Key", "ef_sandbox_network_0001")


@dataclass
class Load:
    """One wrk run: a name, a path, GET or a POST body template with {n} made unique per request."""

    name: str
    path: str
    body: str | None = None
    auth: tuple[str, str] | None = LJ_AUTH
    reference: bool = False  # also run against the reference server
    flags: tuple[str, ...] = ()  # extra `sandbox serve` flags: such a load gets a server of its own
    compare_to: str | None = None  # the reference load its ratio is taken against, if not its own name


GET_LIST = "linkjolt GET /affiliates?limit=10"
POST_CREATE = "linkjolt POST /affiliates"
LOADS = [
    Load(GET_LIST, f"{LINKJOLT}/affiliates?limit=10", reference=True),
    # The same read with every request built afresh: what a read costs right after a write.
    Load(GET_LIST + " (response cache off)", f"{LINKJOLT}/affiliates?limit=10",
         flags=("--response-cache", "off"), compare_to=GET_LIST),
    Load(POST_CREATE, f"{LINKJOLT}/affiliates",
         '{"email":"bench{n}@example.com","name":"Bench {n}","campaignId":"camp_percentage_00001"}', reference=True),
    # A Scale key (magic segment): a fresh tenant with no monthly earnings cap, so every request is a real create.
    Load("linkjolt POST /conversions", f"{LINKJOLT}/conversions",
         '{"campaignId":"camp_percentage_00001","affiliateId":"aff_jane_smith_000001","amount":99.0,'
         '"orderId":"order-{n}"}', auth=("Authorization", "Bearer lj_pk_scale_bench_0001")),
    # One read and one write for each other vendor.
    Load("promotekit GET /affiliates", "/promotekit/api/v1/affiliates?limit=10",
         auth=PK_AUTH),
    Load("promotekit POST /affiliates", "/promotekit/api/v1/affiliates",
         '{"email":"bench{n}@example.com","first_name":"Bench{n}","last_name":"Load"}',
         auth=PK_AUTH),
    Load("tamio GET /affiliate-programs/list", "/tamio/v2/affiliate-programs/list?per_page=10",
         auth=TAMIO_AUTH),
    Load("tamio POST /affiliate-programs/create", "/tamio/v2/affiliate-programs/create",
         '{"commission_amount":500,"commission_percent":10.5,"languages":{"en":{"label":"Bench {n}",'
         '"description":"Benchmark program"}},"destinations":["worldwide"],"currency":"EUR","payments":["stripe"]}',
         auth=TAMIO_AUTH),
    Load("everflow GET /networks/affiliates", "/everflow/v1/networks/affiliates?page_size=10",
         auth=EF_AUTH),
    Load("everflow POST /networks/affiliates", "/everflow/v1/networks/affiliates",
         '{"name":"Bench {n}","account_status":"active","network_employee_id":1,'
         '"users":[{"first_name":"B","last_name":"N","email":"bench{n}@example.com"}],'
         '"billing":{"billing_frequency":"manual","payment_type":"none"}}',
         auth=EF_AUTH),
]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    started: float
    ready_ms: float

    def rss_kb(self) -> int:
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", text).group(1))

    def cpu_seconds(self) -> float:
        """User + system CPU time so far: per request, a figure that another busy process hardly moves."""
        user, system = self.cpu_split()
        return user + system

    def cpu_split(self) -> tuple[float, float]:
        """User and system CPU seconds so far. The system part per request falls as the server gets faster
        (fewer wake-ups of a client that had to wait), so the user part is what a change to the code moves."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / tick, int(fields[12]) / tick

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, process: subprocess.Popen, started: float) -> float:
    url = f"http://127.0.0.1:{port}/_sandbox/health"
    while True:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return (time.perf_counter() - started) * 1000
        except OSError:
            time.sleep(0.002)
        if time.perf_counter() - started > 30:
            raise SystemExit("server not ready after 30 s")


def start(kind: str, flags: tuple[str, ...] = ()) -> Server:
    port = free_port()
    if kind == "sandbox":
        command = [sys.executable, "-m", "sandbox", "serve", "--port", str(port), "--rate-limits", "off",
                   "--log-level", "warning", *flags]
    else:  # "reference" or "floor"
        command = [sys.executable, str(HERE / f"{kind}_server.py"), str(port)]
    started = time.perf_counter()
    process = subprocess.Popen(["taskset", "-c", SERVER_CPU, *command], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Server(process, port, started, wait_ready(port, process, started))


def wrk_output(server: Server, load: Load, duration: str, salt: str) -> str:
    """wrk's report of `load` against `server` (its scripts add the latency percentiles)."""
    env = dict(os.environ, SALT=salt)
    if load.auth:
        env["AUTH_HEADER"], env["AUTH_VALUE"] = load.auth
    script = HERE / ("get.lua" if load.body is None else "post_unique.lua")
    if load.body is not None:
        env["BODY_TEMPLATE"] = load.body
    command = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}", "--latency",
               "-s", str(script), f"http://127.0.0.1:{server.port}{load.path}"]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def wrk(server: Server, load: Load, duration: str, salt: str) -> dict:
    return wrk_figures(wrk_output(server, load, duration, salt))


def wrk_figures(out: str) -> dict:
    """Throughput, p50 and p99, non-2xx answers and requests from `wrk_output`'s report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p99_ms": int(re.search(r"LATENCY_P99_US (\d+)", out).group(1)) / 1000,
            "p50_ms": int(re.search(r"LATENCY_P50_US (\d+)", out).group(1)) / 1000,
            "non_2xx": int(errors.group(1)) if errors else 0,
            "requests": int(re.search(r"(\d+) requests in", out).group(1))}


def cold_start(kind: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        server = start(kind)
        times.append(server.ready_ms)
        server.stop()
    return statistics.median(times)


def measure(kind: str, loads: list[Load], ready: bool = True) -> dict:
    result: dict = {"ready_ms": cold_start(kind)} if ready else {}
    for flags in dict.fromkeys(load.flags for load in loads):  # the default server first, in LOADS order
        server = start(kind, flags)
        try:
            time.sleep(0.5)
            if not flags:
                result["idle_rss_mb"] = server.rss_kb() / 1024
            for n, load in enumerate(loads):
                if load.flags == flags:
                    result[load.name] = run_load(server, load, n)
            if not flags:
                result["post_load_rss_mb"] = server.rss_kb() / 1024
        finally:
            server.stop()
    return result


# A load's figures that `bracketed` averages; the others (non-2xx, bytes per record) are the first measurement's.
BRACKETED = ("rps", "p50_ms", "p99_ms", "user_us_per_request", "system_us_per_request", "cpu_us_per_request")


def bracketed(before: dict, after: dict) -> dict:
    """The reference as the targets read it: each load's figures averaged over its measurement before the sandbox's
    loads and the one after. This machine's speed drifts by several percent over minutes (the same create measured
    50.8-58.0 µs of CPU within half an hour), and the sandbox's loads run between the two: a drift that is
    steady over the run cancels, whichever way it goes. Ready time and RSS are the first measurement's."""
    out = dict(before)
    for name, first in before.items():
        second = after.get(name)
        if isinstance(first, dict) and isinstance(second, dict):
            out[name] = {**first, **{key: round((first[key] + second[key]) / 2, 3) for key in BRACKETED
                                     if first.get(key) is not None and second.get(key) is not None}}
    return out


def run_load(server: Server, load: Load, n: int) -> dict:
    wrk(server, load, WARMUP, f"w{n}")
    before, (user_before, system_before) = server.rss_kb(), server.cpu_split()
    result = wrk(server, load, DURATION, f"m{n}")
    user, system = server.cpu_split()
    per_request = 1e6 / result["requests"]
    result["user_us_per_request"] = round((user - user_before) * per_request, 1)
    result["system_us_per_request"] = round((system - system_before) * per_request, 1)
    result["cpu_us_per_request"] = round(result["user_us_per_request"] + result["system_us_per_request"], 1)
    if load.body is not None:
        created = result["requests"] - result["non_2xx"]
        grown = (server.rss_kb() - before) * 1024
        result["bytes_per_record"] = round(grown / created) if created else None
    return result


def ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}x" if value and base else "-"


def figure(value: float | None, spec: str) -> str:
    return format(value, spec) if value else "-"


def table(sandbox: dict, reference: dict, before: dict | None = None, after: dict | None = None) -> str:
    """The latest run's figures; with `before` and `after` (runs since round 10), the reference's two measurements
    that `reference` averages."""
    before, after = before or {}, after or {}
    lines = ["| measure | sandbox | reference | ratio |", "|---|---|---|---|",
             f"| ready (ms, median of 5) | {sandbox['ready_ms']:.0f} | {reference['ready_ms']:.0f} | "
             f"{ratio(sandbox['ready_ms'], reference['ready_ms'])} |",
             f"| idle RSS (MB) | {sandbox['idle_rss_mb']:.1f} | {reference['idle_rss_mb']:.1f} | "
             f"{ratio(sandbox['idle_rss_mb'], reference['idle_rss_mb'])} |"]
    for load in LOADS:
        s, r = sandbox.get(load.name), reference.get(load.compare_to or load.name) or {}
        if not s:
            continue
        lines.append(f"| {load.name} rps | {s['rps']:,.0f} | {figure(r.get('rps'), ',.0f')} | "
                     f"{ratio(s['rps'], r.get('rps'))} |")
        lines.append(f"| {load.name} CPU per request (µs) | {s['cpu_us_per_request']:.0f} | "
                     f"{figure(r.get('cpu_us_per_request'), '.0f')} | "
                     f"{ratio(s['cpu_us_per_request'], r.get('cpu_us_per_request'))} |")
        if s.get("user_us_per_request") is not None:  # results before round 4 have only the sum
            lines.append(f"| {load.name} of which user / system (µs) | {s['user_us_per_request']:.0f} / "
                         f"{s['system_us_per_request']:.0f} | {figure(r.get('user_us_per_request'), '.0f')} / "
                         f"{figure(r.get('system_us_per_request'), '.0f')} | |")
        lines.append(f"| {load.name} p99 (ms) | {s['p99_ms']:.1f} | {figure(r.get('p99_ms'), '.1f')} | "
                     f"{ratio(s['p99_ms'], r.get('p99_ms'))} |")
        if r and load.reference and before.get(load.name) and after.get(load.name):
            b, a = before[load.name], after[load.name]
            lines.append(f"| {load.name}: the reference before / after the sandbox's loads (rps; p99 ms) | | "
                         f"{b['rps']:,.0f} / {a['rps']:,.0f}; {b['p99_ms']:.1f} / {a['p99_ms']:.1f} | |")
        if s.get("non_2xx"):
            lines.append(f"| {load.name} non-2xx | {s['non_2xx']} | | |")
        if s.get("bytes_per_record") is not None:
            lines.append(f"| {load.name} RSS growth per record (bytes) | {s['bytes_per_record']} | "
                         f"{r.get('bytes_per_record', '-')} | |")
    lines.append(f"| post-load RSS (MB) | {sandbox['post_load_rss_mb']:.1f} | {reference['post_load_rss_mb']:.1f} | |")
    return "\n".join(lines)


VENDOR_LOADS = {  # vendor: (its create load, its list load)
    "linkjolt": (POST_CREATE, GET_LIST),
    "promotekit": ("promotekit POST /affiliates", "promotekit GET /affiliates"),
    "tamio": ("tamio POST /affiliate-programs/create", "tamio GET /affiliate-programs/list"),
    "everflow": ("everflow POST /networks/affiliates", "everflow GET /networks/affiliates"),
}


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def target_rows() -> list[tuple[str, Callable[[dict], str]]]:
    """Issue 17's targets: a label and how to read it from one run (a dash where the run did not measure it)."""

    def growth_creates(vendor: str) -> Callable[[dict], str]:
        def cell(run: dict) -> str:
            g = run.get("issue17", {}).get("growth", {}).get(vendor)
            if not g:
                return "-"
            value = g["creates_last_300_p50_ms"] / g["creates_first_300_p50_ms"]
            return (f"{value:.2f}x ({g['creates_first_300_p50_ms']:.3f} → {g['creates_last_300_p50_ms']:.3f} ms) "
                    f"{_mark(value <= 1.25)}")
        return cell

    def growth_pages(vendor: str) -> Callable[[dict], str]:
        def cell(run: dict) -> str:
            g = run.get("issue17", {}).get("growth", {}).get(vendor)
            if not g or "page_at_50000" not in g:
                return "-"
            small, large = g["page_at_100"]["p50_ms"], g["page_at_50000"]["p50_ms"]
            return f"{large / small:.2f}x ({small:.3f} → {large:.3f} ms) {_mark(large / small <= 1.5)}"
        return cell

    def throughput(vendor: str, which: int, goal: float, reference_load: str) -> Callable[[dict], str]:
        def cell(run: dict) -> str:
            s, r = run["sandbox"].get(VENDOR_LOADS[vendor][which]), run["reference"].get(reference_load)
            if not s or not r:
                return "-"
            value = s["rps"] / r["rps"]
            # Three decimals: 1.249 must not read as a met 1.25.
            return f"{value:.3f}x ({s['rps']:,.0f} vs {r['rps']:,.0f} rps) {_mark(value >= goal)}"
        return cell

    def p99(run: dict) -> str:
        worst, name = 0.0, ""
        for load in LOADS:
            s = run["sandbox"].get(load.name)
            kind = POST_CREATE if load.body is not None else GET_LIST
            r = run["reference"].get(kind)
            if s and r and s["p99_ms"] / r["p99_ms"] > worst:
                worst, name = s["p99_ms"] / r["p99_ms"], load.name
        return f"worst {worst:.2f}x ({name}) {_mark(worst <= 1.0)}" if name else "-"

    def fairness(run: dict) -> str:
        f = run.get("issue17", {}).get("fairness")
        if not f:
            return "-"
        busy = f["other_tenant_busy_p50_ms"]
        return f"{busy:.2f} ms (quiet {f['other_tenant_quiet_p50_ms']:.2f}) {_mark(busy <= 2)}"

    def fresh(run: dict) -> str:
        f = run.get("issue17", {}).get("fresh")
        if not f:
            return "-"
        value = f["fresh_first_request_p50_ms"]
        return f"{value:.2f} ms (a warm request {f['warm_request_p50_ms']:.2f}) {_mark(value <= 1)}"

    def ready(run: dict) -> str:
        s, r = run["sandbox"]["ready_ms"], run["reference"]["ready_ms"]
        return f"{s / r:.2f}x ({s:.0f} vs {r:.0f} ms) {_mark(s / r <= 1.5)}"

    def rss(run: dict) -> str:
        return f"{run['sandbox']['idle_rss_mb']:.1f} MB {_mark(run['sandbox']['idle_rss_mb'] <= 60)}"

    rows: list[tuple[str, Callable[[dict], str]]] = []
    for vendor in VENDOR_LOADS:
        rows.append((f"growth: {vendor} create, last 300 of 3,000 same-name ≤ 1.25x the first 300",
                     growth_creates(vendor)))
    for vendor in VENDOR_LOADS:
        rows.append((f"growth: {vendor} first page (uncached) at 50k ≤ 1.5x at 100", growth_pages(vendor)))
    for vendor in VENDOR_LOADS:
        rows.append((f"throughput: {vendor} create ≥ 1.25x the reference's create", throughput(vendor, 0, 1.25,
                                                                                                POST_CREATE)))
    for vendor in VENDOR_LOADS:
        rows.append((f"throughput: {vendor} GET list ≥ 1.5x the reference's", throughput(vendor, 1, 1.5, GET_LIST)))
    rows += [("p99 ≤ the reference's p99 for the same kind, every load", p99),
             ("fairness: other tenant's GET p50 ≤ 2 ms while four clients list 50k records", fairness),
             ("fresh tenant: first request p50 ≤ 1 ms", fresh),
             ("start-up: ready ≤ 1.5x the reference's", ready),
             ("idle RSS ≤ 60 MB", rss)]
    return rows


def targets(runs: list[dict]) -> str:
    """Issue 17's targets, one column a run (newest first)."""
    head = "| target | " + " | ".join(f"run {run['at']}" for run in runs) + " |"
    lines = [head, "|---|" + "---|" * len(runs)]
    lines += [f"| {label} | " + " | ".join(cell(run) for run in runs) + " |" for label, cell in target_rows()]
    return "\n".join(lines)


def growth_table(run: dict) -> str:
    """Per vendor: creates that share one name, first pages and RSS as records grow (issue 17)."""
    growth = run.get("issue17", {}).get("growth")
    if not growth:
        return ""
    sizes = sorted(int(k.split("_")[-1]) for k in next(iter(growth.values())) if k.startswith("page_at_"))
    head = ("| vendor | create p50, first 300 (ms) | last 300 of 3,000 | "
            + " | ".join(f"page at {n:,} (ms)" for n in sizes)
            + " | " + " | ".join(f"create at {n:,} (ms)" for n in sizes if n > 100) + " | RSS at the end (MB) |")
    lines = [head, "|---|" + "---|" * (2 + len(sizes) + len([n for n in sizes if n > 100]) + 1)]
    for vendor, g in growth.items():
        lines.append(f"| {vendor} | {g['creates_first_300_p50_ms']:.3f} | {g['creates_last_300_p50_ms']:.3f} | "
                     + " | ".join(f"{g[f'page_at_{n}']['p50_ms']:.3f}" for n in sizes) + " | "
                     + " | ".join(f"{g[f'creates_at_{n}_p50_ms']:.3f}" for n in sizes if n > 100)
                     + f" | {g['rss_mb']} ({g['records']:,} records) |")
    return "\n".join(lines)


def floor_table(results: dict) -> str:
    """The HTTP layer's own cost beside the sandbox's, and what a target leaves the pipeline (run.py's `floor`)."""
    floor = results.get("floor")
    if not floor:
        return "(no floor server in this run)"
    lines = ["| load | floor rps | floor CPU per request (µs, user / system) | sandbox CPU | reference CPU | "
             "CPU the target allows | of which left for the pipeline |", "|---|---|---|---|---|---|---|"]
    goals = {GET_LIST: 1.5, POST_CREATE: 1.25}
    for name, goal in goals.items():
        f, s, r = floor.get(name), results["sandbox"].get(name), results["reference"].get(name)
        if not (f and s and r):
            continue
        allowed = r["cpu_us_per_request"] / goal
        lines.append(f"| {name} | {f['rps']:,.0f} | {f['cpu_us_per_request']:.0f} "
                     f"({f.get('user_us_per_request', 0):.0f} / {f.get('system_us_per_request', 0):.0f}) | "
                     f"{s['cpu_us_per_request']:.0f} | {r['cpu_us_per_request']:.0f} | {allowed:.0f} "
                     f"(≥ {goal}x) | {allowed - f['cpu_us_per_request']:.0f} |")
    return "\n".join(lines)


def write_summary() -> str:
    """RESULTS.md from the newest result file, the targets of the last two, and NOTES.md."""
    files = sorted((HERE / "results").glob("*.json"))
    latest = [json.loads(path.read_text()) for path in files[-2:]][::-1]
    results = latest[0]
    stamp = results["at"]
    summary = table(results["sandbox"], results["reference"], results.get("reference_before"),
                    results.get("reference_after"))
    notes = HERE / "NOTES.md"
    (HERE / "RESULTS.md").write_text(
        f"# Benchmark results\n\nLatest run {stamp} (Python {results['python']}, wrk -t1 -c{CONNECTIONS}, "
        f"{DURATION} after a {WARMUP} warm-up, server on CPU {SERVER_CPU}, wrk on CPU {LOAD_CPU}).\n"
        f"Produced by `bash bench/run.sh`; raw figures in `bench/results/{stamp}.json`.\n\n{summary}\n\n"
        f"## Against issue 17's targets (the last two runs)\n\n{targets(latest)}\n\n"
        f"## The HTTP layer's floor (latest run; `bench/floor_server.py`: aiohttp, uvloop and orjson, no pipeline)\n\n"
        f"{floor_table(results)}\n\n"
        f"## Growth (latest run; client-side medians, `bench/growth.py`)\n\n{growth_table(results)}\n"
        + (f"\n{notes.read_text()}" if notes.exists() else ""))
    return f"{summary}\n{targets(latest)}"


def main() -> None:
    if sys.argv[1:] == ["--summary"]:  # after editing NOTES.md: rewrite RESULTS.md without measuring again
        print(write_summary())
        return
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: run bash bench/run.sh, which installs it")
    compared = [load for load in LOADS if load.reference]
    reference_before = measure("reference", compared)
    floor = measure("floor", compared)
    sandbox = measure("sandbox", LOADS)
    reference_after = measure("reference", compared, ready=False)
    reference = bracketed(reference_before, reference_after)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    import growth  # the issue 17 loads; imports this module, so not at the top

    issue17 = growth.measure_all()
    results = {"at": stamp, "duration": DURATION, "connections": CONNECTIONS, "python": sys.version.split()[0],
               "sandbox": sandbox, "reference": reference, "reference_before": reference_before,
               "reference_after": reference_after, "floor": floor, "issue17": issue17}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"{stamp}.json").write_text(json.dumps(results, indent=2))
    print(write_summary())


if __name__ == "__main__":
    main()
