"""/affiliates: list, retrieve, delete (block), approve, decline, bonus add/deduct, send-email, blocked, unblock."""
from __future__ import annotations

import pytest

from .conftest import (
    BLOCKED,
    JANE,
    NOW,
    PAT_PENDING,
    PAYOUT,
    PROG_ACTIVE,
    PROG_REPEATING,
    RITA,
    TEMPLATE,
    UNKNOWN,
    ZOE_ZERO,
    TamioClient,
    error,
)

JANE_OUT = {
    "object": "affiliate", "id": JANE, "email": "jane@example.com", "name": "Jane", "surname": "Doe",
    "address": "123 Main Street", "city": "London", "state": "England", "country": "GB", "postcode": "SW1A 1AA",
    "vat": "GB123456789", "telephone": "+44 20 7946 0958",
    "billing_information": {"name": "Jane Doe", "email": "jane@example.com", "address": "123 Main Street",
                            "city": "London", "country": "GB", "postcode": "SW1A 1AA"},
    "bonus": 500, "balance": 15000, "sales": 42, "referrals": 18, "approved": True, "date_joined": 1769299200,
    "language": "en", "payments": ["stripe", "paypal"], "has_notes": False, "affiliate_program_id": PROG_ACTIVE,
    "affiliate_program_label": "20% commission", "currency": "EUR",
}
NOT_FOUND = error(1002, "Affiliate not found")


async def ids(tamio: TamioClient, query: str) -> list[str]:
    status, answer = await tamio.get(f"/affiliates/list?page=1&per_page=100&{query}")
    assert status == 200, answer
    assert answer["total_results"] == len(answer["affiliates"])
    return [a["id"] for a in answer["affiliates"]]


# -- list -------------------------------------------------------------------------------------------------

async def test_list_needs_page_and_per_page(tamio: TamioClient) -> None:
    status, answer = await tamio.get("/affiliates/list?per_page=10")
    assert (status, answer) == (400, error(400, "query parameter page is required"))
    status, answer = await tamio.get("/affiliates/list?page=1")
    assert (status, answer) == (400, error(400, "query parameter per_page is required"))


async def test_list_answers_every_affiliate_with_total_results(tamio: TamioClient) -> None:
    status, answer = await tamio.get("/affiliates/list?page=1&per_page=2&sort_by=created_at&order=asc")
    assert status == 200
    assert answer["total_results"] == 9
    assert answer["affiliates"][0] == JANE_OUT
    assert len(answer["affiliates"]) == 2


async def test_guess_list_is_newest_first_by_default(tamio: TamioClient) -> None:
    assert await ids(tamio, f"affiliate_program_id={PROG_ACTIVE}") == [PAT_PENDING, ZOE_ZERO, JANE]


@pytest.mark.parametrize("query, expected", [
    ("status=pending", [PAT_PENDING]),
    (f"status=approved&affiliate_program_id={PROG_ACTIVE}", [ZOE_ZERO, JANE]),
    ("countries=GB,AT", [RITA, JANE]),
    ("countries=GB&countries=DE", [ZOE_ZERO, JANE]),
    ("filter=ZOE", [ZOE_ZERO]),  # guess: filter matches name, surname or email, case-insensitively
    ("filter=example.com&sort_by=email&order=asc", [JANE, PAT_PENDING, RITA, ZOE_ZERO]),
    (f"sort_by=name&order=desc&affiliate_program_id={PROG_ACTIVE}", [ZOE_ZERO, PAT_PENDING, JANE]),
    (f"sort_by=country&order=asc&affiliate_program_id={PROG_ACTIVE}", [ZOE_ZERO, JANE, PAT_PENDING]),
    (f"from=2026-02-01&to=2026-03-05&affiliate_program_id={PROG_ACTIVE}", [ZOE_ZERO]),
    ("from=1772712000&to=1772712000", [RITA]),
    (f"automation_id={UNKNOWN}", []),  # guess: the sandbox has no automations
    (f"affiliate_program_id={UNKNOWN}", []),
])
async def test_list_filters(tamio: TamioClient, query: str, expected: list[str]) -> None:
    assert await ids(tamio, query) == expected


@pytest.mark.parametrize("query, message", [
    ("per_page=101", "query parameter per_page must be less than or equal to 100"),
    ("status=blocked", "query parameter status must be one of: approved, pending"),
    ("sort_by=price", "query parameter sort_by must be one of: name, email, country, created_at"),
    ("countries=gb", "query parameter countries.0 has an invalid value 'gb'"),
    ("countries=GB,GB", "query parameter countries must not contain duplicates"),
    ("affiliate_program_id=1", "query parameter affiliate_program_id must be a valid UUID"),
    ("order=random", "query parameter order must be one of: asc, desc"),
    ("email=jane@example.com", "Unknown query parameters are sent: email"),
])
async def test_list_query_rules(tamio: TamioClient, query: str, message: str) -> None:
    status, answer = await tamio.get(f"/affiliates/list?page=1&{query}{'' if 'per_page' in query else '&per_page=5'}")
    assert (status, answer) == (400, error(400, message))


async def test_list_accepts_up_to_120_countries(tamio: TamioClient) -> None:
    codes = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(121)]
    status, _ = await tamio.get(f"/affiliates/list?page=1&per_page=5&countries={','.join(codes[:120])}")
    assert status == 200
    status, answer = await tamio.get(f"/affiliates/list?page=1&per_page=5&countries={','.join(codes)}")
    assert (status, answer) == (400, error(400, "query parameter countries must have at most 120 items"))


# -- retrieve ---------------------------------------------------------------------------------------------

async def test_retrieve_answers_the_documented_object(tamio: TamioClient) -> None:
    status, answer = await tamio.get(f"/affiliates/retrieve/{JANE}")
    assert (status, answer) == (200, {"status": 200, "affiliate": JANE_OUT})


async def test_retrieve_unknown_is_1002(tamio: TamioClient) -> None:
    assert await tamio.get(f"/affiliates/retrieve/{UNKNOWN}") == (400, NOT_FOUND)


# -- delete -----------------------------------------------------------------------------------------------

async def test_delete_needs_block(tamio: TamioClient) -> None:
    status, answer = await tamio.delete(f"/affiliates/{ZOE_ZERO}")
    assert (status, answer) == (400, error(400, "query parameter block is required"))
    status, answer = await tamio.delete(f"/affiliates/{ZOE_ZERO}?block=yes")
    assert (status, answer) == (400, error(400, "query parameter block must be of type boolean"))


async def test_delete_without_block(tamio: TamioClient) -> None:
    assert await tamio.delete(f"/affiliates/{ZOE_ZERO}?block=false") == (200, {"status": 200})
    assert await tamio.get(f"/affiliates/retrieve/{ZOE_ZERO}") == (400, NOT_FOUND)
    _, blocked = await tamio.get(f"/affiliates/blocked/{PROG_ACTIVE}")
    assert blocked["total_results"] == 1
    _, program = await tamio.get(f"/affiliate-programs/retrieve/{PROG_ACTIVE}")
    assert program["program"]["affiliates"] == 1


async def test_delete_with_block_puts_the_email_on_the_blocked_list(tamio: TamioClient) -> None:
    assert await tamio.delete(f"/affiliates/{ZOE_ZERO}?block=true") == (200, {"status": 200})
    _, blocked = await tamio.get(f"/affiliates/blocked/{PROG_ACTIVE}")
    newest = blocked["blocked_affiliates"][0]
    assert blocked["total_results"] == 2
    assert newest == {"id": newest["id"], "email": "zero@example.com", "affiliate_program_id": PROG_ACTIVE,
                      "created_at": NOW}
    status, answer = await tamio.control("POST", f"programs/{PROG_ACTIVE}/signup", {"email": "zero@example.com"})
    assert (status, answer["error"]["code"]) == (409, "blocked")


async def test_delete_unknown_is_1002(tamio: TamioClient) -> None:
    assert await tamio.delete(f"/affiliates/{UNKNOWN}?block=false") == (400, NOT_FOUND)


async def test_guess_10199_cannot_delete_an_affiliate_with_an_unpaid_payout(tamio: TamioClient) -> None:
    status, answer = await tamio.delete(f"/affiliates/{JANE}?block=false")
    assert (status, answer) == (400, error(10199, "Cannot delete affiliate from this program: it has an unpaid payout"))
    await tamio.control("POST", f"payouts/{PAYOUT}/pay")
    assert await tamio.delete(f"/affiliates/{JANE}?block=false") == (200, {"status": 200})


# -- approve / decline ------------------------------------------------------------------------------------

async def test_approve_a_pending_affiliate(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliates/approve/{PAT_PENDING}")
    assert (status, answer["affiliate"]["approved"], answer["affiliate"]["id"]) == (200, True, PAT_PENDING)
    _, program = await tamio.get(f"/affiliate-programs/retrieve/{PROG_ACTIVE}")
    assert program["program"]["affiliates"] == 3
    assert await ids(tamio, "status=pending") == []


@pytest.mark.parametrize("affiliate_id", [JANE, UNKNOWN])
async def test_approve_an_approved_or_unknown_affiliate_is_1002(tamio: TamioClient, affiliate_id: str) -> None:
    status, answer = await tamio.post(f"/affiliates/approve/{affiliate_id}")
    assert (status, answer) == (400, error(1002, "Affiliate not found or already approved"))


async def test_guess_decline_removes_the_application(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliates/decline/{PAT_PENDING}")
    assert (status, answer["affiliate"]["approved"], answer["affiliate"]["email"]) == (
        200, False, "pat.pending@example.com")
    assert await tamio.get(f"/affiliates/retrieve/{PAT_PENDING}") == (400, NOT_FOUND)
    assert await tamio.post(f"/affiliates/decline/{PAT_PENDING}") == (400, NOT_FOUND)


async def test_guess_an_approved_affiliate_can_be_declined(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliates/decline/{ZOE_ZERO}")
    assert (status, answer["affiliate"]["approved"]) == (200, False)


# -- bonuses ----------------------------------------------------------------------------------------------

async def test_bonus_add_raises_bonus_and_balance(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliates/bonus/add/{JANE}", {"amount": 250})
    assert (status, answer) == (200, {"status": 200, "affiliate": JANE_OUT | {"bonus": 750, "balance": 15250}})


async def test_guess_a_pending_affiliate_can_get_a_bonus(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliates/bonus/add/{PAT_PENDING}", {"amount": 100})
    assert (status, answer["affiliate"]["balance"]) == (200, 100)


async def test_bonus_deduct_lowers_bonus_and_balance(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliates/bonus/deduct/{JANE}", {"amount": 500})
    assert (status, answer) == (200, {"status": 200, "affiliate": JANE_OUT | {"bonus": 0, "balance": 14500}})


async def test_bonus_deduct_needs_an_approved_affiliate(tamio: TamioClient) -> None:
    for affiliate_id in (PAT_PENDING, UNKNOWN):
        status, answer = await tamio.post(f"/affiliates/bonus/deduct/{affiliate_id}", {"amount": 1})
        assert (status, answer) == (400, error(1002, "Affiliate not found or not approved"))


async def test_guess_deducting_more_than_the_balance_is_10201(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliates/bonus/deduct/{ZOE_ZERO}", {"amount": 1})
    assert (status, answer) == (400, error(10201, "Affiliate balance is insufficient"))


async def test_bonus_add_unknown_is_1002(tamio: TamioClient) -> None:
    assert await tamio.post(f"/affiliates/bonus/add/{UNKNOWN}", {"amount": 1}) == (400, NOT_FOUND)


@pytest.mark.parametrize("operation", ["add", "deduct"])
@pytest.mark.parametrize("payload, message", [
    ({}, "amount is required"),
    ({"amount": 0}, "amount must be greater than 0"),
    ({"amount": -5}, "amount must be greater than 0"),
    ({"amount": 1.5}, "amount must be of type integer"),
    ({"amount": 5, "note": "thanks"}, "Additional properties present: note"),
])
async def test_bonus_amount_rules(tamio: TamioClient, operation: str, payload: dict, message: str) -> None:
    status, answer = await tamio.post(f"/affiliates/bonus/{operation}/{JANE}", payload)
    assert (status, answer) == (400, error(400, message))


# -- send-email -------------------------------------------------------------------------------------------

async def test_send_email(tamio: TamioClient) -> None:
    assert await tamio.post(f"/affiliates/send-email/{JANE}", {"email_template_id": TEMPLATE}) == (
        200, {"status": 200})
    status, sent = await tamio.control("GET", "emails")
    assert (status, sent) == (200, {"data": [{"affiliate_id": JANE, "email": "jane@example.com",
                                              "email_template_id": TEMPLATE,
                                              "subject": "Welcome to our affiliate program", "sent_at": NOW}]})


async def test_guess_send_email_unknown_template_or_affiliate_is_1002(tamio: TamioClient) -> None:
    assert await tamio.post(f"/affiliates/send-email/{JANE}", {"email_template_id": UNKNOWN}) == (
        400, error(1002, "Email template not found"))
    assert await tamio.post(f"/affiliates/send-email/{UNKNOWN}", {"email_template_id": TEMPLATE}) == (
        400, NOT_FOUND)


async def test_send_email_needs_a_template_uuid(tamio: TamioClient) -> None:
    assert await tamio.post(f"/affiliates/send-email/{JANE}", {"email_template_id": "welcome"}) == (
        400, error(400, "email_template_id must be a valid UUID"))
    assert await tamio.post(f"/affiliates/send-email/{JANE}", {}) == (400, error(400, "email_template_id is required"))


# -- blocked list / unblock -------------------------------------------------------------------------------

async def test_blocked_list(tamio: TamioClient) -> None:
    """The item shape {id, email, affiliate_program_id, created_at} is a guess."""
    status, answer = await tamio.get(f"/affiliates/blocked/{PROG_ACTIVE}")
    assert (status, answer) == (200, {"status": 200, "total_results": 1, "blocked_affiliates": [
        {"id": BLOCKED, "email": "spammer@example.com", "affiliate_program_id": PROG_ACTIVE,
         "created_at": 1775124000}]})
    _, answer = await tamio.get(f"/affiliates/blocked/{PROG_REPEATING}")
    assert (answer["total_results"], answer["blocked_affiliates"]) == (0, [])
    _, answer = await tamio.get(f"/affiliates/blocked/{PROG_ACTIVE}?to=2026-04-01")
    assert answer["total_results"] == 0


async def test_blocked_list_of_an_unknown_program_is_1002(tamio: TamioClient) -> None:
    assert await tamio.get(f"/affiliates/blocked/{UNKNOWN}") == (
        400, error(1002, "Affiliate program not found (or does not belong to your account)"))


async def test_blocked_list_query_rules(tamio: TamioClient) -> None:
    assert await tamio.get(f"/affiliates/blocked/{PROG_ACTIVE}?filter=x") == (
        400, error(400, "Unknown query parameters are sent: filter"))


async def test_unblock(tamio: TamioClient) -> None:
    assert await tamio.post(f"/affiliates/unblock/{BLOCKED}") == (200, {"status": 200})
    _, answer = await tamio.get(f"/affiliates/blocked/{PROG_ACTIVE}")
    assert answer["total_results"] == 0
    assert await tamio.post(f"/affiliates/unblock/{BLOCKED}") == (400, error(1002, "Blocked affiliate not found"))
    status, _ = await tamio.control("POST", f"programs/{PROG_ACTIVE}/signup", {"email": "spammer@example.com"})
    assert status == 200
