"""Tamio's envelopes: 400 {"status", "error", "error_code"}; 401 {"status", "error"} without error_code.

Handlers raise `tamio_error(code, message)` (HTTP 400 with a numeric error_code); ApiError.code carries the
number as text, and any ApiError whose code is not a number renders without error_code (401, 429, 500...).
"""
from __future__ import annotations

from typing import Any

from ...core.errors import ApiError, Issue, RecordId

SCHEMA_FAILED = 400  # error_code of schema failures (documented on the agency list; used everywhere, a guess)
NOT_AUTHORISED = 403
NOT_FOUND = 1002


def tamio_error(error_code: int, message: str) -> ApiError:
    return ApiError(400, str(error_code), message)


def not_found(what: str, record_id: RecordId | None = None, detail: str = "") -> ApiError:
    """Error 1002, "<What> not found[ <detail>]" (Tamio's messages do not echo the id)."""
    return tamio_error(NOT_FOUND, f"{what} not found {detail}".rstrip())


def schema_error(message: str) -> ApiError:
    return tamio_error(SCHEMA_FAILED, message)


def _where(issue: Issue) -> str:
    path = ".".join(str(p) for p in issue.path)
    if issue.location == "body":
        return path or "body"
    return f"{issue.location} parameter {path}" if path else f"{issue.location} parameters"


def issue_message(issue: Issue) -> str:
    """One readable sentence per issue, in the words of Tamio's "Returned when" lists where they exist."""
    kw, p = issue.keyword, issue.params
    expected: Any = p.get("expected")
    if kw in ("additionalProperties", "unevaluatedProperties"):
        unexpected = ", ".join(p.get("unexpected", []))
        if issue.location == "query":
            return f"Unknown query parameters are sent: {unexpected}"
        prefix = f"{_where(issue)}: " if issue.path else ""
        return f"{prefix}Additional properties present: {unexpected}"
    if kw == "required":
        return "Request body is required" if p.get("property") is None else f"{_where(issue)} is required"
    where = _where(issue)
    if issue.location == "query" and issue.path and issue.path[0] in ("from", "to"):
        return f"{where} must be a valid date (ISO 8601, at most 26 characters) or a Unix timestamp"
    if kw == "type":
        names = expected if isinstance(expected, list) else [expected]
        return f"{where} must be of type {' or '.join(str(n) for n in names)}"
    if kw == "format":
        return f"{where} must be a valid {'UUID' if expected == 'uuid' else expected}"
    if kw == "enum":
        return f"{where} must be one of: {', '.join(map(str, expected))}"
    if kw == "const":
        return f"{where} must be {expected}"
    if kw == "minimum":
        return f"{where} must be greater than or equal to {expected}"
    if kw == "exclusiveMinimum":
        return f"{where} must be greater than {expected}"
    if kw == "maximum":
        return f"{where} must be less than or equal to {expected}"
    if kw == "minLength":
        return f"{where} must be at least {expected} characters long"
    if kw == "maxLength":
        return f"{where} must be at most {expected} characters long"
    if kw in ("minItems", "minProperties"):
        return f"{where} must not be empty" if expected == 1 else f"{where} must have at least {expected} items"
    if kw in ("maxItems", "maxProperties"):
        return f"{where} must have at most {expected} items"
    if kw == "uniqueItems":
        return f"{where} must not contain duplicates"
    if kw == "pattern":
        return f"{where} has an invalid value {p.get('value')!r}"
    return f"{where}: {issue.message}"


def validation_error(issues: list[Issue]) -> ApiError:
    """Tamio answers one error string: the first issue (path, then query, then body)."""
    return schema_error(issue_message(issues[0]))


def render_error(error: ApiError) -> dict[str, Any]:
    body: dict[str, Any] = {"status": error.status, "error": error.message}
    if error.code.isdigit():
        body["error_code"] = int(error.code)
    return body
