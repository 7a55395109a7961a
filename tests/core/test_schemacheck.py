"""core/schemacheck.py: the generated predicate says exactly what jsonschema says, keyword by keyword and on
every request schema of every spec, for values drawn from those schemas and bent out of them."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sandbox.core.schemacheck import compile_predicate, predicate_source
from sandbox.core.spec import Spec, load_spec
from sandbox.core.validation import FORMAT_CHECKS, format_checker

SPECS_DIR = Path(__file__).resolve().parents[2] / "specs"
SPECS = {name: load_spec(SPECS_DIR / f"{name}.yaml")
         for name in ("linkjolt", "promotekit", "tamio", "everflow", "control")}

# Values that sit on the edges jsonschema draws: bool against integer, integral floats, empty containers.
ODD_VALUES: list[Any] = [None, True, False, 0, 1, -1, 1.0, 2.5, -0.5, 2**31, "", "a", "abc", "x" * 300,
                         "user@example.com", "2026-01-31", "2026-01-31T10:00:00Z", "2026-02-30",
                         "c0000000-0000-4000-8000-000000000001", "https://example.com/x", "EUR", "en", [], {},
                         [1, True], [1, 1.0], ["a", "a"], ["a", "b"], [{"a": 1}, {"a": 1}], {"a": 1}]

KEYWORD_CASES: list[tuple[dict[str, Any], list[Any]]] = [
    ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None]),
    ({"type": "number", "minimum": 0, "exclusiveMaximum": 10}, [0, -1, 9.99, 10, True, "5"]),
    ({"type": ["string", "null"], "minLength": 2}, [None, "a", "ab", 5, 0, False]),
    ({"minLength": 2, "minimum": 3}, ["a", 2, 3, "abc", None, [1]]),  # no type: each keyword only for its kind
    ({"enum": ["a", "b"]}, ["a", "c", 1, None, ["a"], {"a": 1}]),
    ({"const": 2}, [2, 2.0, True, "2", 3]),
    ({"const": True}, [True, 1, 1.0, False]),
    ({"const": "ok"}, ["ok", "no", None]),
    ({"type": "string", "pattern": "^[a-z]{2}$"}, ["en", "eng", "EN", "xen"]),
    ({"type": "string", "pattern": "[0-9]"}, ["a1b", "ab"]),  # search, not match
    ({"type": "string", "format": "date"}, ["2026-01-31", "2026-02-30", "31/01/2026"]),
    ({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
      "additionalProperties": False}, [{"a": 1}, {"a": 1, "b": "x"}, {"a": 1, "c": 1}, {"b": "x"}, {"a": "1"}]),
    ({"type": "object", "properties": {"a": {}}, "patternProperties": {"^x_": {"type": "integer"}},
      "additionalProperties": {"type": "string"}}, [{"a": 1, "x_1": 1, "y": "s"}, {"x_1": "s"}, {"y": 1}]),
    ({"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}, "minProperties": 1, "maxProperties": 2},
     [{}, {"a": 1}, {"A": 1}, {"a": 1, "b": 2, "c": 3}]),
    ({"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2, "uniqueItems": True},
     [[], ["a"], ["a", "a"], ["a", 1], ["a", "b", "c"]]),
    ({"uniqueItems": True}, [[1, True], [1, 1.0], [[1], [1]], [{"a": 1}, {"a": 2}], "not an array"]),
    ({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 5}]}, ["a", 5, 4, None]),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, [1, 1.5, "a"]),  # an integer is also a number
    ({"not": {"type": "string"}}, ["a", 1]),
    ({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}},
     [{"a": 1, "b": 1}, {"a": 1}, {"c": 1}, {}, "not an object"]),
    ({"allOf": [{"required": ["a"]}, {"properties": {"a": {"type": "integer"}}}]}, [{"a": 1}, {"a": "x"}, {}]),
    ({"properties": {"a": False}}, [{}, {"a": 1}]),
]


def _exact(schema: Any) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=format_checker())


@pytest.mark.parametrize("schema, instances", KEYWORD_CASES)
def test_each_keyword_judges_as_jsonschema_does(schema: dict[str, Any], instances: list[Any]) -> None:
    check = compile_predicate(schema, FORMAT_CHECKS)
    assert check is not None
    exact = _exact(schema)
    verdicts = [(instance, check(instance)) for instance in instances]
    assert verdicts == [(instance, exact.is_valid(instance)) for instance in instances]
    assert {v for _, v in verdicts} == {True, False}  # each case has a valid and an invalid value


@pytest.mark.parametrize("schema", [
    {"multipleOf": 3}, {"enum": [1, 2]}, {"$ref": "#/x"}, {"prefixItems": [{}]}, {"items": [{}]},
    {"unevaluatedProperties": False}, {"format": "hostname"}, {"properties": {"a": {"contains": {}}}},
    {"dependentRequired": {"a": ["b"]}}, {"const": [1]},
])
def test_what_it_cannot_decide_exactly_is_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_predicate(schema, FORMAT_CHECKS) is None


def test_a_property_left_out_costs_one_test_and_words_jsonschema_ignores_are_ignored() -> None:
    source = predicate_source({"type": "object", "properties": {"a": {"type": "string", "description": "x"},
                                                                "b": {"x-note": "free"}},
                               "query or path": None}, FORMAT_CHECKS)
    assert source is not None
    assert "'a' in" in source and "'b'" not in source  # an unconstrained property costs nothing


def _request_schemas(spec: Spec) -> list[tuple[str, Any]]:
    found = []
    for op in spec.operations:
        if op.body_schema is not None:
            found.append((f"{op.operation_id} body", op.body_schema))
        for param in op.parameters:
            found.append((f"{op.operation_id} {param.name}", param.schema))
    return found


@pytest.mark.parametrize("vendor", sorted(SPECS))
def test_every_request_schema_compiles(vendor: str) -> None:
    """A request schema it does not take would send every request of that operation to jsonschema (~20-50 µs)."""
    missing = [where for where, schema in _request_schemas(SPECS[vendor])
               if compile_predicate(schema, FORMAT_CHECKS) is None]
    assert missing == []


def _sample(schema: Any, rng: random.Random, depth: int = 0) -> Any:
    """A value shaped by `schema` (valid more often than not), with odd values put in now and then."""
    if not isinstance(schema, dict) or depth > 6 or rng.random() < 0.05:
        return rng.choice(ODD_VALUES)
    for combinator in ("oneOf", "anyOf"):
        if schema.get(combinator):
            return _sample(rng.choice(schema[combinator]), rng, depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for sub in schema["allOf"]:
            if isinstance(sub, dict):
                merged.setdefault("properties", {}).update(sub.get("properties", {}))
                merged.setdefault("required", []).extend(sub.get("required", []))
                merged.setdefault("type", sub.get("type"))
        return _sample(merged, rng, depth + 1)
    if "enum" in schema:
        return rng.choice(schema["enum"] + ["not-a-member"])
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = rng.choice(kind)
    properties = schema.get("properties", {})
    if kind == "object" or (kind is None and properties):
        keys = [k for k in properties if k in schema.get("required", ()) or rng.random() < 0.4]
        if rng.random() < 0.1:
            keys = keys[1:]  # a required key left out, now and then
        out = {k: _sample(properties[k], rng, depth + 1) for k in keys}
        if rng.random() < 0.1:
            out["unexpected_key"] = rng.choice(ODD_VALUES)
        return out
    if kind == "array":
        return [_sample(schema.get("items", {}), rng, depth + 1) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
    if kind == "string":
        return rng.choice(ODD_VALUES[10:20])
    if kind in ("integer", "number"):
        low, high = schema.get("minimum", -3), schema.get("maximum", 40)
        return rng.choice((low, high, low - 1, high + 1, 1, 1.0, 2.5, True))
    if kind == "boolean":
        return rng.choice((True, False, 1))
    return rng.choice(ODD_VALUES)


@pytest.mark.parametrize("vendor", sorted(SPECS))
def test_on_every_request_schema_it_says_what_jsonschema_says(vendor: str) -> None:
    rng = random.Random(f"schemacheck-{vendor}")
    valid = invalid = 0
    for where, schema in _request_schemas(SPECS[vendor]):
        check = compile_predicate(schema, FORMAT_CHECKS)
        if check is None:
            continue
        exact = _exact(schema)
        for _ in range(25):
            instance = _sample(schema, rng)
            expected = exact.is_valid(instance)
            assert check(instance) == expected, (where, instance)
            valid += expected
            invalid += not expected
    assert valid > 100 and invalid > 100  # both verdicts were reached often
