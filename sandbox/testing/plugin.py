"""pytest plugin (entry point `pytest11`): `sandbox_url`, `sandbox_control` and `sandbox_tenant`.

Loading it starts nothing and imports nothing heavy: the server and the vendors load only when a test first asks
for one of these fixtures.

- `sandbox_url` (session): the root URL of a sandbox. `--sandbox-url`, else `$SANDBOX_URL`, else the ini option
  `sandbox_url` names a running server or container (waited for on `/_sandbox/health`); with none of them the
  whole sandbox starts in-process on 127.0.0.1 and a free port, in a thread with its own event loop, configured
  like `sandbox serve` (the `SANDBOX_*` variables and the ini option `sandbox_serve_args`). Under pytest-xdist
  each worker starts its own server, or all share the external one: every test has its own tenant.
- `sandbox_control` (session): a `SandboxClient` for that server (`$SANDBOX_CONTROL_TOKEN` is sent if set).
- `sandbox_tenant` (function): a fresh tenant (`POST /_sandbox/tenants`), dropped after the test. Options come
  from the `sandbox` marker: `@pytest.mark.sandbox(seed=42, clock="frozen:2026-06-15T12:00:00Z")`.

The plugin never calls the global `POST /_sandbox/reset`: it resets every tenant, including the ones other
workers' tests are using at that moment.
"""
from __future__ import annotations

import os
import shlex
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .calls import base_url
from .client import SandboxClient
from .errors import SandboxControlError
from .tenant import SandboxTenant

if TYPE_CHECKING:
    from ..config import Settings

HEALTH_WAIT = 30.0  # seconds an external sandbox may take to answer /_sandbox/health
MARKER_OPTIONS = ("seed", "clock")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sandbox", "affiliate-sandbox")
    group.addoption("--sandbox-url", default=None,
                    help="test against the sandbox running at this URL (default: $SANDBOX_URL, the sandbox_url "
                         "ini option, or a server started in-process)")
    parser.addini("sandbox_url", "URL of a running sandbox to test against ($SANDBOX_URL and --sandbox-url win)",
                  default="")
    parser.addini("sandbox_serve_args", "`sandbox serve` flags for the in-process server, e.g. "
                  "--clock frozen:2026-06-15T12:00:00Z --strict", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sandbox(seed=None, clock=None): options of the test's sandbox_tenant "
                                       "(clock: real | frozen:<ISO-8601>)")


def external_url(config: pytest.Config) -> str | None:
    """The URL of a sandbox to use instead of starting one, if the run names one."""
    for candidate in (config.getoption("sandbox_url"), os.environ.get("SANDBOX_URL"), config.getini("sandbox_url")):
        if candidate and str(candidate).strip():
            return base_url(str(candidate).strip())
    return None


def serve_settings(config: pytest.Config) -> Settings:
    """Settings of the in-process server: `sandbox serve` with the ini's flags, read as the CLI reads them."""
    from ..cli import settings_from_args

    args = shlex.split(str(config.getini("sandbox_serve_args")))
    try:
        return settings_from_args(["serve", *args])
    except ValueError as exc:  # ConfigError, naming the flag
        raise pytest.UsageError(f"sandbox_serve_args: {exc}") from exc
    except SystemExit as exc:  # argparse already printed what was wrong
        raise pytest.UsageError(f"sandbox_serve_args: cannot use {args!r}") from exc


def wait_healthy(client: SandboxClient, timeout: float = HEALTH_WAIT) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.health()
            return
        except SandboxControlError as exc:
            if time.monotonic() > deadline:
                raise RuntimeError(f"affiliate-sandbox: {client.url}/_sandbox/health did not answer 200 within "
                                   f"{timeout:.0f} s: {exc}") from exc
        time.sleep(0.1)


@pytest.fixture(scope="session")
def sandbox_url(pytestconfig: pytest.Config) -> Iterator[str]:
    """Root URL of the sandbox for this session (this xdist worker)."""
    url = external_url(pytestconfig)
    if url is not None:
        wait_healthy(SandboxClient(url, timeout=2.0))
        yield url
        return
    from .server import BackgroundServer

    server = BackgroundServer(serve_settings(pytestconfig))
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sandbox_control(sandbox_url: str) -> SandboxClient:
    """The control-plane client for `sandbox_url`."""
    return SandboxClient(sandbox_url)


@pytest.fixture
def sandbox_tenant(request: pytest.FixtureRequest, sandbox_control: SandboxClient) -> Iterator[SandboxTenant]:
    """A fresh tenant for this test, dropped afterwards."""
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    wrong = sorted(set(options) - set(MARKER_OPTIONS)) + [repr(arg) for arg in (marker.args if marker else ())]
    if wrong:
        raise pytest.UsageError(f"@pytest.mark.sandbox takes only keyword options {', '.join(MARKER_OPTIONS)}; "
                                f"got {', '.join(wrong)}")
    tenant = SandboxTenant(sandbox_control, sandbox_control.create_tenant(**options))
    yield tenant
    try:
        tenant.drop()
    except SandboxControlError as exc:
        if exc.status != 404:  # the test may have dropped it itself
            raise
