"""The loop watchdog logs a stall over its threshold once, with the stack of what blocks the loop; a fake clock
drives it, so nothing here depends on timing."""
from __future__ import annotations

import threading

from aiohttp.test_utils import TestClient

from sandbox.core.watchdog import LoopWatchdog


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def blocking_function_for_the_stack(dog: LoopWatchdog, clock: FakeClock) -> bool:
    clock.now += 1.5  # the loop has not beaten for 1.5 s
    return dog.check()  # in a real stall another thread calls this; here the "loop thread" is this one


def test_a_stall_over_the_threshold_is_logged_once_with_the_blocking_stack() -> None:
    clock, reports = FakeClock(), []
    dog = LoopWatchdog(threading.get_ident(), threshold=1.0, clock=clock, report=reports.append)
    assert blocking_function_for_the_stack(dog, clock) is True
    assert len(reports) == 1
    assert reports[0].startswith("event loop blocked for over 1.5s (threshold 1.0s); what it is running:\n")
    assert "blocking_function_for_the_stack" in reports[0]
    clock.now += 5
    assert dog.check() is False and len(reports) == 1  # the same stall: logged once
    dog.beat()
    assert dog.check() is False  # the loop is back
    clock.now += 2
    assert dog.check() is True and dog.stalls == 2  # a new stall


def test_no_report_within_the_threshold() -> None:
    clock, reports = FakeClock(), []
    dog = LoopWatchdog(threading.get_ident(), threshold=1.0, clock=clock, report=reports.append)
    clock.now += 1.0
    assert dog.check() is False and reports == []


async def test_the_app_starts_and_stops_its_watchdog(client: TestClient) -> None:
    assert sum(t.name == "sandbox-loop-watchdog" for t in threading.enumerate()) >= 1
    response = await client.get("/_sandbox/health")
    assert response.status == 200
    await client.close()
    assert not any(t.name == "sandbox-loop-watchdog" and t.is_alive() for t in threading.enumerate())
