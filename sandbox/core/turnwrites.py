"""Answers held until the event loop's turn ends, then written together.

In one turn the loop reads every connection that has bytes waiting and calls its `data_received`, which answers
what it can at once (`core.inline`). Writing each answer as soon as it is made puts the kernel's send between one
request's work and the next; on loopback that send is the whole delivery to the client, wake-up included.
Holding the answers and writing them together once the turn's reads are done costs a create about 10 µs less
system time and a few µs less user time under load (bench/NOTES.md, round 9): the sends come in a row, and a
client that has just been woken by one answer is still awake for the next. A held answer waits at most the rest
of its turn: the callback that writes runs before the loop polls for more bytes, and before anything scheduled
later in the turn, so a connection's later writes (aiohttp's own path, woken by a callback) still follow it.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Protocol

log = logging.getLogger("sandbox")

HOLD_LIMIT = 64 * 1024
"""The most a connection holds in one turn (asyncio's and uvloop's default high-water mark for a transport):
an answer that would pass it is written at once, behind what was held, as before."""


class Holder(Protocol):
    def turn_ended(self) -> None:
        """Write what this connection holds (and wait for a drain if that filled its socket)."""


class TurnWrites:
    """The connections of one server that hold answers in the current turn of its loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._holding: list[Holder] = []

    def hold(self, connection: Holder) -> None:
        """`connection` holds its first answer of this turn: it writes it when the turn ends."""
        if not self._holding:
            self._loop.call_soon(self.turn_ended)
        self._holding.append(connection)

    def turn_ended(self) -> None:
        """Every holding connection writes, in the order their first answers were made."""
        holding, self._holding = self._holding, []
        for connection in holding:
            try:
                connection.turn_ended()
            except Exception:  # one connection's failure must not keep the others' answers back
                log.exception("writing the answers held this turn")
