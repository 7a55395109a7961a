"""Test harness for apps that talk to the sandbox: control-plane clients and a pytest plugin.

- `SandboxClient` (sync, standard library) and `AsyncSandboxClient` (aiohttp) call `/_sandbox`; both raise
  `SandboxControlError`. The API itself is described once, in `calls`.
- `sandbox.testing.plugin` (registered as a `pytest11` entry point) gives the `sandbox_url` and `sandbox_tenant`
  fixtures; see the README's "Testing your app with the pytest plugin".

Importing this package is cheap: aiohttp and the server load only when a call or a fixture needs them.
"""
from __future__ import annotations

from .aio import AsyncSandboxClient
from .calls import Call, ClockInfo, Health, TenantInfo, by_key
from .client import SandboxClient
from .errors import SandboxControlError
from .tenant import SandboxTenant

__all__ = ["AsyncSandboxClient", "Call", "ClockInfo", "Health", "SandboxClient", "SandboxControlError",
           "SandboxTenant", "TenantInfo", "by_key"]
