"""Regressions for what schemathesis found, written generically over every vendor."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient

from sandbox.core import jsoncodec
from sandbox.core.spec import Operation, Parameter, Spec
from sandbox.vendors import VENDORS

from .helpers import (
    VENDOR_NAMES,
    auth_headers,
    first_record_id,
    minimal_body,
    referenced_lists,
    spec_of,
    spec_problem,
    tenant_keys,
)

pytestmark = pytest.mark.generic

HUGE = 2**70  # beyond 64 bits: orjson cannot write it


def test_json_codec_writes_integers_beyond_64_bits() -> None:
    assert jsoncodec.dumps({"page": HUGE}) == b'{"page":1180591620717411303424}'


def list_query_params(spec: Spec, wanted: Callable[[dict], bool]) -> list[tuple[Operation, Parameter]]:
    """(operation, parameter) for every query parameter of a GET without path parameters whose schema is wanted."""
    return [(op, param) for op in spec.operations if op.method == "GET" and not op.path_params
            for param in op.query_params if wanted(param.schema)]


@pytest.mark.parametrize("name", VENDOR_NAMES)
async def test_integer_query_values_beyond_64_bits_are_answered_within_the_spec(client: TestClient,
                                                                                name: str) -> None:
    """Found by schemathesis: `?page=408491397915522367488` was echoed into the pagination and crashed the
    JSON writer (aiohttp's plain-text 500). Every integer query parameter of every operation gets such a value."""
    spec = spec_of(name)
    headers = auth_headers(spec.document, (await tenant_keys(client))[name])
    targets = list_query_params(spec, lambda schema: schema.get("type") == "integer" and "maximum" not in schema)
    for op, param in targets:
        response = await client.get(VENDORS[name].base_path + op.path, params={param.name: str(HUGE)},
                                    headers=headers)
        assert response.status < 500, (op.operation_id, param.name, await response.text())
        assert spec_problem(op, response.status, await response.json()) is None
    if not targets:
        pytest.skip(f"{name} has no unbounded integer query parameter")


EDGE_INSTANTS = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0620-06-13T13:56:18+07:18"]


def _takes_date_time(schema: dict) -> bool:
    return schema.get("format") == "date-time" or any(_takes_date_time(s) for s in schema.get("anyOf", []))


@pytest.mark.parametrize("name", VENDOR_NAMES)
async def test_date_times_at_the_ends_of_the_calendar_are_answered_within_the_spec(client: TestClient,
                                                                                    name: str) -> None:
    """Found while running schemathesis' CLI: `0001-01-01T00:00:00+05:00` is year 0 in UTC, which raised an
    OverflowError (a 500) instead of failing the format check. Every date-time query parameter gets such values."""
    spec = spec_of(name)
    headers = auth_headers(spec.document, (await tenant_keys(client))[name])
    targets = list_query_params(spec, _takes_date_time)
    for op, param in targets:
        for value in EDGE_INSTANTS:
            response = await client.get(VENDORS[name].base_path + op.path, params={param.name: value},
                                        headers=headers)
            assert response.status < 500, (op.operation_id, param.name, value, await response.text())
            assert spec_problem(op, response.status, await response.json()) is None
    if not targets:
        pytest.skip(f"{name} has no date-time query parameter")


EPOCH_0620 = int(datetime(620, 6, 13, 6, 38, 18, tzinfo=UTC).timestamp())


@pytest.mark.parametrize("name", VENDOR_NAMES)
async def test_records_made_before_the_year_1000_have_four_digit_years(client: TestClient, name: str) -> None:
    """Found by schemathesis' CLI: a commission dated 0620-06-13 came back as `620-06-13T...`, which is not a
    date-time (strftime does not pad the year everywhere). The tenant's clock goes back to 0620 and every create
    operation that takes a minimal body is called; strict mode turns any malformed timestamp into a 500."""
    spec = spec_of(name)
    created = await client.post("/_sandbox/tenants", json={})
    tenant = await created.json()
    headers = auth_headers(spec.document, tenant["keys"][name])
    moved = await client.post(f"/_sandbox/tenants/{tenant['id']}/clock", json={"set": "0620-06-13T06:38:18Z"})
    assert (await moved.json())["now"] == "0620-06-13T06:38:18Z"
    base = VENDORS[name].base_path
    successes = stamped = 0
    for op in spec.operations:
        if op.method != "POST" or op.path_params or op.body_schema is None:
            continue
        ids = {}
        for prop, lister in referenced_lists(spec, op).items():
            listed = await (await client.get(base + lister.path, headers=headers)).json()
            ids[prop] = first_record_id(listed, prop)
        response = await client.post(base + op.path, json=minimal_body(op, ids), headers=headers)
        assert response.status < 500, (op.operation_id, await response.text())
        body = await response.json()
        assert spec_problem(op, response.status, body) is None
        if response.status // 100 == 2:
            successes += 1
            # Vendors write instants as ISO-8601 text or (Everflow) as Unix seconds; no year may lose its zeros.
            text = json.dumps(body)
            assert not re.search(r'"\d{1,3}-\d{2}-\d{2}T', text), op.operation_id
            stamped += "0620-06-13T06:38:18Z" in text or str(EPOCH_0620) in text
    if not successes:
        pytest.skip(f"no {name} create operation accepts a minimal body (helpers.minimal_body)")
    assert stamped, f"no {name} create stamped the tenant clock's instant"
