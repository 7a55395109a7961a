"""Clock: frozen or offset, advanced and set; ISO-8601 parsing."""
from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from sandbox.core.clock import Clock, ClockOutOfRange, format_instant, format_timestamp, parse_instant


def test_frozen_clock_moves_only_when_told() -> None:
    clock = Clock.from_setting("frozen:2026-06-15T12:00:00Z")
    assert clock.frozen and format_instant(clock.now()) == "2026-06-15T12:00:00Z"
    clock.advance(61)
    assert format_instant(clock.now()) == "2026-06-15T12:01:01Z"
    clock.set(parse_instant("2026-01-01T00:00:00Z"))
    assert clock.timestamp() == datetime(2026, 1, 1, tzinfo=UTC).timestamp()


def test_real_clock_set_and_advance_shift_an_offset() -> None:
    clock = Clock.from_setting("real")
    clock.set(parse_instant("2030-01-01T00:00:00Z"))
    assert clock.now().year in (2029, 2030)  # set to the instant, then real time runs on
    before = clock.timestamp()
    clock.advance(3600)
    assert clock.timestamp() - before >= 3600


@pytest.mark.parametrize("text, expected", [
    ("2026-04-12T06:58:07Z", "2026-04-12T06:58:07Z"), ("2026-04-12T08:58:07+02:00", "2026-04-12T06:58:07Z"),
    ("2026-04-12", "2026-04-12T00:00:00Z"), ("2026-04-12T06:58:07.123Z", "2026-04-12T06:58:07Z")])
def test_parse_instant(text: str, expected: str) -> None:
    assert format_instant(parse_instant(text)) == expected


def test_bad_setting() -> None:
    with pytest.raises(ValueError):
        Clock.from_setting("sometimes")


def test_format_instant_pads_years_before_1000() -> None:
    assert format_instant(datetime(620, 6, 13, 6, 38, 18, tzinfo=UTC)) == "0620-06-13T06:38:18Z"


def test_parse_instant_out_of_range_in_utc_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_instant("0001-01-01T00:00:00+05:00")
    with pytest.raises(ValueError, match="out of range"):
        parse_instant("9999-12-31T23:59:59-05:00")


@pytest.mark.parametrize("seconds", [0.0, 1.5, 1_800_000_000.999, 1_800_000_001.0, 1_800_000_000.2, -1.25,
                                     -42_000_000_000.0])
def test_format_timestamp_is_format_instant_of_the_whole_second(seconds: float) -> None:
    whole = datetime.fromtimestamp(math.floor(seconds), tz=UTC)
    assert format_timestamp(seconds) == format_instant(whole)


def test_format_timestamp_reuses_only_the_same_second() -> None:
    first = format_timestamp(1_800_000_000.1)
    assert format_timestamp(1_800_000_000.9) == first
    assert format_timestamp(1_800_000_001.0) == "2027-01-15T08:00:01Z"
    assert format_timestamp(1_800_000_000.5) == first == "2027-01-15T08:00:00Z"


# -- bounds (issue 13): a clock never holds an instant outside years 1-9999 ----------------------------------------


@pytest.mark.parametrize("setting", ["frozen:2026-06-15T12:00:00Z", "real"])
@pytest.mark.parametrize("seconds", [1e20, -1e20, math.inf, -math.inf, math.nan, 253402300800.0])
def test_advance_beyond_the_years_1_to_9999_is_refused_and_moves_nothing(setting: str, seconds: float) -> None:
    clock = Clock.from_setting(setting)
    clock.set(parse_instant("2026-06-15T12:00:00Z"))
    state = clock.state()
    with pytest.raises(ClockOutOfRange) as caught:
        clock.advance(seconds)
    assert (caught.value.status, caught.value.code) == (400, "clock_out_of_range")
    assert clock.state() == state


def test_the_edges_themselves_are_reachable() -> None:
    clock = Clock.from_setting("frozen:9999-12-31T23:59:59Z")
    assert format_instant(clock.now()) == "9999-12-31T23:59:59Z"
    with pytest.raises(ClockOutOfRange):
        clock.advance(1)
    clock.set(parse_instant("0001-01-01T00:00:00Z"))
    assert format_instant(clock.now()) == "0001-01-01T00:00:00Z"
    with pytest.raises(ClockOutOfRange):
        clock.advance(-1)


def test_a_real_clock_at_the_last_second_of_9999_stops_there(monkeypatch: pytest.MonkeyPatch) -> None:
    import sandbox.core.clock as clock_module

    clock = Clock.from_setting("real")
    clock.set(parse_instant("9999-12-31T23:59:59Z"))
    real_time = clock_module.time.time
    monkeypatch.setattr(clock_module.time, "time", lambda: real_time() + 3600)  # an hour later
    assert format_instant(clock.now()) == "9999-12-31T23:59:59Z"


@pytest.mark.parametrize("state, field", [
    ({"frozen_at": 1e20, "offset": 0}, "clock.frozen_at"),
    ({"frozen_at": None, "offset": 1e20}, "clock.offset"),
    ({"frozen_at": "2026", "offset": 0}, "clock.frozen_at"),
    ({"frozen_at": None, "offset": True}, "clock.offset"),
    ([], "clock must be an object"),
])
def test_load_state_refuses_an_out_of_range_or_malformed_clock_and_keeps_its_own(state: object, field: str) -> None:
    clock = Clock.from_setting("frozen:2026-06-15T12:00:00Z")
    with pytest.raises(ValueError, match=field):
        clock.load_state(state)  # type: ignore[arg-type]
    assert format_instant(clock.now()) == "2026-06-15T12:00:00Z"
