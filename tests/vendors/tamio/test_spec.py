"""specs/tamio.yaml: a valid OpenAPI 3.1 document whose operations match the vendor's handlers and permissions."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
import yaml
from openapi_spec_validator import validate

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
def test_a_usual_program_body_passes_the_fast_check_without_raising(operation_id: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The spec guards its repeating-needs-duration rule so that the generated check raises (and catches) nothing
    for a body without subscription_commission_type, or once/forever: an exception on every create cost ~7 µs."""
    raised: list[str] = []
    original = fastjsonschema.JsonSchemaValueException.__init__

    def counting(self: Any, message: str, *args: Any, **kwargs: Any) -> None:
        raised.append(message)
        original(self, message, *args, **kwargs)

    monkeypatch.setattr(fastjsonschema.JsonSchemaValueException, "__init__", counting)
    check = fastjsonschema.compile(SPEC.operation(operation_id).body_schema, formats=FORMAT_CHECKS, use_default=False)
    for extra in ({}, {"subscription_commission_type": "once"}, {"subscription_commission_type": "forever"}):
        check({**MINIMAL_PROGRAM, **extra})
    assert raised == []
