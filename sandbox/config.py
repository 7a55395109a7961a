"""Settings: the command-line flags, each also readable from an environment variable SANDBOX_<FLAG>."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_FIXTURES = PACKAGE_DIR / "fixtures" / "default"
SPECS_DIR = PACKAGE_DIR / "specs"


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

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)
