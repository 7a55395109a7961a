"""Fixed-window rate limits counted on a tenant's clock."""
from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Limit:
    """`requests` allowed per `window` seconds in the bucket called `bucket`.

    `per_key=False` makes the bucket one for the whole tenant, shared by every key (vendors that limit
    per account or network rather than per key).
    """

    bucket: str
    requests: int
    window: int = 60
    per_key: bool = True


class Decision(NamedTuple):
    """The outcome of counting one request in one bucket (a tuple: made on every request, and cheap to make)."""

    limit: int
    remaining: int
    reset_at: int  # epoch seconds when the window ends
    allowed: bool
    retry_after: int  # whole seconds until the window ends (at least 1)
    bucket: str


_decision = functools.partial(tuple.__new__, Decision)  # Decision(*fields), without its Python-level __new__


class RateLimiter:
    """Windows keyed by (api key, bucket); a window starts at a multiple of its length.

    A refused request is not counted, so a client that honours Retry-After gets its full budget back.
    """

    def __init__(self) -> None:
        self._windows: dict[tuple[str, str], tuple[int, int]] = {}  # -> (window start, count)

    @staticmethod
    def _slot(key: str, limit: Limit) -> tuple[str, str]:
        return (key if limit.per_key else "", limit.bucket)

    def hit(self, key: str, limit: Limit, now: float, enforce: bool = True) -> Decision:
        # Runs on every request with limits: builtins (max, ceil twice) and the NamedTuple's Python __new__ are
        # spelled out, about half of what it cost (the same Decision).
        window, requests = limit.window, limit.requests
        start = int(now // window) * window
        slot = (key if limit.per_key else "", limit.bucket)
        windows = self._windows
        held = windows.get(slot)
        count = held[1] if held is not None and held[0] == start else 0
        allowed = count < requests or not enforce
        if allowed:
            count += 1
        windows[slot] = (start, count)
        reset_at = start + window
        wait = reset_at - now
        return _decision((requests, requests - count if count < requests else 0, reset_at, allowed,
                          math.ceil(wait) if wait > 1 else 1, limit.bucket))

    def set_remaining(self, key: str, limit: Limit, now: float, remaining: int) -> Decision:
        """Leave `remaining` requests (at most the limit) in the current window of this key's bucket."""
        start = int(now // limit.window) * limit.window
        count = max(limit.requests - remaining, 0)
        self._windows[self._slot(key, limit)] = (start, count)
        reset_at = start + limit.window
        return Decision(limit.requests, limit.requests - count, reset_at, count < limit.requests,
                        max(1, math.ceil(reset_at - now)), limit.bucket)

    def check(self, key: str, limits: Sequence[Limit], now: float, enforce: bool = True) -> Decision:
        """Count a request against all its buckets; report the refusing one, else the tightest.

        Every bucket is checked before any is counted, so a refusal by one bucket costs nothing in the others.
        """
        if len(limits) == 1:  # the usual case, and the same outcome: a full bucket is not counted
            return self.hit(key, limits[0], now, enforce)
        peeked = [self._peek(key, limit, now) for limit in limits]
        refused = [limit for limit, count in zip(limits, peeked, strict=True) if count >= limit.requests]
        if refused and enforce:
            return self.hit(key, refused[0], now)  # counts nothing: the bucket is full
        decisions = [self.hit(key, limit, now, enforce) for limit in limits]
        return min(decisions, key=lambda d: (d.remaining, -d.reset_at))

    def _peek(self, key: str, limit: Limit, now: float) -> int:
        start = int(now // limit.window) * limit.window
        window_start, count = self._windows.get(self._slot(key, limit), (start, 0))
        return count if window_start == start else 0

    def snapshot(self) -> dict:
        return {f"{k}\x00{b}": list(v) for (k, b), v in self._windows.items()}
