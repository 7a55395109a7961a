"""core.codes: generated codes in a bounded number of draws and lookups, from spaces that widen as they fill."""
from __future__ import annotations

import re
import string

import pytest

from sandbox.core.codes import (
    CodeSpaceExhausted,
    capacity,
    draw_suffixed,
    draw_token,
    next_numbered,
    roomy_width,
    suffix_width,
)
from sandbox.core.random import RandomSource


class Taken:
    """A set of taken codes that counts how often it is asked."""

    def __init__(self, codes: set[str] | None = None, everything: bool = False) -> None:
        self.codes = codes or set()
        self.everything = everything
        self.asked = 0

    def __call__(self, code: str) -> bool:
        self.asked += 1
        return self.everything or code in self.codes


def test_suffix_width_counts_numbers_without_a_leading_zero() -> None:
    assert [suffix_width(s) for s in ("42", "100", "07", "", "4a", "²")] == [2, 3, None, None, None, None]
    assert capacity(2) == 90 and capacity(3) == 900


def test_roomy_width_is_the_narrowest_width_less_than_half_taken() -> None:
    counts = {2: 44}
    assert roomy_width(lambda w: counts.get(w, 0)) == 2
    counts[2] = 45
    assert roomy_width(lambda w: counts.get(w, 0)) == 3
    assert roomy_width(lambda w: capacity(w)) == 18  # everything full: the widest, never a loop


def test_draw_suffixed_widens_after_a_bounded_number_of_misses() -> None:
    taken = Taken({f"JANE{n}" for n in range(10, 100)})  # every two-digit code
    code = draw_suffixed(RandomSource(1), "JANE", taken, "promo_code")
    assert re.fullmatch(r"JANE[1-9]\d\d", code)
    assert 9 <= taken.asked <= 16  # eight misses at two digits, then at most eight at three


def test_draw_suffixed_gives_up_with_a_clear_error_instead_of_looping() -> None:
    taken = Taken(everything=True)
    with pytest.raises(CodeSpaceExhausted) as caught:
        draw_suffixed(RandomSource(1), "JANE", taken, "promo_code", max_width=4)
    assert taken.asked == 3 * 8
    assert (caught.value.status, caught.value.code) == (400, "code_space_exhausted")
    assert "promo_code" in caught.value.message


def test_next_numbered_is_the_base_then_the_family_size() -> None:
    assert next_numbered(RandomSource(1), "jane", Taken(), 0, "ref_code") == "jane"
    assert next_numbered(RandomSource(1), "jane", Taken({"jane"}), 0, "ref_code") == "jane1"
    taken = Taken({"jane", "jane1", "jane2"})
    assert next_numbered(RandomSource(1), "jane", taken, 3, "ref_code") == "jane3"
    assert taken.asked == 1  # one lookup, however many janes there are


def test_next_numbered_falls_back_to_a_random_suffix_when_codes_set_by_hand_are_in_the_way() -> None:
    taken = Taken({"jane", *(f"jane{n}" for n in range(1, 1000))})
    code = next_numbered(RandomSource(1), "jane", taken, 3, "ref_code")
    assert code not in taken.codes and re.fullmatch(r"jane[1-9]\d+", code)
    assert taken.asked <= 4 + 8 * 3  # four numbers in turn; two and three digits all taken; four digits


def test_draw_token_redraws_a_collision_and_lengthens_after_a_bounded_number_of_misses() -> None:
    first = RandomSource(5).token(10, string.digits)
    taken = Taken({"stripe_x_" + first})
    code = draw_token(RandomSource(5), 10, string.digits, taken, "id", prefix="stripe_x_")
    assert taken.asked == 2 and code != "stripe_x_" + first and len(code) == len("stripe_x_") + 10
    tiny = Taken({"A", "B"})
    assert draw_token(RandomSource(5), 1, "AB", tiny, "code") in {"AA", "AB", "BA", "BB"}
    assert tiny.asked == 9
    with pytest.raises(CodeSpaceExhausted):
        draw_token(RandomSource(5), 1, "AB", Taken(everything=True), "code", max_extra=2)
