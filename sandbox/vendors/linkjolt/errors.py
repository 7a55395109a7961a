"""LinkJolt's envelope: {"error": {"code", "message", "details"}}, with Zod-style validation issues."""
from __future__ import annotations

from typing import Any

from ...core.errors import ApiError, Issue, RecordId

_ZOD_TYPES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean",
              "object": "object", "array": "array", "null": "null"}


# Zod's default messages for bounds, by the JSON Schema keyword that expresses the same bound.
_BOUNDS = {
    "exclusiveMinimum": "Number must be greater than {}",
    "minimum": "Number must be greater than or equal to {}",
    "maximum": "Number must be less than or equal to {}",
    "exclusiveMaximum": "Number must be less than {}",
    "minLength": "String must contain at least {} character(s)",
    "maxLength": "String must contain at most {} character(s)",
    "minItems": "Array must contain at least {} element(s)",
    "maxItems": "Array must contain at most {} element(s)",
}


def _received(value: Any, location: str) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        # Query values reach Zod's z.coerce.number() as text; what does not parse becomes NaN.
        return "nan" if location == "query" else "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _quote_all(values: list[Any]) -> str:
    return " | ".join(f"'{v}'" for v in values)


def zod_message(issue: Issue) -> str:
    """The message Zod's default error map gives for the same failure (LinkJolt validates with Zod)."""
    kw, p = issue.keyword, issue.params
    expected: Any = p.get("expected")
    value = p.get("value")
    field = str(issue.path[-1]) if issue.path else "body"
    if kw == "required":
        return "Required"
    if kw == "type":
        names = expected if isinstance(expected, list) else [expected]
        wanted = " | ".join(_ZOD_TYPES.get(n, str(n)) for n in names if n != "null") or "null"
        if wanted == "integer" and isinstance(value, float):
            return "Expected integer, received float"
        if wanted == "integer" and issue.location == "query":
            wanted = "number"  # z.coerce.number().int(): the type check is for a number
        return f"Expected {wanted}, received {_received(value, issue.location)}"
    if kw == "enum":
        return f"Invalid enum value. Expected {_quote_all(expected)}, received '{value}'"
    if kw == "const":
        return f"Invalid literal value, expected {expected!r}"
    if kw == "exclusiveMinimum" and expected == 0:
        return f"{field} must be positive"  # LinkJolt's own message, shown in its error-envelope example
    if kw in _BOUNDS:
        return _BOUNDS[kw].format(expected)
    if kw == "format":
        return {"email": "Invalid email", "uri": "Invalid url", "date-time": "Invalid datetime",
                "date": "Invalid date", "uuid": "Invalid uuid"}.get(str(expected), "Invalid input")
    if kw == "pattern":
        return "Invalid"
    if kw in ("additionalProperties", "unevaluatedProperties"):
        return "Unrecognized key(s) in object: " + ", ".join(f"'{k}'" for k in p.get("unexpected", []))
    return issue.message


def validation_error(issues: list[Issue]) -> ApiError:
    details = [{"path": list(i.path), "message": zod_message(i)} for i in issues]
    return ApiError(400, "validation_error", "Validation failed", details)


def bad_json() -> ApiError:
    return ApiError(400, "validation_error", "Validation failed",
                    [{"path": [], "message": "Invalid JSON body"}])


def render_error(error: ApiError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.details is not None:
        body["details"] = error.details
    return {"error": body}


def not_found(what: str, record_id: RecordId | None = None, detail: str = "") -> ApiError:
    """404 "<What>[ <id>] not found[ <detail>]"."""
    named = what if record_id is None else f"{what} {record_id}"
    return ApiError(404, "not_found", f"{named} not found {detail}".rstrip())
