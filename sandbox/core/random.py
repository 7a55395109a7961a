"""Seeded random sources: every id and generated value comes from one of a tenant's streams.

A tenant has one independent stream per vendor (and per purpose: webhook deliveries, faults, ...), each seeded
from the tenant's seed and the stream's name through a stable hash, so one vendor's calls never shift the ids
another vendor draws.
"""
from __future__ import annotations

import functools
import hashlib
import random as _random
import string
from collections.abc import Sequence
from typing import Any

NANOID_ALPHABET = string.ascii_letters + string.digits + "_-"
ALPHANUMERIC = string.ascii_letters + string.digits
_NANOID_TABLE = bytes(ord(NANOID_ALPHABET[b & 63]) for b in range(256))


@functools.lru_cache(maxsize=64)
def _symbol_tables(alphabet: str) -> tuple[bytes, bytes] | None:
    """For an ASCII alphabet of 1-256 symbols that takes at least 3 tries in 4: the `bytes.translate` table from a
    word's top byte to its symbol, and the top bytes whose index is past the alphabet (refused tries). None for any
    other alphabet: with more refusals, the rounds cost more than drawing one by one (36 symbols: 1.25 µs against
    0.57 for six; 62 symbols: 0.79 against 1.17 for 24)."""
    count = len(alphabet)
    if not 0 < count <= 256 or not alphabet.isascii() or count * 4 < 3 << count.bit_length():
        return None
    shift = 8 - count.bit_length()
    symbols = bytes(ord(alphabet[top >> shift]) if top >> shift < count else 0 for top in range(256))
    refused = bytes(top for top in range(256) if top >> shift >= count)
    return symbols, refused


def derive_seed(seed: int, *names: str) -> int:
    """A seed for the stream `names` of `seed`: stable across runs and Python versions (not `hash()`)."""
    text = "\x1f".join([str(seed), *names]).encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big")


def new_stream(seed: int, name: str) -> RandomSource:
    """A tenant's stream at its start: `name` is "vendor" or "vendor/purpose" (`Tenant.streams`' keys)."""
    return RandomSource(derive_seed(seed, *name.split("/")))


class RandomSource:
    """Deterministic for a given seed; Faker is created only when first asked for (it is slow to import)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._rng = _random.Random(seed)
        self._faker: Any = None

    @classmethod
    def resumed(cls, seed: int, position: tuple) -> RandomSource:
        """The source of `seed` at `position` (a `position()`), without seeding it first: a copy's stream."""
        source = cls.__new__(cls)
        source.seed = seed
        source._rng = _random.Random.__new__(_random.Random)
        source._rng.setstate(position)
        source._faker = None
        return source

    def position(self) -> tuple:
        """The generator's position as `random.Random.getstate` gives it (immutable; see `resumed`)."""
        return self._rng.getstate()

    def state(self) -> list:
        """The generator's position, as JSON-able lists (Faker, if created, restarts from the seed)."""
        version, internal, gauss = self._rng.getstate()
        return [version, list(internal), gauss]

    def load_state(self, state: list) -> None:
        version, internal, gauss = state
        self._rng.setstate((version, tuple(internal), gauss))

    def nanoid(self, size: int = 21, alphabet: str = NANOID_ALPHABET) -> str:
        if alphabet == NANOID_ALPHABET:
            # 64 symbols: each random byte's low six bits pick one, uniformly; one call instead of `size`.
            return self._rng.randbytes(size).translate(_NANOID_TABLE).decode("ascii")
        tables = _symbol_tables(alphabet)
        if tables is None:
            return self._drawn_one_by_one(size, alphabet)
        # `random.choice` once per symbol draws one 32-bit word per try and keeps its top `bits` bits, refusing an
        # index past the alphabet. `randbytes(4 * n)` is n such words, each little-endian: byte 4i + 3 is the top
        # of word i, so one call draws n tries and `translate` keeps the accepted ones as symbols, in order. Never
        # more tries than symbols still wanted: the same words as one by one, so the same text and position.
        # Each try is accepted with probability over 1/2: the loop ends with probability 1, as random's does.
        symbols, refused = tables
        randbytes, drawn = self._rng.randbytes, b""
        while len(drawn) < size:
            drawn += randbytes(4 * (size - len(drawn)))[3::4].translate(symbols, refused)
        return drawn.decode("ascii")

    def _drawn_one_by_one(self, size: int, alphabet: str) -> str:
        """`random.choice` once per symbol, inlined (an alphabet `_symbol_tables` does not take)."""
        getrandbits, count = self._rng.getrandbits, len(alphabet)
        bits = count.bit_length()
        out = []
        for _ in range(size):
            index = getrandbits(bits)
            while index >= count:  # rejection sampling as random._randbelow does: ends with probability 1
                index = getrandbits(bits)
            out.append(alphabet[index])
        return "".join(out)

    def token(self, size: int, alphabet: str = ALPHANUMERIC) -> str:
        return self.nanoid(size, alphabet)

    def hex(self, nbytes: int) -> str:
        return self._rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()

    def uuid(self) -> str:
        raw = bytearray(self._rng.getrandbits(128).to_bytes(16, "big"))
        raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
        raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = raw.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def digits(self, size: int) -> str:
        return self.nanoid(size, string.digits)

    def integer(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)

    def uniform(self, low: float, high: float) -> float:
        return self._rng.uniform(low, high)

    def choice(self, options: Sequence[Any]) -> Any:
        return self._rng.choice(options)

    @property
    def faker_started(self) -> bool:
        """Whether `faker` was made: its position is not part of `state()`."""
        return self._faker is not None

    @property
    def faker(self) -> Any:
        if self._faker is None:
            from faker import Faker

            self._faker = Faker()
            self._faker.seed_instance(self.seed)
        return self._faker
