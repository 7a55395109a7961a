"""Drive every write operation of a vendor's spec against a tenant: what the stored-record shapes must describe.

Each non-GET, non-DELETE operation is called twice, once with a body that fills every property its schema
declares (so optional fields get stored too) and once with only the required ones. Path parameters and body
properties that name another record are filled with the id of the first record of the collection they name.
Used by tests/test_safety_records.py (the shapes stay honest) and to draft shapes for a new collection.
"""
from __future__ import annotations

import dataclasses
import itertools
import re
from typing import Any

from aiohttp.test_utils import TestClient

from sandbox.app import REGISTRY
from sandbox.core.spec import Operation
from sandbox.core.store import Collection
from sandbox.vendors import VENDORS

from .contract.helpers import auth_headers, spec_of

# A path parameter named only `id`/`uuid` is told apart by the path segment before it.
SEGMENT_COLLECTIONS = {"affiliate-programs": "programs", "pause-resume": "programs", "update": "programs",
                       "approve": "affiliates", "decline": "affiliates", "trackingdomains": "affiliate_tracking_domains",
                       "affiliatetiers": "tiers", "offerurls": "offer_urls", "offergroups": "offer_groups"}


def collections_of(client: TestClient, vendor: str, tenant_id: str = "default") -> dict[str, Collection]:
    tenant = client.server.app[REGISTRY].get(tenant_id)
    assert tenant is not None
    state = tenant.states[vendor]
    return {f.name: value for f in dataclasses.fields(state)
            if isinstance(value := getattr(state, f.name), Collection)}


def _singular(name: str) -> str:
    return name.removesuffix("s")


def reference_ids(collections: dict[str, Collection]) -> dict[str, Any]:
    """`campaign_id`, `campaignId`, `network_offer_id`, ... -> the first record's id of the collection named."""
    ids: dict[str, Any] = {}
    for name, collection in collections.items():
        first = next(iter(collection), None)
        if first is None:
            continue
        value = first[collection.id_field]
        stem = _singular(name)
        camel = re.sub(r"_(\w)", lambda m: m.group(1).upper(), stem)
        id_names = (f"{stem}_id", f"{camel}Id", f"{stem}Id", f"network_{stem}_id")
        for key in id_names + ((collection.id_field,) if collection.id_field.lower().endswith("id") else ()):
            ids.setdefault(key, value)
    return ids


def _path_collection(op: Operation, param: str, collections: dict[str, Collection]) -> str | None:
    stem = re.sub(r"Id$", "", param)
    snake = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), stem)
    for candidate in (f"{snake}s", snake, f"affiliate_{snake}s"):
        if candidate in collections:
            return candidate
    segments = [s for s in op.path.split("/") if s]
    before = segments[segments.index("{" + param + "}") - 1]
    if before.startswith("{"):
        return None
    if op.path.startswith("/agency/"):
        return "agency_programs"
    found = SEGMENT_COLLECTIONS.get(before, before)
    if found in ("approve", "decline") or found not in collections:
        found = next((s for s in segments if s in collections), found)
    return found if found in collections else None


# Property names whose values a vendor checks beyond the schema (a known currency, a password policy, ...).
BY_NAME: dict[str, Any] = {"currency": "USD", "currency_id": "USD", "default_currency_id": "USD",
                           "account_status": "active", "offer_status": "active", "status": "active",
                           "date_live_until": "2027-01-01", "start_time": "2026-05-01", "end_time": "2026-05-31",
                           "initial_password": "Sandbox-Pass-123!", "country_id": 1, "country_code": "US",
                           "language": "en"}
PATTERNED = ("worldwide", "USD", "US", "en", "pk_records", "lj_pk_records", "records", "https://example.com/records")
_calls = iter(range(10 ** 9))  # a fresh number per body, so names and emails never collide with the last call's


def _unique(value: Any) -> Any:
    number = next(_calls)
    if isinstance(value, str) and "@" in value:
        local, _, domain = value.partition("@")
        return f"{local}{number}@{domain}"
    return value


def _filled(schema: Any, ids: dict[str, Any], name: str = "", full: bool = True, depth: int = 0) -> Any:
    if name in ids:
        return ids[name]
    if name in BY_NAME and not (isinstance(schema, dict) and "enum" in schema):
        return BY_NAME[name]
    if not isinstance(schema, dict) or depth > 6:
        return "Records"
    for combinator in ("oneOf", "anyOf", "allOf"):
        if schema.get(combinator):  # the first alternative, on top of what the schema says beside it
            base = {k: v for k, v in schema.items() if k != combinator}
            first = schema[combinator][0]
            merged = {**base, **first, "properties": {**base.get("properties", {}), **first.get("properties", {})},
                      "required": base.get("required", []) + first.get("required", [])}
            return _filled(merged, ids, name, full, depth + 1)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return next((v for v in schema["enum"] if v is not None), None)
    if "default" in schema and not full:
        return schema["default"]
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        names = list(props) if full else schema.get("required", [])
        filled = {prop: _filled(props.get(prop, {}), ids, prop, full, depth + 1) for prop in names}
        if not filled and schema.get("minProperties") and isinstance(schema.get("additionalProperties"), dict):
            key = next(c for c in PATTERNED + ("records",)  # a map keyed by a code (Tamio's languages)
                       if re.search((schema.get("propertyNames") or {}).get("pattern", ""), c))
            filled = {key: _filled(schema["additionalProperties"], ids, key, full, depth + 1)}
        return filled
    if kind == "array":
        count = max(schema.get("minItems", 0), 1 if full else 0)
        return [_filled(schema.get("items", {}), ids, "", full, depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
        return min(max(low, 1), schema.get("maximum", 10 ** 6))
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    samples = {"email": "records.check@example.com", "date-time": "2026-06-01T00:00:00Z", "date": "2026-06-01",
               "uuid": "00000000-0000-4000-8000-000000000000", "uri": "https://example.com/records",
               "url": "https://example.com/records"}
    if fmt in samples:
        return _unique(samples[fmt])
    length = max(schema.get("minLength", 0), 7)
    text = f"Records{next(_calls)}" + "x" * max(0, length - 7)
    if "pattern" in schema and not re.search(schema["pattern"], text):  # a code of some kind: a usual one
        text = next((c for c in PATTERNED if re.search(schema["pattern"], c)), text)
    return text


def _path_for(op: Operation, collections: dict[str, Collection], pick: int) -> str | None:
    """The operation's path with each parameter the id of the `pick`th record of the collection it names."""
    path = op.path
    for param in op.path_params:
        target = _path_collection(op, param.name, collections)
        records = list(itertools.islice(iter(collections[target]), pick + 1)) if target else []
        if len(records) <= pick:
            return None
        path = path.replace("{" + param.name + "}", str(records[pick][collections[target].id_field]))
    return path


async def drive_every_write(client: TestClient, vendor: str, key: str) -> tuple[list[str], list[str]]:
    """Call every write of `vendor` on the default tenant: (operations that answered 2xx, those that never did)."""
    spec = spec_of(vendor)
    headers = auth_headers(spec.document, key)
    base = VENDORS[vendor].base_path
    succeeded, failed = [], []
    writes = [op for op in spec.operations if op.method in ("POST", "PUT", "PATCH")]
    writes.sort(key=lambda op: bool(op.path_params))  # creates first, so updates find more to change
    for op in writes:
        collections = collections_of(client, vendor)
        ids = reference_ids(collections)
        ok = False
        for pick in range(4 if op.path_params else 1):  # the first records, until one is in a state that allows it
            path = _path_for(op, collections, pick)
            if path is None:
                break
            for full in (True, False):
                body = _filled(op.body_schema, ids, full=full) if op.body_schema is not None else None
                response = await client.request(op.method, base + path, json=body, headers=headers)
                assert response.status < 500, (op.operation_id, full, response.status, await response.text())
                ok = ok or response.status < 300
            if ok:
                break
        (succeeded if ok else failed).append(op.operation_id)
    succeeded.extend(await _drive_targeted_writes(client, vendor, base, headers))
    return succeeded, failed


async def _drive_targeted_writes(client: TestClient, vendor: str, base: str, headers: dict[str, str]) -> list[str]:
    """Writes the generic bodies cannot reach: a webhook endpoint made on the control plane (PromoteKit and Tamio
    have no API for it; the built-in inbox as its target) and Everflow payments, which need an unpaid invoice."""
    done: list[str] = []
    if vendor in ("promotekit", "tamio"):
        event = {"promotekit": "affiliate.created", "tamio": "affiliate-program-created"}[vendor]
        response = await client.post("/_sandbox/tenants/default/webhooks", json={
            "vendor": vendor, "url": str(client.make_url("/_sandbox/inbox/records")), "events": [event]})  # no traffic out
        assert response.status == 201, await response.text()
        done.append("control.createWebhookSubscription")
    if vendor == "everflow":
        first = next(iter(collections_of(client, vendor)["invoices"]))  # the driver may have paid them all
        unpaid = [first["network_affiliate_invoice_id"]]
        response = await client.patch(base + "/networks/billings/affiliates/invoices",
                                      json={"invoice_ids": unpaid, "status": "unpaid"}, headers=headers)
        assert response.status == 200, await response.text()
        response = await client.post(base + "/networks/billings/affiliates/payments", json={"invoice_ids": unpaid},
                                     headers=headers)
        assert response.status == 200, await response.text()
        done.append("createAffiliatePayments")
    return done
