"""A tenant's clock: real time plus an offset, or frozen. Tests move it instead of sleeping."""
from __future__ import annotations

import math
import time
from datetime import UTC, datetime

from .errors import ApiError

# Every instant a clock may hold: years 1 to 9999, all that datetime (and so every formatted timestamp) can show.
EARLIEST = datetime(1, 1, 1, tzinfo=UTC).timestamp()
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()


class ClockOutOfRange(ApiError):
    """A move that would take a clock outside years 1-9999: the caller's bad input (400), and nothing moved."""

    def __init__(self, message: str) -> None:
        super().__init__(400, "clock_out_of_range", message)


def _in_range(seconds: float) -> bool:
    return math.isfinite(seconds) and EARLIEST <= seconds <= LATEST


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant ('Z' or an offset; a bare date is midnight UTC) into an aware UTC datetime."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:  # 0001-01-01T00:00:00+05:00 is in year 0 in UTC, which datetime cannot hold
        raise ValueError(f"{text!r} is out of range in UTC") from exc


def format_instant(moment: datetime) -> str:
    """ISO-8601 UTC to the second with a Z suffix: 2026-04-12T06:58:07Z."""
    # Not strftime("%Y"): it does not pad years before 1000 on every platform ("620-06-13T...").
    m = moment.astimezone(UTC)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"


_last_second: tuple[int, str] = (0, "1970-01-01T00:00:00Z")  # the last second format_timestamp wrote


def format_timestamp(seconds: float) -> str:
    """format_instant of seconds since the epoch, truncated to the second.

    Writes stamp their records with the current second, so the last second's text is kept and reused.
    """
    global _last_second
    whole = math.floor(seconds)
    if _last_second[0] != whole:
        _last_second = (whole, format_instant(datetime.fromtimestamp(whole, tz=UTC)))
    return _last_second[1]


class Clock:
    """Real time shifted by an offset, or a frozen instant. Both can be advanced or set."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._frozen: float | None = frozen_at.timestamp() if frozen_at else None
        self._offset = 0.0

    @classmethod
    def from_setting(cls, setting: str) -> Clock:
        """Build from the `--clock` flag: `real` or `frozen:<ISO-8601>`."""
        if setting == "real":
            return cls()
        if setting.startswith("frozen:"):
            return cls(parse_instant(setting[len("frozen:"):]))
        raise ValueError(f"clock must be 'real' or 'frozen:<ISO-8601>', not {setting!r}")

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def timestamp(self) -> float:
        """Seconds since the epoch, on this clock."""
        if self._frozen is not None:
            return self._frozen
        now = time.time() + self._offset
        if EARLIEST <= now <= LATEST:  # the usual case, without two builtin calls (one read a request, at least)
            return now
        # A real clock set to the last second of 9999 keeps running: it stops there rather than break every read.
        return min(max(now, EARLIEST), LATEST)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=UTC)

    def state(self) -> dict[str, float | None]:
        """What a snapshot keeps: the frozen instant (or None for real time) and the offset."""
        return {"frozen_at": self._frozen, "offset": self._offset}

    @staticmethod
    def check_state(state: object) -> tuple[float | None, float]:
        """The (frozen_at, offset) of a snapshot's clock, or ValueError naming the field that is wrong."""
        if not isinstance(state, dict) or not {"frozen_at", "offset"} <= set(state):
            raise ValueError("clock must be an object with frozen_at and offset")
        frozen, offset = state["frozen_at"], state["offset"]
        for name, value in (("frozen_at", frozen), ("offset", offset)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ValueError(f"clock.{name} must be a number of seconds, not {value!r}")
        if frozen is not None and not _in_range(frozen):
            raise ValueError(f"clock.frozen_at {frozen!r} is outside years 1-9999")
        offset = float(offset or 0.0)
        if frozen is None and not _in_range(time.time() + offset):
            raise ValueError(f"clock.offset {offset!r} puts the clock outside years 1-9999")
        return None if frozen is None else float(frozen), offset

    def load_state(self, state: dict[str, float | None]) -> None:
        """Take a snapshot's clock; ValueError (and no change) if it is malformed or outside years 1-9999."""
        self._frozen, self._offset = self.check_state(state)

    def advance(self, seconds: float) -> None:
        """Move forward (or back, for a negative number); ClockOutOfRange if that leaves years 1-9999."""
        target = self.timestamp() + seconds
        if not _in_range(target):
            raise ClockOutOfRange(f"advancing by {seconds!r} seconds would take the clock outside years 1-9999")
        if self._frozen is not None:
            self._frozen = target
        else:
            self._offset += seconds

    def set(self, moment: datetime) -> None:
        """Jump to an instant (an aware datetime always lies within years 1-9999)."""
        target = moment.timestamp()
        if not _in_range(target):
            raise ClockOutOfRange(f"{moment!r} is outside years 1-9999")
        if self._frozen is not None:
            self._frozen = target
        else:
            self._offset = target - time.time()

    def freeze(self, moment: datetime | None = None) -> None:
        """Stop the clock at `moment`, or at the instant it shows now."""
        target = self.timestamp() if moment is None else moment.timestamp()
        if not _in_range(target):
            raise ClockOutOfRange(f"{moment!r} is outside years 1-9999")
        self._frozen = target

    def unfreeze(self) -> None:
        """Let the clock run again from the instant it shows (no jump back to real time)."""
        if self._frozen is not None:
            self._offset = self._frozen - time.time()
            self._frozen = None
