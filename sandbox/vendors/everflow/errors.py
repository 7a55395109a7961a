"""Everflow's envelope: every error is `{"error": "<message>"}` with the HTTP status (documented).

The message texts are guesses (the docs give only the envelope and the status table); validation
failures are reported as one sentence about the first problem, since Everflow has no per-field array.
"""
from __future__ import annotations

from typing import Any

from ...core.errors import ApiError, Issue, RecordId


def dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def message_for(issue: Issue) -> str:
    """One readable sentence for a validation issue (guess: Everflow's texts are not documented)."""
    kw, p = issue.keyword, issue.params
    where = dotted(issue.path)
    expected: Any = p.get("expected")
    value = p.get("value")
    if kw == "required":
        return "A request body is required" if p.get("property") is None else f"Missing required field {where}"
    if kw == "enum":
        return f"Invalid value for {where}: {value!r}. Supported values are: {', '.join(map(str, expected))}"
    if kw == "type":
        names = expected if isinstance(expected, list) else [expected]
        return f"Invalid type for {where}: expected {' or '.join(map(str, names))}"
    if kw == "format":
        return f"Invalid {expected} for {where}"
    if kw == "minLength":
        return f"{where} must be at least {expected} characters"
    if kw == "maxLength":
        return f"{where} must be at most {expected} characters"
    if kw == "minimum":
        return f"{where} must be greater than or equal to {expected}"
    if kw == "maximum":
        return f"{where} must be less than or equal to {expected}"
    if kw == "minItems":
        return f"{where} must contain at least {expected} item(s)"
    if kw == "pattern":
        return f"Invalid value for {where}"
    if kw in ("additionalProperties", "unevaluatedProperties"):
        unexpected = ", ".join(p.get("unexpected") or [])
        if issue.location == "body":
            return f"Unknown field(s) in {where}: {unexpected}"
        return f"Unknown parameter(s): {unexpected}"
    return f"Invalid value for {where}: {issue.message}"


def validation_error(issues: list[Issue]) -> ApiError:
    return ApiError(400, "bad_request", message_for(issues[0]))


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def not_found(what: str, record_id: RecordId | None = None, detail: str = "") -> ApiError:
    """404 "<What>[ <id>] not found[ <detail>]"."""
    named = what if record_id is None else f"{what} {record_id}"
    return ApiError(404, "not_found", f"{named} not found {detail}".rstrip())


def render_error(error: ApiError) -> dict[str, Any]:
    return {"error": error.message}
