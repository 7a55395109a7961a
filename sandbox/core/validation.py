"""Request and response checking against an operation's schemas, compiled once at start-up."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .clock import parse_instant
from .errors import Issue, ValidationFailed
from .schemacheck import Predicate, compile_predicate
from .spec import Operation, Parameter

if TYPE_CHECKING:  # jsonschema is imported on first use: most requests never need it, and start-up is faster
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError

_EMAIL = re.compile(r"^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$")


def _instant_like(pattern: re.Pattern[str]) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not pattern.match(value):
            return False
        try:
            parse_instant(value)  # a day or hour that does not exist
        except ValueError:
            return False
        return True
    return check


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc) and " " not in value


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or bool(_UUID.match(value))


# jsonschema checks date and date-time only when an optional package is installed, and its email check only
# looks for an "@" (vendors' validators, Zod and the like, are stricter): the sandbox brings its own checks.
# Every format the specs use is here, so the fast and the exact validator judge formats the same way.
FORMAT_CHECKS: dict[str, Callable[[object], bool]] = {
    "date-time": _instant_like(_DATE_TIME), "date": _instant_like(_DATE), "uri": _is_uri, "email": _is_email,
    "uuid": _is_uuid,
}
_format_checker: FormatChecker | None = None


def format_checker() -> FormatChecker:
    global _format_checker
    if _format_checker is None:
        from jsonschema import FormatChecker

        checker = FormatChecker()
        for name, check in FORMAT_CHECKS.items():
            checker.checks(name)(check)
        _format_checker = checker
    return _format_checker



class CompiledSchema:
    """jsonschema for the exact issues; a generated predicate first (`core.schemacheck`), since most requests are
    valid: it says "valid" for them without building any error. On anything else jsonschema decides, with its
    paths and messages. Both are built on first use, so start-up pays for neither."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._slow: Draft202012Validator | None = None
        self._fast: Predicate | None = None
        self._fast_ready = False

    @property
    def slow(self) -> Draft202012Validator:
        if self._slow is None:
            from jsonschema import Draft202012Validator

            self._slow = Draft202012Validator(self.schema, format_checker=format_checker())
        return self._slow

    def is_valid(self, instance: Any) -> bool:
        if not self._fast_ready:
            self._fast_ready = True
            self._fast = compile_predicate(self.schema, FORMAT_CHECKS)
        fast = self._fast
        if fast is not None and fast(instance):
            return True
        return self.slow.is_valid(instance)

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        return iter(()) if self.is_valid(instance) else self.slow.iter_errors(instance)


def compile_schema(schema: dict[str, Any]) -> CompiledSchema:
    return CompiledSchema(schema)


def _schema_types(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, list):
        return declared
    if isinstance(declared, str):
        return [declared]
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return [t for sub in schema[combinator] for t in _schema_types(sub)]
    return []


_INTEGER = re.compile(r"[+-]?\d+")


def coerce_parameter(raw: list[str], schema: dict[str, Any]) -> Any:
    """Turn the text of a query or path parameter into the JSON value its schema describes.

    Text that does not parse is left as it is, so the validator reports it against the schema.
    """
    return _coerce(raw, schema, _schema_types(schema))


def _coerce(raw: list[str], schema: dict[str, Any], types: list[str]) -> Any:
    """`coerce_parameter` with the schema's types already read (`RequestValidator` reads them once)."""
    if "array" in types:
        values = [part for item in raw for part in item.split(",")] if len(raw) == 1 else raw
        items = schema.get("items", {})
        return [coerce_parameter([v], items) for v in values]
    text = raw[-1]
    for kind in types:
        try:
            if kind == "integer" and _INTEGER.fullmatch(text.strip()):
                return int(text)
            if kind == "number":
                number = float(text)
                if number == number and number not in (float("inf"), float("-inf")):
                    return int(number) if number.is_integer() and "." not in text else number
            if kind == "boolean" and text in ("true", "false"):
                return text == "true"
            if kind == "null" and text == "null":
                return None
        except ValueError:
            continue
    return text


def _issues_from(error: ValidationError, location: str, prefix: tuple = ()) -> list[Issue]:
    """Neutral issues for one jsonschema error: a missing property is located at the property itself."""
    path = prefix + tuple(error.absolute_path)
    kw = error.validator
    if kw in ("anyOf", "oneOf") and error.context:
        best = min(error.context, key=lambda e: (len(e.absolute_path) * -1, e.validator in ("type",)))
        return _issues_from(best, location, prefix)
    if kw == "required":
        required: list[str] = error.validator_value if isinstance(error.validator_value, list) else []
        instance = error.instance if isinstance(error.instance, dict) else {}
        missing = [name for name in required if name not in instance]
        return [Issue(path + (name,), f"{name} is required", "required", {"property": name}, location)
                for name in missing[:1]]
    if kw in ("additionalProperties", "unevaluatedProperties"):
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        allowed = set((schema.get("properties") or {}).keys())
        extra = sorted(k for k in error.instance if k not in allowed) if isinstance(error.instance, dict) else []
        return [Issue(path, error.message, kw, {"unexpected": extra}, location)]
    params: dict[str, Any] = {"expected": error.validator_value, "value": error.instance}
    return [Issue(path, error.message, str(kw), params, location)]


def _collect(validator: CompiledSchema, instance: Any, location: str) -> list[Issue]:
    if validator.is_valid(instance):  # the usual case, without building the error machinery
        return []
    issues: list[Issue] = []
    for error in validator.slow.iter_errors(instance):
        issues.extend(_issues_from(error, location))
    # Report in document order (jsonschema's order depends on its keyword order), one issue per path + rule.
    seen: set = set()
    unique = []
    for issue in sorted(issues, key=lambda i: [str(p) for p in i.path]):
        key = (issue.path, issue.keyword)
        if key not in seen:
            seen.add(key)
            unique.append(issue)
    return unique


@dataclass
class ValidatedRequest:
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any


class RequestValidator:
    """Validates one operation's path, query and body; built once per operation."""

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self._path = self._params_validator(operation.path_params)
        self._query = self._params_validator(operation.query_params)
        # What reading the parameters needs, worked out once: each one's name, schema and the types it may take;
        # the query's declared names; its defaults in declaration order.
        self._query_params = self._readers(operation.query_params)
        self._declared_query = frozenset(p.name for p in operation.query_params)
        self._query_defaults = tuple((p.name, p.schema["default"]) for p in operation.query_params
                                     if "default" in p.schema)
        # An absent query is valid unless a parameter is required (the schema below constrains nothing else when
        # no key is given): most requests send none, and checking `{}` cost about 1.3 µs each.
        self._query_required = any(p.required for p in operation.query_params)
        self._path_params = self._readers(operation.path_params)
        self._body = compile_schema(operation.body_schema) if operation.body_schema is not None else None

    @staticmethod
    def _readers(params: list[Parameter]) -> tuple[tuple[str, dict[str, Any], list[str]], ...]:
        return tuple((p.name, p.schema, _schema_types(p.schema)) for p in params)

    @staticmethod
    def _params_validator(params: list[Parameter]) -> CompiledSchema | None:
        if not params:
            return None
        return compile_schema({
            "type": "object",
            "properties": {p.name: p.schema for p in params},
            "required": [p.name for p in params if p.required],
        })

    @staticmethod
    def _read(params: tuple[tuple[str, dict[str, Any], list[str]], ...],
              source: Mapping[str, str]) -> dict[str, Any]:
        """Typed values of the declared parameters; `source` may be a multidict (repeated query keys)."""
        values: dict[str, Any] = {}
        if not params or not source:  # most operations have no path or no query parameters, most requests no query
            return values
        getall = getattr(source, "getall", None)
        for name, schema, types in params:
            if name not in source:
                continue
            raw = list(getall(name)) if getall else [source[name]]
            values[name] = _coerce(raw, schema, types)
        return values

    def _defaults(self, values: dict[str, Any]) -> dict[str, Any]:
        for name, default in self._query_defaults:
            if name not in values:
                values[name] = default
        return values

    def validate(self, path: Mapping[str, str], query: Mapping[str, str], body: Any,
                 has_body: bool) -> ValidatedRequest:
        """Check everything and raise ValidationFailed with all the issues found, path first, then query, body."""
        issues: list[Issue] = []
        path_values = self._read(self._path_params, path)
        if self._path is not None:
            issues += _collect(self._path, path_values, "path")
        query_values = self._read(self._query_params, query)
        if self.operation.strict_query:
            declared = self._declared_query
            unknown = sorted({name for name in query if name not in declared})
            if unknown:
                issues.append(Issue((), f"Unknown query parameter(s): {', '.join(unknown)}",
                                    "additionalProperties", {"unexpected": unknown}, "query"))
        if self._query is not None and (query_values or self._query_required):
            issues += _collect(self._query, query_values, "query")
        if self._body is not None:
            if not has_body:
                if self.operation.body_required:
                    issues.append(Issue((), "A request body is required", "required", {"property": None}, "body"))
            else:
                issues += _collect(self._body, body, "body")
        if issues:
            raise ValidationFailed(issues)
        return ValidatedRequest(path_values, self._defaults(query_values), body)


class ResponseChecker:
    """Strict mode: every response must match the schema the spec gives for its status."""

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self._validators = {status: compile_schema(schema) if schema is not None else None
                            for status, schema in operation.responses.items()}

    def problems(self, status: int, body: Any) -> str | None:
        """None when the response fits the spec; otherwise a sentence naming the operation and the failing path."""
        op = self.operation
        key = op.response_key(status)
        if key is None:
            return f"{op.operation_id}: status {status} is not declared in the spec"
        validator = self._validators[key]
        if validator is None:
            return None
        error = next(iter(sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))), None)
        if error is None:
            return None
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        return f"{op.operation_id}: response {status} does not match the spec at {where}: {error.message}"
