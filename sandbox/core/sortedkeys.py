"""A sorted list of keys with insert and remove by value: sortedcontainers' SortedList when it is installed.

SortedList keeps sublists of about a thousand keys, so an insert at 50,000 keys moves a few kilobytes instead of
the whole list (bench/NOTES.md: about 4.5 µs against 14 µs for `bisect.insort` into one list). The fallback is
that one list, correct and slower.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["SortedKeys"]


class _BisectKeys:
    """One plain sorted list: bisect to find, list.insert / del to change."""

    def __init__(self, keys: Iterable[Any] = ()) -> None:
        self._keys = sorted(keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._keys)

    def __reversed__(self) -> Iterator[Any]:
        return reversed(self._keys)

    def add(self, key: Any) -> None:
        bisect.insort(self._keys, key)

    def remove(self, key: Any) -> None:
        index = bisect.bisect_left(self._keys, key)
        if index == len(self._keys) or self._keys[index] != key:
            raise ValueError(f"{key!r} is not in the order")
        del self._keys[index]


try:
    from sortedcontainers import SortedList as SortedKeys
except ImportError:  # pragma: no cover - the project depends on it; kept so a bare install still works
    SortedKeys = _BisectKeys
