"""One merchant's LinkJolt world in a tenant, and how it is built from the fixtures."""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ...core.codes import draw_token
from ...core.fixtures import FixtureError, insert_record, require_record
from ...core.relations import Relation
from ...core.store import Collection, Total
from . import magic
from .models import Record, commission_cents, to_cents

if TYPE_CHECKING:
    from ...core.tenantlike import TenantLike


def membership_id(affiliate_id: str, campaign_id: str) -> str:
    return f"{affiliate_id}:{campaign_id}"


def _counted(conversion: Record) -> bool:
    """Rejected and refunded sales count toward nothing: not revenue, tiers or the earnings cap."""
    return conversion["status"] not in ("rejected", "refunded")


def _conversions() -> Collection:
    # Running totals keep per-request work independent of how many conversions a tenant holds.
    return Collection("conversions", unique={"orderId": lambda r: r.get("orderId")},
                      groups={"affiliate": lambda r: r["affiliateId"]},
                      totals={
        "tierSales": Total(lambda r: (r["affiliateId"], r["campaignId"], r["createdAt"][:7]) if _counted(r) else None),
        "trackedLive": Total(lambda r: r["createdAt"][:7] if _counted(r) and not r.get("isTest") else None,
                             lambda r: r["amountCents"]),
        "campaignCount": Total(lambda r: (r["campaignId"], bool(r.get("isTest")))),
        "campaignRevenue": Total(lambda r: (r["campaignId"], bool(r.get("isTest"))) if _counted(r) else None,
                                 lambda r: r["amountCents"]),
        "rowCount": Total(lambda r: (r["affiliateId"], r["campaignId"], bool(r.get("isTest")))),
        "rowEarnings": Total(lambda r: (r["affiliateId"], r["campaignId"], bool(r.get("isTest")))
                             if r["status"] in ("pending", "approved", "paid") else None,
                             lambda r: r["commissionCents"]),
    })


def _joined_key(membership: Record) -> str:
    """joinedAt, then affiliateId, as one string: a new membership is placed among thousands of kept ones by
    comparing keys, and two strings compare several times faster than two (str, str) tuples (about 2 µs of a
    create once a list has asked for this order). The same order as the tuple's: joinedAt is a date-time
    (the records' schema), so it holds no NUL, the lowest character."""
    return f"{membership['joinedAt']}\x00{membership['affiliateId']}"


@dataclass
class LinkJoltState:
    RELATIONS: ClassVar[tuple[Relation, ...]] = (
        Relation("memberships", "affiliateId", "affiliates"), Relation("memberships", "campaignId", "campaigns"),
        Relation("conversions", "affiliateId", "affiliates"), Relation("conversions", "campaignId", "campaigns"),
        Relation("conversions", "parentConversionId", "conversions", none=(None,)),
        Relation("payouts", "affiliateId", "affiliates"), Relation("payouts", "conversionId", "conversions"),
        Relation("invitations", "campaignId", "campaigns"))

    merchant: Record
    settings: Record
    campaigns: Collection = field(default_factory=lambda: Collection(
        "campaigns", unique={"trackingCode": lambda r: r["trackingCode"]}))
    affiliates: Collection = field(default_factory=lambda: Collection(
        "affiliates", unique={"email": lambda r: r["email"]},
        orders={"name": lambda r: (r["name"], r["id"]), "email": lambda r: (r["email"], r["id"])}))
    # GET /affiliates pages memberships through kept orders and counts them with `rows`: no scan per page.
    memberships: Collection = field(default_factory=lambda: Collection(
        "memberships", groups={"affiliate": lambda r: r["affiliateId"]},
        totals={"rows": Total(lambda r: (r["campaignId"], r["status"], bool(r.get("isTest"))))},
        orders={"joinedAt": _joined_key}))
    conversions: Collection = field(default_factory=_conversions)
    invitations: Collection = field(default_factory=lambda: Collection(
        "invitations", unique={"pending": lambda r: f"{r['email']}|{r['campaignId']}"
                               if r["status"] == "pending" else None}))
    # A payout's affiliate and conversion never change: lists filtered on them read a group, in insertion order.
    payouts: Collection = field(default_factory=lambda: Collection(
        "payouts", groups={"affiliate": lambda r: r["affiliateId"], "conversion": lambda r: r["conversionId"]}))
    webhooks: Collection = field(default_factory=lambda: Collection("webhooks"))

    # -- queries the handlers share ---------------------------------------------------------------

    def membership(self, affiliate_id: str, campaign_id: str) -> Record | None:
        return self.memberships.get(membership_id(affiliate_id, campaign_id))

    def memberships_of(self, affiliate_id: str) -> list[Record]:
        return self.memberships.group("affiliate", affiliate_id)

    def sales_this_month(self, affiliate_id: str, campaign_id: str, month: str) -> int:
        """Non-rejected conversions of one affiliate on one campaign in a calendar month ("2026-04")."""
        return int(self.conversions.total("tierSales", (affiliate_id, campaign_id, month)))

    def tracked_sales_cents(self, month: str) -> int:
        """The month's tracked live revenue, which the plan's earnings cap limits."""
        return int(self.conversions.total("trackedLive", month))

    def seen_total(self, name: str, key: tuple, test_mode: bool) -> int:
        """A conversion total over what a key sees: live records, plus test records for a test key."""
        live = self.conversions.total(name, (*key, False))
        return int(live + (self.conversions.total(name, (*key, True)) if test_mode else 0))

    def row_stats(self, affiliate_id: str, campaign_id: str, test_mode: bool) -> tuple[int, int]:
        """A GET /affiliates row's conversions and earnings (cents) over what a key sees: `seen_total` of
        `rowCount` and `rowEarnings` in one call, as a page asks for ten rows' worth."""
        total, live = self.conversions.total, (affiliate_id, campaign_id, False)
        count, earnings = total("rowCount", live), total("rowEarnings", live)
        if test_mode:
            own = (affiliate_id, campaign_id, True)
            count, earnings = count + total("rowCount", own), earnings + total("rowEarnings", own)
        return int(count), int(earnings)

    def earnings_cap_cents(self, plan: str | None) -> int | None:
        """The monthly tracked-sales cap: the fixtures' `monthlyEarningsCap` (dollars, null for none) if set,
        else the cap of the calling key's plan (a key's plan is its merchant's plan)."""
        if "monthlyEarningsCap" in self.settings:
            cap = self.settings["monthlyEarningsCap"]
            return None if cap is None else to_cents(float(cap))
        return magic.EARNINGS_CAP_CENTS[plan or "ultimate"]

def build_state(data: dict[str, Any], tenant: TenantLike, source: str) -> LinkJoltState:
    """Load expanded fixtures; ids, commissions and memberships missing from a record are filled in."""
    random = tenant.stream("linkjolt")
    settings = dict(data.get("settings") or {})
    if settings.get("selfReferral", "reject") not in magic.SELF_REFERRAL_POLICIES:
        raise FixtureError(f"{source}: settings.selfReferral must be one of {magic.SELF_REFERRAL_POLICIES}")
    state = LinkJoltState(merchant=dict(data.get("merchant") or {"id": "mer_sandbox", "name": "Sandbox",
                                                                  "website": None}), settings=settings)
    for i, raw in enumerate(data.get("campaigns") or []):
        where = f"campaigns[{i}] {raw.get('id', '')}".strip()
        record = {"status": "active", "currency": "usd", "tiers": [], "autoApproveAffiliates": False,
                  "isPublic": True, **raw}
        record.setdefault("id", random.nanoid(21))
        for name in ("name", "trackingCode", "commissionType", "commissionValue", "createdAt"):
            if name not in record:
                raise FixtureError(f"{source}: {where}: missing {name}")
        insert_record(state.campaigns, record, source, where)
    for i, raw in enumerate(data.get("affiliates") or []):
        where = f"affiliates[{i}] {raw.get('id', raw.get('email', ''))}".strip()
        memberships = raw.pop("memberships", [])
        record = {"createdVia": "invite", "payoutMethod": "stripe", "isTest": False, **raw}
        record.setdefault("id", random.nanoid(21))
        joined = [m["joinedAt"] for m in memberships if "joinedAt" in m]
        record.setdefault("createdAt", min(joined) if joined else "2026-01-01T00:00:00Z")
        insert_record(state.affiliates, record, source, where)
        for m in memberships:
            require_record(state.campaigns, m.get("campaignId"), source, where, "memberships.campaignId")
            insert_record(state.memberships, {
                "id": membership_id(record["id"], m["campaignId"]), "affiliateId": record["id"],
                "campaignId": m["campaignId"], "status": m.get("status", "approved"),
                "joinedAt": m.get("joinedAt", record["createdAt"]), "clicks": m.get("clicks", 0),
                "createdVia": m.get("createdVia", record["createdVia"]), "isTest": record["isTest"],
            }, source, where)
    for i, raw in enumerate(data.get("conversions") or []):
        where = f"conversions[{i}] {raw.get('id', raw.get('orderId', ''))}".strip()
        affiliate = require_record(state.affiliates, raw.get("affiliateId"), source, where, "affiliateId")
        campaign_id = raw.get("campaignId")
        if campaign_id is None:  # generated records name the affiliate; take its first approved campaign
            own = sorted(state.memberships_of(affiliate["id"]), key=lambda m: m["status"] != "approved")
            if not own:
                raise FixtureError(f"{source}: {where}: affiliate {affiliate['id']} is on no campaign")
            campaign_id = own[0]["campaignId"]
        campaign = require_record(state.campaigns, campaign_id, source, where, "campaignId")
        amount = float(raw["amount"])
        created = raw["createdAt"]
        record = {
            "id": raw.get("id") or draw_token(random, 10, string.digits, state.conversions.__contains__,
                                              "conversion id", prefix=f"stripe_{campaign['trackingCode']}_"),
            "campaignId": campaign["id"], "affiliateId": affiliate["id"],
            "amountCents": to_cents(amount),
            "commissionCents": to_cents(float(raw["commission"])) if "commission" in raw else commission_cents(
                campaign, amount, state.sales_this_month(affiliate["id"], campaign["id"], created[:7]) + 1),
            "currency": str(raw.get("currency", campaign["currency"])).lower(),
            "status": raw.get("status", "pending"), "conversionType": raw.get("conversionType", "one_time"),
            "orderId": raw.get("orderId"), "clickId": raw.get("clickId"),
            "customerEmail": raw.get("customerEmail"), "customerName": raw.get("customerName"),
            "parentConversionId": raw.get("parentConversionId"), "isTest": bool(raw.get("isTest", False)),
            "createdAt": created, "updatedAt": raw.get("updatedAt", created),
        }
        insert_record(state.conversions, record, source, where)
    for i, raw in enumerate(data.get("payouts") or []):
        where = f"payouts[{i}] {raw.get('id', '')}".strip()
        conversion = require_record(state.conversions, raw.get("conversionId"), source, where, "conversionId")
        affiliate = state.affiliates[conversion["affiliateId"]]
        insert_record(state.payouts, {
            "id": raw.get("id") or "po_" + random.nanoid(16), "affiliateId": conversion["affiliateId"],
            "conversionId": conversion["id"], "amountCents": conversion["commissionCents"],
            "currency": conversion["currency"], "status": raw.get("status", "pending"),
            "method": raw.get("method", affiliate["payoutMethod"] if affiliate else "stripe"),
            "scheduledFor": raw["scheduledFor"], "paidAt": raw.get("paidAt"),
            "createdAt": raw.get("createdAt", raw["scheduledFor"]),
        }, source, where)
    for i, raw in enumerate(data.get("invitations") or []):
        where = f"invitations[{i}] {raw.get('id', '')}".strip()
        require_record(state.campaigns, raw.get("campaignId"), source, where, "campaignId")
        insert_record(state.invitations, {"id": raw.get("id") or "inv_" + random.nanoid(16), "name": None,
                                    "status": "pending", "isTest": False, **raw}, source, where)
    for i, raw in enumerate(data.get("webhooks") or []):
        where = f"webhooks[{i}] {raw.get('id', '')}".strip()
        insert_record(state.webhooks, {"id": raw.get("id") or "wh_" + random.nanoid(16), "active": True,
                                 "secret": random.hex(32), "isTest": False, **raw}, source, where)
    return state
