"""Bad input never crashes anything: for every vendor, hostile requests get a well-formed vendor error that fits
the spec (the declared response for that status, or `default`), and the process keeps serving afterwards.

Everything is derived from `VENDORS`, each vendor's spec (auth scheme, operations) and the control plane (keys),
so a new vendor is covered the day it is registered.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sandbox.vendors import VENDORS

from .helpers import VENDOR_NAMES, auth_headers, body_operation, plain_get, raw_http, spec_of, spec_problem, tenant_keys

pytestmark = pytest.mark.generic  # hits operations alike; does not count towards an operation's tests

MIB = 1024 * 1024
JSON = "application/json"

# (id, content type, body): each must be refused as a client error, never a 5xx.
BAD_BODIES: list[tuple[str, str | None, bytes]] = [
    ("truncated-json", JSON, b'{"email": "a@b.co", '),
    ("not-json", JSON, b"hello there"),
    ("trailing-garbage", JSON, b'{"a": 1} {"b": 2}'),
    ("nan-literal", JSON, b'{"a": NaN}'),
    ("huge-integer", JSON, b'{"a": 1' + b"0" * 400 + b"}"),
    ("json-null", JSON, b"null"),
    ("json-string", JSON, b'"just a string"'),
    ("json-number", JSON, b"42"),
    ("json-array", JSON, b"[1, 2, 3]"),
    ("empty-object", JSON, b"{}"),
    ("form-urlencoded", "application/x-www-form-urlencoded", b"email=a%40b.co&name=x"),
    ("multipart", "multipart/form-data; boundary=XyZ",
     b'--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.co\r\n--XyZ--\r\n'),
    ("xml", "application/xml", b"<affiliate><email>a@b.co</email></affiliate>"),
    ("text-plain", "text/plain", b"email: a@b.co"),
    ("no-content-type", None, b"\x00\x01\x02 binary"),
    ("invalid-utf8", JSON, b'{"email": "\xff\xfe\xfd@b.co"}'),
    ("overlong-utf8", JSON, b'{"email": "\xc0\xaf@b.co"}'),
    ("lone-surrogate", JSON, b'{"email": "\\ud800@b.co"}'),
    ("nul-in-string", JSON, b'{"email": "a\\u0000@b.co"}'),
    ("deep-arrays", JSON, b"[" * 100_000 + b"]" * 100_000),
    ("deep-objects", JSON, b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    ("deep-inside-a-field", JSON, b'{"email": ' + b"[" * 5_000 + b"]" * 5_000 + b"}"),
    ("over-1-mib-string", JSON, b'{"email": "' + b"x" * (MIB + 10) + b'"}'),
    ("over-1-mib-garbage", "application/octet-stream", b"\xff" * (2 * MIB)),
]


@pytest.fixture(params=VENDOR_NAMES)
def vendor(request: pytest.FixtureRequest) -> str:
    return request.param


async def _setup(client: TestClient, name: str) -> tuple[Any, dict[str, str]]:
    spec = spec_of(name)
    keys = await tenant_keys(client)
    return spec, auth_headers(spec.document, keys[name])


async def _still_serving(client: TestClient, name: str, headers: dict[str, str]) -> None:
    spec = spec_of(name)
    op = plain_get(spec)
    response = await client.get(VENDORS[name].base_path + op.path, headers=headers)
    assert response.status // 100 == 2, (op.operation_id, response.status, await response.text())
    assert spec_problem(op, response.status, await response.json()) is None


def _assert_vendor_error(op: Any, status: int, text: str) -> None:
    assert 400 <= status < 500, (status, text[:300])
    body = json.loads(text)
    assert spec_problem(op, status, body) is None, (status, body)


async def test_bad_bodies_are_vendor_errors(client: TestClient, vendor: str) -> None:
    """Every case of BAD_BODIES on one app (one app per case would cost more than the cases themselves)."""
    spec, headers = await _setup(client, vendor)
    op = body_operation(spec)
    path = VENDORS[vendor].base_path + op.path.replace("{", "").replace("}", "")  # a literal stands in for ids
    failures = []
    for name, content_type, data in BAD_BODIES:
        if name == "empty-object" and not (op.body_schema or {}).get("required"):
            continue  # {} is a valid body for this operation
        sent = headers | ({"Content-Type": content_type} if content_type else {})
        response = await client.request(op.method, path, data=data, headers=sent)
        try:
            _assert_vendor_error(op, response.status, await response.text())
            await _still_serving(client, vendor, headers)
        except (AssertionError, ValueError) as exc:
            failures.append(f"{name}: {exc}")
    assert failures == []


async def test_body_over_1_mib_is_the_vendors_413_or_400(client: TestClient, vendor: str) -> None:
    spec, headers = await _setup(client, vendor)
    op = body_operation(spec)
    response = await client.request(op.method, VENDORS[vendor].base_path + op.path, data=b" " * (MIB + 1),
                                    headers=headers | {"Content-Type": JSON})
    assert response.status in (400, 413)
    _assert_vendor_error(op, response.status, await response.text())
    await _still_serving(client, vendor, headers)


async def test_missing_and_malformed_keys_are_the_vendors_401(client: TestClient, vendor: str) -> None:
    # A header line over 8 KiB is refused by the HTTP layer itself (plain 400, as a vendor's front proxy would).
    spec, headers = await _setup(client, vendor)
    op = plain_get(spec)
    url = VENDORS[vendor].base_path + op.path
    for bad in ({}, auth_headers(spec.document, ""), auth_headers(spec.document, "x" * 4_000),
                auth_headers(spec.document, "not a key at all"), {"Authorization": "Basic dXNlcjpwYXNz"}):
        response = await client.get(url, headers=bad)
        assert response.status == 401, bad
        _assert_vendor_error(op, response.status, await response.text())
    await _still_serving(client, vendor, headers)


UNKNOWN_PATHS = ["", "/", "/definitely-not-a-route", "/affiliates/x/y/z/w", "/%FF%FE", "/" + "a" * 8000,
                 "//", "/openapi.json/extra"]


@pytest.mark.parametrize("path", UNKNOWN_PATHS, ids=range(len(UNKNOWN_PATHS)))
async def test_unknown_path_is_a_vendor_error(client: TestClient, vendor: str, path: str) -> None:
    spec, headers = await _setup(client, vendor)
    response = await client.get(VENDORS[vendor].base_path + path, headers=headers)
    _assert_vendor_error(plain_get(spec), response.status, await response.text())
    await _still_serving(client, vendor, headers)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST", "PROPFIND", "TRACE"])
async def test_unknown_method_is_a_vendor_error(client: TestClient, vendor: str, method: str) -> None:
    spec, headers = await _setup(client, vendor)
    op = plain_get(spec)
    declared = {o.method for o in spec.operations if o.path == op.path}
    if method in declared:
        pytest.skip(f"{method} {op.path} is a real operation of {vendor}")
    response = await client.request(method, VENDORS[vendor].base_path + op.path, headers=headers)
    assert response.status in (404, 405)
    _assert_vendor_error(op, response.status, await response.text())
    await _still_serving(client, vendor, headers)


def _raw(method: str, target: bytes, headers: dict[str, str], extra: bytes = b"") -> bytes:
    lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: localhost", b"Connection: close"]
    lines += [f"{k}: {v}".encode() for k, v in headers.items()]
    return b"\r\n".join(lines) + b"\r\n" + extra + b"\r\n"


async def test_invalid_utf8_and_traversal_in_path_query_and_header(client: TestClient, vendor: str) -> None:
    spec, headers = await _setup(client, vendor)
    op = plain_get(spec)
    base = VENDORS[vendor].base_path.encode()
    item = next((o for o in spec.operations if o.method == "GET" and o.path_params), op)
    item_path = base + item.path.encode().split(b"{")[0]
    listing = next((o for o in spec.operations if o.method == "GET" and not o.path_params and o.query_params), op)
    vendor_errors = [  # (operation whose spec the answer must fit, raw request)
        (op, _raw("GET", base + b"/%FF%FE", headers)),
        (op, _raw("GET", base + b"/%2e%2e/%2e%2e/etc/passwd", headers)),
        (item, _raw("GET", item_path + b"%FF%C0%AF", headers)),
        (op, _raw("GET", base + op.path.encode(), {}, b"Authorization: Bearer \xff\xfe\xfd\r\n")),
    ]
    for target, attack in vendor_errors:
        status, body = await raw_http(client, attack)
        _assert_vendor_error(target, status, body.decode())
    # Undecodable query values: the vendor may refuse them or ignore them, but answers within its spec.
    status, body = await raw_http(client, _raw("GET", base + listing.path.encode() + b"?limit=%FF&page=%C0%AF&%FF=1",
                                               headers))
    assert status < 500 and spec_problem(listing, status, json.loads(body)) is None, (status, body)
    # Raw non-ASCII bytes in the request line are malformed HTTP: the HTTP layer refuses them with a plain 400
    # before any vendor sees the request, as a vendor's front proxy would.
    status, _ = await raw_http(client, _raw("GET", item_path + b"\xff\xfe", headers))
    assert status == 400
    await _still_serving(client, vendor, headers)


async def test_every_operation_survives_garbage_everywhere(client: TestClient, vendor: str) -> None:
    """Each operation, with hostile path ids, query values and body: always a 4xx that fits the spec."""
    spec, headers = await _setup(client, vendor)
    hostile = "\u202e\x00'\";--<script>" + "9" * 40
    for op in spec.operations:
        path = op.path
        for p in op.path_params:
            path = path.replace("{" + p.name + "}", "%00%2F..%5C" + "9" * 30)
        query = {p.name: hostile for p in op.query_params}
        response = await client.request(op.method, VENDORS[vendor].base_path + path, params=query,
                                        data=b'{"' + hostile.encode() + b'": [[[{}]]]}',
                                        headers=headers | {"Content-Type": JSON})
        assert response.status < 500, (op.operation_id, response.status, await response.text())
        assert spec_problem(op, response.status, await response.json()) is None, op.operation_id
    await _still_serving(client, vendor, headers)
