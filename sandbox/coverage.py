"""Fidelity coverage: every vendor operation with its fidelity tag, whether a handler implements it, and how many
tests exercise it.

The test counts come from `sandbox/coverage-tests.json`, which the test-suite writes when run with
`SANDBOX_COVERAGE_RECORD=1`: a recorder in `tests/conftest.py` watches the pipeline (an observer on the app's `PipelineHooks`) and
notes, per test, the operations its requests were routed to and those that answered 2xx. Counting what the
requests actually hit (rather than scanning test sources for URLs) sees through helpers, f-strings and fixtures.
Spec-driven tests that hit every operation alike (marked `generic`) are not counted.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from .config import PACKAGE_DIR
from .core.spec import Spec
from .vendors.base import Vendor

TEST_MAP = PACKAGE_DIR / "coverage-tests.json"
REGENERATE = "SANDBOX_COVERAGE_RECORD=1 python -m pytest -q"


@dataclass(frozen=True)
class Row:
    vendor: str
    operation_id: str
    method: str
    path: str
    fidelity: str
    implemented: bool
    tests: int  # tests with at least one request routed to the operation
    tests_2xx: int  # of those, tests that got a 2xx from it
    note: str | None


def read_test_map(path: Path = TEST_MAP) -> dict[str, dict[str, list[str]]]:
    """nodeid -> {"hit": ["vendor.operationId", ...], "ok": [...]}; empty when the file is missing."""
    try:
        return json.loads(path.read_text())["tests"]
    except FileNotFoundError:
        return {}


def count_tests(test_map: dict[str, dict[str, list[str]]]) -> tuple[dict[str, int], dict[str, int]]:
    hits: dict[str, int] = {}
    oks: dict[str, int] = {}
    for entry in test_map.values():
        for op in entry.get("hit", []):
            hits[op] = hits.get(op, 0) + 1
        for op in entry.get("ok", []):
            oks[op] = oks.get(op, 0) + 1
    return hits, oks


def rows(vendors: Iterable[Vendor], specs: dict[str, Spec],
         test_map: dict[str, dict[str, list[str]]] | None = None) -> list[Row]:
    hits, oks = count_tests(read_test_map() if test_map is None else test_map)
    out = []
    for vendor in vendors:
        for op in specs[vendor.name].operations:
            key = f"{vendor.name}.{op.operation_id}"
            out.append(Row(vendor.name, op.operation_id, op.method, op.path, op.fidelity,
                           op.operation_id in vendor.handlers, hits.get(key, 0), oks.get(key, 0),
                           " ".join(op.note.split()) if op.note else None))
    return out


def as_json(table: list[Row]) -> dict[str, Any]:
    vendors: dict[str, Any] = {}
    for row in table:
        entry = vendors.setdefault(row.vendor, {"summary": _summary([]), "operations": []})
        entry["operations"].append({k: v for k, v in asdict(row).items() if k != "vendor"})
    for name, entry in vendors.items():
        entry["summary"] = _summary([r for r in table if r.vendor == name])
    return {"vendors": vendors}


def _summary(table: list[Row]) -> dict[str, int]:
    summary = {"operations": len(table), "implemented": sum(r.implemented for r in table),
               "untested": sum(r.tests == 0 for r in table)}
    for tag in ("documented", "third-party", "guess"):
        summary[tag] = sum(r.fidelity == tag for r in table)
    return summary


def as_text(table: list[Row]) -> str:
    lines: list[str] = []
    for name, entry in as_json(table)["vendors"].items():
        s = entry["summary"]
        lines.append(f"{name}: {s['operations']} operations, {s['implemented']} implemented, "
                     f"{s['documented']} documented / {s['third-party']} third-party / {s['guess']} guess, "
                     f"{s['untested']} untested")
        width = max(len(f"{o['method']} {o['path']}") for o in entry["operations"])
        id_width = max(len(o["operation_id"]) for o in entry["operations"])
        for o in entry["operations"]:
            route = f"{o['method']} {o['path']}"
            lines.append(f"  {o['operation_id']:<{id_width}}  {route:<{width}}  {o['fidelity']:<11}  "
                         f"{'implemented' if o['implemented'] else 'MISSING':<11}  "
                         f"{o['tests']:>3} tests ({o['tests_2xx']} with 2xx)")
        lines.append("")
    return "\n".join(lines)


def as_markdown(table: list[Row]) -> str:
    lines = [
        "<!-- Generated; do not edit. Regenerate with:",
        f"     {REGENERATE}",
        "     (the run records which operations each test hits into sandbox/coverage-tests.json and rewrites",
        "     this file; `sandbox coverage --format markdown` prints it from the recorded data). -->",
        "# Fidelity coverage",
        "",
        "Every operation the sandbox serves, per vendor: how faithful it is (`documented` from the vendor's own "
        "reference, `third-party` from other sources, `guess` where the docs are silent; the note says what was "
        "guessed), whether a handler implements it, and how many tests exercise it (tests whose requests were "
        "routed to it, and how many of those got a 2xx). Spec-driven tests that hit every operation alike "
        "(bad input, schemathesis) are not counted. The same data: `sandbox coverage`, `GET /_sandbox/coverage`.",
        "",
    ]
    for name, entry in as_json(table)["vendors"].items():
        s = entry["summary"]
        lines += [f"## {name}", "",
                  f"{s['operations']} operations, {s['implemented']} implemented; {s['documented']} documented, "
                  f"{s['third-party']} third-party, {s['guess']} guess; {s['untested']} untested.", "",
                  "| operation | route | fidelity | implemented | tests | 2xx | note |",
                  "|---|---|---|---|---:|---:|---|"]
        for o in entry["operations"]:
            note = (o["note"] or "").replace("|", "\\|")
            lines.append(f"| `{o['operation_id']}` | `{o['method']} {o['path']}` | {o['fidelity']} | "
                         f"{'yes' if o['implemented'] else '**no**'} | {o['tests']} | {o['tests_2xx']} | {note} |")
        lines.append("")
    return "\n".join(lines)


def render(table: list[Row], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(table), indent=2) + "\n"
    if fmt == "markdown":
        return as_markdown(table)
    return as_text(table)
