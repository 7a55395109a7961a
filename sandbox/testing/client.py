"""`SandboxClient`: the control plane from synchronous code, on the standard library only."""
from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from . import calls
from .calls import Call, ClockInfo, Health, TenantInfo
from .errors import SandboxControlError

T = TypeVar("T")
# The sandbox is local (a thread, a container, a CI service): never route it through $HTTP_PROXY.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class SandboxClient:
    """Calls `/_sandbox` on the server at `url`. `token` (or $SANDBOX_CONTROL_TOKEN) is sent as a bearer token.

    Every method raises `SandboxControlError` when the call fails; `call()` runs any `calls.Call`, which is how
    routes without a method of their own are reached.
    """

    def __init__(self, url: str, *, token: str | None = None, timeout: float = 10.0) -> None:
        if not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
        self.url = calls.base_url(url)
        self.token = calls.control_token(token)
        self.timeout = timeout

    def call(self, call: Call[T]) -> T:
        path, headers, data = calls.prepare(call, self.token)
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=call.method)
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                return calls.read_answer(call, response.status, response.read())
        except urllib.error.HTTPError as answer:
            with answer:
                return calls.read_answer(call, answer.code, answer.read())
        except (urllib.error.URLError, OSError) as exc:
            raise SandboxControlError.unreachable(self.url + path, getattr(exc, "reason", exc)) from exc

    def health(self) -> Health:
        return self.call(calls.health())

    def tenants(self) -> list[TenantInfo]:
        return self.call(calls.list_tenants())

    def create_tenant(self, seed: int | None = None, clock: str | None = None) -> TenantInfo:
        return self.call(calls.create_tenant(seed, clock))

    def tenant(self, tenant: str) -> TenantInfo:
        return self.call(calls.get_tenant(tenant))

    def delete_tenant(self, tenant: str) -> None:
        self.call(calls.delete_tenant(tenant))

    def reset_tenant(self, tenant: str) -> list[str]:
        return self.call(calls.reset_tenant(tenant))

    def advance(self, tenant: str, seconds: float) -> ClockInfo:
        return self.call(calls.advance_clock(tenant, seconds))

    def set_time(self, tenant: str, instant: str | datetime) -> ClockInfo:
        return self.call(calls.set_clock(tenant, instant))

    def freeze(self, tenant: str, at: str | datetime | None = None) -> ClockInfo:
        return self.call(calls.freeze_clock(tenant, at))

    def unfreeze(self, tenant: str) -> ClockInfo:
        return self.call(calls.unfreeze_clock(tenant))

    def snapshot(self, tenant: str) -> dict[str, Any]:
        return self.call(calls.snapshot(tenant))

    def restore(self, tenant: str, state: Mapping[str, Any]) -> TenantInfo:
        return self.call(calls.restore(tenant, state))

    def actions(self) -> list[dict[str, Any]]:
        return self.call(calls.actions())

    def action(self, tenant: str, vendor: str, path: str, body: Mapping[str, Any] | None = None,
               method: str = "POST") -> Any:
        return self.call(calls.action(tenant, vendor, path, body, method))

    def set_rate_limit(self, tenant: str, vendor: str, key: str, remaining: int) -> dict[str, Any]:
        return self.call(calls.set_rate_limit(tenant, vendor, key, remaining))

    def requests(self, tenant: str, **filters: str | int) -> list[dict[str, Any]]:
        return self.call(calls.requests(tenant, **filters))

    def clear_requests(self, tenant: str) -> int:
        """Empty the tenant's request journal; the number of entries dropped."""
        return self.call(calls.clear_requests(tenant))

    def explain(self, request_id: str) -> dict[str, Any]:
        """The journal entry of one `X-Sandbox-Request-Id`, with why the sandbox answered as it did."""
        return self.call(calls.explain_request(request_id))

    def faults(self, tenant: str) -> list[dict[str, Any]]:
        return self.call(calls.list_faults(tenant))

    def add_fault(self, tenant: str, fault: Mapping[str, Any]) -> dict[str, Any]:
        return self.call(calls.add_fault(tenant, fault))

    def fault(self, tenant: str, fault_id: str) -> dict[str, Any]:
        """One fault of the tenant, with `fired` and `remaining`."""
        return self.call(calls.get_fault(tenant, fault_id))

    def delete_fault(self, tenant: str, fault_id: str) -> None:
        """Remove one fault of the tenant."""
        self.call(calls.delete_fault(tenant, fault_id))

    def clear_faults(self, tenant: str) -> int:
        """Remove every fault of the tenant; the number removed."""
        return self.call(calls.clear_faults(tenant))

    def webhooks(self, tenant: str, vendor: str | None = None) -> list[dict[str, Any]]:
        """The tenant's webhook endpoints (of one vendor if given), secrets included."""
        return self.call(calls.list_webhooks(tenant, vendor))

    def add_webhook(self, tenant: str, vendor: str, url: str, events: list[str],
                    secret: str | None = None) -> dict[str, Any]:
        """Register a webhook endpoint for the vendor's `events`."""
        return self.call(calls.add_webhook(tenant, vendor, url, events, secret))

    def delete_webhook(self, tenant: str, webhook_id: str) -> None:
        """Remove one webhook endpoint, whichever vendor it belongs to."""
        self.call(calls.delete_webhook(tenant, webhook_id))

    def deliveries(self, tenant: str, **filters: str) -> list[dict[str, Any]]:
        return self.call(calls.deliveries(tenant, **filters))

    def delivery(self, tenant: str, delivery_id: str) -> dict[str, Any]:
        """One outbound webhook delivery, with its attempts."""
        return self.call(calls.get_delivery(tenant, delivery_id))

    def redeliver(self, tenant: str, delivery_id: str) -> dict[str, Any]:
        """Send a delivery again now; the delivery after that attempt."""
        return self.call(calls.redeliver(tenant, delivery_id))

    def inbox(self, name: str) -> list[dict[str, Any]]:
        return self.call(calls.inbox(name))

    def empty_inbox(self, name: str) -> int:
        """Empty the built-in inbox `name`; the number of requests dropped."""
        return self.call(calls.empty_inbox(name))
