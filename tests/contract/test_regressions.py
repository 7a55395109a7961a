"""Regressions for what schemathesis found, written generically over every vendor."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from sandbox.core import jsoncodec
from sandbox.vendors import VENDORS

from .helpers import VENDOR_NAMES, auth_headers, spec_of, spec_problem, tenant_keys

pytestmark = pytest.mark.generic

HUGE = 2**70  # beyond 64 bits: orjson cannot write it


def test_json_codec_writes_integers_beyond_64_bits() -> None:
    assert jsoncodec.dumps({"page": HUGE}) == b'{"page":1180591620717411303424}'


@pytest.mark.parametrize("name", VENDOR_NAMES)
async def test_integer_query_values_beyond_64_bits_are_answered_within_the_spec(client: TestClient,
                                                                                name: str) -> None:
    """Found by schemathesis: `?page=408491397915522367488` was echoed into the pagination and crashed the
    JSON writer (aiohttp's plain-text 500). Every integer query parameter of every operation gets such a value."""
    spec = spec_of(name)
    headers = auth_headers(spec.document, (await tenant_keys(client))[name])
    tried = 0
    for op in spec.operations:
        if op.method != "GET" or op.path_params:
            continue
        for param in op.query_params:
            if param.schema.get("type") != "integer" or "maximum" in param.schema:
                continue
            tried += 1
            response = await client.get(VENDORS[name].base_path + op.path, params={param.name: str(HUGE)},
                                        headers=headers)
            assert response.status < 500, (op.operation_id, param.name, await response.text())
            assert spec_problem(op, response.status, await response.json()) is None
    if not tried:
        pytest.skip(f"{name} has no unbounded integer query parameter")
