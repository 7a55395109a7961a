"""Fidelity coverage: every vendor operation with its fidelity tag, whether a handler implements it, and how many
tests exercise it.

The test counts come from `sandbox/coverage-tests.json`, which the test-suite writes when run with
`SANDBOX_COVERAGE_RECORD=1`: a recorder in `tests/conftest.py` watches the pipeline (an observer on the app's
`PipelineHooks`) and notes, per test, the operations its requests were routed to and those that answered 2xx.
Counting what the requests actually hit (rather than scanning test sources for URLs) sees through helpers,
f-strings and fixtures. Spec-driven tests that hit every operation alike (marked `generic`) are not counted.

A vendor may also have a reference file, `specs/<vendor>.reference.tsv`: the operations of the vendor's own public
reference (method, path, family, source, summary). The report then says which of them the sandbox serves (an
implemented operation with the same method and path; path parameter names do not matter), per family, and lists
the ones it does not.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .config import PACKAGE_DIR, SPECS_DIR
from .core.spec import Spec
from .vendors.base import Vendor

TEST_MAP = PACKAGE_DIR / "coverage-tests.json"
REGENERATE = "SANDBOX_COVERAGE_RECORD=1 python -m pytest -q"
REFERENCE_SUFFIX = ".reference.tsv"
REFERENCE_COLUMNS = ("method", "path", "family", "source", "summary")


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


@dataclass(frozen=True)
class ReferenceOp:
    """One operation of a vendor's public reference."""

    method: str
    path: str
    family: str
    source: str
    summary: str


def route_key(method: str, path: str) -> tuple[str, str]:
    """Method and path with every `{parameter}` made alike, so `/a/{id}` and `/a/{affiliateId}` match."""
    return method.upper(), re.sub(r"\{[^}]*\}", "{}", path)


def read_reference(vendor: str, specs_dir: Path = SPECS_DIR) -> list[ReferenceOp] | None:
    """The vendor's reference operations from `<specs_dir>/<vendor>.reference.tsv`; None when it has none.

    Raises ValueError naming the file and line for a malformed line or a repeated operation."""
    path = specs_dir / f"{vendor}{REFERENCE_SUFFIX}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    out: list[ReferenceOp] = []
    seen: set[tuple[str, str]] = set()
    header = True
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header:
            if tuple(cells) != REFERENCE_COLUMNS:
                raise ValueError(f"{path}:{number}: the header must be {' '.join(REFERENCE_COLUMNS)} (tab-separated)")
            header = False
            continue
        if len(cells) != len(REFERENCE_COLUMNS) or not all(c.strip() for c in cells[:4]):
            raise ValueError(f"{path}:{number}: expected {len(REFERENCE_COLUMNS)} tab-separated cells")
        op = ReferenceOp(cells[0].upper(), cells[1], cells[2], cells[3], cells[4])
        if not op.path.startswith("/") or op.method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            raise ValueError(f"{path}:{number}: not an operation: {op.method} {op.path}")
        key = route_key(op.method, op.path)
        if key in seen:
            raise ValueError(f"{path}:{number}: {op.method} {op.path} is listed twice")
        seen.add(key)
        out.append(op)
    return out


def reference_status(table: list[Row], vendor: str, reference: list[ReferenceOp]) -> dict[str, Any]:
    """Which reference operations the vendor's implemented operations serve: totals, per family, the ones not
    served, and the served operations the reference does not list."""
    served_keys = {route_key(r.method, r.path) for r in table if r.vendor == vendor and r.implemented}
    listed = {route_key(op.method, op.path) for op in reference}
    families: dict[str, dict[str, int]] = {}
    missing = []
    for op in reference:
        counts = families.setdefault(op.family, {"operations": 0, "served": 0})
        counts["operations"] += 1
        if route_key(op.method, op.path) in served_keys:
            counts["served"] += 1
        else:
            missing.append(asdict(op))
    extra = [f"{r.method} {r.path}" for r in table
             if r.vendor == vendor and route_key(r.method, r.path) not in listed]
    served = sum(f["served"] for f in families.values())
    return {"operations": len(reference), "served": served, "families": families, "not_served": missing,
            "not_in_reference": extra}


def _references(table: list[Row]) -> dict[str, dict[str, Any]]:
    out = {}
    for vendor in dict.fromkeys(r.vendor for r in table):
        reference = read_reference(vendor)
        if reference is not None:
            out[vendor] = reference_status(table, vendor, reference)
    return out


def _share(served: int, total: int) -> str:
    return f"{100 * served / total:.0f}%" if total else "-"


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
    for name, status in _references(table).items():
        vendors[name]["reference"] = status
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
        ref = entry.get("reference")
        if ref:
            lines.append(f"  public reference: {ref['served']} of {ref['operations']} served "
                         f"({_share(ref['served'], ref['operations'])}); "
                         + ", ".join(f"{family} {f['served']}/{f['operations']}"
                                     for family, f in ref["families"].items()))
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
        if entry.get("reference"):
            lines += _reference_markdown(name, entry["reference"])
    return "\n".join(lines)


def _reference_markdown(vendor: str, ref: dict[str, Any]) -> list[str]:
    lines = [f"### {vendor}: the vendor's public reference", "",
             (f"The operations of {vendor}'s public reference (`specs/{vendor}{REFERENCE_SUFFIX}`, which names "
              f"each one's source): {ref['served']} of {ref['operations']} served "
              f"({_share(ref['served'], ref['operations'])})."), "",
             "| family | operations | served | share |", "|---|---:|---:|---:|"]
    for family, f in ref["families"].items():
        lines.append(f"| {family} | {f['operations']} | {f['served']} | {_share(f['served'], f['operations'])} |")
    lines += ["", f"Not served ({len(ref['not_served'])}):", ""]
    if ref["not_served"]:
        lines += ["| route | family | source |", "|---|---|---|"]
        lines += [f"| `{op['method']} {op['path']}` | {op['family']} | {op['source']} |" for op in ref["not_served"]]
    else:
        lines.append("none.")
    extra = ref["not_in_reference"]
    lines += ["", f"Served but not in the reference ({len(extra)}): "
              + (", ".join(f"`{route}`" for route in extra) if extra else "none") + ".", ""]
    return lines


def render(table: list[Row], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(table), indent=2) + "\n"
    if fmt == "markdown":
        return as_markdown(table)
    return as_text(table)
