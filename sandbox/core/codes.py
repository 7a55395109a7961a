"""Generated codes that cannot run out: a base plus a decimal suffix from a space that widens as it fills.

Two faults this module exists to rule out: a draw from a small space that loops forever once the space is full
(`JANE` + two digits has 90 codes), and a search for a free code that walks through every code already taken
(`jane`, `jane1`, `jane2`, ...), whose cost grows with the records stored. Every function here does a bounded
number of draws and lookups, whatever the store holds; the caller keeps, per base, a count of the codes of each
suffix width (a running `Total` in its collection), so choosing where to draw is a lookup, not a scan.
"""
from __future__ import annotations

from collections.abc import Callable

from .errors import ApiError
from .random import RandomSource

MIN_WIDTH = 2
MAX_WIDTH = 18  # ten-to-the-seventeen codes per base: the way out is never reached in practice
TRIES_PER_WIDTH = 8  # at most half the width's codes are taken, so all eight miss with odds below 1 in 256
NEXT_NUMBER_TRIES = 4  # consecutive numbers tried before falling back to a random draw

Taken = Callable[[str], bool]


def capacity(width: int) -> int:
    """How many suffixes of exactly `width` digits there are (no leading zero): 90 for two digits."""
    return 9 * 10 ** (width - 1)


def suffix_width(suffix: str) -> int | None:
    """The width a suffix counts under: its length if it is a number without a leading zero, else None."""
    if suffix.isdigit() and suffix.isascii() and suffix[0] != "0":
        return len(suffix)
    return None


def roomy_width(count: Callable[[int], float], min_width: int = MIN_WIDTH, max_width: int = MAX_WIDTH) -> int:
    """The narrowest width whose suffixes are less than half taken (`count(width)` says how many are)."""
    for width in range(min_width, max_width):
        if count(width) * 2 < capacity(width):
            return width
    return max_width


class CodeSpaceExhausted(ApiError):
    """Every draw missed up to the widest suffix: practically unreachable, and a clear 400 rather than a hang."""

    def __init__(self, what: str, base: str) -> None:
        super().__init__(400, "code_space_exhausted",
                         f"No free {what} could be generated for {base!r}; send one in the request")


def draw_suffixed(random: RandomSource, base: str, taken: Taken, what: str, start_width: int = MIN_WIDTH,
                  max_width: int = MAX_WIDTH, tries: int = TRIES_PER_WIDTH) -> str:
    """`base` and a random number of `start_width` digits that is not `taken`, widening after `tries` misses.

    At most `tries` draws and lookups per width, and at most `max_width - start_width + 1` widths."""
    for width in range(start_width, max_width + 1):
        low, high = 10 ** (width - 1), 10 ** width - 1
        for _ in range(tries):
            candidate = f"{base}{random.integer(low, high)}"
            if not taken(candidate):
                return candidate
    raise CodeSpaceExhausted(what, base)


def next_numbered(random: RandomSource, base: str, taken: Taken, family_size: int, what: str,
                  tries: int = NEXT_NUMBER_TRIES) -> str:
    """`base`, else `base` + the family's size (jane, jane1, jane2, ...) and the few numbers after it.

    `family_size` is how many codes of the form base / base + number are stored, kept as a running total by the
    caller. When those few are taken too (codes set by hand), a random suffix one digit wider than the last
    number tried, from a widening space."""
    if family_size == 0 and not taken(base):
        return base
    start = max(family_size, 1)
    for number in range(start, start + tries):
        candidate = f"{base}{number}"
        if not taken(candidate):
            return candidate
    return draw_suffixed(random, base, taken, what, start_width=len(str(start + tries)) + 1)


def draw_token(random: RandomSource, size: int, alphabet: str, taken: Taken, what: str, prefix: str = "",
               tries: int = TRIES_PER_WIDTH, max_extra: int = 8) -> str:
    """`prefix` and `size` random symbols of `alphabet`, not `taken`: one symbol longer after `tries` misses.

    For ids and codes from a space large enough that a miss is rare but not impossible (36^6 encoded values,
    10^10 order numbers): a collision costs a redraw, never a duplicate, and the draws are bounded."""
    for length in range(size, size + max_extra + 1):
        for _ in range(tries):
            candidate = prefix + random.token(length, alphabet)
            if not taken(candidate):
                return candidate
    raise CodeSpaceExhausted(what, prefix)
