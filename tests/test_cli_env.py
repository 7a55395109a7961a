"""Every `sandbox serve` flag can also be set as SANDBOX_<FLAG> (what the Docker image's users rely on)."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from sandbox.cli import _parser, settings_from_args

# One non-default value per flag, as its environment variable would carry it, and what serve should get.
SAMPLES: dict[str, tuple[str, object]] = {
    "--host": ("0.0.0.0", "0.0.0.0"),
    "--port": ("9999", 9999),
    "--port-file": ("/tmp/sandbox.port", Path("/tmp/sandbox.port")),
    "--seed": ("42", 42),
    "--fixtures": ("/fixtures", Path("/fixtures")),
    "--vendors": ("linkjolt", "linkjolt"),
    "--clock": ("frozen:2026-06-15T12:00:00Z", "frozen:2026-06-15T12:00:00Z"),
    "--log-level": ("debug", "debug"),
    "--no-auto-tenants": ("1", True),
    "--max-tenants": ("5", 5),
    "--strict": ("true", True),
    "--rate-limits": ("off", "off"),
    "--access-log": ("yes", True),
    "--response-cache": ("verify", "verify"),
    "--control-token": ("s3cret", "s3cret"),
    "--control-hosts": ("sandbox,ci-host", "sandbox,ci-host"),
    "--control-max-body": ("1048576", 1048576),
}


def _serve_flags() -> dict[str, str]:
    """Flag -> argparse dest, for every option of `sandbox serve` except --help."""
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    serve = commands.choices["serve"]
    return {a.option_strings[0]: a.dest for a in serve._actions if a.option_strings and a.dest != "help"}


@pytest.fixture(autouse=True)
def _no_sandbox_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The defaults below are the code's, not whatever SANDBOX_* the shell running the tests has."""
    for name in [n for n in os.environ if n.startswith("SANDBOX_")]:
        monkeypatch.delenv(name)


def test_every_flag_has_a_sample_here() -> None:
    assert sorted(_serve_flags()) == sorted(SAMPLES), "a serve flag was added or removed: update SAMPLES"


@pytest.mark.parametrize("flag", sorted(SAMPLES))
def test_the_environment_variable_sets_the_flag(flag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, expected = SAMPLES[flag]
    dest = _serve_flags()[flag]
    default = getattr(_parser().parse_args(["serve"]), dest)
    assert default != expected, f"the sample for {flag} is its default, so it proves nothing"
    monkeypatch.setenv("SANDBOX_" + flag[2:].upper().replace("-", "_"), raw)
    assert getattr(_parser().parse_args(["serve"]), dest) == expected


def test_a_flag_beats_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_PORT", "9999")
    assert settings_from_args(["serve", "--port", "8080"]).port == 8080
