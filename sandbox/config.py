"""Settings: the command-line flags, each also readable from an environment variable SANDBOX_<FLAG>.

Every setting is declared once in OPTIONS (its flag, its Settings field, how its text is parsed and what it
means). The command line and the environment go through the same parser, and `Settings.validate()` checks a
Settings however it was made (flags, environment, or in-process code), so a bad value never starts a server.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, NoReturn

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_FIXTURES = PACKAGE_DIR / "fixtures" / "default"
SPECS_DIR = PACKAGE_DIR / "specs"
DEFAULT_CONTROL_MAX_BODY = 64 * 1024 * 1024  # a snapshot PUT's limit: a busy tenant, well below straining memory

LOG_LEVELS = ("debug", "info", "warning", "error")
RESPONSE_CACHE_MODES = ("on", "off", "verify")
MAX_SEED = 2**63 - 1
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class ConfigError(ValueError):
    """A setting is wrong; the message names the flag, variable or field and what it accepts."""


# -- parsers: text (a flag's argument or an environment variable) -> value; ValueError says why -------------

def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{text!r} is not a boolean (on/off, true/false, yes/no, 1/0)")


def parse_port(text: str) -> int:
    try:
        port = int(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a port number (0-65535)") from None
    _check_port(port)
    return port


def parse_seed(text: str) -> int:
    try:
        seed = int(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an integer") from None
    _check_seed(seed)
    return seed


def parse_max_tenants(text: str) -> int:
    try:
        count = int(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an integer") from None
    _check_max_tenants(count)
    return count


def parse_clock(text: str) -> str:
    _check_clock(text.strip())
    return text.strip()


def parse_vendors(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


def parse_token(text: str) -> str | None:
    """A secret; empty text means none (so `SANDBOX_CONTROL_TOKEN=` in a compose file turns it off)."""
    return text.strip() or None


def parse_max_body(text: str) -> int:
    try:
        size = int(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a number of bytes") from None
    _check_max_body(size)
    return size


def parse_path(text: str) -> Path:
    if not text.strip():
        raise ValueError("an empty path")
    return Path(text)


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        word = text.strip().lower()
        if word not in choices:
            raise ValueError(f"{text!r} is not one of {', '.join(choices)}")
        return word
    return parse


def parse_host(text: str) -> str:
    if not text.strip():
        raise ValueError("an empty host")
    return text.strip()


# -- the checks Settings.validate() makes (the parsers share them) ------------------------------------------

def _check_port(port: int) -> None:
    if not 0 <= port <= 65535:
        raise ValueError(f"{port} is not a port number (0-65535)")


def _check_seed(seed: int) -> None:
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"{seed} is out of range (0-{MAX_SEED})")


def _check_max_tenants(count: int) -> None:
    if count < 1:
        raise ValueError(f"{count} is not allowed: at least 1 (the default tenant counts)")


def _check_max_body(size: int) -> None:
    if size < 1:
        raise ValueError(f"{size} is not allowed: at least 1 byte")


def _check_clock(setting: str) -> None:
    from .core.clock import Clock

    try:
        Clock.from_setting(setting)
    except (ValueError, OverflowError) as exc:
        message = str(exc)
        raise ValueError(message if repr(setting) in message else f"{setting!r}: {message}") from None


def _check_fixtures(directory: Path) -> None:
    if not directory.exists():
        raise ValueError(f"{directory} does not exist")
    if not directory.is_dir():
        raise ValueError(f"{directory} is not a directory")


def _check_state_dir(directory: Path) -> None:
    """A directory the server can write its tenants' snapshots to, or one it can make (the server makes it)."""
    if directory.exists():
        if not directory.is_dir():
            raise ValueError(f"{directory} is not a directory")
        if not os.access(directory, os.W_OK | os.X_OK):
            raise ValueError(f"{directory} is not writable")
        return
    parent = directory.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"{directory} does not exist and cannot be made in {parent}")


def _check_port_file(path: Path | None) -> None:
    if path is not None and not path.parent.is_dir():
        raise ValueError(f"{path}: the directory {path.parent} does not exist")


_HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.:-]+)$")


def parse_webhook_hosts(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """`--webhook-hosts localhost,host.docker.internal`: bare host names or addresses (no scheme, port or path),
    lower-cased. A ValueError names the entry that is not one."""
    items = value.split(",") if isinstance(value, str) else list(value)
    hosts = []
    for item in items:
        host = str(item).strip().lower().rstrip(".")
        if not host:
            continue
        if not _HOST.match(host) or "://" in host or (host.count(":") == 1):
            raise ValueError(f"{item!r} is not a host name or address (no scheme, port or path)")
        hosts.append(host.strip("[]"))
    return tuple(dict.fromkeys(hosts))


@dataclass(frozen=True)
class Option:
    """One `sandbox serve` setting: its flag, environment variable, parser and help."""

    field: str  # the Settings field
    flag: str
    parse: Callable[[str], Any]
    help: str
    metavar: str | None = None
    switch: bool = False  # a flag without argument; given, it sets the field to `switch_value`
    switch_value: Any = True

    @property
    def env(self) -> str:
        return "SANDBOX_" + self.flag[2:].upper().replace("-", "_")

    def from_env(self, environ: Mapping[str, str]) -> Any:
        """The field's value from the environment variable, or None when it is not set."""
        text = environ.get(self.env)
        if text is None:
            return None
        try:
            value = self.parse(text)
        except ValueError as exc:
            raise ConfigError(f"{self.env}: {exc}") from None
        return value if not self.switch else (self.switch_value if value else not self.switch_value)


OPTIONS: tuple[Option, ...] = (
    Option("host", "--host", parse_host, "address to bind (the Docker image uses 0.0.0.0)", "ADDRESS"),
    Option("port", "--port", parse_port, "port to listen on, 0-65535; 0 picks a free one", "PORT"),
    Option("port_file", "--port-file", parse_path, "write the bound port here once the server answers", "PATH"),
    Option("seed", "--seed", parse_seed, "seed of every generated value", "N"),
    Option("fixtures", "--fixtures", parse_path, "fixture directory holding <vendor>.yaml files", "DIR"),
    Option("vendors", "--vendors", parse_vendors, "comma-separated vendors to serve (empty: all)", "LIST"),
    Option("clock", "--clock", parse_clock, "real | frozen:<ISO-8601>", "CLOCK"),
    Option("log_level", "--log-level", _choice(*LOG_LEVELS), " | ".join(LOG_LEVELS), "LEVEL"),
    Option("auto_tenants", "--no-auto-tenants", parse_bool, "unknown keys get 401 instead of a new tenant",
           switch=True, switch_value=False),
    Option("max_tenants", "--max-tenants", parse_max_tenants, "most tenants kept at once (at least 1); the "
           "least recently used is evicted", "N"),
    Option("strict_responses", "--strict", parse_bool, "check every response against the spec (a mismatch is "
           "a 500)", switch=True),
    Option("rate_limits", "--rate-limits", parse_bool, "off: keep counting and the headers, never answer 429",
           "on|off"),
    Option("response_cache", "--response-cache", _choice(*RESPONSE_CACHE_MODES),
           "reuse a GET's rendered answer until the next write; verify: build it afresh every time and answer "
           "500 if a cached one differs", "on|off|verify"),
    Option("access_log", "--access-log", parse_bool, "log every request", switch=True),
    Option("control_token", "--control-token", parse_token, "every /_sandbox route but health needs it "
           "(Authorization: Bearer <token>)", "TOKEN"),
    Option("control_hosts", "--control-hosts", parse_vendors, "comma-separated Host names allowed on /_sandbox "
           "without a token, besides loopback and --host (* for any)", "LIST"),
    Option("control_max_body", "--control-max-body", parse_max_body, "largest snapshot PUT, in bytes", "N"),
    Option("webhook_hosts", "--webhook-hosts", parse_webhook_hosts, "comma-separated hosts webhooks may go to "
           "despite the vendors' public-HTTPS rules, e.g. localhost,host.docker.internal (the built-in "
           "/_sandbox/inbox is always allowed)", "LIST"),
    Option("state_dir", "--state-dir", parse_path, "keep every tenant's snapshot here (written a second after "
           "its last change and on shutdown) and load them all at start; made if missing", "DIR"),
)


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    port_file: Path | None = None
    seed: int = 0
    fixtures: Path = DEFAULT_FIXTURES
    vendors: tuple[str, ...] = ()  # empty: every vendor
    clock: str = "real"  # real | frozen:<ISO-8601>
    log_level: str = "info"
    auto_tenants: bool = True
    max_tenants: int = 1000
    strict_responses: bool = False
    rate_limits: bool = True  # False: count and send headers, never answer 429
    access_log: bool = False
    response_cache: str = "on"  # on | off | verify: see sandbox.core.responsecache
    specs: Path = field(default=SPECS_DIR)
    control_token: str | None = None  # set: every /_sandbox route but health needs it (see sandbox.control.access)
    control_hosts: tuple[str, ...] = ()  # Host names allowed on the control plane besides loopback and --host
    control_max_body: int = DEFAULT_CONTROL_MAX_BODY
    webhook_hosts: tuple[str, ...] = ()  # hosts webhooks may go to despite the vendors' public-URL rules
    webhook_timeout: float | None = None  # seconds per delivery attempt; None: each vendor's own (LinkJolt 10)
    state_dir: Path | None = None  # set: tenants persist there (see sandbox.core.persistence)

    def __post_init__(self) -> None:
        # In-process callers may pass "a,b"; the same parser as the flag's makes it the tuple every reader expects.
        try:
            object.__setattr__(self, "webhook_hosts", parse_webhook_hosts(self.webhook_hosts))
        except ValueError as exc:
            raise ConfigError(f"--webhook-hosts: {exc}") from None
        if self.webhook_timeout is not None and not 0 < self.webhook_timeout <= 60:
            raise ConfigError(f"webhook_timeout must be in (0, 60] seconds, not {self.webhook_timeout!r}")

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def validate(self) -> Settings:
        """Self, or a ConfigError naming the first wrong field (its flag, as the user wrote it)."""
        flags = {o.field: o.flag for o in OPTIONS}
        # field -> (its type, a check of its value or None); a check raises ValueError saying what is wrong
        checks: dict[str, tuple[type, Callable[[Any], object] | None]] = {
            "host": (str, parse_host),
            "port": (int, _check_port),
            "port_file": (Path, _check_port_file),
            "seed": (int, _check_seed),
            "fixtures": (Path, _check_fixtures),
            "vendors": (tuple, lambda names: [_typed(n, str) for n in names]),
            "clock": (str, _check_clock),
            "log_level": (str, lambda v: _one_of(v, LOG_LEVELS)),
            "auto_tenants": (bool, None),
            "max_tenants": (int, _check_max_tenants),
            "strict_responses": (bool, None),
            "rate_limits": (bool, None),
            "access_log": (bool, None),
            "response_cache": (str, lambda v: _one_of(v, RESPONSE_CACHE_MODES)),
            "specs": (Path, _check_fixtures),
            "control_token": (str, lambda v: parse_token(v) or _fail("an empty token")),
            "control_hosts": (tuple, lambda names: [_typed(n, str) for n in names]),
            "control_max_body": (int, _check_max_body),
            "webhook_hosts": (tuple, parse_webhook_hosts),
            "state_dir": (Path, _check_state_dir),
        }
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name not in checks or (f.name in ("port_file", "control_token", "state_dir") and value is None):
                continue
            kind, check = checks[f.name]
            try:
                _typed(value, kind)
                if check is not None:
                    check(value)
            except ValueError as exc:
                raise ConfigError(f"{flags.get(f.name, f.name)}: {exc}") from None
        return self


def _typed(value: Any, kind: type) -> bool:
    """True when `value` is a `kind` (a bool is not an int here); ValueError otherwise."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{value!r} is not {_KIND_NAMES.get(kind, 'a ' + kind.__name__)}")
    return True


_KIND_NAMES = {int: "an integer", bool: "a boolean", str: "a string", Path: "a Path", tuple: "a tuple"}


def _fail(reason: str) -> NoReturn:
    raise ValueError(reason)


def _one_of(value: str, choices: tuple[str, ...]) -> bool:
    if value not in choices:
        raise ValueError(f"{value!r} is not one of {', '.join(choices)}")
    return True


def settings_from_environment(environ: Mapping[str, str] | None = None, **given: Any) -> Settings:
    """Settings from `given` values (flags), then SANDBOX_* variables, then defaults; validated."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if given.get(option.field) is not None:
            values[option.field] = given[option.field]
            continue
        value = option.from_env(environ)
        if value is not None:
            values[option.field] = value
    return Settings(**values).validate()
