"""schemathesis against the control plane's served openapi.json (vendor actions included): no 5xx, no response
off the spec. It runs on its own sandbox (resets and deletes there touch no other test), without the vendor
hooks (the control plane has no keys), with a fixed seed and few examples, so it stays well under a minute.

The path parameters are generated, so tenant routes mostly meet unknown tenants (404); the vendor actions and
the restore are exercised for real by tests/test_control*.py.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sandbox import Settings

from ..conftest import FROZEN_AT, ROOT
from .server import ThreadedSandbox
from .test_schemathesis import CHECKS, SEED, ST, pytestmark  # noqa: F401  (the same marker)

EXAMPLES = int(os.environ.get("SANDBOX_SCHEMATHESIS_CONTROL_EXAMPLES", "10"))


def test_schemathesis_finds_no_5xx_and_no_response_off_the_control_spec(tmp_path: Path) -> None:
    assert ST, "schemathesis is not installed (it is in the test extra)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "NO_COLOR": "1"}
    env.pop("SCHEMATHESIS_HOOKS", None)
    with ThreadedSandbox(Settings(clock=f"frozen:{FROZEN_AT}", seed=0, strict_responses=True,
                                  rate_limits=False, max_tenants=50)) as server:
        result = subprocess.run(
            [ST, "--no-color", "run", f"{server.url}/_sandbox/openapi.json",
             "--checks", ",".join(CHECKS), "--max-examples", str(EXAMPLES), "--seed", SEED,
             "--generation-database", "none", "--workers", "1", "--request-timeout", "10"],
            check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=170)
    assert result.returncode == 0, result.stdout[-12_000:] + result.stderr[-4_000:]
    assert "passed" in result.stdout, result.stdout[-4_000:]
