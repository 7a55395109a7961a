"""Fault injection: per-tenant rules that make vendor calls fail on purpose.

A fault matches a request by vendor and operationId, or by method and a path pattern (a regular expression the
whole path must match), and acts in one of `KINDS`:

- `error`       the vendor's own error: a status and code, rendered in the vendor's envelope
- `rate_limit`  the vendor's 429, with its rate-limit headers and `Retry-After`
- `latency`     the answer is held back `seconds`, then the request goes on as usual
- `drop`        the connection is closed without an answer
- `stall`       no answer until the client gives up: the connection is held `seconds` (at most `MAX_STALL`; the
                client going away or the server stopping ends it sooner), then closed

It fires for the next `times` matching calls (default: every one until removed), each time with `probability`
(default 1) drawn from the tenant's seeded stream for faults, so a seeded run fails the same calls every time.

Bounds: at most `MAX_FAULTS` per tenant (an exhausted fault makes room for a new one); a path pattern is at
most `MAX_PATTERN` characters, has no back-references and no repeat inside a repeat, and its repeats, multiplied
over a path of `MAX_MATCHED_PATH` characters, stay within `MATCH_BUDGET` steps, so no pattern can make matching
a path slow; a longer path never matches a pattern.
"""
from __future__ import annotations

import asyncio
import http
import itertools
import re

# The parser `re` itself uses (Python 3.11+; `sre_parse`, its old name, warns on import): how repeats nest.
import re._constants as _sre  # type: ignore[import-not-found]
import re._parser as _sre_parse  # type: ignore[import-not-found]
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

KINDS = ("error", "rate_limit", "latency", "drop", "stall")
MAX_FAULTS = 100
MAX_LATENCY = 60.0
MAX_STALL = 300.0
DEFAULT_RETRY_AFTER = 60
MAX_PATTERN = 200
MAX_MATCHED_PATH = 1024
MATCH_BUDGET = 1 << 22  # steps: a few milliseconds of matching at worst


class FaultError(ValueError):
    """A fault the spec's schema accepted but that cannot work; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class FaultLimitReached(FaultError):
    """The tenant holds `MAX_FAULTS` faults, none of them exhausted."""


class Fault:
    """One rule: what it matches, what it does, and how often it may still fire."""

    __slots__ = ("code", "fired", "id", "kind", "message", "method", "operation", "path", "pattern",
                 "probability", "remaining", "retry_after", "seconds", "status", "times", "vendor")

    def __init__(self, fault_id: str, kind: str, *, vendor: str | None = None, operation: str | None = None,
                 method: str | None = None, path: str | None = None, status: int | None = None,
                 code: str | None = None, message: str | None = None, retry_after: int | None = None,
                 seconds: float | None = None, times: int | None = None, probability: float = 1.0) -> None:
        self.id = fault_id
        self.kind = kind
        self.vendor = vendor
        self.operation = operation
        self.method = method
        self.path = path
        self.pattern = re.compile(path) if path is not None else None
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.seconds = seconds
        self.times = times
        self.remaining = times  # None: no limit
        self.probability = probability
        self.fired = 0

    @property
    def exhausted(self) -> bool:
        return self.remaining is not None and self.remaining <= 0

    def matches(self, vendor: str, operation_id: str, method: str, path: str) -> bool:
        if self.vendor is not None and self.vendor != vendor:
            return False
        if self.operation is not None:
            return self.operation == operation_id
        if self.method is not None and self.method != method:
            return False
        pattern = self.pattern
        return pattern is None or (len(path) <= MAX_MATCHED_PATH and pattern.fullmatch(path) is not None)

    def fire(self) -> None:
        self.fired += 1
        if self.remaining is not None:
            self.remaining -= 1

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind}
        for name in ("vendor", "operation", "method", "path", "status", "code", "message"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.retry_after is not None:
            out["retryAfter"] = self.retry_after
        if self.seconds is not None:
            out["seconds"] = self.seconds
        out.update({"times": self.times, "remaining": self.remaining, "probability": self.probability,
                    "fired": self.fired, "active": not self.exhausted})
        return out


# -- reading a fault from a request body ---------------------------------------------------------------------

def _default_code(status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        return "error"
    return re.sub(r"[^a-z0-9]+", "_", phrase.lower()).strip("_")


def _repeat_bound(max_count: int) -> int:
    return MAX_MATCHED_PATH if max_count == _sre.MAXREPEAT else min(max_count, MAX_MATCHED_PATH)


def _pattern_cost(items: Any, inside_repeat: bool = False) -> int:
    """An upper bound on the backtracking steps per position: the product of the repeats' spans. Refuses what
    has no useful bound (a repeat inside a repeat, a back-reference)."""
    cost = 1
    for op, av in items:
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            _low, high, body = av
            if inside_repeat:
                raise FaultError("path", "a repeat inside a repeat (like (a+)+) can take exponential time; "
                                         "write the pattern without nesting them")
            cost *= (_repeat_bound(high) + 1) * _pattern_cost(body, inside_repeat=True)
        elif op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
            raise FaultError("path", "back-references are not allowed in a path pattern")
        elif op == _sre.SUBPATTERN:
            cost *= _pattern_cost(av[-1], inside_repeat)
        elif op == getattr(_sre, "ATOMIC_GROUP", None):
            cost *= _pattern_cost(av, inside_repeat)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            cost *= _pattern_cost(av[1], inside_repeat)
        elif op == _sre.BRANCH:
            if inside_repeat:  # (a|ab)*: each pass may split its text two ways, 2^n ways in all
                raise FaultError("path", "an alternation inside a repeat (like (a|ab)*) can take exponential "
                                         "time; write the pattern without it")
            cost *= sum(_pattern_cost(branch, inside_repeat) for branch in av[1])
        if cost > MATCH_BUDGET:
            raise FaultError("path", f"the pattern's repeats could take too long to match (more than "
                                     f"{MATCH_BUDGET} steps on a {MAX_MATCHED_PATH}-character path); use fewer "
                                     "open-ended repeats (*, +, {n,}) or bound them ({1,64})")
    return cost


def check_pattern(text: str) -> None:
    """Raise FaultError("path", ...) unless `text` is a regular expression that is safe to match paths with."""
    if len(text) > MAX_PATTERN:
        raise FaultError("path", f"at most {MAX_PATTERN} characters")
    try:
        re.compile(text)
        parsed = _sre_parse.parse(text)
    except (re.error, RecursionError, OverflowError) as exc:
        raise FaultError("path", f"not a valid regular expression: {exc}") from exc
    _pattern_cost(parsed)


def parse_fault(fault_id: str, body: Mapping[str, Any], operations: Mapping[str, set[str]]) -> Fault:
    """A fault from a request body already checked against `specs/control.yaml`'s `FaultRequest` (types,
    ranges, the kinds). `operations` is each served vendor's operationIds. Raises FaultError naming the field."""
    kind = body["kind"]
    vendor, operation = body.get("vendor"), body.get("operation")
    method, path = body.get("method"), body.get("path")
    if vendor is not None and vendor not in operations:
        raise FaultError("vendor", f"no vendor {vendor!r} is served; served: {', '.join(operations)}")
    if operation is not None:
        if vendor is None:
            raise FaultError("vendor", "an operation is matched within one vendor: give `vendor` too")
        if method is not None or path is not None:
            raise FaultError("operation", "match by `operation` or by `method` and `path`, not both")
        if operation not in operations[vendor]:
            raise FaultError("operation", f"{vendor} has no operation {operation!r}")
    elif path is None:
        raise FaultError("operation", "say which calls fail: `vendor` and `operation`, or `method` and `path` "
                                      "(a regular expression the whole path matches)")
    if path is not None:
        check_pattern(path)
    status, code, retry_after, seconds = body.get("status"), body.get("code"), body.get("retryAfter"), \
        body.get("seconds")
    allowed = {"error": {"status", "code", "message", "retryAfter"}, "rate_limit": {"retryAfter"},
               "latency": {"seconds"}, "drop": set(), "stall": {"seconds"}}[kind]
    for name in ("status", "code", "message", "retryAfter", "seconds"):
        if name in body and name not in allowed:
            raise FaultError(name, f"not used by a {kind} fault")
    if kind == "error":
        status = 500 if status is None else status
        code = code or _default_code(status)
    elif kind == "rate_limit":
        retry_after = DEFAULT_RETRY_AFTER if retry_after is None else retry_after
    elif kind == "latency":
        if seconds is None:
            raise FaultError("seconds", "a latency fault needs the delay in seconds")
        if seconds > MAX_LATENCY:
            raise FaultError("seconds", f"at most {MAX_LATENCY:g} seconds of latency")
    elif kind == "stall":
        seconds = MAX_STALL if seconds is None else seconds
        if seconds > MAX_STALL:
            raise FaultError("seconds", f"a stall lasts at most {MAX_STALL:g} seconds")
    return Fault(fault_id, kind, vendor=vendor, operation=operation, method=method, path=path, status=status,
                 code=code, message=body.get("message"), retry_after=retry_after,
                 seconds=None if seconds is None else float(seconds), times=body.get("times"),
                 probability=float(body.get("probability", 1.0)))


# -- a tenant's faults ---------------------------------------------------------------------------------------

class FaultTable:
    """A tenant's faults, oldest first; the first one that matches and draws a hit answers."""

    def __init__(self, limit: int = MAX_FAULTS) -> None:
        self.limit = limit
        self._faults: dict[str, Fault] = {}
        self._ids = itertools.count(1)

    def __bool__(self) -> bool:
        return bool(self._faults)

    def __len__(self) -> int:
        return len(self._faults)

    def __iter__(self) -> Iterator[Fault]:
        return iter(list(self._faults.values()))

    def new_id(self) -> str:
        return f"flt_{next(self._ids)}"

    def add(self, fault: Fault) -> None:
        """Keep `fault`; past the limit the oldest exhausted fault goes, and with none, FaultError."""
        if len(self._faults) >= self.limit:
            spent = next((f for f in self._faults.values() if f.exhausted), None)
            if spent is None:
                raise FaultLimitReached("kind", f"a tenant holds at most {self.limit} faults that can still "
                                                "fire; delete some first")
            del self._faults[spent.id]
        self._faults[fault.id] = fault

    def get(self, fault_id: str) -> Fault | None:
        return self._faults.get(fault_id)

    def remove(self, fault_id: str) -> bool:
        return self._faults.pop(fault_id, None) is not None

    def clear(self) -> int:
        count = len(self._faults)
        self._faults.clear()
        return count

    def pick(self, vendor: str, operation_id: str, method: str, path: str,
             draw: Callable[[], float]) -> Fault | None:
        """The fault that fires for this call, if any (it is counted as fired). `draw` gives a number in [0, 1),
        asked only of a matching fault with a probability below 1."""
        for fault in self._faults.values():  # at most `limit`
            if fault.exhausted or not fault.matches(vendor, operation_id, method, path):
                continue
            if fault.probability < 1.0 and draw() >= fault.probability:
                continue
            fault.fire()
            return fault
        return None


# -- waiting, bounded ---------------------------------------------------------------------------------------

class Waits:
    """The app's latency and stall waits: each bounded by its own length, all ended when the server stops."""

    SLICE = 0.25  # how often a stall checks that its client is still there

    def __init__(self) -> None:
        self._stopping: asyncio.Event | None = None

    def _event(self) -> asyncio.Event:
        if self._stopping is None:
            self._stopping = asyncio.Event()
        return self._stopping

    async def sleep(self, seconds: float, still_wanted: Callable[[], bool] = lambda: True) -> None:
        """Wait `seconds`, or less if the server stops or `still_wanted()` turns false (checked every SLICE)."""
        stopping = self._event()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        for _ in range(int(seconds / self.SLICE) + 2):  # bounded: the deadline comes first
            left = deadline - loop.time()
            if left <= 0 or stopping.is_set() or not still_wanted():
                return
            try:
                await asyncio.wait_for(stopping.wait(), min(left, self.SLICE))
            except TimeoutError:
                continue
            return

    async def stop(self, _app: Any = None) -> None:
        """End every wait now (an `on_shutdown` hook)."""
        self._event().set()


def fault_operations(specs: Mapping[str, Any]) -> dict[str, set[str]]:
    """Each vendor's operationIds, from its Spec."""
    return {name: {op.operation_id for op in spec.operations} for name, spec in specs.items()}


def first_limit(limits: Sequence[Any]) -> tuple[int, str]:
    """(requests, bucket) of a vendor's first rate limit for a key, or (0, "fault") when it has none."""
    if not limits:
        return 0, "fault"
    return limits[0].requests, limits[0].bucket
