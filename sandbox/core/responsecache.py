"""Rendered GET responses kept until the next write, so a repeated read costs no handler and no JSON encoding.

The pipeline caches a response only when it is fully determined by what the cache key names (the vendor's
operation, the API key and the raw path with its query) and the state of the world: the handler succeeded, no
write happened while it ran, and it read nothing that varies between identical requests (a real clock, the
random source, the request itself or its rate-limit count; `RequestContext.volatile` records such reads).
Rate-limit headers are never cached: the pipeline adds this request's own.

`verify` mode (the test suite runs in it) still answers every request afresh and fails loudly when a cached
entry differs from the fresh answer, so a write that escaped the generation shows up as a test failure.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from .generation import Generation

MODES = ("on", "off", "verify")


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()  # the handler's own headers (a Reply's), never rate-limit ones


class ResponseCache:
    """Entries of one generation, bounded in number and bytes; a new generation or a full cache starts empty."""

    def __init__(self, generation: Generation, max_entries: int = 1024, max_bytes: int = 16 << 20,
                 max_body: int = 256 << 10) -> None:
        self.generation = generation
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_body = max_body
        self._entries: dict[Hashable, CachedResponse] = {}
        self._bytes = 0
        self._generation = generation.current

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> CachedResponse | None:
        current = self.generation.current
        if self._generation != current:
            self._start(current)
            return None
        return self._entries.get(key)

    def put(self, key: Hashable, built_in: int, entry: CachedResponse) -> None:
        """Keep `entry` if the world is still in generation `built_in`, the one its handler ran in."""
        if built_in != self.generation.current or len(entry.body) > self.max_body:
            return
        if self._generation != built_in:
            self._start(built_in)
        if len(self._entries) >= self.max_entries or self._bytes + len(entry.body) > self.max_bytes:
            self._start(built_in)  # simpler than LRU, and a busy cache refills from the next requests
        previous = self._entries.get(key)
        if previous is not None:
            self._bytes -= len(previous.body)
        self._entries[key] = entry
        self._bytes += len(entry.body)

    def _start(self, at: int) -> None:
        self._entries.clear()
        self._bytes = 0
        self._generation = at
