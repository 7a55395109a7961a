"""The request journal: what each vendor request sent, what it got, and which stage decided the answer and why.

Every tenant keeps the last `LIMIT` entries (and at most `MAX_BYTES` of bodies); requests that reached no tenant
(an unknown key, a path the vendor does not have) go to the app's server-wide journal of `SERVER_LIMIT` entries.
The app's index finds any kept record by request id (`X-Sandbox-Request-Id`) without scanning: a journal takes out
what it drops, and a deleted tenant's journal is cleared.

Recording costs little on purpose (the journal is always on): a record is one tuple of references to what the
request already holds (the raw header pairs, the raw path, the body bytes as read, the encoded response body);
decoding, redacting and parsing happen only when it is read (`Entry.describe`).

A record is kept after the event loop's current turn, once that turn's answers have gone out (`Journals.defer`),
and at once whenever anything reads a journal first, so a reader never misses a request that was answered. Why
later: this work then fills the time between a turn's last answer and the loop's next look for requests, in which
the connection answered last asks again. Without it, that connection often waited a whole turn more, turn after
turn (bench/NOTES.md, round 7: 3-5 % of requests at twice the median).
"""
from __future__ import annotations

import asyncio
import base64
from collections import deque
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
_SMALL = ENTRY_OVERHEAD + MAX_BODY  # a record this cheap cannot hold a body to truncate
REDACTED = "[redacted]"
_SECRET_WORDS = ("authorization", "cookie", "key", "token", "secret", "signature", "password")


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


# A record is a plain tuple, built in one step on every request (a class instance costs several times more);
# `Entry` reads one. The fields, in order:
(ID, TENANT, AT, VENDOR, OPERATION, METHOD, RAW_PATH, HEADERS, REQUEST_BODY, STATUS, RESPONSE_HEADERS,
 RESPONSE_BODY, DURATION, STAGE, REASON, RATE, FAULT, SIZES) = range(18)
Record = tuple  # (request id, tenant id | None, tenant-clock seconds, vendor, OperationInfo | None, method, raw path,
#                 raw header pairs, request body bytes | None, status | None (no answer), response headers,
#                 response body bytes | None, seconds in the pipeline, deciding stage, reason,
#                 rate-limit Decision | None, Fault | None, (request size, response size) | None (untruncated))


OperationInfo = tuple  # (operationId, x-sandbox-fidelity, x-sandbox-note | None)


def operation_info(operation: Any) -> OperationInfo:
    """What the journal shows of a spec Operation. Strings only: a record that holds no object the garbage
    collector must follow is left out of its passes, so a full journal does not make collections slower."""
    note = operation.note.strip() if operation.note else None
    return (operation.operation_id, operation.fidelity, note)


def _cost(record: Record) -> int:
    """Bytes a record holds, roughly: its kept bodies and a fixed overhead."""
    request, response = record[REQUEST_BODY], record[RESPONSE_BODY]
    return ENTRY_OVERHEAD + (len(request) if request else 0) + (len(response) if response else 0)


def _truncated(record: Record) -> Record:
    """The record with each body cut to MAX_BODY bytes, and the sizes they had."""
    request, response = record[REQUEST_BODY], record[RESPONSE_BODY]
    sizes = (len(request) if request else 0, len(response) if response else 0)
    return (*record[:REQUEST_BODY], None if request is None else request[:MAX_BODY], *record[STATUS:RESPONSE_BODY],
            None if response is None else response[:MAX_BODY], *record[DURATION:SIZES], sizes)


class Entry:
    """A record, read: what the control plane and the access log show."""

    __slots__ = ("record",)

    def __init__(self, record: Record) -> None:
        self.record = record

    id = property(lambda self: self.record[ID])
    tenant = property(lambda self: self.record[TENANT])
    vendor = property(lambda self: self.record[VENDOR])
    operation = property(lambda self: self.record[OPERATION])
    method = property(lambda self: self.record[METHOD])
    status = property(lambda self: self.record[STATUS])
    stage = property(lambda self: self.record[STAGE])
    reason = property(lambda self: self.record[REASON])
    fault = property(lambda self: self.record[FAULT])

    @property
    def operation_id(self) -> str | None:
        operation = self.record[OPERATION]
        return None if operation is None else operation[0]

    @property
    def path(self) -> str:
        return self.record[RAW_PATH].partition("?")[0]

    def request_headers(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for raw_name, raw_value in self.record[HEADERS]:
            name = raw_name.decode("latin-1")
            value = REDACTED if is_secret_header(name) else raw_value.decode("latin-1")
            out[name] = f"{out[name]}, {value}" if name in out else value
        return out

    def explanation(self) -> str:
        """One sentence: who answered, with what, and how faithful the operation is."""
        status, fault, operation = self.status, self.fault, self.operation
        what = "no answer (the connection was closed)" if status is None else f"{status}"
        text = f"{self.stage} answered {what}: {self.reason}"
        if fault is not None:
            text += f" (fault {fault.id}, {fault.kind})"
        if operation is None:
            return text + f"; {self.method} {self.path} matches no {self.vendor} operation"
        operation_id, fidelity, note = operation
        text += f"; {self.vendor} {operation_id} is `{fidelity}` in the spec"
        return text + (f" ({note})" if note else "")

    def describe(self) -> dict[str, Any]:
        record = self.record
        operation, rate, fault = record[OPERATION], record[RATE], record[FAULT]
        path, _, query = record[RAW_PATH].partition("?")
        request_body, response_body = record[REQUEST_BODY], record[RESPONSE_BODY]
        request_size, response_size = record[SIZES] or (len(request_body) if request_body else 0,
                                                        len(response_body) if response_body else 0)
        headers = dict(record[RESPONSE_HEADERS] or {})
        if record[STATUS] is not None:
            headers.setdefault("Content-Type", "application/json")  # as the pipeline sends it (pipeline.CONTENT_TYPE)
        decision: dict[str, Any] = {
            "stage": record[STAGE], "reason": record[REASON],
            "fidelity": None if operation is None else operation[1],
            "note": None if operation is None else operation[2],
            "fault": None if fault is None else {"id": fault.id, "kind": fault.kind},
            "rateLimit": None if rate is None else {
                "bucket": rate.bucket, "limit": rate.limit, "remaining": rate.remaining,
                "resetAt": format_timestamp(rate.reset_at), "allowed": rate.allowed},
        }
        return {
            "id": record[ID], "tenant": record[TENANT], "at": format_timestamp(record[AT]), "vendor": record[VENDOR],
            "operation": self.operation_id, "method": record[METHOD], "path": path, "query": query,
            "queryParams": [list(pair) for pair in parse_qsl(query, keep_blank_values=True)],
            "request": {"headers": self.request_headers(), **describe_body(request_body, request_size)},
            "response": {"status": record[STATUS], "headers": headers,
                         **describe_body(response_body, response_size)},
            "durationMs": round(record[DURATION] * 1000, 3),
            "decision": decision,
            "explanation": self.explanation(),
        }


class Journal:
    """The last `limit` records, oldest first, holding at most `max_bytes` of bodies. With an `index` (the app's
    dict of records by request id), what it keeps is found there and what it drops is taken out."""

    def __init__(self, limit: int | None = None, max_bytes: int | None = None) -> None:
        self.limit = LIMIT if limit is None else limit
        self.max_bytes = MAX_BYTES if max_bytes is None else max_bytes
        self.index: dict[str, Record] | None = None
        self.settler: Journals | None = None  # whose deferred records to keep before this journal is read
        self._records: deque[Record] = deque()
        self._costs: deque[int] = deque()  # each record's `_cost`, so dropping one need not read it
        self._bytes = 0
        self._dropped = 0

    def _settle(self) -> None:
        if self.settler is not None:
            self.settler.settle()

    def __len__(self) -> int:
        self._settle()
        return len(self._records)

    @property
    def dropped(self) -> int:
        """Records pushed out by the bounds since the journal was last cleared."""
        self._settle()
        return self._dropped

    def record(self, record: Record) -> None:
        # Inlined on purpose: this runs on every vendor request (bench/journal.py).
        request, response = record[REQUEST_BODY], record[RESPONSE_BODY]
        cost = ENTRY_OVERHEAD + (len(request) if request else 0) + (len(response) if response else 0)
        if cost > _SMALL and (len(request or b"") > MAX_BODY or len(response or b"") > MAX_BODY):
            record = _truncated(record)
            cost = _cost(record)
        records, index = self._records, self.index
        records.append(record)
        self._costs.append(cost)
        self._bytes += cost
        if index is not None:
            index[record[ID]] = record
        if len(records) > self.limit:  # the usual case once full: one in, one out
            old = records.popleft()
            self._bytes -= self._costs.popleft()
            self._dropped += 1
            if index is not None:
                index.pop(old[ID], None)
        while self._bytes > self.max_bytes and len(records) > 1:
            old = records.popleft()
            self._bytes -= self._costs.popleft()
            self._dropped += 1
            if index is not None:
                index.pop(old[ID], None)

    def clear(self) -> int:
        """Forget every record (and take them out of the index)."""
        self._settle()
        count = len(self._records)
        if self.index is not None:
            for record in self._records:
                self.index.pop(record[ID], None)
        self._records.clear()
        self._costs.clear()
        self._bytes = 0
        self._dropped = 0
        return count

    def select(self, vendor: str | None = None, operation: str | None = None, status: int | None = None,
               since: float | None = None, limit: int | None = None) -> list[Entry]:
        """The entries that match every filter given, oldest first; with `limit`, the newest `limit` of them."""
        self._settle()
        found = [Entry(r) for r in self._records  # at most `self.limit`
                 if (vendor is None or r[VENDOR] == vendor)
                 and (operation is None or (r[OPERATION] is not None and r[OPERATION][0] == operation))
                 and (status is None or r[STATUS] == status)
                 and (since is None or r[AT] >= since)]
        return found[-limit:] if limit is not None else found


class Journals:
    """The app's side of the journal: its own journal (requests that reached no tenant) and the index of every
    journal's records by request id. One per app (`JOURNALS`)."""

    def __init__(self, limit: int | None = None) -> None:
        self.index: dict[str, Record] = {}
        self.server = Journal(SERVER_LIMIT if limit is None else limit)
        self.server.index = self.index
        self.server.settler = self
        self._pending: list[tuple[Journal, Record]] = []  # records to keep once this turn's answers are out

    def defer(self, journal: Journal, record: Record) -> None:
        """Keep `record` in `journal` after the event loop's current turn (or before any read, if sooner); with no
        loop running, now. `journal.settler` must be this object, so that reading it keeps what is pending."""
        pending = self._pending
        if not pending:
            try:
                asyncio.get_running_loop().call_soon(self.settle)
            except RuntimeError:  # called outside a loop: nothing would keep it later
                journal.record(record)
                return
        pending.append((journal, record))

    def settle(self) -> None:
        """Keep every deferred record now, in the order they were answered."""
        pending = self._pending
        if pending:
            self._pending = []
            for journal, record in pending:
                journal.record(record)

    def find(self, request_id: str) -> Entry | None:
        self.settle()
        record = self.index.get(request_id)
        return None if record is None else Entry(record)


JOURNALS: web.AppKey[Journals] = web.AppKey("journals", Journals)
