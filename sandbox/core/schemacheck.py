"""A JSON schema compiled once into one Python predicate: True exactly when jsonschema (draft 2020-12) finds the
value valid, for the values JSON decoding and parameter coercion give (dict, list, str, int, float, bool, None).

Most requests are valid, so this answers them without building any error; on False the caller asks jsonschema,
which decides and says why. The generated code is straight-line, with each keyword's test written once for the
schema: a property the value leaves out costs one `in` test, and no message is formatted. It knows the keywords
the specs use; `compile_predicate` returns None for a schema with any other (or with a value it cannot compare
exactly, such as a `multipleOf` or an `enum` of numbers), and the caller keeps its other checks.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from typing import Any

Predicate = Callable[[Any], bool]

# The other keywords of JSON Schema's vocabularies (any draft) that can make a value invalid: a schema with one is
# left to the caller's other checks. Every other keyword is an annotation, or a word jsonschema ignores.
_UNSUPPORTED = frozenset({
    "$ref", "$dynamicRef", "$recursiveRef", "$defs", "definitions", "$id", "$schema", "$anchor", "$dynamicAnchor",
    "multipleOf", "prefixItems", "contains", "minContains", "maxContains", "unevaluatedItems",
    "unevaluatedProperties", "dependentRequired", "dependentSchemas", "dependencies", "additionalItems",
})
# jsonschema's type checker, spelled as expressions: bool is not a number, an integral float is an integer,
# and only list is an array.
_TYPE_TESTS = {
    "string": "isinstance({v}, str)",
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
    # An int's own type first: the usual case in one test, and exact (bool is a subclass, never the type).
    "integer": "(type({v}) is int or isinstance({v}, float) and {v}.is_integer()"
               " or isinstance({v}, int) and not isinstance({v}, bool))",
    "number": "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
}
# The keywords that apply to values of one JSON type only, and that type's Python type.
_TYPE_KEYWORDS = {
    "object": ("dict", ("required", "properties", "patternProperties", "additionalProperties", "propertyNames",
                        "minProperties", "maxProperties")),
    "array": ("list", ("items", "minItems", "maxItems", "uniqueItems")),
}
_NUMBER_GUARD = "isinstance({v}, (int, float)) and not isinstance({v}, bool) and "


class _Unsupported(Exception):
    """The schema uses something this compiler does not decide exactly."""


def _unique(items: list[Any]) -> bool:
    """uniqueItems, as jsonschema judges it (1 and True differ, 1 and 1.0 do not): strings by a set, the rest by
    jsonschema itself (imported only then)."""
    if all(isinstance(item, str) for item in items):
        return len(set(items)) == len(items)
    from jsonschema import Draft202012Validator

    return Draft202012Validator({"uniqueItems": True}).is_valid(items)


class _Compiler:
    def __init__(self, formats: Mapping[str, Callable[[object], bool]]) -> None:
        self.formats = formats
        self.scope: dict[str, Any] = {"_unique": _unique}
        self.functions: list[list[str]] = []
        self._names = itertools.count()

    def name(self, stem: str) -> str:
        return f"_{stem}{next(self._names)}"

    def constant(self, value: Any, stem: str) -> str:
        name = self.name(stem)
        self.scope[name] = value
        return name

    def function(self, schema: Any) -> str:
        """A named predicate for `schema` (for anyOf, oneOf, not and if, which need a verdict, not a return)."""
        name, var = self.name("check"), self.name("v")
        lines = [f"def {name}({var}):"]
        self.functions.append(lines)  # before the body: a nested schema's function is defined first, and either way
        body: list[str] = []
        self.emit(schema, var, body, 1)
        lines += body
        lines.append("    return True")
        return name

    def emit(self, schema: Any, v: str, out: list[str], depth: int) -> None:
        """Lines that `return False` when the value in local `v` breaks `schema`."""
        pad = "    " * depth
        if schema is True:
            return
        if schema is False:
            out.append(f"{pad}return False")
            return
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        for keyword in schema:
            if keyword in _UNSUPPORTED:
                raise _Unsupported(keyword)
        kind = self._type(schema, v, out, pad)
        self._value(schema, v, out, pad, kind)
        self._string(schema, v, out, pad, kind)
        self._number(schema, v, out, pad, kind)
        self._for_type(schema, v, out, depth, kind, "object", self._object)
        self._for_type(schema, v, out, depth, kind, "array", self._array)
        self._combined(schema, v, out, depth)

    def _type(self, schema: dict[str, Any], v: str, out: list[str], pad: str) -> str | None:
        """The type test; returns the one type a value that passes must have, if the schema names one."""
        declared = schema.get("type")
        if declared is None:
            return None
        names = [declared] if isinstance(declared, str) else declared
        if not isinstance(names, list) or not names or any(n not in _TYPE_TESTS for n in names):
            raise _Unsupported(f"type {declared!r}")
        test = " or ".join(_TYPE_TESTS[n].format(v=v) for n in names)
        out.append(f"{pad}if not ({test}): return False")
        return names[0] if len(names) == 1 else None

    def _value(self, schema: dict[str, Any], v: str, out: list[str], pad: str, kind: str | None) -> None:
        if "enum" in schema:
            members = schema["enum"]
            if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
                raise _Unsupported("enum of other than strings")
            name = self.constant(frozenset(members), "enum")
            guard = "" if kind == "string" else f"isinstance({v}, str) and "
            out.append(f"{pad}if not ({guard}{v} in {name}): return False")
        if "const" in schema:
            value = schema["const"]
            if isinstance(value, bool) or value is None:
                out.append(f"{pad}if {v} is not {value!r}: return False")
            elif isinstance(value, str):
                out.append(f"{pad}if not (isinstance({v}, str) and {v} == {value!r}): return False")
            elif isinstance(value, int):  # jsonschema: 2 == 2.0, but True is not 1
                out.append(f"{pad}if not ({_NUMBER_GUARD.format(v=v)}{v} == {value!r}): return False")
            else:
                raise _Unsupported("const")

    def _string(self, schema: dict[str, Any], v: str, out: list[str], pad: str, kind: str | None) -> None:
        guard = "" if kind == "string" else f"isinstance({v}, str) and "
        self._lengths(schema, "minLength", "maxLength", f"{guard}len({v})", out, pad)
        if "pattern" in schema:
            pattern = self._pattern(schema["pattern"], "pattern")
            out.append(f"{pad}if {guard}{pattern}.search({v}) is None: return False")
        if "format" in schema:
            check = self.formats.get(schema["format"])
            if check is None:
                raise _Unsupported(f"format {schema['format']!r}")
            name = self.constant(check, "format")
            out.append(f"{pad}if {guard}not {name}({v}): return False")

    def _number(self, schema: dict[str, Any], v: str, out: list[str], pad: str, kind: str | None) -> None:
        guard = "" if kind in ("integer", "number") else _NUMBER_GUARD.format(v=v)
        for keyword, fails in (("minimum", "<"), ("maximum", ">"), ("exclusiveMinimum", "<="),
                               ("exclusiveMaximum", ">=")):
            if keyword in schema:
                bound = schema[keyword]
                if isinstance(bound, bool) or not isinstance(bound, (int, float)):
                    raise _Unsupported(keyword)
                out.append(f"{pad}if {guard}{v} {fails} {bound!r}: return False")

    @staticmethod
    def _count(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Unsupported(repr(value))
        return value

    def _lengths(self, schema: dict[str, Any], low: str, high: str, size: str, out: list[str], pad: str) -> None:
        """The `low` and `high` bounds (minLength/maxLength, minItems/maxItems, ...) on the expression `size`."""
        if low in schema:
            out.append(f"{pad}if {size} < {self._count(schema[low])}: return False")
        if high in schema:
            out.append(f"{pad}if {size} > {self._count(schema[high])}: return False")

    def _for_type(self, schema: dict[str, Any], v: str, out: list[str], depth: int, kind: str | None,
                  which: str, body: Callable[[dict[str, Any], str, list[str], int], None]) -> None:
        """The keywords that apply to the JSON type `which` alone (`_TYPE_KEYWORDS`): under an isinstance test,
        unless the schema's one type is that, and nothing at all when the schema has none of them."""
        python_type, keywords = _TYPE_KEYWORDS[which]
        if not any(k in schema for k in keywords):
            return
        test = None if kind == which else f"isinstance({v}, {python_type})"
        lines: list[str] = []
        body(schema, v, lines, depth if test is None else depth + 1)
        if lines and test is not None:
            out.append(f"{'    ' * depth}if {test}:")
        out += lines

    def _object(self, schema: dict[str, Any], v: str, out: list[str], depth: int) -> None:
        pad = "    " * depth
        for name in schema.get("required", ()):
            if not isinstance(name, str):
                raise _Unsupported("required")
            out.append(f"{pad}if {name!r} not in {v}: return False")
        self._lengths(schema, "minProperties", "maxProperties", f"len({v})", out, pad)
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        for name, sub in properties.items():
            lines: list[str] = []
            x = self.name("v")
            if name in required:  # known to be there by now
                self.emit(sub, x, lines, depth)
                if lines:
                    out.append(f"{pad}{x} = {v}[{name!r}]")
                    out += lines
                continue
            self.emit(sub, x, lines, depth + 1)
            if lines:  # a property with no constraint costs nothing
                out.append(f"{pad}if {name!r} in {v}:")
                out.append(f"{pad}    {x} = {v}[{name!r}]")
                out += lines
        patterns = [(self._pattern(p, "patternProperties"), sub)
                    for p, sub in schema.get("patternProperties", {}).items()]
        extra = schema.get("additionalProperties", True)
        names = schema.get("propertyNames", True)
        if extra is False and not patterns and names is True:  # no key beyond the declared ones: one set test
            declared = self.constant(frozenset(properties), "declared")
            out.append(f"{pad}if not {v}.keys() <= {declared}: return False")
        elif patterns or extra is not True or names is not True:
            k, x = self.name("k"), self.name("v")
            loop: list[str] = []
            for pattern, sub in patterns:
                lines = []
                self.emit(sub, x, lines, depth + 2)
                if lines:
                    loop.append(f"{pad}    if {pattern}.search({k}) is not None:")
                    loop += lines
            if extra is not True:
                declared = self.constant(frozenset(properties), "declared")
                matched = " or ".join(f"{p}.search({k}) is not None" for p, _ in patterns)
                lines = []
                self.emit(extra, x, lines, depth + 2)
                if lines:
                    test = f"{k} not in {declared}" + (f" and not ({matched})" if matched else "")
                    loop.append(f"{pad}    if {test}:")
                    loop += lines
            lines = []
            self.emit(names, k, lines, depth + 1)
            loop += lines
            if loop:
                out.append(f"{pad}for {k}, {x} in {v}.items():")
                out += loop

    def _pattern(self, pattern: Any, keyword: str) -> str:
        try:
            return self.constant(re.compile(pattern), "pattern")
        except (re.error, TypeError) as exc:
            raise _Unsupported(keyword) from exc

    def _array(self, schema: dict[str, Any], v: str, out: list[str], depth: int) -> None:
        pad = "    " * depth
        self._lengths(schema, "minItems", "maxItems", f"len({v})", out, pad)
        if schema.get("uniqueItems") is True:
            out.append(f"{pad}if len({v}) > 1 and not _unique({v}): return False")
        elif schema.get("uniqueItems", False) is not False:
            raise _Unsupported("uniqueItems")
        if "items" in schema:
            if isinstance(schema["items"], list):  # the older tuple form: another keyword in 2020-12
                raise _Unsupported("items")
            x = self.name("v")
            lines: list[str] = []
            self.emit(schema["items"], x, lines, depth + 1)
            if lines:
                out.append(f"{pad}for {x} in {v}:")
                out += lines

    def _combined(self, schema: dict[str, Any], v: str, out: list[str], depth: int) -> None:
        pad = "    " * depth
        for sub in self._schemas(schema, "allOf"):
            self.emit(sub, v, out, depth)
        if "anyOf" in schema:
            calls = " or ".join(f"{self.function(sub)}({v})" for sub in self._schemas(schema, "anyOf"))
            out.append(f"{pad}if not ({calls}): return False")
        if "oneOf" in schema:
            calls = " + ".join(f"{self.function(sub)}({v})" for sub in self._schemas(schema, "oneOf"))
            out.append(f"{pad}if ({calls}) != 1: return False")
        if "not" in schema:
            out.append(f"{pad}if {self.function(schema['not'])}({v}): return False")
        if "if" in schema:
            then: list[str] = []
            otherwise: list[str] = []
            self.emit(schema.get("then", True), v, then, depth + 1)
            self.emit(schema.get("else", True), v, otherwise, depth + 1)
            if then or otherwise:
                out.append(f"{pad}if {self.function(schema['if'])}({v}):")
                out += then or [f"{pad}    pass"]
                out.append(f"{pad}else:")
                out += otherwise or [f"{pad}    pass"]

    @staticmethod
    def _schemas(schema: dict[str, Any], keyword: str) -> list[Any]:
        subs = schema.get(keyword, [])
        if not isinstance(subs, list) or (keyword != "allOf" and not subs):
            raise _Unsupported(keyword)
        return subs


def _generate(schema: Any, formats: Mapping[str, Callable[[object], bool]]) -> tuple[str, str, _Compiler] | None:
    """The generated source, the predicate's name in it and the compiler holding its constants; None when the
    schema uses something the predicate would not decide exactly as jsonschema does."""
    compiler = _Compiler(formats)
    try:
        name = compiler.function(schema)
    except (_Unsupported, RecursionError):
        return None
    return "\n".join(line for lines in compiler.functions for line in lines), name, compiler


def compile_predicate(schema: Any, formats: Mapping[str, Callable[[object], bool]]) -> Predicate | None:
    """The predicate for `schema`, with `formats` as the checks of its `format` keywords; None when the schema
    uses something it would not decide exactly as jsonschema does."""
    generated = _generate(schema, formats)
    if generated is None:
        return None
    source, name, compiler = generated
    exec(compile(source, "<schema predicate>", "exec"), compiler.scope)
    predicate: Predicate = compiler.scope[name]
    return predicate


def predicate_source(schema: Any, formats: Mapping[str, Callable[[object], bool]]) -> str | None:
    """The generated code, for reading and for tests."""
    generated = _generate(schema, formats)
    return None if generated is None else generated[0]
