"""The neutral errors handlers raise; each vendor renders them in its own envelope."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """A failure to report to the client: HTTP status, a machine code, readable text, optional details."""

    def __init__(self, status: int, code: str, message: str, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


@dataclass(frozen=True)
class Issue:
    """One validation problem, in neutral form.

    `path` locates the value (JSON pointer parts); `keyword` and `params` say which rule failed
    (JSON Schema's vocabulary) so a vendor can phrase the message as its own validator would.
    """

    path: tuple[str | int, ...]
    message: str
    keyword: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    location: str = "body"  # body | query | path


class ValidationFailed(Exception):
    """The request did not match the operation's schemas."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(f"{'/'.join(map(str, i.path))}: {i.message}" for i in issues))
        self.issues = issues


class Conflict(Exception):
    """A unique index already holds the value; `existing_id` is the record that holds it."""

    def __init__(self, index: str, value: Any, existing_id: Any) -> None:
        super().__init__(f"{index}={value!r} already used by {existing_id!r}")
        self.index = index
        self.value = value
        self.existing_id = existing_id


RecordId = str | int
"""The id of a stored record, as the vendors' `errors.not_found(what, record_id)` takes it."""
