"""The one error the control-plane clients raise."""
from __future__ import annotations

from typing import Any


class SandboxControlError(Exception):
    """A control-plane call that did not succeed.

    `status` is the HTTP status (0 when no answer came: connection refused, timeout); `code` and `message` come
    from the control plane's envelope `{"error": {"code", "message"}}`, or describe the failure when there is no
    envelope; `field` names the refused field when the server says which.
    """

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None,
                 body: Any = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.body = body
        where = f" (field {field})" if field else ""
        super().__init__(f"{status} {code}: {message}{where}")

    @classmethod
    def from_answer(cls, status: int, body: Any, text: str) -> SandboxControlError:
        """Read the control plane's envelope; a body without one (a proxy's page, a plain-text 404) still gives a
        code and a message."""
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            field = error.get("field")
            return cls(status, error["code"], str(error.get("message", "")),
                       field=field if isinstance(field, str) else None, body=body)
        return cls(status, f"http_{status}", text.strip()[:500] or "no body", body=body)

    @classmethod
    def unreachable(cls, url: str, reason: object) -> SandboxControlError:
        return cls(0, "unreachable", f"no answer from {url}: {reason}")
