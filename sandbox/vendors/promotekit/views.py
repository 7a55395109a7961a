"""PromoteKit's responses that read the state beside the record (campaign, referral counts); models stay pure."""
from __future__ import annotations

from . import magic
from .models import Record, campaign_out, link_url, number, payout_summary, referral_summary
from .state import PromoteKitState


def affiliate_out(state: PromoteKitState, affiliate: Record) -> Record:
    campaign = state.campaigns[affiliate["campaign_id"]]
    links = []
    if campaign["code_mode"] in magic.CODE_MODES_WITH_LINKS and campaign.get("website_url"):
        links = [{"url": link_url(campaign["website_url"], affiliate["ref_code"]), "code": affiliate["ref_code"]}]
    promo_codes = []
    if campaign["code_mode"] in magic.CODE_MODES_WITH_COUPONS and affiliate.get("promo_code"):
        promo_codes = [{"code": affiliate["promo_code"], "external_id": affiliate["promo_external_id"]}]
    return {
        "id": affiliate["id"],
        "email": affiliate["email"],
        "first_name": affiliate["first_name"],
        "last_name": affiliate["last_name"],
        "payout_email": affiliate.get("payout_email"),
        "links": links,
        "promo_codes": promo_codes,
        "clicks": affiliate["clicks"],
        "approved": affiliate["approved"],
        "banned": affiliate["banned"],
        "details": affiliate.get("details"),
        "new_paid_referral_notifications": affiliate["new_paid_referral_notifications"],
        "created_at": affiliate["created_at"],
        "campaign": campaign_out(campaign),
    }


def referral_out(state: PromoteKitState, referral: Record) -> Record:
    return referral_summary(referral) | {
        "affiliate": affiliate_out(state, state.affiliates[referral["affiliate_id"]])}


def payout_out(state: PromoteKitState, payout: Record) -> Record:
    return payout_summary(payout) | {"affiliate": affiliate_out(state, state.affiliates[payout["affiliate_id"]])}


def commission_out(state: PromoteKitState, commission: Record) -> Record:
    payout = state.payouts.get(commission["payout_id"]) if commission.get("payout_id") else None
    return {
        "id": commission["id"],
        "revenue_amount": number(commission["revenue_amount"]),
        "currency": commission["currency"],
        "commission_amount": number(commission["commission_amount"]),
        "payout_status": commission["payout_status"],
        "referral_date": commission["referral_date"],
        "created_at": commission["created_at"],
        "stripe_payment_id": commission.get("stripe_payment_id"),
        "affiliate": affiliate_out(state, state.affiliates[commission["affiliate_id"]]),
        "referral": referral_summary(state.referrals[commission["referral_id"]]),
        "payout": payout_summary(payout) if payout else None,
    }
