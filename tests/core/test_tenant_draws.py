"""Tenant ids and keys are drawn until unused, a bounded number of times: a clear 503, never a hang."""
from __future__ import annotations

import pytest

from sandbox.config import Settings
from sandbox.core.errors import ApiError
from sandbox.core.fixtures import FixtureSet
from sandbox.core.tenants import TenantOptions, TenantRegistry
from sandbox.vendors.linkjolt import LinkJolt

from ..counting import CallCounter


def test_a_taken_id_is_redrawn_and_the_draws_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    reg = TenantRegistry([LinkJolt()], FixtureSet(Settings().fixtures), TenantOptions())
    first = reg.create()
    monkeypatch.setattr(reg._ids, "token", lambda size, alphabet=None: first.id[2:])  # every draw the same
    counter = CallCounter(monkeypatch, budget=1000).wrap(reg._ids, "token")
    with pytest.raises(ApiError) as refused:
        reg.create()
    assert refused.value.status == 503 and refused.value.code == "id_space_exhausted"
    assert counter["token"] == TenantRegistry.DRAW_TRIES and len(reg) == 2  # nothing made
