"""/affiliate-programs: create, update, retrieve, list, delete, pause-resume, and every create/update rule."""
from __future__ import annotations

from typing import Any

import pytest

from .conftest import (
    DOMAIN,
    MINIMAL_PROGRAM,
    NOW,
    PRODUCT_PRO,
    PRODUCT_STARTER,
    PROG_ACTIVE,
    PROG_EMPTY,
    PROG_PAUSED,
    PROG_REPEATING,
    UNKNOWN,
    TamioClient,
    error,
)

REPEATING_OUT = {
    "object": "affiliate_program", "id": PROG_REPEATING, "label": "Repeating 10.5%",
    "languages": {"en": {"label": "Repeating 10.5%",
                         "description": "10.5% on the first twelve months of every subscription"}},
    "created_at": 1772355600, "signup_url": None, "domain": None, "products": [PRODUCT_STARTER], "currency": "EUR",
    "commission_amount": 0, "commission_percent": 10.5,
    "description": "10.5% on the first twelve months of every subscription", "payout_delay": 0,
    "subscription_commission_type": "repeating", "payment_count": 12, "duration": 12, "first_takes_all": "disabled",
    "cookie_expiry": 60, "destinations": ["DE", "AT", "CH"], "payments": ["stripe", "bankaccount"],
    "is_public": True, "auto_approve": True, "is_listed": False, "affiliate_notifications": False,
    "allow_bonuses": True, "banners": None, "is_active": True, "promo": None, "affiliates": 1, "sales": 0,
}


def body(**changes: Any) -> dict[str, Any]:
    out = {**MINIMAL_PROGRAM, **changes}
    return {k: v for k, v in out.items() if v is not ...}


async def create(tamio: TamioClient, **changes: Any) -> tuple[int, Any]:
    return await tamio.post("/affiliate-programs/create", body(**changes))


# -- create ---------------------------------------------------------------------------------------------

async def test_create_with_the_documented_example_answers_the_program(tamio: TamioClient) -> None:
    """The defaults of the optional fields not given by the docs (payout_delay 0, once, disabled, allow_bonuses,
    is_active) and the echoed extra fields are guesses."""
    status, answer = await create(tamio)
    assert status == 200
    program = answer["program"]
    assert answer == {"status": 200, "program": program | {
        "object": "affiliate_program", "label": "My Program",
        "languages": {"en": {"label": "My Program", "description": "A great affiliate program"}},
        "created_at": NOW, "signup_url": None, "domain": None, "products": [], "currency": "EUR",
        "commission_amount": 500, "commission_percent": 10.5, "description": "A great affiliate program",
        "payout_delay": 0, "subscription_commission_type": "once", "payment_count": None, "duration": None,
        "first_takes_all": "disabled", "cookie_expiry": 30, "destinations": ["worldwide"], "payments": ["stripe"],
        "is_public": True, "auto_approve": False, "is_listed": False, "affiliate_notifications": False,
        "allow_bonuses": True, "banners": None, "is_active": True, "promo": None, "affiliates": 0, "sales": 0}}
    status, fetched = await tamio.get(f"/affiliate-programs/retrieve/{program['id']}")
    assert (status, fetched) == (200, answer)


async def test_create_keeps_every_optional_field(tamio: TamioClient) -> None:
    status, answer = await create(
        tamio, payout_delay=14, subscription_commission_type="repeating", duration=6, first_takes_all="enabled",
        cookie_expiry=90, is_public=False, auto_approve=True, is_listed=True, affiliate_notifications=True,
        banners=[UNKNOWN], products=[PRODUCT_PRO, PRODUCT_STARTER], domain=DOMAIN,
        languages={"de": {"label": "Mein Programm", "description": ""}, "en": {"label": "Mine", "description": "x"}})
    assert status == 200
    p = answer["program"]
    assert {k: p[k] for k in ("payout_delay", "subscription_commission_type", "payment_count", "duration",
                              "first_takes_all", "cookie_expiry", "is_public", "auto_approve", "is_listed",
                              "affiliate_notifications", "banners", "products", "domain", "label")} == {
        "payout_delay": 14, "subscription_commission_type": "repeating", "payment_count": 6, "duration": 6,
        "first_takes_all": "enabled", "cookie_expiry": 90, "is_public": False, "auto_approve": True,
        "is_listed": True, "affiliate_notifications": True, "banners": [UNKNOWN],
        "products": [PRODUCT_PRO, PRODUCT_STARTER], "domain": DOMAIN, "label": "Mine"}


async def test_guess_label_comes_from_the_first_language_without_en(tamio: TamioClient) -> None:
    status, answer = await create(tamio, languages={"de": {"label": "Mein Programm", "description": "Beschreibung"}})
    assert (status, answer["program"]["label"], answer["program"]["description"]) == (
        200, "Mein Programm", "Beschreibung")


async def test_guess_duration_is_ignored_unless_repeating(tamio: TamioClient) -> None:
    _, answer = await create(tamio, subscription_commission_type="forever", duration=3)
    assert (answer["program"]["payment_count"], answer["program"]["duration"]) == (None, None)


async def test_guess_lower_case_currency_is_stored_upper_case(tamio: TamioClient) -> None:
    _, answer = await create(tamio, currency="eur")
    assert answer["program"]["currency"] == "EUR"


@pytest.mark.parametrize("field", ["currency", "commission_amount", "commission_percent", "languages",
                                   "destinations", "payments"])
async def test_each_of_the_six_fields_is_required(tamio: TamioClient, field: str) -> None:
    status, answer = await create(tamio, **{field: ...})
    assert (status, answer) == (400, error(400, f"{field} is required"))


async def test_an_empty_body_is_refused(tamio: TamioClient) -> None:
    status, answer = await tamio.post("/affiliate-programs/create")
    assert (status, answer) == (400, error(400, "Request body is required"))


async def test_a_body_that_is_not_json_is_refused(tamio: TamioClient) -> None:
    status, answer = await tamio.post("/affiliate-programs/create", data=b"{nope",
                                      headers={"Content-Type": "application/json"})
    assert (status, answer) == (400, error(400, "Request body is not valid JSON"))


@pytest.mark.parametrize("changes, message", [
    ({"commission_percent": 100.01}, "commission_percent must be less than or equal to 100"),
    ({"commission_percent": -1}, "commission_percent must be greater than or equal to 0"),
    ({"commission_amount": -1}, "commission_amount must be greater than or equal to 0"),
    ({"commission_amount": 10.5}, "commission_amount must be of type integer"),
    ({"commission_amount": "500"}, "commission_amount must be of type integer"),
    ({"cookie_expiry": 91}, "cookie_expiry must be less than or equal to 90"),
    ({"cookie_expiry": 0}, "cookie_expiry must be greater than or equal to 1"),  # the minimum is a guess
    ({"subscription_commission_type": "repeating"}, "duration is required"),
    ({"subscription_commission_type": "repeating", "duration": 0}, "duration must be greater than or equal to 1"),
    ({"subscription_commission_type": "weekly"}, "subscription_commission_type must be one of: once, forever, repeating"),
    ({"first_takes_all": "yes"}, "first_takes_all must be one of: enabled, disabled"),
    ({"payments": []}, "payments must not be empty"),
    ({"payments": ["bitcoin"]}, "payments.0 must be one of: stripe, paypal, bankaccount"),
    ({"payments": ["stripe", "stripe"]}, "payments must not contain duplicates"),
    ({"destinations": []}, "destinations must not be empty"),
    ({"destinations": ["Germany"]}, "destinations.0 has an invalid value 'Germany'"),
    ({"destinations": ["DE", "DE"]}, "destinations must not contain duplicates"),
    ({"currency": "EURO"}, "currency has an invalid value 'EURO'"),
    ({"languages": {}}, "languages must not be empty"),
    ({"languages": {"en": {"label": "My Program"}}}, "languages.en.description is required"),
    ({"languages": {"en": {"description": "x"}}}, "languages.en.label is required"),
    ({"languages": {"en": {"label": "ab", "description": "x"}}}, "languages.en.label must be at least 3 characters long"),
    ({"languages": {"en": {"label": "x" * 241, "description": "x"}}},
     "languages.en.label must be at most 240 characters long"),
    ({"languages": {"en": {"label": "abc", "description": "x" * 5001}}},
     "languages.en.description must be at most 5000 characters long"),
    ({"languages": {"en": {"label": "abc", "description": "x", "extra": 1}}},
     "languages.en: Additional properties present: extra"),
    ({"languages": {"english": {"label": "abc", "description": "x"}}}, "languages has an invalid value 'english'"),
    ({"banners": ["not-a-uuid"]}, "banners.0 must be a valid UUID"),
    ({"banners": [UNKNOWN, UNKNOWN]}, "banners must not contain duplicates"),
    ({"banners": [f"00000000-0000-4000-8000-{i:012d}" for i in range(101)]}, "banners must have at most 100 items"),
    ({"products": ["nope"]}, "products.0 must be a valid UUID"),
    ({"products": [PRODUCT_PRO, PRODUCT_PRO]}, "products must not contain duplicates"),
    ({"products": [f"00000000-0000-4000-8000-{i:012d}" for i in range(101)]}, "products must have at most 100 items"),
    ({"domain": "example.com"}, "domain must be a valid UUID"),
    ({"is_public": "yes"}, "is_public must be of type boolean"),
    ({"label": "Not on create"}, "Additional properties present: label"),
    ({"foo": 1, "bar": 2}, "Additional properties present: bar, foo"),
])
async def test_schema_rules_answer_400_with_error_code_400(tamio: TamioClient, changes: dict, message: str) -> None:
    status, answer = await create(tamio, **changes)
    assert (status, answer) == (400, error(400, message))


async def test_boundaries_are_accepted(tamio: TamioClient) -> None:
    status, answer = await create(tamio, commission_percent=100, cookie_expiry=90, languages={
        "en": {"label": "x" * 240, "description": "y" * 5000}, "fr": {"label": "abc", "description": ""}})
    assert status == 200, answer


async def test_a_currency_not_enabled_on_the_account_is_a_schema_error(tamio: TamioClient) -> None:
    status, answer = await create(tamio, currency="SEK")
    assert (status, answer) == (400, error(400, "Invalid currency 'SEK' (must be a currency enabled on your account)"))


async def test_a_language_not_enabled_on_the_account_is_a_schema_error(tamio: TamioClient) -> None:
    status, answer = await create(tamio, languages={"pt": {"label": "Programa", "description": "x"}})
    assert (status, answer) == (400, error(400, "languages has an invalid key 'pt' (not a language enabled on your account)"))


async def test_10314_both_commission_amount_and_percent_zero(tamio: TamioClient) -> None:
    status, answer = await create(tamio, commission_amount=0, commission_percent=0)
    assert (status, answer) == (400, error(10314, "Both commission amount and percent are zero"))


async def test_10203_payment_method_not_supported_for_the_currency(tamio: TamioClient) -> None:
    status, answer = await create(tamio, currency="CHF", payments=["bankaccount", "stripe"])
    assert (status, answer) == (400, error(10203, "Payment method not supported for the selected currency (stripe, CHF)"))
    status, _ = await create(tamio, currency="CHF", payments=["bankaccount"])
    assert status == 200


async def test_10315_unknown_domain(tamio: TamioClient) -> None:
    status, answer = await create(tamio, domain=UNKNOWN)
    assert (status, answer) == (400, error(10315, "Domain not found"))


async def test_1002_unknown_product(tamio: TamioClient) -> None:
    status, answer = await create(tamio, products=[PRODUCT_PRO, UNKNOWN])
    assert (status, answer) == (400, error(1002, "Product not found"))


async def test_guess_business_checks_run_in_order_10314_10203_10315_1002(tamio: TamioClient) -> None:
    everything_wrong = {"commission_amount": 0, "commission_percent": 0, "currency": "CHF", "payments": ["stripe"],
                        "domain": UNKNOWN, "products": [UNKNOWN]}
    codes = []
    for fixed in ({}, {"commission_amount": 1}, {"payments": ["bankaccount"]}, {"domain": DOMAIN}):
        everything_wrong.update(fixed)
        _, answer = await create(tamio, **everything_wrong)
        codes.append(answer["error_code"])
    assert codes == [10314, 10203, 10315, 1002]


async def test_guess_schema_errors_come_before_business_errors(tamio: TamioClient) -> None:
    status, answer = await create(tamio, commission_amount=0, commission_percent=0, foo=1)
    assert (status, answer) == (400, error(400, "Additional properties present: foo"))


# -- update ---------------------------------------------------------------------------------------------

async def test_update_is_a_full_replacement(tamio: TamioClient) -> None:
    _, created = await create(tamio, auto_approve=True, cookie_expiry=60, products=[PRODUCT_PRO])
    program_id = created["program"]["id"]
    status, answer = await tamio.post(f"/affiliate-programs/update/{program_id}", body(
        commission_amount=700, label="Updated Program", description="New words", promo="SUMMER",
        languages={"en": {"label": "Updated Program", "description": "Updated description"}}))
    assert status == 200
    p = answer["program"]
    assert (p["id"], p["commission_amount"], p["label"], p["description"], p["promo"]) == (
        program_id, 700, "Updated Program", "New words", "SUMMER")
    # omitted optional fields are back to their defaults
    assert (p["auto_approve"], p["cookie_expiry"], p["products"], p["created_at"]) == (False, 30, [], NOW)
    _, fetched = await tamio.get(f"/affiliate-programs/retrieve/{program_id}")
    assert fetched == answer


async def test_update_without_label_takes_it_from_the_languages(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliate-programs/update/{PROG_ACTIVE}", body(
        languages={"en": {"label": "Renamed", "description": "Renamed program"}}))
    assert (status, answer["program"]["label"], answer["program"]["affiliates"]) == (200, "Renamed", 2)


async def test_update_sets_is_active_and_guess_keeps_it_when_omitted(tamio: TamioClient) -> None:
    _, answer = await tamio.post(f"/affiliate-programs/update/{PROG_PAUSED}", body(currency="USD"))
    assert answer["program"]["is_active"] is False
    _, answer = await tamio.post(f"/affiliate-programs/update/{PROG_PAUSED}", body(currency="USD", is_active=True))
    assert answer["program"]["is_active"] is True


async def test_update_of_an_unknown_program_is_1002(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliate-programs/update/{UNKNOWN}", body())
    assert (status, answer) == (400, error(1002, "Affiliate program not found (or does not belong to your account)"))


async def test_update_needs_the_six_fields_too(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliate-programs/update/{PROG_ACTIVE}", body(payments=...))
    assert (status, answer) == (400, error(400, "payments is required"))


@pytest.mark.parametrize("changes, code", [
    ({"commission_amount": 0, "commission_percent": 0}, 10314),
    ({"currency": "JPY", "payments": ["stripe"]}, 10203),
    ({"domain": UNKNOWN}, 10315),
    ({"products": [UNKNOWN]}, 1002),
])
async def test_update_applies_the_create_business_rules(tamio: TamioClient, changes: dict, code: int) -> None:
    status, answer = await tamio.post(f"/affiliate-programs/update/{PROG_ACTIVE}", body(**changes))
    assert (status, answer["error_code"]) == (400, code)


@pytest.mark.parametrize("changes, message", [
    ({"label": "ab"}, "label must be at least 3 characters long"),
    ({"description": "x" * 5001}, "description must be at most 5000 characters long"),
    ({"is_active": 1}, "is_active must be of type boolean"),
    ({"sales": 3}, "Additional properties present: sales"),
])
async def test_update_only_fields_are_validated(tamio: TamioClient, changes: dict, message: str) -> None:
    status, answer = await tamio.post(f"/affiliate-programs/update/{PROG_ACTIVE}", body(**changes))
    assert (status, answer) == (400, error(400, message))


# -- retrieve ---------------------------------------------------------------------------------------------

async def test_retrieve_answers_the_whole_program(tamio: TamioClient) -> None:
    status, answer = await tamio.get(f"/affiliate-programs/retrieve/{PROG_REPEATING}")
    assert (status, answer) == (200, {"status": 200, "program": REPEATING_OUT})


async def test_retrieve_unknown_is_400_with_1002(tamio: TamioClient) -> None:
    status, answer = await tamio.get(f"/affiliate-programs/retrieve/{UNKNOWN}")
    assert (status, answer) == (400, error(1002, "Affiliate program not found (or does not belong to your account)"))


async def test_a_path_uuid_that_is_not_a_uuid_is_400(tamio: TamioClient) -> None:
    status, answer = await tamio.get("/affiliate-programs/retrieve/12345")
    assert (status, answer) == (400, error(400, "path parameter uuid must be a valid UUID"))


async def test_a_missing_path_uuid_is_400(tamio: TamioClient) -> None:
    status, answer = await tamio.get("/affiliate-programs/retrieve/")
    assert status == 400
    assert answer["error_code"] == 400


# -- list -------------------------------------------------------------------------------------------------

async def test_guess_list_is_newest_first_by_default(tamio: TamioClient) -> None:
    status, answer = await tamio.get("/affiliate-programs/list")
    assert status == 200
    assert answer["total_results"] == 4
    assert [p["id"] for p in answer["programs"]] == [PROG_EMPTY, PROG_REPEATING, PROG_PAUSED, PROG_ACTIVE]
    assert answer["programs"][1] == REPEATING_OUT


async def test_list_pages_and_orders(tamio: TamioClient) -> None:
    _, answer = await tamio.get("/affiliate-programs/list?order=asc&per_page=3&page=2")
    assert (answer["total_results"], [p["id"] for p in answer["programs"]]) == (4, [PROG_EMPTY])


async def test_list_filters_by_product(tamio: TamioClient) -> None:
    _, answer = await tamio.get(f"/affiliate-programs/list?product_id={PRODUCT_PRO}")
    assert [p["id"] for p in answer["programs"]] == [PROG_ACTIVE]


async def test_list_with_an_unknown_product_is_1002(tamio: TamioClient) -> None:
    status, answer = await tamio.get(f"/affiliate-programs/list?product_id={UNKNOWN}")
    assert (status, answer) == (400, error(1002, "Product not found or does not belong to your account"))


@pytest.mark.parametrize("query, ids", [
    ("from=2026-02-01T09:00:00Z&to=2026-03-01", [PROG_REPEATING, PROG_PAUSED]),
    ("from=1772355600", [PROG_EMPTY, PROG_REPEATING]),
    ("to=1769936399", [PROG_ACTIVE]),
])
async def test_list_from_and_to_take_iso_or_unix(tamio: TamioClient, query: str, ids: list[str]) -> None:
    status, answer = await tamio.get(f"/affiliate-programs/list?{query}")
    assert (status, [p["id"] for p in answer["programs"]]) == (200, ids)


@pytest.mark.parametrize("query, message", [
    ("per_page=101", "query parameter per_page must be less than or equal to 100"),
    ("page=100001", "query parameter page must be less than or equal to 100000"),
    ("page=0", "query parameter page must be greater than or equal to 1"),
    ("page=one", "query parameter page must be of type integer"),
    ("order=up", "query parameter order must be one of: asc, desc"),
    ("from=null", "query parameter from must be a valid date (ISO 8601, at most 26 characters) or a Unix timestamp"),
    ("to=2026-06-15T12:00:00.000000%2B00:00",
     "query parameter to must be a valid date (ISO 8601, at most 26 characters) or a Unix timestamp"),
    ("from=yesterday", "query parameter from must be a valid date (ISO 8601, at most 26 characters) or a Unix timestamp"),
    ("product_id=42", "query parameter product_id must be a valid UUID"),
    ("sort_by=name", "Unknown query parameters are sent: sort_by"),
    ("limit=5&offset=1", "Unknown query parameters are sent: limit, offset"),
])
async def test_list_query_rules(tamio: TamioClient, query: str, message: str) -> None:
    status, answer = await tamio.get(f"/affiliate-programs/list?{query}")
    assert (status, answer) == (400, error(400, message))


# -- delete -----------------------------------------------------------------------------------------------

async def test_delete_answers_the_id_and_the_program_is_gone(tamio: TamioClient) -> None:
    status, answer = await tamio.delete(f"/affiliate-programs/{PROG_EMPTY}")
    assert (status, answer) == (200, {"status": 200, "id": PROG_EMPTY})
    status, answer = await tamio.get(f"/affiliate-programs/retrieve/{PROG_EMPTY}")
    assert (status, answer["error_code"]) == (400, 1002)
    status, answer = await tamio.delete(f"/affiliate-programs/{PROG_EMPTY}")
    assert (status, answer["error_code"]) == (400, 1002)


@pytest.mark.parametrize("program_id", [PROG_ACTIVE, PROG_PAUSED, PROG_REPEATING])
async def test_10316_delete_with_active_affiliates(tamio: TamioClient, program_id: str) -> None:
    status, answer = await tamio.delete(f"/affiliate-programs/{program_id}")
    assert (status, answer) == (400, error(10316, "Program has active affiliates and cannot be deleted"))


async def test_guess_pending_affiliates_do_not_block_delete_and_go_with_the_program(tamio: TamioClient) -> None:
    _, created = await create(tamio)
    program_id = created["program"]["id"]
    _, signed = await tamio.control("POST", f"programs/{program_id}/signup", {"email": "new@example.com"})
    assert signed["affiliate"]["approved"] is False
    status, _ = await tamio.delete(f"/affiliate-programs/{program_id}")
    assert status == 200
    status, answer = await tamio.get(f"/affiliates/retrieve/{signed['affiliate']['id']}")
    assert (status, answer["error_code"]) == (400, 1002)


# -- pause / resume ---------------------------------------------------------------------------------------

async def test_pause_resume_flips_is_active(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliate-programs/pause-resume/{PROG_ACTIVE}")
    assert (status, answer["program"]["is_active"], answer["program"]["id"]) == (200, False, PROG_ACTIVE)
    _, answer = await tamio.post(f"/affiliate-programs/pause-resume/{PROG_ACTIVE}")
    assert answer["program"]["is_active"] is True
    _, answer = await tamio.post(f"/affiliate-programs/pause-resume/{PROG_PAUSED}")
    assert answer["program"]["is_active"] is True


async def test_pause_resume_unknown_is_1002(tamio: TamioClient) -> None:
    status, answer = await tamio.post(f"/affiliate-programs/pause-resume/{UNKNOWN}")
    assert (status, answer["error_code"]) == (400, 1002)
