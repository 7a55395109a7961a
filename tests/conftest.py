"""Shared fixtures: an in-process sandbox on a frozen clock with strict response checking, served as `sandbox
serve` serves it (JSON for what aiohttp's parser refuses, the route table's requests answered inline).

Also the coverage recorder (see `sandbox/coverage.py`): every request routed to an operation is noted against the
running test. With SANDBOX_COVERAGE_RECORD=1 the run rewrites `sandbox/coverage-tests.json` and `docs/coverage.md`;
without it, a passing test whose operations differ from the recorded ones errors at teardown, so the committed
coverage can never drift from what the tests really do.
"""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from sandbox import Settings, create_app
from sandbox import coverage as cov
from sandbox.app import serving_runner
from sandbox.core.pipeline import PipelineHooks

FROZEN_AT = "2026-06-15T12:00:00Z"
ROOT = Path(__file__).resolve().parent.parent
COVERAGE_MD = ROOT / "docs" / "coverage.md"


def test_settings(**changes: Any) -> Settings:
    """Settings every test starts from: frozen clock, seed 0, strict responses (a spec mismatch is a 500)."""
    # verify: every cached GET answer is checked against a fresh one, so a write the cache missed fails a test
    return Settings(clock=f"frozen:{FROZEN_AT}", seed=0, strict_responses=True,
                    response_cache="verify").with_(**changes)


class ServedTestServer(TestServer):
    """aiohttp's TestServer on the runner `sandbox serve` uses (`sandbox.app.serving_runner`)."""

    async def _make_runner(self, **kwargs: Any) -> web.BaseRunner:
        return serving_runner(self.app, **kwargs)


@pytest.fixture
def make_client(aiohttp_client: Callable[..., Awaitable[TestClient]]) -> Callable[..., Awaitable[TestClient]]:
    """`await make_client(**settings_changes)` gives a client on a fresh app."""

    async def make(**changes: Any) -> TestClient:
        return await aiohttp_client(ServedTestServer(create_app(test_settings(**changes), recorded_hooks())))

    return make


@pytest.fixture
async def client(make_client: Callable[..., Awaitable[TestClient]]) -> TestClient:
    return await make_client()


# -- coverage recorder ----------------------------------------------------------------------------------------

RECORDING = os.environ.get("SANDBOX_COVERAGE_RECORD", "").strip().lower() in ("1", "true", "yes", "on")
_current: dict[str, set[str]] | None = None  # the running test's {"hit": ..., "ok": ...}
_seen: dict[str, dict[str, list[str]]] = {}  # nodeid -> what it hit, for the tests that ran
_passed = pytest.StashKey[bool]()
DESELECTED = pytest.StashKey[list]()


@functools.cache
def _committed_map() -> dict[str, dict[str, list[str]]]:
    return cov.read_test_map()


def _observe(vendor: str, operation_id: str, status: int) -> None:
    if _current is not None:
        _current["hit"].add(f"{vendor}.{operation_id}")
        if 200 <= status < 300:
            _current["ok"].add(f"{vendor}.{operation_id}")


def recorded_hooks() -> PipelineHooks:
    """Pipeline hooks for an app whose requests count towards the running test's coverage."""
    hooks = PipelineHooks()
    hooks.observe(_observe)
    return hooks


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "generic: a spec-driven test that hits every operation alike; it does not "
                                       "count towards an operation's tests in docs/coverage.md")
    config.stash[DESELECTED] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A recording run rewrites the files tests/test_coverage.py checks, so it skips that module: the recording
    must not depend on the very files it is about to replace. The next ordinary run checks them."""
    if not RECORDING:
        return
    skip = pytest.mark.skip(reason="SANDBOX_COVERAGE_RECORD rewrites the coverage files this test checks")
    for item in items:
        if item.nodeid.startswith("tests/test_coverage.py"):
            item.add_marker(skip)


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items:
        items[0].config.stash[DESELECTED].extend(i.nodeid for i in items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _current
    _current = None if item.get_closest_marker("generic") else {"hit": set(), "ok": set()}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    global _current
    outcome = yield
    report = outcome.get_result()
    if call.when == "call":
        item.stash[_passed] = report.passed
    if call.when != "teardown":
        return
    entry = {"hit": sorted(_current["hit"]), "ok": sorted(_current["ok"])} if _current else {"hit": [], "ok": []}
    _current = None
    _seen[item.nodeid] = entry
    if RECORDING or not item.stash.get(_passed, False) or not report.passed:
        return
    recorded = _committed_map().get(item.nodeid, {"hit": [], "ok": []})
    if entry != recorded:
        report.outcome = "failed"
        report.longrepr = (f"docs/coverage.md is stale: {item.nodeid} now exercises {entry}, recorded {recorded}.\n"
                           f"Regenerate with: {cov.REGENERATE}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not RECORDING:
        return
    if exitstatus != 0:
        print(f"\ncoverage not recorded: the run failed (exit {exitstatus})")
        return
    collected_files = {nodeid.split("::")[0] for nodeid in _seen}
    kept = {nodeid: entry for nodeid, entry in cov.read_test_map().items()
            if (ROOT / nodeid.split("::")[0]).exists() and (nodeid.split("::")[0] not in collected_files
                                                            or nodeid in session.config.stash[DESELECTED])}
    kept.update({nodeid: entry for nodeid, entry in _seen.items() if entry["hit"]})
    cov.TEST_MAP.write_text(json.dumps({"regenerate": cov.REGENERATE, "tests": dict(sorted(kept.items()))},
                                       indent=1) + "\n")
    from sandbox.app import select_vendors
    from sandbox.core.spec import load_spec
    vendors = select_vendors(())
    specs = {v.name: load_spec(Settings().specs / f"{v.name}.yaml") for v in vendors}
    COVERAGE_MD.write_text(cov.as_markdown(cov.rows(vendors, specs, kept)))
    print(f"\ncoverage recorded: {cov.TEST_MAP.relative_to(ROOT)} and {COVERAGE_MD.relative_to(ROOT)}")
