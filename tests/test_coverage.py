"""Fidelity coverage: `sandbox coverage`, GET /_sandbox/coverage and the committed docs/coverage.md agree with the
specs, the handlers and what the tests really exercise."""
from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient

from sandbox import coverage as cov
from sandbox.app import select_vendors
from sandbox.cli import main
from sandbox.config import SPECS_DIR
from sandbox.core.spec import load_spec
from sandbox.vendors import VENDORS

from .conftest import COVERAGE_MD, DESELECTED, ROOT


def _live_rows() -> list[cov.Row]:
    vendors = select_vendors(())
    return cov.rows(vendors, {v.name: load_spec(SPECS_DIR / f"{v.name}.yaml") for v in vendors})


def test_docs_coverage_md_is_current() -> None:
    assert COVERAGE_MD.read_text() == cov.as_markdown(_live_rows()), (
        f"docs/coverage.md is stale; regenerate with: {cov.REGENERATE}")


def test_docs_coverage_md_says_how_to_regenerate_it() -> None:
    assert cov.REGENERATE in COVERAGE_MD.read_text().splitlines()[1]


def test_coverage_map_names_only_tests_that_exist(request: pytest.FixtureRequest) -> None:
    known = {item.nodeid for item in request.session.items} | set(request.config.stash[DESELECTED])
    collected_files = {nodeid.split("::")[0] for nodeid in known}
    gone = [nodeid for nodeid in cov.read_test_map()
            if not (ROOT / nodeid.split("::")[0]).exists()
            or (nodeid.split("::")[0] in collected_files and nodeid not in known)]
    assert gone == [], f"the coverage map names tests that no longer exist; regenerate with: {cov.REGENERATE}"


@pytest.mark.parametrize("name", list(VENDORS))
def test_every_operation_of_every_vendor_is_listed(name: str) -> None:
    spec = load_spec(SPECS_DIR / f"{name}.yaml")
    listed = {(r.operation_id, r.fidelity, r.implemented) for r in _live_rows() if r.vendor == name}
    assert listed == {(op.operation_id, op.fidelity, op.operation_id in VENDORS[name].handlers)
                      for op in spec.operations}
    assert f"## {name}" in COVERAGE_MD.read_text()


def test_counts_are_tests_per_operation_and_2xx_separately() -> None:
    test_map = {"t1": {"hit": ["v.a", "v.b"], "ok": ["v.a"]}, "t2": {"hit": ["v.a"], "ok": []}}
    assert cov.count_tests(test_map) == ({"v.a": 2, "v.b": 1}, {"v.a": 1})


def test_cli_prints_every_operation_with_fidelity_and_tests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage"]) == 0
    blocks = {block.split(":")[0]: block.splitlines()[1:] for block in capsys.readouterr().out.split("\n\n") if block}
    assert list(blocks) == list(VENDORS)
    for row in _live_rows():
        line = next(line for line in blocks[row.vendor] if line.strip().startswith(row.operation_id + " "))
        assert f"{row.method} {row.path}" in line and row.fidelity in line
        assert f"{row.tests} tests ({row.tests_2xx} with 2xx)" in line


def test_cli_json_and_markdown_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == cov.as_json(_live_rows())
    assert main(["coverage", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == COVERAGE_MD.read_text()


def test_cli_unknown_vendor_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "--vendors", "nosuch"]) == 2
    assert "unknown vendor(s) nosuch" in capsys.readouterr().err


async def test_control_plane_serves_the_same_data(client: TestClient) -> None:
    response = await client.get("/_sandbox/coverage")
    assert response.status == 200
    body = await response.json()
    assert body == cov.as_json(_live_rows())
    assert list(body["vendors"]) == list(VENDORS)


# -- a vendor's public reference (specs/<vendor>.reference.tsv) -------------------------------------------------

HEADER = "method\tpath\tfamily\tsource\tsummary\n"


def _row(method: str, path: str, implemented: bool = True) -> cov.Row:
    return cov.Row("v", "op", method, path, "documented", implemented, 0, 0, None)


def test_reference_file_is_read_and_checked(tmp_path) -> None:
    assert cov.read_reference("v", tmp_path) is None
    (tmp_path / "v.reference.tsv").write_text("# a comment\n" + HEADER + "get\t/a/{id}\tfam\tlive\tOne a\n")
    assert cov.read_reference("v", tmp_path) == [cov.ReferenceOp("GET", "/a/{id}", "fam", "live", "One a")]
    (tmp_path / "v.reference.tsv").write_text(HEADER + "GET\t/a/{id}\tfam\tlive\t\nGET\t/a/{other}\tfam\tdraft\t\n")
    with pytest.raises(ValueError, match=r"v.reference.tsv:3: GET /a/\{other\} is listed twice"):
        cov.read_reference("v", tmp_path)
    (tmp_path / "v.reference.tsv").write_text(HEADER + "GET\t/a\n")
    with pytest.raises(ValueError, match="v.reference.tsv:2: expected 5 tab-separated cells"):
        cov.read_reference("v", tmp_path)
    (tmp_path / "v.reference.tsv").write_text("GET\t/a\tfam\tlive\t\n")
    with pytest.raises(ValueError, match="v.reference.tsv:1: the header must be"):
        cov.read_reference("v", tmp_path)


def test_reference_status_counts_served_operations_per_family() -> None:
    reference = [cov.ReferenceOp("GET", "/a/{affiliateId}", "one", "live", ""),
                 cov.ReferenceOp("POST", "/a", "one", "live", ""),
                 cov.ReferenceOp("GET", "/b", "two", "draft", "")]
    table = [_row("GET", "/a/{id}"), _row("POST", "/a", implemented=False), _row("GET", "/c")]
    status = cov.reference_status(table, "v", reference)
    assert (status["operations"], status["served"]) == (3, 1)
    assert status["families"] == {"one": {"operations": 2, "served": 1}, "two": {"operations": 1, "served": 0}}
    assert [f"{op['method']} {op['path']}" for op in status["not_served"]] == ["POST /a", "GET /b"]
    assert status["not_in_reference"] == ["GET /c"]


def test_everflow_reference_is_reported_in_every_format() -> None:
    reference = cov.read_reference("everflow")
    assert reference is not None and len(reference) > 100
    body = cov.as_json(_live_rows())["vendors"]["everflow"]["reference"]
    assert body["operations"] == len(reference)
    assert body["served"] == sum(f["served"] for f in body["families"].values())
    assert {"reporting", "tracking", "meta", "offers", "affiliates"} <= set(body["families"])
    markdown = COVERAGE_MD.read_text()
    assert "### everflow: the vendor's public reference" in markdown
    assert f"{body['served']} of {body['operations']} served" in markdown
