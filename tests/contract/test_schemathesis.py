"""schemathesis against every vendor's served openapi.json: no 5xx, no response off its schema (status code,
content type, headers, body), through all of schemathesis' phases (examples, coverage, fuzzing, stateful).

The sandbox runs on port 0 in a thread with strict response checking (a response off the spec would be a 500 as
well) and rate limiting counted but never enforced (a 429 would hide the operation behind it). schemathesis runs
as its users run it, `st run <served openapi.json>`, with a fixed seed, no example database, one worker and a
bounded number of examples (scaled down for the biggest spec, see FUZZ_CASE_BUDGET);
`tests/contract/schemathesis_hooks.py` authenticates every request with a valid key
for the vendor. Raise SANDBOX_SCHEMATHESIS_EXAMPLES (and vary SANDBOX_SCHEMATHESIS_SEED) for a deeper local run.

Not run: schemathesis' request-validation checks (positive_data_acceptance, negative_data_rejection, ...), which
measure how closely the specs' schemas mirror each vendor's own validator: `format: email`, for one, admits
RFC 5322 addresses that the vendors' validators refuse.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import Settings
from sandbox.app import HOOKS
from sandbox.config import SPECS_DIR
from sandbox.core.spec import load_spec
from sandbox.vendors import VENDORS

from ..conftest import FROZEN_AT, ROOT
from .server import ThreadedSandbox

pytestmark = pytest.mark.generic

CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance"]
# Examples per operation in the fuzzing phase. The coverage phase's cases do not depend on it, but fuzzing's cost
# grows with operations x examples: at 30 each, Everflow's ~190 operations took ~170-310 s on the shared 2-core
# machine against CI's 10 minutes for everything. So by default each spec gets at most FUZZ_CASE_BUDGET fuzzed
# cases (30 per operation for the small specs, 5 for Everflow: ~65 s), never fewer than MIN_EXAMPLES per
# operation; SANDBOX_SCHEMATHESIS_EXAMPLES, when set, applies to every spec unscaled (deeper local runs).
DEFAULT_EXAMPLES = 30
MIN_EXAMPLES = 5
FUZZ_CASE_BUDGET = 1000
EXAMPLES_OVERRIDE = os.environ.get("SANDBOX_SCHEMATHESIS_EXAMPLES")
SEED = os.environ.get("SANDBOX_SCHEMATHESIS_SEED", "0")
ST = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")


def examples_per_operation(operations: int, override: str | None = EXAMPLES_OVERRIDE) -> int:
    """The `--max-examples` for a spec of that many operations (see FUZZ_CASE_BUDGET)."""
    if override:
        return int(override)
    return max(MIN_EXAMPLES, min(DEFAULT_EXAMPLES, FUZZ_CASE_BUDGET // max(operations, 1)))


def test_the_fuzzing_budget_scales_only_big_specs() -> None:
    assert examples_per_operation(17, None) == 30
    assert examples_per_operation(186, None) == 5
    assert examples_per_operation(1000, None) == MIN_EXAMPLES
    assert examples_per_operation(186, "100") == 100


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedSandbox]:
    with ThreadedSandbox(Settings(clock=f"frozen:{FROZEN_AT}", seed=0, strict_responses=True,
                                  rate_limits=False)) as running:
        yield running


@pytest.mark.parametrize("name", list(VENDORS))
def test_schemathesis_finds_no_5xx_and_no_response_off_the_spec(server: ThreadedSandbox, name: str,
                                                                  tmp_path: Path) -> None:
    assert ST, "schemathesis is not installed (it is in the test extra)"
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.contract.schemathesis_hooks", "SANDBOX_VENDOR": name,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "NO_COLOR": "1"}
    authenticated: set[str] = set()  # operations that answered anything but 401: the hooks' keys work

    def observe(vendor: str, operation_id: str, status: int) -> None:
        if vendor == name and status != 401:
            authenticated.add(operation_id)

    assert server.app is not None
    operations = {op.operation_id for op in load_spec(SPECS_DIR / f"{name}.yaml").operations}
    examples = examples_per_operation(len(operations))
    hooks = server.app[HOOKS]
    hooks.observe(observe)
    try:
        result = subprocess.run(
            [ST, "--no-color", "run", f"{server.url}{VENDORS[name].base_path}/openapi.json",
             "--checks", ",".join(CHECKS), "--max-examples", str(examples), "--seed", SEED,
             "--generation-database", "none", "--workers", "1", "--request-timeout", "10"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    finally:
        hooks.unobserve(observe)
    assert result.returncode == 0, result.stdout[-12_000:] + result.stderr[-4_000:]
    assert "passed" in result.stdout, result.stdout[-4_000:]
    assert authenticated == operations
