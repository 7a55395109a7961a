"""A tenant's clock: real time plus an offset, or frozen. Tests move it instead of sleeping."""
from __future__ import annotations

import math
import time
from datetime import datetime, timezone


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant ('Z' or an offset; a bare date is midnight UTC) into an aware UTC datetime."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError as exc:  # 0001-01-01T00:00:00+05:00 is in year 0 in UTC, which datetime cannot hold
        raise ValueError(f"{text!r} is out of range in UTC") from exc


def format_instant(moment: datetime) -> str:
    """ISO-8601 UTC to the second with a Z suffix: 2026-04-12T06:58:07Z."""
    # Not strftime("%Y"): it does not pad years before 1000 on every platform ("620-06-13T...").
    m = moment.astimezone(timezone.utc)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"


_last_second: tuple[int, str] = (0, "1970-01-01T00:00:00Z")  # the last second format_timestamp wrote


def format_timestamp(seconds: float) -> str:
    """format_instant of seconds since the epoch, truncated to the second.

    Writes stamp their records with the current second, so the last second's text is kept and reused.
    """
    global _last_second
    whole = math.floor(seconds)
    if _last_second[0] != whole:
        _last_second = (whole, format_instant(datetime.fromtimestamp(whole, tz=timezone.utc)))
    return _last_second[1]


class Clock:
    """Real time shifted by an offset, or a frozen instant. Both can be advanced or set."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._frozen: float | None = frozen_at.timestamp() if frozen_at else None
        self._offset = 0.0

    @classmethod
    def from_setting(cls, setting: str) -> "Clock":
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
        return time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=timezone.utc)

    def state(self) -> dict[str, float | None]:
        """What a snapshot keeps: the frozen instant (or None for real time) and the offset."""
        return {"frozen_at": self._frozen, "offset": self._offset}

    def load_state(self, state: dict[str, float | None]) -> None:
        frozen, offset = state.get("frozen_at"), state.get("offset") or 0.0
        self._frozen = None if frozen is None else float(frozen)
        self._offset = float(offset)

    def advance(self, seconds: float) -> None:
        if self._frozen is not None:
            self._frozen += seconds
        else:
            self._offset += seconds

    def set(self, moment: datetime) -> None:
        if self._frozen is not None:
            self._frozen = moment.timestamp()
        else:
            self._offset = moment.timestamp() - time.time()

    def freeze(self, moment: datetime | None = None) -> None:
        """Stop the clock at `moment`, or at the instant it shows now."""
        self._frozen = self.timestamp() if moment is None else moment.timestamp()

    def unfreeze(self) -> None:
        """Let the clock run again from the instant it shows (no jump back to real time)."""
        if self._frozen is not None:
            self._offset = self._frozen - time.time()
            self._frozen = None
