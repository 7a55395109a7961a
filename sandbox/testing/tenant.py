"""`SandboxTenant`: one tenant seen from a test: its keys, its base URLs and the control calls about it."""
from __future__ import annotations

import functools
import json
import urllib.request
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .calls import ClockInfo, TenantInfo
from .client import _OPENER, SandboxClient


@functools.cache
def vendor_base_paths() -> dict[str, str]:
    """Each vendor's base path on the sandbox (`linkjolt` -> `/linkjolt/api/v1`)."""
    # The vendor packages are heavy: loaded when a test first asks for a URL.
    from ..vendors import VENDORS

    return {name: vendor.base_path for name, vendor in VENDORS.items()}


@functools.cache
def _auth_scheme(spec_url: str) -> tuple[str, str]:
    """("bearer", "Authorization") or ("header", "<name>"): how the vendor served at spec_url reads its key."""
    with _OPENER.open(urllib.request.Request(spec_url), timeout=10) as response:
        spec = json.load(response)
    for scheme in spec.get("components", {}).get("securitySchemes", {}).values():
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return ("bearer", "Authorization")
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            return ("header", str(scheme["name"]))
    raise LookupError(f"{spec_url} declares no bearer or header API key scheme")


class SandboxTenant:
    """A tenant for one test. `key("linkjolt")`, `base_url("linkjolt")` and `headers("linkjolt")` are what an app
    under test needs; the methods move this tenant's clock, run vendor simulations and snapshot it."""

    def __init__(self, client: SandboxClient, info: TenantInfo) -> None:
        self.client = client
        self.info = info

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def seed(self) -> int:
        return self.info.seed

    @property
    def keys(self) -> dict[str, str]:
        """One API key per vendor."""
        return dict(self.info.keys)

    @property
    def url(self) -> str:
        """The sandbox server's root URL."""
        return self.client.url

    def key(self, vendor: str) -> str:
        try:
            return self.info.keys[vendor]
        except KeyError:
            raise KeyError(f"tenant {self.id} has no {vendor!r} key; it has {', '.join(self.info.keys)}") from None

    def base_url(self, vendor: str) -> str:
        """Where the app under test should send this vendor's API calls (instead of the vendor's real URL)."""
        paths = vendor_base_paths()
        if vendor not in paths:
            raise KeyError(f"no vendor {vendor!r}; the sandbox serves {', '.join(paths)}")
        return self.client.url + paths[vendor]

    def headers(self, vendor: str) -> dict[str, str]:
        """The auth header carrying this tenant's key, as the vendor's spec declares it."""
        kind, name = _auth_scheme(self.base_url(vendor) + "/openapi.json")
        key = self.key(vendor)
        return {name: f"Bearer {key}" if kind == "bearer" else key}

    def refresh(self) -> TenantInfo:
        self.info = self.client.tenant(self.id)
        return self.info

    def advance(self, seconds: float) -> ClockInfo:
        return self.client.advance(self.id, seconds)

    def set_time(self, instant: str | datetime) -> ClockInfo:
        return self.client.set_time(self.id, instant)

    def freeze(self, at: str | datetime | None = None) -> ClockInfo:
        return self.client.freeze(self.id, at)

    def unfreeze(self) -> ClockInfo:
        return self.client.unfreeze(self.id)

    def action(self, vendor: str, path: str, body: Mapping[str, Any] | None = None, method: str = "POST") -> Any:
        return self.client.action(self.id, vendor, path, body, method)

    def snapshot(self) -> dict[str, Any]:
        return self.client.snapshot(self.id)

    def restore(self, state: Mapping[str, Any]) -> TenantInfo:
        self.info = self.client.restore(self.id, state)
        return self.info

    def reset(self) -> None:
        """Back to the fixtures, clock and seed; this tenant only."""
        self.client.reset_tenant(self.id)

    def set_rate_limit(self, vendor: str, remaining: int, key: str | None = None) -> dict[str, Any]:
        """Leave `remaining` calls in the current rate-limit window of this tenant's key (or `key`)."""
        return self.client.set_rate_limit(self.id, vendor, key or self.key(vendor), remaining)

    def requests(self, **filters: str | int) -> list[dict[str, Any]]:
        """The journal of this tenant's vendor requests (vendor, operation, status, since)."""
        return self.client.requests(self.id, **filters)

    def clear_requests(self) -> int:
        """Empty this tenant's journal; the number of entries dropped."""
        return self.client.clear_requests(self.id)

    def explain(self, request_id: str) -> dict[str, Any]:
        """The journal entry of a response's `X-Sandbox-Request-Id`, with its `explanation`."""
        return self.client.explain(request_id)

    @property
    def faults(self) -> TenantFaults:
        return TenantFaults(self.client, self.id)

    @property
    def webhooks(self) -> TenantWebhooks:
        return TenantWebhooks(self.client, self.id)

    def deliveries(self, **filters: str) -> list[dict[str, Any]]:
        """This tenant's outbound webhook deliveries (vendor, event, state)."""
        return self.client.deliveries(self.id, **filters)

    def delivery(self, delivery_id: str) -> dict[str, Any]:
        return self.client.delivery(self.id, delivery_id)

    def redeliver(self, delivery_id: str) -> dict[str, Any]:
        """Send a delivery again now; the delivery after that attempt."""
        return self.client.redeliver(self.id, delivery_id)

    def drop(self) -> None:
        self.client.delete_tenant(self.id)


class TenantFaults:
    """Fault injection for one tenant: `add(...)`, `list()`, `get(id)`, `delete(id)`, `clear()`."""

    def __init__(self, client: SandboxClient, tenant: str) -> None:
        self._client = client
        self._tenant = tenant

    def add(self, fault: Mapping[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        return self._client.add_fault(self._tenant, {**(fault or {}), **fields})

    def list(self) -> list[dict[str, Any]]:
        return self._client.faults(self._tenant)

    def get(self, fault_id: str) -> dict[str, Any]:
        return self._client.fault(self._tenant, fault_id)

    def delete(self, fault_id: str) -> None:
        self._client.delete_fault(self._tenant, fault_id)

    def clear(self) -> int:
        """Remove every fault; the number removed."""
        return self._client.clear_faults(self._tenant)


class TenantWebhooks:
    """Webhook endpoints of one tenant: `add(vendor, url, events)`, `list(vendor=None)`, `delete(id)`."""

    def __init__(self, client: SandboxClient, tenant: str) -> None:
        self._client = client
        self._tenant = tenant

    def add(self, vendor: str, url: str, events: list[str], secret: str | None = None) -> dict[str, Any]:
        return self._client.add_webhook(self._tenant, vendor, url, events, secret)

    def list(self, vendor: str | None = None) -> list[dict[str, Any]]:
        return self._client.webhooks(self._tenant, vendor)

    def delete(self, webhook_id: str) -> None:
        self._client.delete_webhook(self._tenant, webhook_id)
