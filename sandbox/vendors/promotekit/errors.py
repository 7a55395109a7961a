"""PromoteKit's error envelope: {"success": false, "error": {"message", "type"}}; no per-field array.

Validation failures are reported as one sentence about the first problem, e.g. "email is required".
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core.errors import ApiError, Issue, RecordId
from . import magic

_TYPE_NAMES = {"string": "a string", "number": "a number", "integer": "an integer", "boolean": "a boolean",
               "object": "an object", "array": "an array", "null": "null"}


_KNOWN_TYPES = frozenset(magic.TYPE_BY_STATUS.values()) | {magic.API_ERROR}


def render_error(error: ApiError) -> dict[str, Any]:
    known = _KNOWN_TYPES
    error_type = error.code if error.code in known else magic.TYPE_BY_STATUS.get(error.status, magic.API_ERROR)
    return {"success": False, "error": {"message": error.message, "type": error_type}}


def invalid(message: str) -> ApiError:
    return ApiError(400, magic.INVALID_REQUEST, message)


def not_found(what: str, record_id: RecordId | None = None, detail: str = "") -> ApiError:
    """404 "<What> not found[ <detail>]" (PromoteKit's messages do not echo the id)."""
    return ApiError(404, magic.NOT_FOUND, f"{what} not found {detail}".rstrip())


def _field(issue: Issue) -> str:
    names = [str(p) for p in issue.path if not isinstance(p, int)]
    return ".".join(names) if names else ("Request body" if issue.location == "body" else "value")


def message(issue: Issue) -> str:
    """One readable sentence for one validation issue (the wording is a guess: PromoteKit documents none)."""
    kw, p, field = issue.keyword, issue.params, _field(issue)
    expected: Any = p.get("expected")
    if kw == "required":
        return "Request body is required" if p.get("property") is None else f"{field} is required"
    if kw == "type":
        names = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_TYPE_NAMES.get(n, str(n)) for n in names)
        if not issue.path and issue.location == "body":
            return "Request body must be a JSON object"
        return f"{field} must be {wanted}"
    if kw == "enum":
        return f"{field} must be one of: {', '.join(map(str, expected))}"
    if kw == "format":
        return {"email": f"{field} must be a valid email address", "uuid": f"{field} must be a valid UUID",
                "date-time": f"{field} must be an ISO-8601 date-time"}.get(str(expected), f"{field} is invalid")
    if kw == "exclusiveMinimum":
        return f"{field} must be greater than {expected}"
    if kw == "minimum":
        return f"{field} must be at least {expected}"
    if kw == "maximum":
        return f"{field} must be at most {expected}"
    if kw == "minLength":
        return f"{field} must not be empty" if expected == 1 else f"{field} must be at least {expected} characters"
    if kw == "maxLength":
        return f"{field} must be at most {expected} characters"
    if kw == "pattern":
        return f"{field} contains characters that are not allowed"
    return f"{field}: {issue.message}"


def validation_error(issues: list[Issue]) -> ApiError:
    return invalid(message(issues[0]))


def bad_json() -> ApiError:
    return invalid("Invalid JSON body")


def duplicate(message: str, existing: Mapping[str, RecordId] | None = None) -> ApiError:
    """400 invalid_request_error (guess: PromoteKit documents no 409); the holder is not echoed."""
    return invalid(message)


def invalid_transition(message: str) -> ApiError:
    """400 invalid_request_error (guess, as for `duplicate`): the record's status does not allow the change."""
    return invalid(message)
