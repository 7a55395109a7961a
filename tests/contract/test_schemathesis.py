"""schemathesis against every vendor's served openapi.json: no 5xx, no response off its schema, no undocumented
status code, for generated valid and invalid requests.

The sandbox runs on port 0 in a thread with strict response checking (a response off the spec would be a 500 as
well) and rate limiting counted but never enforced (a 429 would hide the operation behind it). Each vendor's key
comes from a fresh tenant made through the control plane and is applied by a schemathesis auth provider, in the
header the spec's security scheme names. Hypothesis runs with a fixed seed, no example database and a bounded
number of examples per operation and mode.
"""
from __future__ import annotations

import os
from typing import Any, Iterator

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from sandbox.vendors import VENDORS

from ..conftest import FROZEN_AT
from .helpers import auth_headers
from .server import ThreadedSandbox

pytestmark = pytest.mark.generic

# What the sandbox promises: no 5xx, every response in the spec (status, content type, headers, body schema).
# Not run: schemathesis' request-validation checks (positive_data_acceptance, negative_data_rejection, ...),
# which would test how closely the spec's schemas mirror each vendor's validator; `format: email` alone, for one,
# admits RFC 5322 addresses the vendors' validators refuse.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = int(os.environ.get("SANDBOX_SCHEMATHESIS_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedSandbox]:
    from sandbox import Settings
    with ThreadedSandbox(Settings(clock=f"frozen:{FROZEN_AT}", seed=0, strict_responses=True,
                                  rate_limits=False)) as running:
        yield running


def _schema(server: ThreadedSandbox, name: str) -> Any:
    schema = schemathesis.openapi.from_url(f"{server.url}{VENDORS[name].base_path}/openapi.json")
    key = requests.post(f"{server.url}/_sandbox/tenants", json={}, timeout=10).json()["keys"][name]
    headers = auth_headers(schema.raw_schema, key)

    @schema.auth()
    class VendorKey:
        """A valid key for this vendor, in the header its spec's security scheme names."""

        def get(self, case: Any, ctx: Any) -> dict[str, str]:
            return headers

        def set(self, case: Any, data: dict[str, str], ctx: Any) -> None:
            case.headers = {**(case.headers or {}), **data}

    return schema


@pytest.mark.parametrize("name", list(VENDORS))
def test_schemathesis_finds_no_5xx_no_schema_violation_no_undocumented_status(
        server: ThreadedSandbox, name: str) -> None:
    schema = _schema(server, name)
    failures: list[str] = []
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @hypothesis.seed(0)
            @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                                 phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                                 print_blob=False)
            @given(case=operation.as_strategy(generation_mode=mode, auth_storage=schema.auth))
            def run(case: Any) -> None:
                case.call_and_validate(session=session, checks=CHECKS)

            try:
                run()
            except Exception as exc:  # noqa: BLE001 - every finding is reported together below
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    assert not failures, "\n\n".join(failures)
