"""Fair shares of the event loop between tenants: a tenant's heavy requests cannot starve another tenant's.

One event loop serves every tenant, and a request holds it from its first stage to its answer. A list of 100 rows
holds it for a few milliseconds; four clients asking for such lists back to back keep it busy all the time, and
another tenant's one-row read waits behind them. So, while more than one tenant is active, a tenant that held
the loop for `HEAVY` seconds or more rests: its next request starts only after the loop has had `REST` times its last
request's hold for the others (a request waits at most `MAX_WAIT`). What a tenant held is counted in a leaky bucket
that drains at `LEAK` seconds a second: one heavy request fills it, and so do many light ones in flight at once
(four clients each asking for sub-millisecond pages keep the loop as busy as one client asking for big ones). A
tenant of heavy requests then holds the loop at most 1 / (1 + REST) of the time, a tenant of light ones in a crowd
about `LEAK` of it, in bursts of about `HEAVY`: most of another tenant's requests find the loop free, and the rest
wait about one burst. A rest ends early once no request at all has been served for `IDLE` seconds: a loop nobody
else wants is not left idle for long (a request kept waiting in a socket is no sign of idleness: while any request
runs, the rest goes on). A tenant alone is never held back, nor is one client asking light requests one after
another.

Two pipeline stages (`core.pipeline` insertion points): `gate` after `authorize` (the tenant is known, a new one
admitted) waits for the tenant's turn; `account`, with the journal, notes how long the request held the loop. Time
comes from an injectable clock, so tests count the waits instead of timing them.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

HEAVY = 0.001
"""Seconds a tenant must hold the loop, in one request or in a burst of them (`LEAK`), for it to rest (a one-record
read takes about a tenth of it)."""
LEAK = 0.5
"""How fast what a tenant held drains, in seconds a second: the share of the loop a tenant may keep in the long run
without resting. A client asking one request after another, as a test does, holds the loop well under half the time
and never fills the bucket; four clients asking back to back for 0.6 ms pages filled it within three pages, and had
kept another tenant's GET p50 at 2.4 ms (bench/NOTES.md, round 11)."""
REST = 3.0
"""How much longer than a heavy request its tenant rests: at most a quarter of the loop while others are active.
Measured (bench/NOTES.md, four clients listing 100-row pages of 50k records): another tenant's GET p50 was
1.7 ms with 1.5, 1.5 ms with 2 and 0.29 ms (its quiet figure) with 3; 10 ms with no rest at all."""
ACTIVE = 0.1
"""Seconds since another tenant's last request within which it counts as active: long enough for a client that
asks again as soon as it has its answer, short enough that a test suite moving from one tenant to the next
leaves the last one behind at once."""
IDLE = 0.002
"""Seconds with no request served after which a resting tenant goes on (event-loop timers are millisecond-
grained; a client that asks again at once does so well within it)."""
MAX_WAIT = 0.25
"""The longest any request waits for its tenant's turn: waiting is bounded however busy the tenant."""


class FairShare:
    """The turns of an app's tenants; one per application (`create_app` adds its stages to the app's hooks)."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.clock = clock
        self.sleep = sleep
        # The last two distinct tenants seen and when: whether another tenant is active, in constant time.
        self._last: tuple[object, float] = (None, float("-inf"))
        self._before: tuple[object, float] = (None, float("-inf"))
        self._served_at = float("-inf")  # when the last request of any tenant was answered
        self.rests = 0  # requests that waited for their tenant's turn (for tests and the benchmark notes)

    def _others_active(self, tenant: object, now: float) -> bool:
        other = self._last if self._last[0] is not tenant else self._before
        return now - other[1] <= ACTIVE

    def _seen(self, tenant: object, now: float) -> None:
        if self._last[0] is not tenant:
            self._before = self._last
        self._last = (tenant, now)

    def gate(self, ex: Any) -> Awaitable[None] | None:
        """Note when the tenant's request took the loop; if the tenant is resting, the wait (bounded) until its
        turn. A plain stage (no coroutine for the usual request, which does not wait)."""
        tenant = ex.tenant
        now = self.clock()
        self._seen(tenant, now)
        if tenant.turn_at > now:
            return self._rest(ex, tenant, now)
        ex.took_loop_at = now
        return None

    async def _rest(self, ex: Any, tenant: Any, now: float) -> None:
        self.rests += 1
        began, deadline = now, now + MAX_WAIT
        while True:  # ends by MAX_WAIT at the latest: every pass sleeps until a time no later than it
            ready_at = min(tenant.turn_at, deadline, max(self._served_at, began) + IDLE)
            if ready_at <= now:
                break
            await self.sleep(ready_at - now)
            now = self.clock()
        ex.took_loop_at = now

    def account(self, ex: Any) -> None:
        """After the answer: what the request held goes into its tenant's bucket; a full one (while another tenant is
        active) sets the tenant's next turn."""
        started = getattr(ex, "took_loop_at", None)
        if started is None:  # refused before the gate (401, 403, 429): nothing to account
            return
        now = self._served_at = self.clock()
        held = now - started
        tenant = ex.tenant
        bucket = tenant.held_recently - (now - tenant.held_counted_at) * LEAK
        bucket = tenant.held_recently = (bucket if bucket > 0.0 else 0.0) + held
        tenant.held_counted_at = now
        if bucket >= HEAVY and self._others_active(tenant, now):
            tenant.turn_at = max(tenant.turn_at, now) + REST * held

    # -- stage factories for PipelineHooks.add ------------------------------------------------------------

    def gate_stage(self, pipeline: Any, operation: Any) -> Callable[[Any], Awaitable[None] | None] | None:
        return self.gate if operation is not None else None

    def account_stage(self, pipeline: Any, operation: Any) -> Callable[[Any], None] | None:
        return self.account if operation is not None else None
