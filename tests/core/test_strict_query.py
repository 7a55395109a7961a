"""x-sandbox-strict-query: a spec (or one operation) may refuse query parameters it does not declare."""
from __future__ import annotations

from pathlib import Path

import pytest
from multidict import MultiDict

from sandbox.core.errors import ValidationFailed
from sandbox.core.spec import load_spec
from sandbox.core.validation import RequestValidator

SPEC = """
openapi: 3.1.0
info: {title: t, version: "1"}
{root}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200": {description: ok}
  /loose:
    get:
      operationId: listLoose
      x-sandbox-strict-query: false
      responses:
        "200": {description: ok}
"""


def _validator(tmp_path: Path, root: str, operation_id: str) -> RequestValidator:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("{root}", root))
    return RequestValidator(load_spec(path).operation(operation_id))


def test_undeclared_query_parameters_are_ignored_by_default(tmp_path: Path) -> None:
    valid = _validator(tmp_path, "", "listThings").validate({}, MultiDict(page="2", extra="x"), None, False)
    assert valid.query == {"page": 2}


def test_strict_spec_refuses_each_unknown_name_once(tmp_path: Path) -> None:
    validator = _validator(tmp_path, "x-sandbox-strict-query: true", "listThings")
    with pytest.raises(ValidationFailed) as failed:
        validator.validate({}, MultiDict([("page", "1"), ("zed", "1"), ("alpha", "1"), ("zed", "2")]), None, False)
    (issue,) = failed.value.issues
    assert (issue.location, issue.keyword, issue.params) == ("query", "additionalProperties",
                                                             {"unexpected": ["alpha", "zed"]})


def test_strict_spec_accepts_declared_parameters(tmp_path: Path) -> None:
    validator = _validator(tmp_path, "x-sandbox-strict-query: true", "listThings")
    assert validator.validate({}, MultiDict(page="3"), None, False).query == {"page": 3}


def test_an_operation_can_opt_out_of_a_strict_spec(tmp_path: Path) -> None:
    validator = _validator(tmp_path, "x-sandbox-strict-query: true", "listLoose")
    assert validator.validate({}, MultiDict(anything="1"), None, False).query == {}
