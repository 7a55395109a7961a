"""Fixed windows on the tenant clock."""
from __future__ import annotations

from sandbox.core.ratelimit import Limit, RateLimiter

MINUTE = Limit("minute", 3, 60)


def test_counts_down_then_refuses_until_the_window_ends() -> None:
    limiter = RateLimiter()
    decisions = [limiter.hit("k", MINUTE, now=120.0) for _ in range(4)]
    assert [(d.allowed, d.remaining) for d in decisions] == [(True, 2), (True, 1), (True, 0), (False, 0)]
    assert decisions[-1].reset_at == 180 and decisions[-1].retry_after == 60
    assert limiter.hit("k", MINUTE, now=179.5).retry_after == 1
    assert limiter.hit("k", MINUTE, now=180.0).allowed


def test_keys_and_buckets_are_separate() -> None:
    limiter = RateLimiter()
    for _ in range(3):
        limiter.hit("a", MINUTE, now=0)
    assert not limiter.hit("a", MINUTE, now=0).allowed
    assert limiter.hit("b", MINUTE, now=0).allowed
    assert limiter.hit("a", Limit("other", 3, 60), now=0).allowed


def test_check_refuses_on_any_bucket_and_then_counts_nothing() -> None:
    limiter = RateLimiter()
    tight = Limit("invite", 1, 60)
    assert limiter.check("k", [MINUTE, tight], now=0).allowed
    refused = limiter.check("k", [MINUTE, tight], now=0)
    assert (refused.allowed, refused.bucket) == (False, "invite")
    assert limiter.check("k", [MINUTE], now=0).remaining == 1  # the refused call took nothing from "minute"


def test_check_reports_the_tightest_bucket() -> None:
    limiter = RateLimiter()
    decision = limiter.check("k", [MINUTE, Limit("invite", 10, 60)], now=0)
    assert (decision.bucket, decision.remaining) == ("minute", 2)


def test_not_enforced_counts_but_never_refuses() -> None:
    limiter = RateLimiter()
    decisions = [limiter.check("k", [MINUTE], now=0, enforce=False) for _ in range(5)]
    assert all(d.allowed for d in decisions) and decisions[-1].remaining == 0
