"""Fair shares: a tenant's heavy requests rest while another tenant is active; nothing else ever waits.

Time is a fake clock the test moves, so the waits are computed and counted, never measured."""
from __future__ import annotations

from typing import Any

import pytest

from sandbox.core import fairness
from sandbox.core.fairness import FairShare


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []
        self.meanwhile: Any = None  # called with the new time after each sleep: what other tenants did


    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds
        if self.meanwhile is not None:
            self.meanwhile(self.now)


class Tenant:
    def __init__(self) -> None:
        self.turn_at = 0.0
        self.held_recently = 0.0
        self.held_counted_at = 0.0


class Exchange:
    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant


class Served(Exchange):
    """A request of `tenant` that took the loop at `at` and was answered at once."""

    def __init__(self, tenant: Tenant, at: float) -> None:
        super().__init__(tenant)
        self.took_loop_at = at


async def request(fair: FairShare, clock: Clock, tenant: Tenant, held: float) -> Exchange:
    ex = Exchange(tenant)
    pending = fair.gate(ex)  # a plain stage: an awaitable only when the tenant must wait
    if pending is not None:
        await pending
    clock.now += held  # the request holds the loop this long
    fair.account(ex)
    return ex


async def test_a_tenant_alone_never_waits_however_heavy() -> None:
    clock = Clock()
    fair, big = FairShare(clock, clock.sleep), Tenant()
    for _ in range(5):
        await request(fair, clock, big, 0.005)
    assert clock.slept == [] and fair.rests == 0


async def test_a_heavy_tenant_rests_while_another_is_active_and_the_light_one_never_does() -> None:
    clock = Clock()
    fair, big, small = FairShare(clock, clock.sleep), Tenant(), Tenant()
    await request(fair, clock, small, 0.0002)
    await request(fair, clock, big, 0.004)  # heavy, the small tenant active: rests REST x 4 ms
    assert big.turn_at == pytest.approx(clock.now + fairness.REST * 0.004)
    await request(fair, clock, small, 0.0002)  # the small tenant goes at once
    assert clock.slept == []
    # the small tenant keeps being served: the big one waits its whole rest, in steps
    clock.meanwhile = lambda now: fair.account(Served(small, now))
    await request(fair, clock, big, 0.004)
    assert sum(clock.slept) == pytest.approx(fairness.REST * 0.004 - 0.0002) and fair.rests == 1
    assert small.turn_at == 0.0


async def test_a_rest_ends_once_no_other_tenant_asks() -> None:
    clock = Clock()
    fair, big, small = FairShare(clock, clock.sleep), Tenant(), Tenant()
    await request(fair, clock, small, 0.0002)
    await request(fair, clock, big, 0.010)  # a rest of 30 ms is due
    await request(fair, clock, big, 0.0)  # nobody else came: it goes on after IDLE
    assert clock.slept == [pytest.approx(fairness.IDLE)] and fair.rests == 1  # the loop was idle that long


async def test_a_wait_is_bounded() -> None:
    clock = Clock()
    fair, big, small = FairShare(clock, clock.sleep), Tenant(), Tenant()
    await request(fair, clock, small, 0.0002)
    big.turn_at = clock.now + 60.0  # far away (a bad turn must not hold a request for a minute)
    clock.meanwhile = lambda now: fair.account(Served(small, now))  # and the small tenant busy all along
    ex: Any = await request(fair, clock, big, 0.0)
    assert sum(clock.slept) == pytest.approx(fairness.MAX_WAIT)
    assert ex.took_loop_at == pytest.approx(100.0002 + fairness.MAX_WAIT)


async def test_another_tenant_long_gone_is_not_active() -> None:
    clock = Clock()
    fair, big, small = FairShare(clock, clock.sleep), Tenant(), Tenant()
    await request(fair, clock, small, 0.0002)
    clock.now += fairness.ACTIVE + 0.1
    await request(fair, clock, big, 0.004)
    assert big.turn_at == 0.0


async def test_light_requests_in_a_crowd_fill_the_bucket_and_rest() -> None:
    """Four clients asking back to back for pages under HEAVY each hold the loop as one heavy client would."""
    clock = Clock()
    fair, crowd, small = FairShare(clock, clock.sleep), Tenant(), Tenant()
    await request(fair, clock, small, 0.0002)
    page = 0.0006
    await request(fair, clock, crowd, page)  # 0.6 ms in the bucket
    await request(fair, clock, crowd, page)  # the next client's page at once: 0.6 - 0.3 leaked + 0.6
    assert crowd.turn_at == 0.0 and crowd.held_recently == pytest.approx(0.0009)
    await request(fair, clock, crowd, page)  # a third: 1.2 ms, full
    assert crowd.turn_at == pytest.approx(clock.now + fairness.REST * page)
    clock.meanwhile = lambda now: fair.account(Served(small, now))
    await request(fair, clock, crowd, page)  # the fourth waits for its turn while the small tenant is served
    assert fair.rests == 1 and sum(clock.slept) == pytest.approx(fairness.REST * page)


async def test_a_client_asking_one_request_after_another_never_fills_the_bucket() -> None:
    """A test suite's pace: each request waits for the last answer, so the loop is the tenant's well under LEAK."""
    clock = Clock()
    fair, suite, other = FairShare(clock, clock.sleep), Tenant(), Tenant()
    await request(fair, clock, other, 0.0002)
    for _ in range(1000):
        await request(fair, clock, suite, 0.0003)
        clock.now += 0.0004  # the client reads the answer and sends the next request
        fair.account(Served(other, clock.now))  # the other tenant stays active
    assert suite.turn_at == 0.0 and fair.rests == 0 and suite.held_recently < fairness.HEAVY


async def test_a_tenant_alone_fills_its_bucket_without_resting() -> None:
    clock = Clock()
    fair, crowd = FairShare(clock, clock.sleep), Tenant()
    for _ in range(10):
        await request(fair, clock, crowd, 0.0006)
    assert crowd.held_recently > fairness.HEAVY and crowd.turn_at == 0.0 and clock.slept == []
