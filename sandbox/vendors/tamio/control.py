"""Tamio simulations for the control plane: what happens outside the API (a signup, a sale, a settlement)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.errors import ApiError
from ...core.events import stage_event
from ..base import ControlAction
from . import webhooks
from .models import AFFILIATE_CONTACT, Record, affiliate_out, commission, unix
from .state import TamioState

if TYPE_CHECKING:
    from ...core.tenantlike import TenantLike


def _body_error(message: str) -> ApiError:
    return ApiError(400, "invalid_body", message)


def signup(tenant: TenantLike, state: TamioState, params: dict[str, str], body: Any) -> Record:
    """Someone signs up on the program's page: a pending affiliate, approved at once if the program auto-approves."""
    program = state.programs.get(params["program_id"])
    if program is None:
        raise ApiError(404, "program_not_found", f"No Tamio program {params['program_id']!r}")
    email = body.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise _body_error("email is required")
    if not program["is_active"]:
        raise ApiError(409, "program_paused", "The program is paused and takes no signups")
    if state.blocked.find("program_email", f"{program['id']}|{email}") is not None:
        raise ApiError(409, "blocked", f"{email} is blocked from this program")
    if state.affiliates.find("program_email", f"{program['id']}|{email}") is not None:
        raise ApiError(409, "duplicate", f"{email} has already signed up to this program")
    unknown = sorted(set(body) - set(AFFILIATE_CONTACT) - {"billing_information", "language", "payments"})
    if unknown:
        raise _body_error(f"unknown field(s): {', '.join(unknown)}")
    payments = body.get("payments")
    if payments is not None and (not isinstance(payments, list) or not all(isinstance(p, str) for p in payments)):
        raise _body_error("payments must be a list of payout method codes or null")
    affiliate = {name: body.get(name) for name in AFFILIATE_CONTACT}
    affiliate.update({
        "id": tenant.stream("tamio").uuid(), "program_id": program["id"],
        "billing_information": body.get("billing_information"), "bonus": 0, "balance": 0, "sales": 0,
        "referrals": 0, "status": "approved" if program["auto_approve"] else "pending",
        "date_joined": unix(tenant.clock.now()), "language": body.get("language", "en"), "payments": payments,
        "has_notes": False,
    })
    state.affiliates.insert(affiliate)
    stage_event(tenant, "tamio", "affiliate-signup", webhooks.affiliate_data(affiliate))
    return {"affiliate": affiliate_out(affiliate, program)}


def sale(tenant: TenantLike, state: TamioState, params: dict[str, str], body: Any) -> Record:
    """A referred sale of `amount` (smallest unit): the affiliate's sales, referrals and balance rise by the
    commission."""
    affiliate = state.affiliates.get(params["affiliate_id"])
    if affiliate is None:
        raise ApiError(404, "affiliate_not_found", f"No Tamio affiliate {params['affiliate_id']!r}")
    amount = body.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise _body_error("amount must be a positive integer in the smallest currency unit")
    if affiliate["status"] != "approved":
        raise ApiError(409, "affiliate_not_approved", "Only approved affiliates earn commission")
    program = state.programs[affiliate["program_id"]]
    earned = commission(program, amount)
    state.affiliates.update(affiliate["id"], {"sales": affiliate["sales"] + 1,
                                              "referrals": affiliate["referrals"] + 1,
                                              "balance": affiliate["balance"] + earned})
    state.programs.update(program["id"], {"sales": program["sales"] + 1})
    return {"commission": earned, "affiliate": affiliate_out(affiliate, program)}


def pay_payout(tenant: TenantLike, state: TamioState, params: dict[str, str], body: Any) -> Record:
    """The merchant settles a payout: status paid, paid true."""
    payout = state.payouts.get(params["payout_id"])
    if payout is None:
        raise ApiError(404, "payout_not_found", f"No Tamio payout {params['payout_id']!r}")
    state.payouts.update(payout["id"], {"paid": True, "status": "paid"})
    return {"id": payout["id"], "status": "paid", "paid": True}


def update_settings(tenant: TenantLike, state: TamioState, params: dict[str, str], body: Any) -> Record:
    """Change the merchant's account: `merchant_billing_information` (false makes payouts answer 90052)."""
    unknown = sorted(set(body) - {"merchant_billing_information"})
    if unknown:
        raise _body_error(f"unknown setting(s): {', '.join(unknown)}")
    value = body.get("merchant_billing_information")
    if not isinstance(value, bool):
        raise _body_error("merchant_billing_information must be true or false")
    state.settings["merchant_billing_information"] = value
    return {"merchant_billing_information": value}


def list_emails(tenant: TenantLike, state: TamioState, params: dict[str, str], body: Any) -> Record:
    """What POST /affiliates/send-email/{uuid} sent, oldest first."""
    return {"data": list(state.emails)}


ACTIONS = [
    ControlAction("POST", "programs/{program_id}/signup", signup,
                  "An affiliate signs up: pending, or approved when the program auto-approves."),
    ControlAction("POST", "affiliates/{affiliate_id}/sale", sale,
                  "A referred sale ({amount} in the smallest unit) credits the program's commission."),
    ControlAction("POST", "payouts/{payout_id}/pay", pay_payout, "Mark a payout paid."),
    ControlAction("POST", "settings", update_settings,
                  "Set merchant_billing_information (false: payouts answer 90052)."),
    ControlAction("GET", "emails", list_emails, "The emails send-email sent."),
]
