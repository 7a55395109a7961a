"""Symbol draws from an alphabet that is not 64 symbols: the same text and stream position as `random.choice`
once per symbol (the seeded ids that fixtures and determinism tests pin must not move)."""
from __future__ import annotations

import random
import string

import pytest

from sandbox.core.random import ALPHANUMERIC, RandomSource

PRINTABLE = "".join(chr(c) for c in range(32, 127))
# In rounds: 62 symbols (six bits a try), 7 (three bits), 250 (eight bits). One by one: 10, 36, 2, 1 (more refused
# tries), and an alphabet that is not ASCII.
ALPHABETS = [ALPHANUMERIC, "abcdefg", (PRINTABLE * 3)[:250],
             string.digits, string.ascii_uppercase + string.digits, "ab", "a", "αβγδε"]


@pytest.mark.parametrize("alphabet", ALPHABETS)
@pytest.mark.parametrize("seed", [42, 7, 2**63])
def test_a_draw_matches_random_choice_symbol_for_symbol(alphabet: str, seed: int) -> None:
    source, reference = RandomSource(seed), random.Random(seed)
    for size in (0, 1, 6, 24, 100, 3):
        assert source.nanoid(size, alphabet) == "".join(reference.choice(alphabet) for _ in range(size))
        assert source.position() == reference.getstate()  # not one word more or fewer
