"""What a vendor stores: a JSON Schema per state field in `specs/records/<vendor>.yaml`, checked on restore.

The file's top level is an object schema whose `properties` are the fields of the vendor's state dataclass (the
names a snapshot uses). For a field that is a `Collection`, the property is `{type: array, items: <record>}` and
`<record>` describes one stored record (the form the handlers keep, not the fixture form nor the API form); for a
plain field, the property is the schema of the value itself. Enums, formats and bounds are `$ref`s into the
vendor's OpenAPI spec where the stored value is the API's (resolved by the fixture shapes' resolver), so the API,
the fixtures and the store agree.

These shapes describe the sandbox's own code, so they are read from the package, never from `--specs`; each file is
compiled once per process (a fast validator per record schema) and shared by every app and tenant.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fixtureshapes import Resolver, ShapeError, error_message, load_per_vendor
from .validation import CompiledSchema, compile_schema

RECORDS_DIR = Path(__file__).resolve().parent.parent / "specs" / "records"


@dataclass(frozen=True)
class Part:
    """One state field's compiled shape: of the whole value (a plain field) and, for an array, of each item (a
    collection's records; which of the two a field is, the state says)."""

    whole: CompiledSchema
    item: CompiledSchema | None
    whole_plan: IntegerPlan | None
    item_plan: IntegerPlan | None


def _path_text(path: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


class RecordShapes:
    """One vendor's stored-record shapes, compiled: says what is wrong with a stored record or value, and where."""

    def __init__(self, path: Path) -> None:
        path = Path(os.path.normpath(path.absolute()))
        resolver = Resolver()
        document = resolver.document(path)
        if not isinstance(document, dict) or not isinstance(document.get("properties"), dict):
            raise ShapeError(f"{path}: a record shape file is an object schema with properties")
        schema = resolver.resolve(document, path)
        self.path = path
        self.parts: dict[str, Part] = {}
        for name, sub in schema["properties"].items():
            is_list = isinstance(sub, dict) and sub.get("type") == "array" and isinstance(sub.get("items"), dict)
            item = sub["items"] if is_list else None
            self.parts[name] = Part(compile_schema(sub), compile_schema(item) if item is not None else None,
                                    integer_plan(sub), integer_plan(item))
        for part in self.parts.values():  # generate the fast validators now, not on the first restore's records
            for compiled in (part.whole, part.item):
                if compiled is not None:
                    compiled.is_valid(None)

    def fields(self) -> tuple[str, ...]:
        return tuple(self.parts)

    def value_problem(self, field: str, value: Any) -> str | None:
        """What is wrong with a plain field's value (`.path: message`, relative to the field), or None."""
        part = self.parts.get(field)
        return None if part is None else _problem(part.whole, part.whole_plan, value)

    def record_problem(self, field: str, record: Any) -> str | None:
        """What is wrong with one record of a collection (`.path: message`, relative to the record), or None."""
        part = self.parts.get(field)
        return None if part is None or part.item is None else _problem(part.item, part.item_plan, record)

    def fits_collection(self, field: str) -> bool | None:
        """Whether the shape of `field` could be a collection's (an array with items); None: no shape at all."""
        part = self.parts.get(field)
        return None if part is None else part.item is not None


@dataclass(frozen=True)
class IntegerPlan:
    """Where a schema says integer and only integer: JSON Schema counts 5.0 as an integer, but a handler that
    formats or counts it as an int does not (LinkJolt's stats `{:d}` was a 500), so a float there is refused.
    Only the paths that lead to such a field are kept, so the walk over a record is short."""

    here: bool
    props: dict[str, IntegerPlan]
    items: IntegerPlan | None


def integer_plan(schema: Any) -> IntegerPlan | None:
    """The plan for `schema`, or None when nothing in it must be an integer."""
    if not isinstance(schema, dict):
        return None
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
    props = {name: plan for name, sub in (schema.get("properties") or {}).items()
             if (plan := integer_plan(sub)) is not None}
    items = integer_plan(schema.get("items"))
    here = "integer" in kinds and "number" not in kinds
    return IntegerPlan(here, props, items) if here or props or items is not None else None


def _float_for_integer(plan: IntegerPlan, value: Any, path: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """The path of the first float where the plan wants an integer, or None."""
    if isinstance(value, float):
        return path if plan.here else None
    if isinstance(value, dict):
        for name, sub in plan.props.items():
            if name in value:
                found = _float_for_integer(sub, value[name], path + (name,))
                if found is not None:
                    return found
    elif isinstance(value, list) and plan.items is not None:
        for index, item in enumerate(value):
            found = _float_for_integer(plan.items, item, path + (index,))
            if found is not None:
                return found
    return None


def _problem(schema: CompiledSchema, plan: IntegerPlan | None, value: Any) -> str | None:
    if schema.is_valid(value):
        where = None if plan is None else _float_for_integer(plan, value)
        return None if where is None else f"{_path_text(where)}: {_at(value, where)!r} is not of type 'integer'"
    errors = sorted(schema.slow.iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:  # the fast check refused what jsonschema accepts: trust the exact one
        return None
    error = errors[0]
    path, message = error_message(error)
    if error.validator == "required" and message.startswith("missing "):  # named at the field, like the others
        path, message = path + (message[len("missing "):],), "is missing"
    return f"{_path_text(path)}: {message}"


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


_loaded: dict[tuple[str, int, int], RecordShapes] = {}


def load_record_shapes(vendors: Iterable[str], directory: Path = RECORDS_DIR) -> dict[str, RecordShapes]:
    """`<directory>/<vendor>.yaml` for each vendor that has one, compiled once per file version."""
    return load_per_vendor(directory, vendors, RecordShapes, _loaded)
