"""The dispatcher: sends due deliveries beside the server, never inside an API request.

- `publish(tenant, events)` turns events into deliveries (`outbox.make_deliveries`) and wakes the loop; it is
  all an API request or control action pays.
- The loop (started and stopped with the app, `lifecycle`) takes due attempts from the tenants with pending
  work and sends them with an aiohttp client: bounded concurrency, a per-attempt timeout, no redirects
  followed. A hang, a reset, a non-2xx answer or a redirect is a failed attempt, recorded; the vendor's retry
  policy schedules the next one on the tenant's clock.
- `settle(tenant)` runs every attempt due now and waits for them: the clock control call uses it, so advancing
  a frozen clock answers after what became due was attempted.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import time
import weakref
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from .events import Event, HostPolicy, VendorWebhooks, inbox_name, reserved_host
from .inbox import Inbox
from .outbox import Attempt, Delivery, make_deliveries

if TYPE_CHECKING:
    from .tenants import Tenant

log = logging.getLogger("sandbox")

CONCURRENCY = 32
MAX_SLEEP = 5.0
MIN_SLEEP = 0.05  # a due attempt held back by its subscription's attempt in flight is retried no sooner
RESPONSE_READ_LIMIT = 64 * 1024
# Connections to a receiver are kept between attempts (a fresh one per attempt doubled an attempt's CPU:
# connect and close), but idle ones only this long: shorter than any common server's idle timeout (2 s and up),
# so the sandbox always closes an idle connection first and never sends on one the receiver is closing, which
# would record a failed attempt the receiver never caused.
KEEPALIVE_S = 1.0
SETTLE_ROUNDS = 100_000  # a bound on settle's loop; each round finishes at least one attempt


class Dispatcher:
    """One per app. `rules` maps a vendor name to its webhooks module."""

    def __init__(self, rules: Mapping[str, VendorWebhooks], inbox: Inbox | None = None,
                 concurrency: int = CONCURRENCY, timeout: float | None = None) -> None:
        self.rules = dict(rules)
        self.inbox = inbox or Inbox()
        self.concurrency = concurrency
        self.timeout = timeout  # overrides every vendor's per-attempt timeout (tests of a hanging receiver)
        self._active: weakref.WeakValueDictionary[str, Tenant] = weakref.WeakValueDictionary()
        self._inflight: dict[str, set[asyncio.Task[None]]] = {}
        self._wake: asyncio.Event | None = None
        self._session: aiohttp.ClientSession | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self._timer: asyncio.TimerHandle | None = None
        self.timers_armed = 0  # how often the loop set its timer (a counting test keeps it off the per-event path)
        self.wakeups = 0  # how often publishing woke the loop

    # -- lifecycle -------------------------------------------------------------------------------

    async def lifecycle(self, app: web.Application) -> AsyncIterator[None]:
        """For `app.cleanup_ctx`: the client session and the loop live as long as the app."""
        loop_task = asyncio.create_task(self._run(), name="webhook-dispatcher")
        try:
            yield
        finally:
            loop_task.cancel()
            tasks = [t for tasks in self._inflight.values() for t in tasks]
            for task in tasks:
                task.cancel()
            await asyncio.gather(loop_task, *tasks, return_exceptions=True)
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._session is not None:
                await self._session.close()
                self._session = None

    def _session_now(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.concurrency, keepalive_timeout=KEEPALIVE_S),
                skip_auto_headers=("Accept", "Accept-Encoding"), auto_decompress=False)
        return self._session

    def _wake_event(self) -> asyncio.Event:
        if self._wake is None:
            self._wake = asyncio.Event()
        return self._wake

    # -- publishing ------------------------------------------------------------------------------

    def listening(self, vendor: str, state: Any) -> bool:
        """Whether an event of `vendor` in this state could make a delivery (`VendorWebhooks.listening`)."""
        rules = self.rules.get(vendor)
        return rules is not None and rules.listening(state)

    def publish(self, tenant: Tenant, events: Iterable[Event]) -> list[Delivery]:
        """Deliveries for `events` into the tenant's outbox; the loop sends them."""
        by_vendor: dict[str, list[Event]] = {}
        for event in events:
            by_vendor.setdefault(event.vendor, []).append(event)
        made: list[Delivery] = []
        readied = tenant.outbox.readied
        for vendor, vendor_events in by_vendor.items():
            rules = self.rules.get(vendor)
            if rules is not None:
                made += make_deliveries(tenant, rules, vendor_events)
        if tenant.outbox.readied != readied:
            # Only an idle subscription's new first attempt needs the loop now; one queued behind an attempt
            # in flight goes when that attempt finishes (which wakes the loop), so a flood of events for a slow
            # receiver wakes nothing.
            self.wake(tenant)
        return made

    def publish_staged(self, tenant: Tenant) -> None:
        """What a control action staged (`events.stage_event`), once it has succeeded."""
        events = tenant.outbox.staged.take()
        if events:
            self.publish(tenant, events)

    def wake(self, tenant: Tenant) -> None:
        self.wakeups += 1
        self._active[tenant.id] = tenant
        self._wake_event().set()

    # -- sending ---------------------------------------------------------------------------------

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        wake = self._wake_event()
        while True:
            wake.clear()
            self._arm_timer(loop, self._start_due())
            await wake.wait()

    def _start_due(self) -> float:
        """Start what is due in every tenant with pending work; how long the loop may sleep (MAX_SLEEP at most)."""
        sleep_for = MAX_SLEEP
        for tenant_id, tenant in list(self._active.items()):
            now = tenant.clock.timestamp()
            self._start(tenant, tenant.outbox.take_due(now))
            if not tenant.outbox.has_pending() and not self._inflight.get(tenant_id):
                self._active.pop(tenant_id, None)
                continue
            due = tenant.outbox.next_due()
            if due is not None and (not tenant.clock.frozen or due <= now):
                sleep_for = min(sleep_for, max(due - now, MIN_SLEEP))
        return sleep_for

    def _arm_timer(self, loop: asyncio.AbstractEventLoop, sleep_for: float) -> None:
        """One timer for the loop's next look, kept while it fires soon enough: a wake-up (an event published,
        an attempt finished) costs no timer of its own."""
        deadline = loop.time() + sleep_for
        timer = self._timer
        if timer is not None and not timer.cancelled() and loop.time() < timer.when() <= deadline:
            return
        if timer is not None:
            timer.cancel()
        self._timer = loop.call_at(deadline, self._timer_fired)
        self.timers_armed += 1

    def _timer_fired(self) -> None:
        self._timer = None
        self._wake_event().set()

    def _start(self, tenant: Tenant, deliveries: list[Delivery]) -> None:
        if not deliveries:
            return
        self._active[tenant.id] = tenant  # a tenant with attempts in flight is looked at when they finish
        running = self._inflight.setdefault(tenant.id, set())
        done = functools.partial(self._finished, tenant.id)
        for delivery in deliveries:
            task = asyncio.create_task(self._attempt(tenant, delivery))
            running.add(task)
            task.add_done_callback(done)

    def _finished(self, tenant_id: str, task: asyncio.Task[None]) -> None:
        running = self._inflight.get(tenant_id)
        if running is not None:
            running.discard(task)
            if not running:
                del self._inflight[tenant_id]
        if not task.cancelled() and task.exception() is not None:
            log.error("webhook attempt failed inside the sandbox", exc_info=task.exception())
        self._wake_event().set()

    async def settle(self, tenant: Tenant) -> None:
        """Attempt everything due on the tenant's clock now, and wait until those attempts (and any attempt
        already in flight for the tenant) are done."""
        for _ in range(SETTLE_ROUNDS):
            self._start(tenant, tenant.outbox.take_due(tenant.clock.timestamp()))
            running = self._inflight.get(tenant.id)
            if not running:
                return
            await asyncio.wait(set(running), return_when=asyncio.FIRST_COMPLETED)


    async def _attempt(self, tenant: Tenant, delivery: Delivery) -> None:
        outbox = tenant.outbox
        rules = self.rules[delivery.vendor]
        state = tenant.states.get(delivery.vendor)
        try:
            if delivery.state != "pending":
                return
            if not rules.is_active(state, delivery.subscription_id):
                delivery.state, delivery.next_attempt = "failed", None
                delivery.reason = f"subscription {delivery.subscription_id} is inactive or was deleted"
                return
            refusal = target_refusal(rules, delivery.request.url, outbox.hosts)
            if refusal is None and reserved_host(delivery.request.url):
                refusal = "the host is a reserved example name (RFC 2606): the sandbox never sends to it"
            if refusal is not None:
                delivery.suppress(refusal)
                return
            at = tenant.clock.timestamp()
            headers = {**delivery.request.headers, **rules.sign(delivery.request.body, delivery.secret, int(at))}
            delivery.sent_headers = headers
            timeout = self.timeout if self.timeout is not None else rules.POLICY.timeout
            status, error, duration_ms = await self._send(delivery, headers, timeout)
            delivery.attempts.append(Attempt(at, status, error, duration_ms))
            policy = rules.POLICY
            if status is not None and 200 <= status < 300 and error is None:
                delivery.state, delivery.next_attempt = "delivered", None
                rules.record_outcome(state, delivery.subscription_id, True)
            elif delivery.retries_used < len(policy.delays):
                outbox.schedule(delivery, at + policy.delays[delivery.retries_used])
                delivery.retries_used += 1
            else:
                delivery.state, delivery.next_attempt = "failed", None
                rules.record_outcome(state, delivery.subscription_id, False)
        finally:
            outbox.release(delivery)

    async def _send(self, delivery: Delivery, headers: dict[str, str],
                    timeout: float) -> tuple[int | None, str | None, int]:
        request = delivery.request
        name = inbox_name(request.url)
        if name is not None:
            parts = urlsplit(request.url)
            self.inbox.store(name, request.method, parts.path, parts.query, headers, request.body)
            return 200, None, 0
        started = time.perf_counter()
        status: int | None = None
        error: str | None = None
        try:
            async with self._semaphore_now(), self._session_now().request(
                    request.method, request.url, data=request.body or None, headers=headers,
                    allow_redirects=False, timeout=aiohttp.ClientTimeout(total=timeout)) as response:
                status = response.status
                await response.content.read(RESPONSE_READ_LIMIT)
                if 300 <= status < 400:
                    error = f"redirect to {response.headers.get('Location', '?')} (not followed)"
        except TimeoutError:
            error = f"timeout: no answer within {timeout:g} s"
        except aiohttp.ClientError as exc:
            error = f"{type(exc).__name__}: {exc}"
        except (OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        return status, error, round((time.perf_counter() - started) * 1000)

    def _semaphore_now(self) -> asyncio.Semaphore:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.concurrency)
        return self._semaphore

    async def redeliver(self, tenant: Tenant, delivery: Delivery) -> None:
        """Send a delivery again now, with a fresh retry budget; answers when that attempt is done."""
        delivery.state, delivery.reason, delivery.retries_used = "pending", None, 0
        tenant.outbox.schedule(delivery, tenant.clock.timestamp())
        self.wake(tenant)
        await self.settle(tenant)


DISPATCHER: web.AppKey[Dispatcher] = web.AppKey("webhook_dispatcher", Dispatcher)


def target_refusal(rules: VendorWebhooks, url: str, hosts: HostPolicy) -> str | None:
    """Why the sandbox will not send to `url`: the inbox is always allowed, else the vendor's rule."""
    if inbox_name(url) is not None:
        return None
    return rules.target_refusal(url, hosts)
