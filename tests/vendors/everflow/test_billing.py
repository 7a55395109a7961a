"""Affiliate billing: invoices computed from the conversions, the invoice table and summary, batch status, payments."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, NOW, EverflowClient

INVOICES = "/networks/billings/affiliates/invoices"
MAY_SECOND_HALF = {"start_time": "2026-05-15", "end_time": "2026-05-31"}


async def approved_payouts(ef: EverflowClient, affiliate_id: int, start: str, end: str) -> dict[int, list[float]]:
    """The affiliate's approved payouts per offer, as the conversion report lists them (UTC days)."""
    status, body, _ = await ef.post("/networks/reporting/conversions?page_size=2000", {
        "from": start, "to": end, "timezone_id": 67, "show_conversions": True, "show_events": False,
        "query": {"filters": [{"resource_type": "affiliate", "filter_id_value": str(affiliate_id)},
                              {"resource_type": "status", "filter_id_value": "approved"}]}})
    assert status == 200
    per_offer: dict[int, list[float]] = defaultdict(list)
    for conversion in body["conversions"]:
        per_offer[conversion["relationship"]["offer"]["network_offer_id"]].append(conversion["payout"])
    return per_offer


async def test_an_invoice_bills_the_approved_conversions_the_conversion_report_lists(ef: EverflowClient) -> None:
    status, invoice, _ = await ef.post(INVOICES, {"network_affiliate_id": BRIGHT_MEDIA, "status": "unpaid",
                                                  "start_time": "2026-06-01", "end_time": "2026-06-14",
                                                  "public_notes": "June so far", "payment_terms": 15})
    assert status == 200
    per_offer = await approved_payouts(ef, BRIGHT_MEDIA, "2026-06-01", "2026-06-14")
    assert per_offer  # the fixtures have approved June conversions on both offers
    lines = [{"network_offer_id": offer_id, "offer_name": name, "conversions": len(per_offer[offer_id]),
              "amount": round(sum(per_offer[offer_id]), 2)}
             for offer_id, name in ((1, "Acme CPA Offer"), (2, "Globex Approval Offer")) if offer_id in per_offer]
    billed = round(sum(line["amount"] for line in lines), 2)
    assert invoice == {
        "network_affiliate_invoice_id": 3, "network_id": 1, "network_affiliate_id": BRIGHT_MEDIA, "status": "unpaid",
        "start_time": "2026-06-01", "end_time": "2026-06-14", "currency_id": "USD", "balance": billed,
        "billed": billed, "paid": 0.0, "public_notes": "June so far", "internal_notes": "",
        "is_hidden_affiliate": False, "payment_terms": 15, "time_created": NOW, "time_saved": NOW,
        "relationship": {"line_items": {"total": len(lines), "entries": lines}}}
    status, again, _ = await ef.get(f"{INVOICES}/3")
    assert (status, again) == (200, {**invoice, "relationship": {}})


async def test_fixture_invoices_are_computed_the_same_way(ef: EverflowClient) -> None:
    status, invoice, _ = await ef.get(f"{INVOICES}/1?relationship=line_items&relationship=affiliate")
    assert status == 200
    per_offer = await approved_payouts(ef, BRIGHT_MEDIA, "2026-05-15", "2026-05-31")
    billed = round(sum(round(sum(v), 2) for v in per_offer.values()), 2)
    assert (invoice["status"], invoice["billed"], invoice["balance"], invoice["paid"]) == ("unpaid", billed, billed, 0)
    assert invoice["relationship"]["affiliate"] == {"network_affiliate_id": BRIGHT_MEDIA, "name": "Bright Media"}
    assert [(e["network_offer_id"], e["conversions"]) for e in invoice["relationship"]["line_items"]["entries"]] == [
        (offer_id, len(per_offer[offer_id])) for offer_id in sorted(per_offer)]
    status, paid, _ = await ef.get(f"{INVOICES}/2")
    assert (paid["status"], paid["balance"], paid["paid"]) == ("paid", 0, paid["billed"])
    status, body, _ = await ef.get(f"{INVOICES}/99")
    assert (status, body) == (404, {"error": "Invoice not found"})


async def test_table_filters_and_summary_agree(ef: EverflowClient) -> None:
    table = "/networks/billings/affiliates/invoicestable"
    status, body, _ = await ef.post(table, {})
    assert status == 200
    assert [i["network_affiliate_invoice_id"] for i in body["invoices"]] == [1, 2]
    assert body["paging"] == {"page": 1, "page_size": 50, "total_count": 2}
    one = body["invoices"][0]
    cases: list[tuple[dict[str, Any], list[int]]] = [
        ({"filters": {"status": "unpaid"}}, [1]),
        ({"filters": {"affiliate_ids": [COUPON_KINGS]}}, [2]),
        ({"filters": {"balance_from": 0.01}}, [1]),
        ({"filters": {"payment_terms": 30}}, [1]),
        ({"filters": {"date_from": "2026-05-16"}}, []),
        ({"filters": {"date_to": "2026-05-31", "invoice_ids": [2]}}, [2]),
        ({"search_terms": [{"search_type": "affiliate_name", "value": "coupon"}]}, [2]),
    ]
    for search, expected in cases:
        status, found, _ = await ef.post(table, search)
        assert (status, [i["network_affiliate_invoice_id"] for i in found["invoices"]]) == (200, expected), search
    status, summary, _ = await ef.post("/networks/billings/affiliates/summary", {})
    two = body["invoices"][1]
    assert (status, summary) == (200, {"count": 2, "balance": one["balance"],
                                       "billed": round(one["billed"] + two["billed"], 2), "paid": two["paid"]})
    status, bad, _ = await ef.post(table, {"filters": {"offer_ids": [1]}})
    assert (status, bad) == (400, {"error": "Unknown field(s) in filters: offer_ids"})
    status, bad, _ = await ef.post(table, {"filters": {"status": "open"}})
    assert (status, bad) == (400, {"error": "Invalid value for filters.status: 'open'. "
                                            "Supported values are: paid, unpaid, deleted"})


async def test_batch_status_hides_deleted_invoices_from_the_default_table(ef: EverflowClient) -> None:
    status, body, _ = await ef.patch(INVOICES, {"invoice_ids": [1, 99], "status": "deleted"})
    assert (status, body) == (400, {"error": "Invalid invoice_ids: 99"})
    _, unchanged, _ = await ef.get(f"{INVOICES}/1")
    assert unchanged["status"] == "unpaid"  # nothing changed
    status, body, _ = await ef.patch(INVOICES, {"invoice_ids": [1], "status": "deleted"})
    assert (status, body) == (200, {"result": True})
    _, listed, _ = await ef.post("/networks/billings/affiliates/invoicestable", {})
    assert [i["network_affiliate_invoice_id"] for i in listed["invoices"]] == [2]
    _, deleted, _ = await ef.post("/networks/billings/affiliates/invoicestable", {"filters": {"status": "deleted"}})
    assert [i["network_affiliate_invoice_id"] for i in deleted["invoices"]] == [1]
    status, body, _ = await ef.patch(INVOICES, {"invoice_ids": [2], "status": "unpaid"})
    _, reopened, _ = await ef.get(f"{INVOICES}/2")
    assert (reopened["status"], reopened["paid"], reopened["balance"]) == ("unpaid", 0, reopened["billed"])


async def test_payments_pay_each_balance_and_refuse_what_is_not_unpaid(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/billings/affiliates/payments", {"invoice_ids": [1, 2]})
    assert (status, body) == (400, {"error": "Invoice 2 is paid"})
    _, before, _ = await ef.get(f"{INVOICES}/1")
    status, body, _ = await ef.post("/networks/billings/affiliates/payments", {"invoice_ids": [1]})
    payment = {"network_affiliate_payment_id": 1, "network_id": 1, "network_affiliate_id": BRIGHT_MEDIA,
               "network_affiliate_invoice_id": 1, "amount": before["balance"], "currency_id": "USD",
               "payment_type": "paypal", "time_created": NOW}
    assert (status, body) == (200, {"result": True, "payments": [payment]})
    status, after, _ = await ef.get(f"{INVOICES}/1?relationship=payments")
    assert (after["status"], after["paid"], after["balance"]) == ("paid", before["billed"], 0)
    assert after["relationship"] == {"payments": {"total": 1, "entries": [payment]}}
    status, body, _ = await ef.post("/networks/billings/affiliates/payments", {"invoice_ids": []})
    assert (status, body) == (400, {"error": "invoice_ids must contain at least 1 item(s)"})


async def test_replace_recomputes_and_bad_input_is_400(ef: EverflowClient) -> None:
    _, current, _ = await ef.get(f"{INVOICES}/1")
    status, replaced, _ = await ef.put(f"{INVOICES}/1", {**current, "end_time": "2026-05-15", "status": "paid"})
    per_offer = await approved_payouts(ef, BRIGHT_MEDIA, "2026-05-15", "2026-05-15")
    billed = round(sum(round(sum(v), 2) for v in per_offer.values()), 2)
    assert status == 200
    assert (replaced["billed"], replaced["paid"], replaced["balance"], replaced["public_notes"]) == (
        billed, billed, 0, "Second half of May")
    status, body, _ = await ef.put(f"{INVOICES}/1", {"network_affiliate_id": BRIGHT_MEDIA, "status": "unpaid",
                                                      "start_time": "2026-05-15"})
    assert (status, body) == (400, {"error": "Missing required field end_time"})
    new = {"network_affiliate_id": BRIGHT_MEDIA, "status": "unpaid", **MAY_SECOND_HALF}
    for change, error in (({"network_affiliate_id": 99}, "Invalid network_affiliate_id: 99"),
                          ({"end_time": "2026-05-01"}, "end_time must not be before start_time"),
                          ({"start_time": "2026-02-30"}, "Invalid start_time: 2026-02-30"),
                          ({"status": "deleted"}, "Invalid value for status: 'deleted'. "
                                                  "Supported values are: paid, unpaid")):
        status, body, _ = await ef.post(INVOICES, {**new, **change})
        assert (status, body) == (400, {"error": error}), change
