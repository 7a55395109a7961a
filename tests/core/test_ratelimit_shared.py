"""RateLimiter: per-key windows (the default) and tenant-wide windows shared by every key."""
from __future__ import annotations

from sandbox.core.ratelimit import Limit, RateLimiter


def test_per_key_buckets_count_each_key_apart() -> None:
    limiter, limit = RateLimiter(), Limit("minute", 1, 60)
    assert limiter.check("a", [limit], 0).allowed
    assert limiter.check("b", [limit], 0).allowed
    assert not limiter.check("a", [limit], 1).allowed


def test_shared_bucket_is_one_window_for_every_key() -> None:
    limiter, limit = RateLimiter(), Limit("network", 2, 30, per_key=False)
    assert limiter.check("a", [limit], 0).remaining == 1
    assert limiter.check("b", [limit], 1).remaining == 0
    refused = limiter.check("c", [limit], 2)
    assert (refused.allowed, refused.retry_after, refused.reset_at) == (False, 28, 30)
    assert limiter.check("a", [limit], 30).allowed  # the next window starts empty
