"""Every spec is a valid OpenAPI 3.1 document, and every operation says how faithful it is."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from sandbox.config import SPECS_DIR
from sandbox.core.spec import load_spec
from sandbox.vendors import VENDORS

SPECS = sorted(Path(SPECS_DIR).glob("*.yaml"))


def test_every_vendor_has_a_spec() -> None:
    assert {p.stem for p in SPECS} >= set(VENDORS)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_spec_passes_openapi_spec_validator(path: Path) -> None:
    validate(yaml.safe_load(path.read_text()))


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_every_operation_has_a_fidelity_tag_and_guesses_say_what(path: Path) -> None:
    raw = yaml.safe_load(path.read_text())
    for template, item in raw["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            assert op.get("x-sandbox-fidelity") in ("documented", "third-party", "guess"), (template, method)
            if op["x-sandbox-fidelity"] != "documented":
                assert op.get("x-sandbox-note"), (template, method)


@pytest.mark.parametrize("name", sorted(VENDORS))
def test_every_operation_has_a_handler(name: str) -> None:
    spec = load_spec(Path(SPECS_DIR) / f"{name}.yaml")
    missing = [op.operation_id for op in spec.operations if op.operation_id not in VENDORS[name].handlers]
    assert missing == []


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_every_operation_declares_a_default_error(path: Path) -> None:
    raw = yaml.safe_load(path.read_text())
    for template, item in raw["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                assert "default" in op["responses"], f"{method.upper()} {template}"
