"""Every `sandbox serve` flag can also be set as SANDBOX_<FLAG>, parsed exactly like the flag (what the Docker
image's users rely on); a bad value in either is one line naming the flag or variable, exit code 2."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import create_app
from sandbox.cli import _parser, main, settings_from_args
from sandbox.config import ConfigError, Settings

# One non-default value per flag, as its environment variable would carry it, and the Settings field it sets.
SAMPLES: dict[str, tuple[str, str, object]] = {
    "--host": ("0.0.0.0", "host", "0.0.0.0"),
    "--port": ("9999", "port", 9999),
    "--port-file": ("/tmp/sandbox.port", "port_file", Path("/tmp/sandbox.port")),
    "--seed": ("42", "seed", 42),
    "--fixtures": ("/tmp", "fixtures", Path("/tmp")),
    "--vendors": ("linkjolt", "vendors", ("linkjolt",)),
    "--clock": ("frozen:2026-06-15T12:00:00Z", "clock", "frozen:2026-06-15T12:00:00Z"),
    "--log-level": ("debug", "log_level", "debug"),
    "--no-auto-tenants": ("1", "auto_tenants", False),
    "--max-tenants": ("5", "max_tenants", 5),
    "--strict": ("true", "strict_responses", True),
    "--rate-limits": ("off", "rate_limits", False),
    "--access-log": ("yes", "access_log", True),
    "--response-cache": ("verify", "response_cache", "verify"),
    "--control-token": ("s3cret", "control_token", "s3cret"),
    "--control-hosts": ("sandbox,ci-host", "control_hosts", ("sandbox", "ci-host")),
    "--control-max-body": ("1048576", "control_max_body", 1048576),
    "--webhook-hosts": ("localhost,host.docker.internal", "webhook_hosts", ("localhost", "host.docker.internal")),
    "--state-dir": ("/tmp", "state_dir", Path("/tmp")),
}


def _serve_flags() -> dict[str, argparse.Action]:
    """Flag -> its argparse action, for every option of `sandbox serve` except --help."""
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    serve = commands.choices["serve"]
    return {a.option_strings[0]: a for a in serve._actions if a.option_strings and a.dest != "help"}


def _env(flag: str) -> str:
    return "SANDBOX_" + flag[2:].upper().replace("-", "_")


@pytest.fixture(autouse=True)
def _no_sandbox_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The defaults below are the code's, not whatever SANDBOX_* the shell running the tests has."""
    for name in [n for n in os.environ if n.startswith("SANDBOX_")]:
        monkeypatch.delenv(name)


def test_every_flag_has_a_sample_here() -> None:
    assert sorted(_serve_flags()) == sorted(SAMPLES), "a serve flag was added or removed: update SAMPLES"


@pytest.mark.parametrize("flag", sorted(SAMPLES))
def test_the_environment_variable_sets_the_flag(flag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, name, expected = SAMPLES[flag]
    assert getattr(Settings(), name) != expected, f"the sample for {flag} is its default, so it proves nothing"
    monkeypatch.setenv(_env(flag), raw)
    assert getattr(settings_from_args(["serve"]), name) == expected


@pytest.mark.parametrize("flag", sorted(SAMPLES))
def test_help_shows_every_flag_with_its_variable(flag: str) -> None:
    assert _env(flag) in _serve_flags()[flag].help


def test_help_shows_defaults() -> None:
    flags = _serve_flags()
    assert "default: 8080" in flags["--port"].help and "default: on" in flags["--rate-limits"].help
    assert "default: off" in flags["--strict"].help and "default: 1000" in flags["--max-tenants"].help


def test_a_flag_beats_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_PORT", "9999")
    assert settings_from_args(["serve", "--port", "8080"]).port == 8080


@pytest.mark.parametrize("text, expected", [
    ("ON", True), ("true", True), ("True", True), ("1", True), ("yes", True), (" on ", True),
    ("OFF", False), ("false", False), ("0", False), ("No", False),
])
def test_booleans_read_the_usual_words_in_any_case(text: str, expected: bool,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_RATE_LIMITS", text)
    monkeypatch.setenv("SANDBOX_STRICT", text)
    settings = settings_from_args(["serve"])
    assert (settings.rate_limits, settings.strict_responses) == (expected, expected)
    assert settings_from_args(["serve", "--rate-limits", text]).rate_limits is expected


@pytest.mark.parametrize("variable, value, message", [
    ("SANDBOX_RATE_LIMITS", "maybe", "SANDBOX_RATE_LIMITS: 'maybe' is not a boolean"),
    ("SANDBOX_STRICT", "2", "SANDBOX_STRICT: '2' is not a boolean"),
    ("SANDBOX_NO_AUTO_TENANTS", "", "SANDBOX_NO_AUTO_TENANTS: '' is not a boolean"),
    ("SANDBOX_PORT", "abc", "SANDBOX_PORT: 'abc' is not a port number (0-65535)"),
    ("SANDBOX_PORT", "70000", "SANDBOX_PORT: 70000 is not a port number (0-65535)"),
    ("SANDBOX_PORT", "-1", "SANDBOX_PORT: -1 is not a port number (0-65535)"),
    ("SANDBOX_SEED", "x", "SANDBOX_SEED: 'x' is not an integer"),
    ("SANDBOX_MAX_TENANTS", "0", "SANDBOX_MAX_TENANTS: 0 is not allowed: at least 1"),
    ("SANDBOX_CLOCK", "frozen:yesterday", "SANDBOX_CLOCK: 'frozen:yesterday'"),
    ("SANDBOX_CLOCK", "fast", "SANDBOX_CLOCK: clock must be 'real' or 'frozen:<ISO-8601>', not 'fast'"),
    ("SANDBOX_LOG_LEVEL", "loud", "SANDBOX_LOG_LEVEL: 'loud' is not one of debug, info, warning, error"),
    ("SANDBOX_RESPONSE_CACHE", "maybe", "SANDBOX_RESPONSE_CACHE: 'maybe' is not one of on, off, verify"),
    ("SANDBOX_FIXTURES", "/nonexistent", "--fixtures: /nonexistent does not exist"),
])
def test_a_bad_variable_is_one_line_naming_it_and_exit_2(variable: str, value: str, message: str,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(variable, value)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"affiliate-sandbox: {message}") and err.count("\n") == 1, err


@pytest.mark.parametrize("argv, message", [
    (["--port", "70000"], "argument --port: 70000 is not a port number (0-65535)"),
    (["--port", "abc"], "argument --port: 'abc' is not a port number (0-65535)"),
    (["--max-tenants", "-1"], "argument --max-tenants: -1 is not allowed: at least 1"),
    (["--rate-limits", "maybe"], "argument --rate-limits: 'maybe' is not a boolean"),
    (["--clock", "frozen:2026-13-01"], "argument --clock: 'frozen:2026-13-01': month must be in 1..12"),
])
def test_a_bad_flag_is_one_line_naming_it_and_exit_2(argv: list[str], message: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", *argv])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"affiliate-sandbox: {message}") and err.count("\n") == 1, err


@pytest.mark.parametrize("changes, message", [
    ({"port": 70000}, "--port: 70000 is not a port number"),
    ({"port": "8080"}, "--port: '8080' is not an integer"),
    ({"max_tenants": 0}, "--max-tenants: 0 is not allowed"),
    ({"rate_limits": "off"}, "--rate-limits: 'off' is not a boolean"),
    ({"fixtures": Path("/nonexistent")}, "--fixtures: /nonexistent does not exist"),
    ({"fixtures": Path(__file__)}, f"--fixtures: {__file__} is not a directory"),
    ({"clock": "frozen:soon"}, "--clock: 'frozen:soon'"),
    ({"seed": -1}, "--seed: -1 is out of range"),
])
def test_create_app_refuses_bad_settings(changes: dict, message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        create_app(Settings(**changes))
    assert str(refused.value).startswith(message)


def test_version() -> None:
    from sandbox import __version__

    result = subprocess.run([sys.executable, "-m", "sandbox", "--version"], capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stdout) == (0, f"affiliate-sandbox {__version__}\n")


def test_a_bad_variable_from_a_real_process_has_no_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    result = subprocess.run([sys.executable, "-m", "sandbox", "serve"], capture_output=True, text=True,
                            timeout=60, env={**env, "SANDBOX_PORT": "abc"})
    assert (result.returncode, result.stderr) == (
        2, "affiliate-sandbox: SANDBOX_PORT: 'abc' is not a port number (0-65535)\n")
