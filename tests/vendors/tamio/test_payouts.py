"""/affiliates/payouts: create (errors 1002, 10201, 10213, 90052), list, retrieve."""
from __future__ import annotations

import pytest

from .conftest import (
    JANE,
    NOW,
    PAT_PENDING,
    PAYOUT,
    PROG_ACTIVE,
    PROG_REPEATING,
    RITA,
    UNKNOWN,
    ZOE_ZERO,
    TamioClient,
    error,
)
from .test_affiliates import JANE_OUT

PAYOUT_OUT = {
    "id": PAYOUT, "object": "payout", "currency": "EUR", "total": 12000, "paid": False, "status": "new",
    "prefix": None, "number": 173, "payment": "paypal", "date": 1777593600,
    "affiliate_program": {"label": "20% commission", "id": PROG_ACTIVE}, "affiliate_partner": JANE_OUT,
}


async def test_guess_create_pays_out_the_whole_balance(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliates/payouts/create/{JANE}", {"payment": "stripe"})
    assert status == 200
    assert answer == {"status": 200, "transaction": answer["transaction"], "invoice": answer["invoice"],
                      "public_key": "pk_sandbox_public_0001"}
    assert answer["invoice"] != answer["transaction"]
    status, fetched = await tamio.get(f"/affiliates/payouts/retrieve/{answer['transaction']}")
    assert (status, fetched) == (200, {"status": 200, "payout": {
        "id": answer["transaction"], "object": "payout", "currency": "EUR", "total": 15000, "paid": False,
        "status": "new", "prefix": None, "number": 174, "payment": "stripe", "date": NOW,
        "affiliate_program": {"label": "20% commission", "id": PROG_ACTIVE},
        "affiliate_partner": JANE_OUT | {"balance": 0}}})
    _, affiliate = await tamio.get(f"/affiliates/retrieve/{JANE}")
    assert affiliate["affiliate"]["balance"] == 0


async def test_guess_payout_numbers_keep_counting(tamio: TamioClient) -> None:
    await tamio.control("POST", f"affiliates/{RITA}/sale", {"amount": 1000})
    first = (await tamio.post(f"/affiliates/payouts/create/{JANE}", {"payment": "paypal"}))[1]["transaction"]
    second = (await tamio.post(f"/affiliates/payouts/create/{RITA}", {"payment": "bankaccount"}))[1]["transaction"]
    numbers = [(await tamio.get(f"/affiliates/payouts/retrieve/{t}"))[1]["payout"]["number"] for t in (first, second)]
    assert numbers == [174, 175]


async def test_10201_zero_balance(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliates/payouts/create/{ZOE_ZERO}", {"payment": "stripe"})
    assert (status, answer) == (400, error(10201, "Affiliate balance is zero"))


async def test_10201_after_the_balance_was_paid_out(tamio: TamioClient) -> None:
    assert (await tamio.post(f"/affiliates/payouts/create/{JANE}", {"payment": "stripe"}))[0] == 200
    status, answer = await tamio.post(f"/affiliates/payouts/create/{JANE}", {"payment": "stripe"})
    assert (status, answer["error_code"]) == (400, 10201)


@pytest.mark.parametrize("affiliate_id, payment", [
    (JANE, "bankaccount"),   # the program pays stripe and paypal only
    (RITA, "stripe"),        # the program pays stripe, Rita accepts bankaccount only
    (JANE, "bitcoin"),       # a method nobody supports
])
async def test_10213_method_not_supported_by_the_affiliate_or_the_program(
        tamio: TamioClient, affiliate_id: str, payment: str) -> None:
    status, answer = await tamio.post(f"/affiliates/payouts/create/{affiliate_id}", {"payment": payment})
    assert (status, answer) == (400, error(10213, "Payment method not supported by affiliate or program"))


async def test_guess_an_affiliate_without_own_methods_takes_the_programs(tamio: TamioClient) -> None:
    await tamio.control("POST", f"affiliates/{ZOE_ZERO}/sale", {"amount": 1000})
    status, _ = await tamio.post(f"/affiliates/payouts/create/{ZOE_ZERO}", {"payment": "paypal"})
    assert status == 200


async def test_90052_missing_merchant_billing_information_is_a_tenant_setting(tamio: TamioClient) -> None:
    status, answer = await tamio.control("POST", "settings", {"merchant_billing_information": False})
    assert (status, answer) == (200, {"merchant_billing_information": False})
    status, answer = await tamio.post(f"/affiliates/payouts/create/{JANE}", {"payment": "stripe"})
    assert (status, answer) == (400, error(90052, "Missing merchant billing information"))
    _, affiliate = await tamio.get(f"/affiliates/retrieve/{JANE}")
    assert affiliate["affiliate"]["balance"] == 15000
    await tamio.control("POST", "settings", {"merchant_billing_information": True})
    assert (await tamio.post(f"/affiliates/payouts/create/{JANE}", {"payment": "stripe"}))[0] == 200


async def test_guess_check_order_1002_10213_10201_90052(tamio: TamioClient) -> None:
    await tamio.control("POST", "settings", {"merchant_billing_information": False})
    codes = []
    for affiliate_id, payment in ((UNKNOWN, "bitcoin"), (ZOE_ZERO, "bitcoin"), (ZOE_ZERO, "stripe"),
                                  (JANE, "stripe")):
        codes.append((await tamio.post(f"/affiliates/payouts/create/{affiliate_id}", {"payment": payment}))[1]
                     ["error_code"])
    assert codes == [1002, 10213, 10201, 90052]


@pytest.mark.parametrize("affiliate_id", [UNKNOWN, PAT_PENDING])
async def test_unknown_or_guess_pending_affiliate_is_1002(tamio: TamioClient, affiliate_id: str) -> None:
    status, answer = await tamio.post(f"/affiliates/payouts/create/{affiliate_id}", {"payment": "stripe"})
    assert (status, answer) == (400, error(1002, "Affiliate not found"))


@pytest.mark.parametrize("payload, message", [
    ({}, "payment is required"),
    ({"payment": "stripe", "amount": 100}, "Additional properties present: amount"),
    ({"payment": 7}, "payment must be of type string"),
])
async def test_create_body_rules(tamio: TamioClient, payload: dict, message: str) -> None:
    assert await tamio.post(f"/affiliates/payouts/create/{JANE}", payload) == (400, error(400, message))


# -- list / retrieve --------------------------------------------------------------------------------------

async def test_retrieve_answers_the_documented_object(tamio: TamioClient) -> None:
    assert await tamio.get(f"/affiliates/payouts/retrieve/{PAYOUT}") == (200, {"status": 200, "payout": PAYOUT_OUT})


async def test_retrieve_unknown_is_1002(tamio: TamioClient) -> None:
    assert await tamio.get(f"/affiliates/payouts/retrieve/{UNKNOWN}") == (400, error(1002, "Payout not found"))


async def test_list(tamio: TamioClient) -> None:
    assert await tamio.get("/affiliates/payouts/list") == (200, {"status": 200, "total_results": 1,
                                                                 "payouts": [PAYOUT_OUT]})


async def test_guess_list_is_newest_first_and_filters(tamio: TamioClient) -> None:
    _, created = await tamio.post(f"/affiliates/payouts/create/{RITA}", {"payment": "bankaccount"})
    new = created["transaction"]

    async def listed(query: str) -> list[str]:
        status, answer = await tamio.get(f"/affiliates/payouts/list?{query}")
        assert status == 200, answer
        return [p["id"] for p in answer["payouts"]]

    assert await listed("") == [new, PAYOUT]
    assert await listed("per_page=1&page=2") == [PAYOUT]
    assert await listed(f"affiliate_partner_id={RITA}") == [new]
    assert await listed(f"affiliate_program_id={PROG_REPEATING}") == [new]
    assert await listed("filter=jane") == [PAYOUT]
    assert await listed("filter=AT") == [new]   # Rita's country
    assert await listed("from=2026-06-01") == [new]
    assert await listed("to=2026-05-01") == [PAYOUT]


@pytest.mark.parametrize("query, message", [
    ("per_page=101", "query parameter per_page must be less than or equal to 100"),
    ("affiliate_partner_id=jane", "query parameter affiliate_partner_id must be a valid UUID"),
    ("order=asc", "Unknown query parameters are sent: order"),
])
async def test_list_query_rules(tamio: TamioClient, query: str, message: str) -> None:
    assert await tamio.get(f"/affiliates/payouts/list?{query}") == (400, error(400, message))


async def test_guess_a_payout_still_shows_its_affiliate_after_the_affiliate_is_deleted(tamio: TamioClient) -> None:
    await tamio.control("POST", f"payouts/{PAYOUT}/pay")
    assert (await tamio.delete(f"/affiliates/{JANE}?block=false"))[0] == 200
    status, answer = await tamio.get(f"/affiliates/payouts/retrieve/{PAYOUT}")
    assert (status, answer) == (200, {"status": 200, "payout": PAYOUT_OUT | {"paid": True, "status": "paid"}})
