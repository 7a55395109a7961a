"""One request helper for every vendor's tests: a base path, an auth header, a key, and the control plane."""
from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient


class VendorClient:
    """Calls a vendor's paths with a key. Subclasses set `base`, `vendor`, `default_key` and, if the vendor
    does not use `Authorization: Bearer`, `auth_header` and `auth_prefix`. Calls return (status, body, headers),
    or (status, body) when `with_headers` is False."""

    base = ""
    vendor = ""
    default_key: str | None = None
    auth_header = "Authorization"
    auth_prefix = "Bearer "
    with_headers = True

    def __init__(self, client: TestClient, key: str | None = "default") -> None:
        self.client = client
        self.key = self.default_key if key == "default" else key

    def as_key(self, key: str | None) -> VendorClient:
        return type(self)(self.client, key)

    async def call(self, method: str, path: str, json: Any = None, **kwargs: Any) -> tuple:
        headers = dict(kwargs.pop("headers", {}))
        if self.key is not None:
            headers.setdefault(self.auth_header, f"{self.auth_prefix}{self.key}")
        response = await self.client.request(method, self.base + path, json=json, headers=headers, **kwargs)
        body = await response.json(content_type=None)
        return (response.status, body, response.headers) if self.with_headers else (response.status, body)

    async def get(self, path: str, **kwargs: Any) -> tuple:
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> tuple:
        return await self.call("POST", path, json=json, **kwargs)

    async def put(self, path: str, json: Any = None, **kwargs: Any) -> tuple:
        return await self.call("PUT", path, json=json, **kwargs)

    async def patch(self, path: str, json: Any = None, **kwargs: Any) -> tuple:
        return await self.call("PATCH", path, json=json, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> tuple:
        return await self.call("DELETE", path, **kwargs)

    async def control(self, method: str, path: str, json: Any = None, tenant: str = "default") -> tuple[int, Any]:
        """A vendor simulation under /_sandbox/tenants/{tenant}/{vendor}/{path}."""
        response = await self.client.request(method, f"/_sandbox/tenants/{tenant}/{self.vendor}/{path}", json=json)
        return response.status, await response.json()
