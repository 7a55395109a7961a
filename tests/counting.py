"""Counting the work a request does (index lookups, random draws, records touched), never timing it.

A counter wraps chosen methods for one test; past its budget it raises, so a loop that would never end fails
the request (a 500) instead of hanging the test run.
"""
from __future__ import annotations

from typing import Any

import pytest


class CallCounter:
    """Counts calls to the methods it wraps since the last `reset()`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, budget: int = 100_000) -> None:
        self.monkeypatch = monkeypatch
        self.budget = budget
        self.calls: dict[str, int] = {}

    def wrap(self, owner: Any, name: str, label: str | None = None) -> CallCounter:
        original = getattr(owner, name)
        label = label or name
        self.calls[label] = 0

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[label] += 1
            if self.calls[label] > self.budget:
                raise RuntimeError(f"{label} called more than {self.budget} times: a runaway loop")
            return original(*args, **kwargs)

        self.monkeypatch.setattr(owner, name, counted)
        return self

    def collection_scans(self) -> CallCounter:
        """Also count reads of a whole store collection: iterating one ("scans") and `Collection.filter`
        ("filters"). A list that reads only an index or a group makes neither."""
        from sandbox.core.store import Collection

        return self.wrap(Collection, "__iter__", "scans").wrap(Collection, "filter", "filters")

    def reset(self) -> None:
        for label in self.calls:
            self.calls[label] = 0

    def __getitem__(self, label: str) -> int:
        return self.calls[label]
