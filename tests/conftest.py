"""Shared fixtures: an in-process sandbox on a frozen clock with strict response checking."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient

from sandbox import Settings, create_app

FROZEN_AT = "2026-06-15T12:00:00Z"


def test_settings(**changes: Any) -> Settings:
    """Settings every test starts from: frozen clock, seed 0, strict responses (a spec mismatch is a 500)."""
    return Settings(clock=f"frozen:{FROZEN_AT}", seed=0, strict_responses=True).with_(**changes)


@pytest.fixture
def make_client(aiohttp_client: Callable[..., Awaitable[TestClient]]) -> Callable[..., Awaitable[TestClient]]:
    """`await make_client(**settings_changes)` gives a client on a fresh app."""

    async def make(**changes: Any) -> TestClient:
        return await aiohttp_client(create_app(test_settings(**changes)))

    return make


@pytest.fixture
async def client(make_client: Callable[..., Awaitable[TestClient]]) -> TestClient:
    return await make_client()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "generic: a spec-driven test that hits every operation alike; it does not "
                                       "count towards an operation's tests in docs/coverage.md")
