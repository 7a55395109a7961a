"""Symbol draws from an alphabet that is not 64 symbols: the same text and stream position as `random.choice`
once per symbol (the seeded ids that fixtures and determinism tests pin must not move)."""
from __future__ import annotations

import random
import string

import pytest

from sandbox.core.random import ALPHANUMERIC, RandomSource


@pytest.mark.parametrize("alphabet", [ALPHANUMERIC, string.digits, string.ascii_uppercase + string.digits, "ab", "a"])
def test_a_draw_matches_random_choice_symbol_for_symbol(alphabet: str) -> None:
    source, reference = RandomSource(42), random.Random(42)
    for size in (1, 6, 24, 100):
        assert source.nanoid(size, alphabet) == "".join(reference.choice(alphabet) for _ in range(size))
    assert source.position() == reference.getstate()
