"""/agency/affiliate-programs: list, approve, decline (errors 1002, 10317, 403)."""
from __future__ import annotations

import pytest

from .conftest import AGENCY_APPROVED, AGENCY_FOREIGN, AGENCY_PENDING, READONLY, UNKNOWN, TamioClient, error

PENDING_OUT = {
    "id": AGENCY_PENDING, "object": "affiliate_program", "label": "Client shoes 15%", "currency": "EUR",
    "commission_percent": 0.15, "commission_amount": 0, "is_listed": False, "is_public": True, "approved": False,
    "seller": {"name": "Shoe Shop GmbH", "country": "DE", "id": "5e000000-0000-4000-8000-000000000001"},
    "affiliates": 4, "created_at": 1770681600,
}


async def test_list_shows_the_agencys_client_programs_with_percent_as_a_fraction(tamio: TamioClient) -> None:
    status, answer = await tamio.get("/agency/affiliate-programs/list?page=1&per_page=10")
    assert status == 200
    assert answer["total_results"] == 2
    assert [p["id"] for p in answer["programs"]] == [AGENCY_APPROVED, AGENCY_PENDING]
    assert answer["programs"][1] == PENDING_OUT


async def test_list_orders_and_pages(tamio: TamioClient) -> None:
    _, answer = await tamio.get("/agency/affiliate-programs/list?page=1&per_page=1&order=asc")
    assert (answer["total_results"], [p["id"] for p in answer["programs"]]) == (2, [AGENCY_PENDING])


@pytest.mark.parametrize("query, message", [
    ("per_page=10", "query parameter page is required"),
    ("page=1", "query parameter per_page is required"),
    ("page=1&per_page=0", "query parameter per_page must be greater than or equal to 1"),
    ("page=1&per_page=1&status=approved", "Unknown query parameters are sent: status"),
])
async def test_list_schema_failures_carry_error_code_400(tamio: TamioClient, query: str, message: str) -> None:
    assert await tamio.get(f"/agency/affiliate-programs/list?{query}") == (400, error(400, message))


async def test_approve(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/agency/affiliate-programs/approve/{AGENCY_PENDING}")
    assert (status, answer) == (200, {"status": 200, "program": PENDING_OUT | {"approved": True}})
    status, answer = await tamio.post(f"/agency/affiliate-programs/approve/{AGENCY_PENDING}")
    assert (status, answer) == (400, error(10317, "Affiliate program is already approved"))


async def test_decline(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/agency/affiliate-programs/decline/{AGENCY_APPROVED}")
    assert (status, answer["program"]["approved"]) == (200, False)
    status, answer = await tamio.post(f"/agency/affiliate-programs/decline/{AGENCY_APPROVED}")
    assert (status, answer) == (400, error(10317, "Affiliate program is not currently approved"))


@pytest.mark.parametrize("action", ["approve", "decline"])
async def test_guess_another_agencys_program_is_403_inside_a_400(tamio: TamioClient, action: str) -> None:
    status, answer = await tamio.post(f"/agency/affiliate-programs/{action}/{AGENCY_FOREIGN}")
    assert (status, answer) == (400, error(403, "NotAuthorised: you cannot approve or decline this program"))


@pytest.mark.parametrize("action", ["approve", "decline"])
async def test_unknown_program_is_1002(tamio: TamioClient, action: str) -> None:
    status, answer = await tamio.post(f"/agency/affiliate-programs/{action}/{UNKNOWN}")
    assert (status, answer) == (400, error(1002, "Affiliate program not found"))


async def test_guess_a_view_key_can_list_but_not_approve(tamio: TamioClient) -> None:
    readonly = tamio.as_key(READONLY)
    assert (await readonly.get("/agency/affiliate-programs/list?page=1&per_page=1"))[0] == 200
    status, answer = await readonly.post(f"/agency/affiliate-programs/approve/{AGENCY_PENDING}")
    assert (status, answer["error_code"]) == (400, 403)
