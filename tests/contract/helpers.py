"""Vendor-generic helpers for contract tests: everything comes from VENDORS, the specs and the control plane."""
from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient

from sandbox.config import SPECS_DIR
from sandbox.core.spec import Operation, Spec, load_spec
from sandbox.core.validation import ResponseChecker
from sandbox.vendors import VENDORS

VENDOR_NAMES = list(VENDORS)


def spec_of(name: str) -> Spec:
    return load_spec(SPECS_DIR / f"{name}.yaml")


def auth_headers(document: dict[str, Any], key: str) -> dict[str, str]:
    """The header that carries `key`, read from the spec's first security scheme (bearer or apiKey in header)."""
    schemes = document.get("components", {}).get("securitySchemes", {})
    names = [name for requirement in document.get("security", []) for name in requirement] or list(schemes)
    scheme = schemes[names[0]]
    if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer":
        return {"Authorization": f"Bearer {key}"}
    if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
        return {scheme["name"]: key}
    raise AssertionError(f"unsupported security scheme {scheme!r}")


async def tenant_keys(client: TestClient) -> dict[str, str]:
    """A fresh tenant through the control plane; its key per vendor."""
    response = await client.post("/_sandbox/tenants", json={})
    assert response.status == 201
    return (await response.json())["keys"]


def body_operation(spec: Spec) -> Operation:
    """The first operation that reads a JSON object body (the target of the body attacks)."""
    return next(op for op in spec.operations if op.body_schema is not None)


def plain_get(spec: Spec) -> Operation:
    """The first GET with no path parameter and no required query parameter that needs a key (the 'still serving'
    probe; public operations such as Everflow's /meta/* answer without one)."""
    vendor = VENDORS[spec.name]()
    return next(op for op in spec.operations if op.method == "GET" and not op.path_params
                and not any(p.required for p in op.query_params) and vendor.anonymous(op) is None)


def referenced_lists(spec: Spec, op: Operation) -> dict[str, Operation]:
    """Required body properties that name another record (`campaignId`, `referral_id`) -> the list operation
    (`listCampaigns`, `listReferrals`) whose first record can supply one."""
    schema = op.body_schema or {}
    found = {}
    for prop in schema.get("required", []):
        stem = prop[:-3] if prop.endswith("_id") else prop[:-2] if prop.endswith("Id") else None
        lister = stem and next((o for o in spec.operations if o.method == "GET" and not o.path_params and
                                o.operation_id.lower() == f"list{stem.replace('_', '')}s".lower()), None)
        if lister:
            found[prop] = lister
    return found


def first_record_id(listed: dict[str, Any], prop: str) -> Any:
    """The id a list response's first record offers for `prop`: vendors wrap lists as `data` or as a named
    array (`affiliates`), and name ids `id` or like the property (`network_affiliate_id`)."""
    rows = listed.get("data")
    if not isinstance(rows, list):
        rows = next((value for value in listed.values() if isinstance(value, list)), [])
    row = rows[0]
    return row.get(prop, row.get("id"))


def minimal_body(op: Operation, ids: dict[str, str]) -> dict[str, Any]:
    """The smallest body the operation's schema accepts: its required properties, with `ids` for references."""
    return _minimal(op.body_schema or {}, ids)


def _minimal(schema: dict[str, Any], ids: dict[str, str], name: str = "") -> Any:
    if name in ids:
        return ids[name]
    for combinator in ("oneOf", "anyOf", "allOf"):
        if schema.get(combinator):
            return _minimal(schema[combinator][0], ids, name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {prop: _minimal(props.get(prop, {}), ids, prop) for prop in schema.get("required", [])}
    if kind == "array":
        return [_minimal(schema.get("items", {}), ids) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "email":
        return "contract.sdk@example.com"
    if fmt == "date-time":
        return "2026-01-01T00:00:00Z"
    if fmt == "date":
        return "2026-01-01"
    if fmt == "uuid":
        return "00000000-0000-4000-8000-000000000000"
    if fmt in ("uri", "url"):
        return "https://example.com/contract"
    return "Contract"


def spec_problem(op: Operation, status: int, body: Any) -> str | None:
    """Why a response does not fit what the spec declares for `op` at `status` (or its default), or None."""
    return ResponseChecker(op).problems(status, body)


async def raw_http(client: TestClient, request: bytes) -> tuple[int, bytes]:
    """Send bytes exactly as given (what aiohttp's client would refuse to send); (status, body)."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    try:
        writer.write(request)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout=10)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        body = _unchunk(body)
    return status, body


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, data = out + rest[:size], rest[size + 2:]
    return out
