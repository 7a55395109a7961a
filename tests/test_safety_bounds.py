"""Money and counters are bounded where they enter (issue 13): 1e308 is a 400 in the vendor's envelope, never a
stored infinity; and no JSON number parses to infinity or NaN."""
from __future__ import annotations

import math

import pytest
from aiohttp.test_utils import TestClient

from sandbox.core import jsoncodec

TAMIO = {"Authorization": "Bearer sk_sandbox_full_0001"}
TAMIO_JANE = "b0000000-0000-4000-8000-000000000001"  # balance 15000 in the fixtures
PROMOTEKIT = {"Authorization": "Bearer pk_sandboxDefaultKey00001"}
PK_REFERRAL = "dd000000-0000-4000-8000-000000000001"
EVERFLOW = {"X-Eflow-Api-Key": "ef_sandbox_network_0001"}


async def test_a_tamio_bonus_of_1e308_is_refused_and_the_balance_stays_finite(client: TestClient) -> None:
    url = f"/tamio/v2/affiliates/bonus/add/{TAMIO_JANE}"
    for _ in range(2):  # twice: 1e308 + 1e308 was infinity, rendered null
        response = await client.post(url, headers=TAMIO, json={"amount": 1e308})
        assert response.status == 400
        assert await response.json() == {"status": 400, "error": "amount must be less than or equal to 1000000000000",
                                         "error_code": 400}
    fine = await client.post(url, headers=TAMIO, json={"amount": 1000000000000})
    assert fine.status == 200
    assert (await fine.json())["affiliate"]["balance"] == 15000 + 1000000000000


@pytest.mark.parametrize("field", ["revenue_amount", "commission_amount"])
async def test_a_promotekit_commission_of_1e308_is_refused(client: TestClient, field: str) -> None:
    body = {"referral_id": PK_REFERRAL, "revenue_amount": 49.99, "commission_amount": 10, field: 1e308}
    response = await client.post("/promotekit/api/v1/commissions", headers=PROMOTEKIT, json=body)
    assert response.status == 400
    answer = await response.json()
    assert answer["success"] is False and field in answer["error"]["message"]


async def test_an_everflow_payout_of_1e308_is_refused(client: TestClient) -> None:
    response = await client.put("/everflow/v1/networks/reporting/conversions/any/payoutrevenue", headers=EVERFLOW,
                                json={"payout": 1e308, "revenue": 1})
    assert response.status == 400
    assert "payout" in (await response.json())["error"]


@pytest.mark.parametrize("raw", [b"1e999", b"-1e999", b"[1e400]", b'{"a": 1E999}', b"NaN", b"Infinity", b"-Infinity"])
@pytest.mark.parametrize("codec", ["orjson", "standard library"])
def test_no_json_number_parses_to_infinity_or_nan(monkeypatch: pytest.MonkeyPatch, raw: bytes, codec: str) -> None:
    if codec != "orjson":
        monkeypatch.setattr(jsoncodec, "orjson", None)
    with pytest.raises(ValueError):
        jsoncodec.loads(raw)


def test_the_standard_library_path_still_reads_big_finite_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsoncodec, "orjson", None)
    assert jsoncodec.loads(b'{"a": 1e308, "b": -2.5, "c": 12}') == {"a": 1e308, "b": -2.5, "c": 12}
    assert not math.isinf(jsoncodec.loads(b"1.7976931348623157e308"))
