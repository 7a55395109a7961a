"""A frozen clock, the same seed and the same requests give byte-identical responses."""
from __future__ import annotations

from aiohttp.test_utils import TestClient

KEY = {"Authorization": "Bearer lj_pk_sandbox_ultimate_0001"}
SCRIPT = [
    ("GET", "/linkjolt/api/v1/affiliates?limit=100", None),
    ("GET", "/linkjolt/api/v1/conversions?limit=100", None),
    ("POST", "/linkjolt/api/v1/affiliates", {"email": "d@example.com", "name": "D", "campaignId": "camp_percentage_00001"}),
    ("POST", "/linkjolt/api/v1/conversions", {"campaignId": "camp_percentage_00001",
                                              "affiliateId": "aff_jane_smith_000001", "amount": 12.34}),
    ("POST", "/linkjolt/api/v1/webhooks", {"url": "https://h.example.com", "events": ["conversion.created"]}),
    ("POST", "/_sandbox/tenants", {}),
]


async def transcript(client: TestClient) -> list[tuple[int, bytes]]:
    out = []
    for method, path, body in SCRIPT:
        response = await client.request(method, path, json=body, headers=KEY)
        out.append((response.status, await response.read()))
    return out


async def test_same_seed_same_bytes(make_client) -> None:
    first = await transcript(await make_client(seed=7))
    second = await transcript(await make_client(seed=7))
    assert first == second
    assert [status for status, _ in first] == [200, 200, 201, 201, 201, 201]


async def test_another_seed_other_data(make_client) -> None:
    first = await transcript(await make_client(seed=7))
    other = await transcript(await make_client(seed=8))
    assert first[0] != other[0]  # generated affiliates differ
