"""Every vendor spec is a valid OpenAPI 3.1 document, and every operation says how faithful it is."""
from __future__ import annotations

from pathlib import Path

import pytest
from openapi_spec_validator import validate

from sandbox.core.spec import read_yaml

SPECS = sorted((Path(__file__).resolve().parent.parent / "specs").glob("*.yaml"))


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_spec_is_valid_openapi(path: Path) -> None:
    validate(read_yaml(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_every_operation_declares_fidelity_and_a_default_error(path: Path) -> None:
    document = read_yaml(path.read_text(encoding="utf-8"))
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            where = f"{method.upper()} {template}"
            assert operation.get("x-sandbox-fidelity") in ("documented", "third-party", "guess"), where
            assert "default" in operation["responses"], where
