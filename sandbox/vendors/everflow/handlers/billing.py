"""Affiliate billing: invoices (create, get, replace, batch status), the invoice table and summary, payments."""
from __future__ import annotations

from ....core.context import RequestContext
from ..billing import invoice_amounts, invoice_record, money, parse_day
from ..errors import bad_request
from ..models import Record, payment_out
from ..views import invoice_out
from .common import HANDLERS, invalid, listing, now, relationships, require, state_of


def _affiliate(ctx: RequestContext, affiliate_id: int) -> Record:
    affiliate = state_of(ctx).affiliates.get(affiliate_id)
    if affiliate is None:
        raise invalid("network_affiliate_id", affiliate_id)
    return affiliate


def _invoices(ctx: RequestContext, invoice_ids: list[int]) -> list[Record]:
    """Every named invoice, or 400 naming the first unknown id (checked before anything changes)."""
    state = state_of(ctx)
    found = []
    for invoice_id in dict.fromkeys(invoice_ids):
        invoice = state.invoices.get(invoice_id)
        if invoice is None:
            raise invalid("invoice_ids", invoice_id)
        found.append(invoice)
    return found


def _matches(names: dict[int, str], invoice: Record, body: Record) -> bool:
    """The draft docs' filters; a deleted invoice is listed only when the status filter asks for deleted."""
    f = body.get("filters") or {}
    if invoice["status"] != f.get("status") and ("status" in f or invoice["status"] == "deleted"):
        return False
    checks = (
        ("affiliate_ids", lambda v: not v or invoice["network_affiliate_id"] in v),
        ("invoice_ids", lambda v: not v or invoice["network_affiliate_invoice_id"] in v),
        ("date_from", lambda v: invoice["start_time"] >= v),  # YYYY-MM-DD compares as text
        ("date_to", lambda v: invoice["end_time"] <= v),
        ("balance_from", lambda v: invoice["balance"] >= v),
        ("balance_to", lambda v: invoice["balance"] <= v),
        ("payment_terms", lambda v: invoice["payment_terms"] == v),
    )
    if not all(test(f[name]) for name, test in checks if name in f):
        return False
    for term in body.get("search_terms") or []:
        text = (names.get(invoice["network_affiliate_id"], "") if term["search_type"] == "affiliate_name"
                else str(invoice["network_affiliate_invoice_id"]))
        if term["value"].lower() not in text.lower():
            return False
    return True


def _search(ctx: RequestContext) -> list[Record]:
    state, body = state_of(ctx), ctx.body or {}
    f = body.get("filters") or {}
    for name in ("date_from", "date_to"):
        if name in f:
            parse_day(f[name], name)
    names = {a["network_affiliate_id"]: a["name"] for a in state.affiliates} \
        if any(t["search_type"] == "affiliate_name" for t in body.get("search_terms") or []) else {}
    if f.get("affiliate_ids"):  # the affiliate index, not a scan of every invoice
        candidates = [i for a in dict.fromkeys(f["affiliate_ids"]) for i in state.invoices.group("affiliate", a)]
        candidates.sort(key=lambda i: i["network_affiliate_invoice_id"])
    else:
        candidates = list(state.invoices)
    return [i for i in candidates if _matches(names, i, body)]


@HANDLERS.operation("searchAffiliateInvoices")
def search_invoices(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return listing("invoices", [invoice_out(state, i, relationships(ctx)) for i in _search(ctx)], ctx)


@HANDLERS.operation("summarizeAffiliateInvoices")
def summarize_invoices(ctx: RequestContext) -> Record:
    rows = _search(ctx)
    return {"count": len(rows), "balance": money(sum(i["balance"] for i in rows)),
            "billed": money(sum(i["billed"] for i in rows)), "paid": money(sum(i["paid"] for i in rows))}


@HANDLERS.operation("getAffiliateInvoice")
def get_invoice(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return invoice_out(state, require(state.invoices, ctx.path["invoiceId"], "Invoice"), relationships(ctx))


@HANDLERS.operation("createAffiliateInvoice")
def create_invoice(ctx: RequestContext) -> Record:
    state, at = state_of(ctx), now(ctx)
    fields = invoice_record(state, _affiliate(ctx, ctx.body["network_affiliate_id"]), ctx.body)
    invoice = {**fields, "network_affiliate_invoice_id": state.invoices.next_int_id(),
               "network_id": state.network["network_id"], "time_created": at, "time_saved": at}
    state.invoices.insert(invoice)
    return invoice_out(state, invoice, ["line_items"] + relationships(ctx))


@HANDLERS.operation("updateAffiliateInvoice")
def update_invoice(ctx: RequestContext) -> Record:
    """Full replacement: the period's lines and amounts are computed again from the conversions."""
    state = state_of(ctx)
    invoice = require(state.invoices, ctx.path["invoiceId"], "Invoice")
    fields = invoice_record(state, _affiliate(ctx, ctx.body["network_affiliate_id"]), ctx.body)
    invoice = state.invoices.update(invoice["network_affiliate_invoice_id"], {**fields, "time_saved": now(ctx)})
    return invoice_out(state, invoice, ["line_items"] + relationships(ctx))


@HANDLERS.operation("updateAffiliateInvoices")
def update_invoices(ctx: RequestContext) -> Record:
    state, at, status = state_of(ctx), now(ctx), ctx.body["status"]
    for invoice in _invoices(ctx, ctx.body["invoice_ids"]):
        state.invoices.update(invoice["network_affiliate_invoice_id"], {
            "status": status, **invoice_amounts(invoice["line_items"], status), "time_saved": at})
    return {"result": True}


@HANDLERS.operation("createAffiliatePayments")
def create_payments(ctx: RequestContext) -> Record:
    """Pays each invoice's balance: a payment per invoice, which is then paid (every invoice checked first)."""
    state, at = state_of(ctx), now(ctx)
    invoices = _invoices(ctx, ctx.body["invoice_ids"])
    for invoice in invoices:
        if invoice["status"] != "unpaid":
            raise bad_request(f"Invoice {invoice['network_affiliate_invoice_id']} is {invoice['status']}")
    payments = []
    for invoice in invoices:
        affiliate = state.affiliates.get(invoice["network_affiliate_id"]) or {}
        payment = {"network_affiliate_payment_id": state.payments.next_int_id(),
                   "network_id": invoice["network_id"], "network_affiliate_id": invoice["network_affiliate_id"],
                   "network_affiliate_invoice_id": invoice["network_affiliate_invoice_id"],
                   "amount": invoice["balance"], "currency_id": invoice["currency_id"],
                   "payment_type": (affiliate.get("billing") or {}).get("payment_type", "none"), "time_created": at}
        state.payments.insert(payment)
        payments.append(payment_out(payment))
        state.invoices.update(invoice["network_affiliate_invoice_id"], {
            "status": "paid", **invoice_amounts(invoice["line_items"], "paid"), "time_saved": at})
    return {"result": True, "payments": payments}
