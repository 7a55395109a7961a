"""specs/tamio.yaml: a valid OpenAPI 3.1 document whose operations match the vendor's handlers and permissions."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from sandbox.core.schemacheck import compile_predicate
from sandbox.core.spec import load_spec
from sandbox.core.validation import FORMAT_CHECKS
from sandbox.vendors.tamio import Tamio, magic

from .conftest import MINIMAL_PROGRAM

SPEC_PATH = Path(__file__).resolve().parents[3] / "specs" / "tamio.yaml"
SPEC = load_spec(SPEC_PATH)


def test_the_spec_passes_openapi_spec_validator() -> None:
    validate(yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))


def test_every_operation_has_a_handler_and_nothing_else_does() -> None:
    assert sorted(op.operation_id for op in SPEC.operations) == sorted(Tamio.handlers)


@pytest.mark.parametrize("operation", SPEC.operations, ids=lambda op: op.operation_id)
def test_every_operation_is_strict_and_declares_its_errors(operation) -> None:
    assert operation.strict_query
    assert operation.fidelity in ("documented", "third-party", "guess")
    assert operation.fidelity != "guess" or operation.note
    assert {"400", "401", "429", "default"} <= set(operation.responses)


def test_the_permission_in_the_spec_is_the_one_auth_checks() -> None:
    document = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    in_spec = {raw["operationId"]: raw["security"][0]["bearerAuth"]
               for item in document["paths"].values() for raw in item.values() if isinstance(raw, dict)}
    assert in_spec == {op: [scope] for op, scope in magic.OPERATION_SCOPES.items()}


@pytest.mark.parametrize("operation_id", ["createAffiliateProgram", "updateAffiliateProgram"])
def test_a_usual_program_body_passes_the_fast_check(operation_id: str) -> None:
    """The generated predicate takes the spec's schema and says "valid" for a usual body without
    subscription_commission_type, or once/forever: else jsonschema would be asked on every create (~50 µs)."""
    check = compile_predicate(SPEC.operation(operation_id).body_schema, FORMAT_CHECKS)
    assert check is not None
    for extra in ({}, {"subscription_commission_type": "once"}, {"subscription_commission_type": "forever"},
                  {"subscription_commission_type": "repeating", "duration": 3}):
        assert check({**MINIMAL_PROGRAM, **extra}) is True
    assert check({**MINIMAL_PROGRAM, "subscription_commission_type": "repeating"}) is False  # no duration