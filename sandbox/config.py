"""Settings: the command-line flags, each also readable from an environment variable SANDBOX_<FLAG>."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_FIXTURES = PACKAGE_DIR / "fixtures" / "default"
SPECS_DIR = PACKAGE_DIR / "specs"
DEFAULT_CONTROL_MAX_BODY = 64 * 1024 * 1024  # a snapshot PUT's limit: a busy tenant, well below straining memory


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
            raise ValueError(f"--webhook-hosts: {item!r} is not a host name or address (no scheme, port or path)")
        hosts.append(host.strip("[]"))
    return tuple(dict.fromkeys(hosts))


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "webhook_hosts", parse_webhook_hosts(self.webhook_hosts))
        if self.webhook_timeout is not None and not 0 < self.webhook_timeout <= 60:
            raise ValueError(f"webhook_timeout must be in (0, 60] seconds, not {self.webhook_timeout!r}")

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)
