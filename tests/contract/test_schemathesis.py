"""schemathesis against every vendor's served openapi.json: no 5xx, no response off its schema (status code,
content type, headers, body), through all of schemathesis' phases (examples, coverage, fuzzing, stateful).

The sandbox runs on port 0 in a thread with strict response checking (a response off the spec would be a 500 as
well) and rate limiting counted but never enforced (a 429 would hide the operation behind it). schemathesis runs
as its users run it, `st run <served openapi.json>`, with a fixed seed, no example database, one worker and a
bounded number of examples; `tests/contract/schemathesis_hooks.py` authenticates every request with a valid key
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
from pathlib import Path
from typing import Iterator

import pytest

from sandbox import Settings
from sandbox.app import HOOKS
from sandbox.core.spec import load_spec
from sandbox.config import SPECS_DIR
from sandbox.vendors import VENDORS

from ..conftest import FROZEN_AT, ROOT
from .server import ThreadedSandbox

pytestmark = pytest.mark.generic

CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance"]
EXAMPLES = int(os.environ.get("SANDBOX_SCHEMATHESIS_EXAMPLES", "30"))
SEED = os.environ.get("SANDBOX_SCHEMATHESIS_SEED", "0")
ST = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")


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
    hooks = server.app[HOOKS]
    hooks.observe(observe)
    try:
        result = subprocess.run(
            [ST, "--no-color", "run", f"{server.url}{VENDORS[name].base_path}/openapi.json",
             "--checks", ",".join(CHECKS), "--max-examples", str(EXAMPLES), "--seed", SEED,
             "--generation-database", "none", "--workers", "1", "--request-timeout", "10"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    finally:
        hooks.unobserve(observe)
    assert result.returncode == 0, result.stdout[-12_000:] + result.stderr[-4_000:]
    assert "passed" in result.stdout, result.stdout[-4_000:]
    operations = {op.operation_id for op in load_spec(SPECS_DIR / f"{name}.yaml").operations}
    assert authenticated == operations
