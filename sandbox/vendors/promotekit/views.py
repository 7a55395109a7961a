"""PromoteKit's responses that read the state beside the record (campaign, referral counts); models stay pure."""
from __future__ import annotations

import copy
from dataclasses import dataclass

from . import magic
from .models import Record, campaign_out, link_prefix, number, payout_summary, referral_summary
from .state import PromoteKitState


@dataclass(frozen=True, slots=True)
class CampaignView:
    """What every affiliate of a campaign shows of it, built once per version of the campaign rather than once
    per affiliate rendered (a page of ten affiliates of one campaign built it ten times)."""

    record: Record  # the stored campaign it was built from
    fields: Record  # a copy of that campaign's fields when it was built
    out: Record  # campaign_out(record); shared by every response that shows the campaign, never changed
    link_prefix: str | None  # an affiliate's link before its ref_code; None when the campaign shows no links
    coupons: bool  # whether its affiliates show their promo code

    def fits(self, campaign: Record) -> bool:
        """Built from this very record (a restored or newly stamped state has other objects) with the fields it
        has now (an update changes the stored record in place)."""
        return self.record is campaign and self.fields == campaign


_MAX_VIEWS = 256  # views a tenant keeps: emptied when full (a tenant has a handful of campaigns)


def campaign_view(state: PromoteKitState, campaign: Record) -> CampaignView:
    views = state.campaign_views
    view = views.get(campaign["id"])
    if view is not None and view.fits(campaign):
        return view
    mode, website_url = campaign["code_mode"], campaign.get("website_url")
    view = CampaignView(campaign, copy.deepcopy(campaign), campaign_out(campaign),
                        link_prefix(website_url) if mode in magic.CODE_MODES_WITH_LINKS and website_url else None,
                        mode in magic.CODE_MODES_WITH_COUPONS)
    if len(views) >= _MAX_VIEWS:
        views.clear()
    views[campaign["id"]] = view
    return view


def affiliate_out(state: PromoteKitState, affiliate: Record, view: CampaignView | None = None) -> Record:
    """The affiliate as the API shows it; `view` is its campaign's view when the caller holds it already."""
    if view is None:
        view = campaign_view(state, state.campaigns[affiliate["campaign_id"]])
    code, promo_code = affiliate["ref_code"], affiliate.get("promo_code")
    return {
        "id": affiliate["id"],
        "email": affiliate["email"],
        "first_name": affiliate["first_name"],
        "last_name": affiliate["last_name"],
        "payout_email": affiliate.get("payout_email"),
        "links": [] if view.link_prefix is None else [{"url": view.link_prefix + code, "code": code}],
        "promo_codes": [{"code": promo_code, "external_id": affiliate["promo_external_id"]}]
        if view.coupons and promo_code else [],
        "clicks": affiliate["clicks"],
        "approved": affiliate["approved"],
        "banned": affiliate["banned"],
        "details": affiliate.get("details"),
        "new_paid_referral_notifications": affiliate["new_paid_referral_notifications"],
        "created_at": affiliate["created_at"],
        "campaign": view.out,
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
