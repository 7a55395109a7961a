"""schemathesis hooks that give every request a valid key for the vendor under test.

Load with `SCHEMATHESIS_HOOKS=tests.contract.schemathesis_hooks` (the repository root on PYTHONPATH). The key
comes from a fresh tenant made through the sandbox's control plane (`POST /_sandbox/tenants` returns one key per
vendor); the header is the one the vendor's spec declares in `components.securitySchemes`. The vendor is
`SANDBOX_VENDOR`, or else the first segment of the spec's server path (`/linkjolt/api/v1` -> `linkjolt`).
"""
from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import requests
import schemathesis


def auth_header(document: dict[str, Any], key: str) -> tuple[str, str]:
    schemes = document.get("components", {}).get("securitySchemes", {})
    names = [name for requirement in document.get("security", []) for name in requirement] or list(schemes)
    scheme = schemes[names[0]]
    if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
        return scheme["name"], key
    return "Authorization", f"Bearer {key}"


@schemathesis.auth()
class SandboxTenantKey:
    """One tenant per run: its key for the vendor under test, in that vendor's auth header."""

    def get(self, case: Any, ctx: Any) -> tuple[str, str]:
        document = case.operation.schema.raw_schema
        server = urlsplit(document["servers"][0]["url"])
        vendor = os.environ.get("SANDBOX_VENDOR") or server.path.strip("/").split("/")[0]
        created = requests.post(f"{server.scheme}://{server.netloc}/_sandbox/tenants", json={}, timeout=10)
        created.raise_for_status()
        return auth_header(document, created.json()["keys"][vendor])

    def set(self, case: Any, data: tuple[str, str], ctx: Any) -> None:
        name, value = data
        case.headers = {**(case.headers or {}), name: value}
