"""The request journal: what each vendor request sent, what it got, and which stage decided the answer and why.

Every tenant keeps the last `LIMIT` entries (and at most `MAX_BYTES` of bodies); requests that reached no tenant
(an unknown key, a path the vendor does not have) go to the app's server-wide journal of `SERVER_LIMIT` entries.
`JournalIndex` finds any kept entry by request id (`X-Sandbox-Request-Id`) without scanning: it holds the entries
weakly, so an entry a journal drops, or a deleted tenant's, is gone from it too.

Recording costs little on purpose: an entry keeps references to what the request already holds (the raw header
pairs, the raw path, the body bytes as read, the encoded response body) and decodes, redacts and parses only
when it is read (`Entry.describe`).
"""
from __future__ import annotations

import base64
import weakref
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from . import jsoncodec
from .clock import format_timestamp

LIMIT = 1000
SERVER_LIMIT = 200
MAX_BODY = 64 * 1024  # the first bytes of a body kept per entry; `size` says how long it was
MAX_BYTES = 8 * 1024 * 1024  # bodies kept per journal; past it the oldest entries go
ENTRY_OVERHEAD = 512  # what an entry costs beyond its bodies, roughly, for the byte bound
REDACTED = "[redacted]"
_SECRET_WORDS = ("authorization", "cookie", "key", "token", "secret", "signature", "password")
STAGES = ("route", "authenticate", "rate_limit", "authorize", "fault", "cache", "validate", "handle")


def is_secret_header(name: str) -> bool:
    """Whether a header carries a credential (every vendor's key header has one of `_SECRET_WORDS` in it)."""
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def describe_body(raw: bytes | None, size: int) -> dict[str, Any]:
    """A body as JSON when it parses, else text, else base64; `truncated` when only its first bytes were kept."""
    out: dict[str, Any] = {"size": size, "truncated": raw is not None and size > len(raw)}
    if raw is None:
        out.update(body=None, bodyEncoding=None)
        return out
    if not out["truncated"] and raw and not raw.isspace():
        try:
            out.update(body=jsoncodec.loads(raw), bodyEncoding="json")
            return out
        except (ValueError, RecursionError):
            pass
    try:
        out.update(body=raw.decode("utf-8"), bodyEncoding="utf-8")
    except UnicodeDecodeError:
        out.update(body=base64.b64encode(raw).decode("ascii"), bodyEncoding="base64")
    return out


def _kept(body: bytes | None) -> bytes | None:
    return body if body is None or len(body) <= MAX_BODY else body[:MAX_BODY]


class Entry:
    """One request as the journal keeps it: references, read lazily."""

    __slots__ = ("__weakref__", "at", "duration", "fault", "headers", "method", "operation", "rate",
                 "raw_path", "reason", "request_body", "request_size", "response_body", "response_headers",
                 "response_size", "stage", "status", "tenant", "vendor", "id")

    def __init__(self, request_id: str, tenant: str | None, at: float, vendor: str, operation: Any,
                 method: str, raw_path: str, headers: Iterable[tuple[bytes, bytes]], request_body: bytes | None,
                 status: int | None, response_headers: Mapping[str, str] | None, response_body: bytes | None,
                 duration: float, stage: str, reason: str, rate: Any = None, fault: Any = None) -> None:
        self.id = request_id
        self.tenant = tenant
        self.at = at  # the tenant's clock (the default tenant's for the server-wide journal)
        self.vendor = vendor
        self.operation = operation  # the spec Operation, or None when no route matched
        self.method = method
        self.raw_path = raw_path
        self.headers = headers
        self.request_size = 0 if request_body is None else len(request_body)
        self.request_body = _kept(request_body)
        self.status = status  # None: no answer was sent (a dropped or stalled connection)
        self.response_headers = response_headers
        self.response_size = 0 if response_body is None else len(response_body)
        self.response_body = _kept(response_body)
        self.duration = duration  # seconds spent in the pipeline
        self.stage = stage
        self.reason = reason
        self.rate = rate  # the rate-limit Decision, when the key has limits
        self.fault = fault  # the Fault that fired, if one did

    @property
    def cost(self) -> int:
        """Bytes this entry holds, roughly: its kept bodies and a fixed overhead."""
        return (ENTRY_OVERHEAD + (0 if self.request_body is None else len(self.request_body))
                + (0 if self.response_body is None else len(self.response_body)))

    @property
    def operation_id(self) -> str | None:
        return None if self.operation is None else self.operation.operation_id

    @property
    def path(self) -> str:
        return self.raw_path.partition("?")[0]

    def request_headers(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for raw_name, raw_value in self.headers:
            name = raw_name.decode("latin-1")
            value = REDACTED if is_secret_header(name) else raw_value.decode("latin-1")
            out[name] = f"{out[name]}, {value}" if name in out else value
        return out

    def explanation(self) -> str:
        """One sentence: who answered, with what, and how faithful the operation is."""
        what = "no answer (the connection was closed)" if self.status is None else f"{self.status}"
        text = f"{self.stage} answered {what}: {self.reason}"
        if self.fault is not None:
            text += f" (fault {self.fault.id}, {self.fault.kind})"
        if self.operation is None:
            return text + f"; {self.method} {self.path} matches no {self.vendor} operation"
        operation = self.operation
        text += f"; {self.vendor} {operation.operation_id} is `{operation.fidelity}` in the spec"
        return text + (f" ({operation.note.strip()})" if operation.note else "")

    def describe(self) -> dict[str, Any]:
        operation = self.operation
        path, _, query = self.raw_path.partition("?")
        decision: dict[str, Any] = {
            "stage": self.stage, "reason": self.reason,
            "fidelity": None if operation is None else operation.fidelity,
            "note": None if operation is None or not operation.note else operation.note.strip(),
            "fault": None if self.fault is None else {"id": self.fault.id, "kind": self.fault.kind},
            "rateLimit": None if self.rate is None else {
                "bucket": self.rate.bucket, "limit": self.rate.limit, "remaining": self.rate.remaining,
                "resetAt": format_timestamp(self.rate.reset_at), "allowed": self.rate.allowed},
        }
        return {
            "id": self.id, "tenant": self.tenant, "at": format_timestamp(self.at), "vendor": self.vendor,
            "operation": self.operation_id, "method": self.method, "path": path, "query": query,
            "queryParams": [list(pair) for pair in parse_qsl(query, keep_blank_values=True)],
            "request": {"headers": self.request_headers(), **describe_body(self.request_body, self.request_size)},
            "response": {"status": self.status,
                         "headers": {} if self.response_headers is None else dict(self.response_headers),
                         **describe_body(self.response_body, self.response_size)},
            "durationMs": round(self.duration * 1000, 3),
            "decision": decision,
            "explanation": self.explanation(),
        }


class Journal:
    """The last `limit` entries, oldest first, holding at most `max_bytes` of bodies."""

    def __init__(self, limit: int | None = None, max_bytes: int | None = None) -> None:
        self.limit = LIMIT if limit is None else limit
        self.max_bytes = MAX_BYTES if max_bytes is None else max_bytes
        self._entries: deque[Entry] = deque()
        self._bytes = 0
        self.dropped = 0  # entries pushed out by the bounds since the journal was last cleared

    def __len__(self) -> int:
        return len(self._entries)

    def record(self, entry: Entry) -> None:
        entries = self._entries
        entries.append(entry)
        self._bytes += entry.cost
        while len(entries) > self.limit or (self._bytes > self.max_bytes and len(entries) > 1):
            self._bytes -= entries.popleft().cost
            self.dropped += 1

    def clear(self) -> int:
        count = len(self._entries)
        self._entries.clear()
        self._bytes = 0
        self.dropped = 0
        return count

    def select(self, vendor: str | None = None, operation: str | None = None, status: int | None = None,
               since: float | None = None, limit: int | None = None) -> list[Entry]:
        """The entries that match every filter given, oldest first; with `limit`, the newest `limit` of them."""
        found = [e for e in self._entries  # at most `self.limit`
                 if (vendor is None or e.vendor == vendor)
                 and (operation is None or e.operation_id == operation)
                 and (status is None or e.status == status)
                 and (since is None or e.at >= since)]
        return found[-limit:] if limit is not None else found


class JournalIndex:
    """Entries by request id, held weakly: what no journal keeps any more is not found."""

    def __init__(self) -> None:
        self._entries: weakref.WeakValueDictionary[str, Entry] = weakref.WeakValueDictionary()

    def add(self, entry: Entry) -> None:
        self._entries[entry.id] = entry

    def get(self, request_id: str) -> Entry | None:
        return self._entries.get(request_id)


class Journals:
    """The app's side of the journal: its own journal (requests that reached no tenant) and the index of every
    journal's entries. One per app (`JOURNALS`)."""

    def __init__(self, limit: int | None = None) -> None:
        self.server = Journal(SERVER_LIMIT if limit is None else limit)
        self.index = JournalIndex()


JOURNALS: web.AppKey[Journals] = web.AppKey("journals", Journals)
