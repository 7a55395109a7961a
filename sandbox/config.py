"""Settings: the command-line flags, each also readable from an environment variable SANDBOX_<FLAG>."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_FIXTURES = PACKAGE_DIR / "fixtures" / "default"
SPECS_DIR = PACKAGE_DIR / "specs"
DEFAULT_CONTROL_MAX_BODY = 64 * 1024 * 1024  # a snapshot PUT's limit: a busy tenant, well below straining memory


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

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)
