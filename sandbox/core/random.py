"""Seeded random sources: every id and generated value comes from one of a tenant's streams.

A tenant has one independent stream per vendor (and per purpose: webhook deliveries, faults, ...), each seeded
from the tenant's seed and the stream's name through a stable hash, so one vendor's calls never shift the ids
another vendor draws.
"""
from __future__ import annotations

import hashlib
import random as _random
import string
from collections.abc import Sequence
from typing import Any

NANOID_ALPHABET = string.ascii_letters + string.digits + "_-"
ALPHANUMERIC = string.ascii_letters + string.digits
_NANOID_TABLE = bytes(ord(NANOID_ALPHABET[b & 63]) for b in range(256))


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
        return "".join(self._rng.choice(alphabet) for _ in range(size))

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
    def faker(self) -> Any:
        if self._faker is None:
            from faker import Faker

            self._faker = Faker()
            self._faker.seed_instance(self.seed)
        return self._faker
