"""What a vendor's fixture file may hold: a JSON Schema per vendor in `specs/fixtures/<vendor>.yaml`.

The schema's top level is an object whose properties are the file's collections (lists of records) and
settings-like mappings; `additionalProperties: false` there makes a misspelt collection an error, and on each
record a misspelt field. Enums and formats come from the vendor's OpenAPI spec through `$ref`s such as
`../linkjolt.yaml#/components/schemas/CampaignStatus`, so fixture and API agree.

A property may carry `x-sandbox-references: <collection>` (or `<collection>.<field>`): its value (unless null)
must be the `id` (or that field) of a record of that collection in the same file. Checked on expanded records,
before the vendor builds its state.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .spec import SpecError, load_spec
from .validation import CompiledSchema, compile_schema

REFERENCES = "x-sandbox-references"
# Generating a fast validator costs about 10 ms a schema: worth it only for a collection this large.
FAST_CHECK_FROM = 500


class ShapeError(ValueError):
    """The shape file itself is wrong (a programming error in the sandbox, not in the user's fixtures)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the fixture data: where (keys and indexes into the expanded data) and what."""

    path: tuple[Any, ...]
    message: str


class Resolver:
    """Inlines every `$ref`, local (`#/...`) or into another file relative to the referring one (also used by
    `recordshapes.py`)."""

    def __init__(self) -> None:
        self._documents: dict[Path, Any] = {}
        self._done: dict[tuple[Path, str], Any] = {}

    def document(self, path: Path) -> Any:
        if path not in self._documents:
            try:
                # A vendor's OpenAPI spec is parsed once per process (load_spec caches it): reuse that parse.
                self._documents[path] = load_spec(path).document
            except SpecError:
                import yaml  # only for a file that is not a spec: a plain start never imports PyYAML

                from .yamlfile import read_yaml
                try:
                    self._documents[path] = read_yaml(path)
                except (OSError, yaml.YAMLError) as exc:
                    raise ShapeError(f"{path}: cannot read: {exc}") from exc
        return self._documents[path]

    def target(self, ref: str, base: Path, trail: tuple[tuple[Path, str], ...]) -> Any:
        file_part, _, pointer = ref.partition("#")
        # normpath, not resolve(): the spec cache knows the path as create_app spelt it (symlinks unresolved)
        path = Path(os.path.normpath(base.parent / file_part)) if file_part else base
        key = (path, pointer)
        if key in trail:
            raise ShapeError(f"{base}: recursive $ref {ref!r}")
        if key not in self._done:
            node = self.document(path)
            for part in [p for p in pointer.split("/") if p]:
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(node, dict) or part not in node:
                    raise ShapeError(f"{base}: $ref {ref!r} points nowhere")
                node = node[part]
            self._done[key] = self.resolve(node, path, trail + (key,))
        return self._done[key]

    def resolve(self, node: Any, base: Path, trail: tuple[tuple[Path, str], ...] = ()) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                merged = self.target(ref, base, trail)
                siblings = {k: self.resolve(v, base, trail) for k, v in node.items() if k != "$ref"}
                return {**merged, **siblings} if siblings and isinstance(merged, dict) else merged
            return {k: self.resolve(v, base, trail) for k, v in node.items() if k not in ("$defs", "$schema")}
        if isinstance(node, list):
            return [self.resolve(v, base, trail) for v in node]
        return node


def _reference_paths(schema: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path pattern, collection) for every referencing property; "*" in a pattern stands for every item."""
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get(REFERENCES), str):
        yield path, schema[REFERENCES]
    for name, sub in (schema.get("properties") or {}).items():
        yield from _reference_paths(sub, path + (name,))
    if isinstance(schema.get("items"), dict):
        yield from _reference_paths(schema["items"], path + ("*",))
    for combinator in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(combinator) or []:
            yield from _reference_paths(sub, path)


def _values_at(value: Any, pattern: tuple[Any, ...], path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple, Any]]:
    if not pattern:
        yield path, value
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from _values_at(item, rest, path + (i,))
    elif isinstance(value, dict) and head in value:
        yield from _values_at(value[head], rest, path + (head,))


def error_message(error: Any) -> tuple[tuple[Any, ...], str]:
    """A jsonschema error as (path, message); an unknown field is reported at the field itself."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        return error_message(deepest)
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(error.schema.get("properties") or {})
        extra = sorted(k for k in error.instance if k not in known)
        if extra:
            return path + (extra[0],), f"unknown field (known: {', '.join(known)})"
    if error.validator == "required":
        missing = [n for n in error.validator_value if n not in (error.instance or {})]
        if missing:
            return path, f"missing {missing[0]}"
    return path, error.message


class FixtureShape:
    """One vendor's fixture schema, compiled: checks expanded fixture data and says what is wrong where."""

    def __init__(self, path: Path) -> None:
        self.path = path
        resolver = Resolver()
        path = Path(os.path.normpath(path.absolute()))
        document = resolver.document(path)
        if not isinstance(document, dict) or not isinstance(document.get("properties"), dict):
            raise ShapeError(f"{path}: a fixture shape is an object schema with properties")
        schema = resolver.resolve(document, path)
        self.known = tuple(schema["properties"])
        self.closed = schema.get("additionalProperties") is False
        self._parts: dict[str, tuple[CompiledSchema, bool]] = {}  # name -> (schema of one record or value, list?)
        self._references: dict[str, list[tuple[tuple[Any, ...], str]]] = {}
        for name, sub in schema["properties"].items():
            is_list = sub.get("type") == "array" and isinstance(sub.get("items"), dict)
            record = sub["items"] if is_list else sub
            self._parts[name] = (compile_schema(record), is_list)
            self._references[name] = list(_reference_paths(record))

    def problems(self, data: dict[str, Any]) -> Iterator[Problem]:
        """What is wrong with expanded fixture data, in document order within each collection."""
        for name, value in data.items():
            if name not in self._parts:
                if self.closed:
                    yield Problem((name,), f"unknown collection (known: {', '.join(self.known)})")
                continue
            schema, is_list = self._parts[name]
            if is_list and not isinstance(value, list):
                if value is not None:
                    yield Problem((name,), "must be a list of records")
                continue
            items: list[tuple[int | None, Any]] = list(enumerate(value)) if is_list else [(None, value)]
            is_valid = schema.is_valid if len(items) >= FAST_CHECK_FROM else schema.slow.is_valid
            for index, item in items:
                if is_valid(item):
                    continue
                errors = sorted(schema.slow.iter_errors(item), key=lambda e: [str(p) for p in e.absolute_path])
                path, message = error_message(errors[0])
                yield Problem(((name,) if index is None else (name, index)) + path, message)
        yield from self._dangling(data)

    def _dangling(self, data: dict[str, Any]) -> Iterator[Problem]:
        ids: dict[str, set] = {}
        for name, patterns in self._references.items():
            records = data.get(name)
            if not patterns or not isinstance(records, list):
                continue
            for index, record in enumerate(records):
                for pattern, target in patterns:
                    collection, _, key = target.partition(".")
                    key = key or "id"
                    if target not in ids:
                        found = data.get(collection)
                        pool: list[Any] = found if isinstance(found, list) else []
                        ids[target] = {r.get(key) for r in pool if isinstance(r, dict)}
                    for path, value in _values_at(record, pattern):
                        if value is not None and not isinstance(value, (dict, list)) and value not in ids[target]:
                            yield Problem((name, index) + path, f"{value!r} is not the {key} of any {collection} "
                                          "record")


_loaded: dict[tuple[str, int, int], FixtureShape] = {}
_lock = threading.Lock()  # record shapes are loaded on restore worker threads: each file is compiled once
T = TypeVar("T")


def load_per_vendor(directory: Path, vendors: Iterable[str], build: Callable[[Path], T],
                    cache: dict[tuple[str, int, int], T]) -> dict[str, T]:
    """`build(<directory>/<vendor>.yaml)` for each vendor that has one; cached by path, size and mtime (tests build
    an app per test, and nothing mutates what is built). Also loads `recordshapes.py`'s files."""
    built: dict[str, T] = {}
    for vendor in vendors:
        path = directory / f"{vendor}.yaml"
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with _lock:
            if key not in cache:
                if len(cache) > 32:
                    cache.clear()
                cache[key] = build(path)
            built[vendor] = cache[key]
    return built


def load_shapes(directory: Path, vendors: Iterable[str]) -> dict[str, FixtureShape]:
    """`<directory>/<vendor>.yaml` for each vendor that has one, compiled once per file version."""
    return load_per_vendor(directory, vendors, FixtureShape, _loaded)
