"""`AsyncSandboxClient`: the control plane from asyncio code, on aiohttp (imported at the first call)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from . import calls
from .calls import Call, ClockInfo, Health, TenantInfo
from .errors import SandboxControlError

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")


class AsyncSandboxClient:
    """`SandboxClient`'s twin for `async` code: the same methods, awaited. Use it as an async context manager
    (or call `close()`), since it holds one aiohttp session for its calls."""

    def __init__(self, url: str, *, token: str | None = None, timeout: float = 10.0) -> None:
        if not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
        self.url = calls.base_url(url)
        self.token = calls.control_token(token)
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> AsyncSandboxClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def call(self, call: Call[T]) -> T:
        import aiohttp

        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        path, headers, data = calls.prepare(call, self.token)
        try:
            async with self._session.request(call.method, self.url + path, data=data, headers=headers) as answer:
                raw = await answer.read()
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise SandboxControlError.unreachable(self.url + path, exc) from exc
        return calls.read_answer(call, answer.status, raw)

    async def health(self) -> Health:
        return await self.call(calls.health())

    async def tenants(self) -> list[TenantInfo]:
        return await self.call(calls.list_tenants())

    async def create_tenant(self, seed: int | None = None, clock: str | None = None) -> TenantInfo:
        return await self.call(calls.create_tenant(seed, clock))

    async def tenant(self, tenant: str) -> TenantInfo:
        return await self.call(calls.get_tenant(tenant))

    async def delete_tenant(self, tenant: str) -> None:
        await self.call(calls.delete_tenant(tenant))

    async def reset_tenant(self, tenant: str) -> list[str]:
        return await self.call(calls.reset_tenant(tenant))

    async def advance(self, tenant: str, seconds: float) -> ClockInfo:
        return await self.call(calls.advance_clock(tenant, seconds))

    async def set_time(self, tenant: str, instant: str | datetime) -> ClockInfo:
        return await self.call(calls.set_clock(tenant, instant))

    async def freeze(self, tenant: str, at: str | datetime | None = None) -> ClockInfo:
        return await self.call(calls.freeze_clock(tenant, at))

    async def unfreeze(self, tenant: str) -> ClockInfo:
        return await self.call(calls.unfreeze_clock(tenant))

    async def snapshot(self, tenant: str) -> dict[str, Any]:
        return await self.call(calls.snapshot(tenant))

    async def restore(self, tenant: str, state: Mapping[str, Any]) -> TenantInfo:
        return await self.call(calls.restore(tenant, state))

    async def actions(self) -> list[dict[str, Any]]:
        return await self.call(calls.actions())

    async def action(self, tenant: str, vendor: str, path: str, body: Mapping[str, Any] | None = None,
               method: str = "POST") -> Any:
        return await self.call(calls.action(tenant, vendor, path, body, method))

    async def set_rate_limit(self, tenant: str, vendor: str, key: str, remaining: int) -> dict[str, Any]:
        return await self.call(calls.set_rate_limit(tenant, vendor, key, remaining))

    async def requests(self, tenant: str, **filters: str | int) -> list[dict[str, Any]]:
        return await self.call(calls.requests(tenant, **filters))

    async def clear_requests(self, tenant: str) -> int:
        """Empty the tenant's request journal; the number of entries dropped."""
        return await self.call(calls.clear_requests(tenant))

    async def explain(self, request_id: str) -> dict[str, Any]:
        """The journal entry of one `X-Sandbox-Request-Id`, with why the sandbox answered as it did."""
        return await self.call(calls.explain_request(request_id))

    async def faults(self, tenant: str) -> list[dict[str, Any]]:
        return await self.call(calls.list_faults(tenant))

    async def add_fault(self, tenant: str, fault: Mapping[str, Any]) -> dict[str, Any]:
        return await self.call(calls.add_fault(tenant, fault))

    async def fault(self, tenant: str, fault_id: str) -> dict[str, Any]:
        """One fault of the tenant, with `fired` and `remaining`."""
        return await self.call(calls.get_fault(tenant, fault_id))

    async def delete_fault(self, tenant: str, fault_id: str) -> None:
        """Remove one fault of the tenant."""
        await self.call(calls.delete_fault(tenant, fault_id))

    async def clear_faults(self, tenant: str) -> int:
        """Remove every fault of the tenant; the number removed."""
        return await self.call(calls.clear_faults(tenant))

    async def webhooks(self, tenant: str, vendor: str | None = None) -> list[dict[str, Any]]:
        """The tenant's webhook endpoints (of one vendor if given), secrets included."""
        return await self.call(calls.list_webhooks(tenant, vendor))

    async def add_webhook(self, tenant: str, vendor: str, url: str, events: list[str],
                          secret: str | None = None) -> dict[str, Any]:
        """Register a webhook endpoint for the vendor's `events`."""
        return await self.call(calls.add_webhook(tenant, vendor, url, events, secret))

    async def delete_webhook(self, tenant: str, webhook_id: str) -> None:
        """Remove one webhook endpoint, whichever vendor it belongs to."""
        await self.call(calls.delete_webhook(tenant, webhook_id))

    async def deliveries(self, tenant: str, **filters: str) -> list[dict[str, Any]]:
        return await self.call(calls.deliveries(tenant, **filters))

    async def delivery(self, tenant: str, delivery_id: str) -> dict[str, Any]:
        """One outbound webhook delivery, with its attempts."""
        return await self.call(calls.get_delivery(tenant, delivery_id))

    async def redeliver(self, tenant: str, delivery_id: str) -> dict[str, Any]:
        """Send a delivery again now; the delivery after that attempt."""
        return await self.call(calls.redeliver(tenant, delivery_id))

    async def inbox(self, name: str) -> list[dict[str, Any]]:
        return await self.call(calls.inbox(name))

    async def empty_inbox(self, name: str) -> int:
        """Empty the built-in inbox `name`; the number of requests dropped."""
        return await self.call(calls.empty_inbox(name))
