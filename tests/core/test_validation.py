"""Request validation: parameter coercion, defaults, neutral issues; spec loading."""
from __future__ import annotations

from pathlib import Path

import pytest
from multidict import MultiDict

from sandbox.core.errors import ValidationFailed
from sandbox.core.schemacheck import compile_predicate
from sandbox.core.spec import Operation, Parameter, SpecError, load_spec
from sandbox.core.validation import FORMAT_CHECKS, RequestValidator, coerce_parameter


def operation(params: list[Parameter], body: dict | None = None) -> Operation:
    return Operation("op", "POST", "/x/{id}", params, body, body is not None, {"200": None}, 200, "guess", None)


PARAMS = [
    Parameter("id", "path", True, {"type": "integer"}),
    Parameter("limit", "query", False, {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}),
    Parameter("tags", "query", False, {"type": "array", "items": {"type": "string"}}),
    Parameter("flag", "query", False, {"type": "boolean"}),
]
BODY = {"type": "object", "required": ["email", "name"],
        "properties": {"email": {"type": "string", "format": "email"}, "name": {"type": "string"},
                       "when": {"type": "string", "format": "date-time"}}}


@pytest.mark.parametrize("raw, schema, expected", [
    (["12"], {"type": "integer"}, 12), (["1.5"], {"type": "number"}, 1.5), (["3"], {"type": "number"}, 3),
    (["x"], {"type": "integer"}, "x"), (["true"], {"type": "boolean"}, True),
    (["a,b"], {"type": "array", "items": {"type": "string"}}, ["a", "b"]),
    (["1", "2"], {"type": "array", "items": {"type": "integer"}}, [1, 2]),
    (["nan"], {"type": "number"}, "nan"),
])
def test_coerce_parameter(raw, schema, expected) -> None:
    assert coerce_parameter(raw, schema) == expected


def test_valid_request_gets_typed_values_and_defaults() -> None:
    validator = RequestValidator(operation(PARAMS, BODY))
    valid = validator.validate({"id": "7"}, MultiDict([("tags", "a"), ("tags", "b"), ("flag", "false")]),
                               {"email": "a@example.com", "name": "A"}, True)
    assert valid.path == {"id": 7}
    assert valid.query == {"tags": ["a", "b"], "flag": False, "limit": 25}


def test_issues_are_neutral_located_and_ordered() -> None:
    validator = RequestValidator(operation(PARAMS, BODY))
    with pytest.raises(ValidationFailed) as caught:
        validator.validate({"id": "x"}, MultiDict([("limit", "500")]),
                           {"email": "nope", "when": "2026-13-45T00:00:00Z"}, True)
    found = [(i.location, i.path, i.keyword) for i in caught.value.issues]
    assert found == [("path", ("id",), "type"), ("query", ("limit",), "maximum"),
                     ("body", ("email",), "format"), ("body", ("name",), "required"),
                     ("body", ("when",), "format")]


def test_missing_required_body() -> None:
    with pytest.raises(ValidationFailed) as caught:
        RequestValidator(operation([], BODY)).validate({}, MultiDict(), None, False)
    assert [(i.path, i.keyword) for i in caught.value.issues] == [((), "required")]


@pytest.mark.parametrize("email, ok", [("a@example.com", True), ("a.b+c@sub.example.io", True),
                                       ("a@b", False), ("@example.com", False), ("a..b@example.com", False)])
def test_email_format_is_strict(email: str, ok: bool) -> None:
    validator = RequestValidator(operation([], BODY))
    if ok:
        validator.validate({}, MultiDict(), {"email": email, "name": "n"}, True)
    else:
        with pytest.raises(ValidationFailed):
            validator.validate({}, MultiDict(), {"email": email, "name": "n"}, True)


def test_spec_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.0\npaths: {}\n")
    with pytest.raises(SpecError, match="bad.yaml: not an OpenAPI 3.1 document"):
        load_spec(bad)
    bad.write_text("openapi: 3.1.0\npaths:\n  /x:\n    get:\n      responses: {'200': {description: ok}}\n")
    with pytest.raises(SpecError, match="GET /x: no operationId"):
        load_spec(bad)
    bad.write_text("openapi: 3.1.0\npaths:\n  /x:\n    get:\n      operationId: x\n      responses:\n"
                   "        '200': {$ref: '#/components/responses/Nope'}\n")
    with pytest.raises(SpecError, match="points nowhere"):
        load_spec(bad)


FAST_CASES = [
    ({"type": "object", "propertyNames": {"pattern": "^[a-z]{2}$"}}, [{"en": 1}, {"eng": 1}]),
    ({"type": "object", "properties": {"a": {"type": "integer"}}, "if": {"required": ["a"]},
      "then": {"required": ["b"]}}, [{}, {"a": 1}, {"a": 1, "b": 2}]),
    ({"type": "string", "format": "uuid"}, ["c0000000-0000-4000-8000-000000000001", "{c0000000-0000-4000-8000-000000000001}",
                                            "not-a-uuid", "C0000000-0000-4000-8000-00000000000A"]),
    ({"type": "string", "format": "email"}, ["a@example.com", "a@b"]),
    ({"type": "integer"}, [1, 1.0, True, "1"]),
    ({"type": "array", "uniqueItems": True}, [[1, 2], [1, 1], [1, True], [], [1], [1, 1.0], ["x", "y", "x"]]),
    ({"type": "array", "uniqueItems": True, "items": {"type": "object"}},
     [[{"a": 1}], [{"a": 1}, {"a": 1}], [{"a": 1}, {"a": 2}]]),
    ({"type": "array", "uniqueItems": True, "items": {"type": "array"}}, [[[1]], [[1], [1]], [[1], [2]]]),
]


@pytest.mark.parametrize("schema, instances", FAST_CASES)
def test_the_fast_check_agrees_with_jsonschema(schema: dict, instances: list) -> None:
    from sandbox.core.validation import CompiledSchema

    compiled = CompiledSchema(schema)
    fast = compile_predicate(schema, FORMAT_CHECKS)
    assert fast is not None  # every case is one the fast check takes
    for instance in instances:
        exact = not list(compiled.slow.iter_errors(instance))
        assert (not list(compiled.iter_errors(instance))) == exact, instance
        assert fast(instance) == exact, instance  # the predicate on its own says what jsonschema says
