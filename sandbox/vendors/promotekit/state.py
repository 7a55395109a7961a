"""One PromoteKit organisation in a tenant, the rules several places share, and loading from the fixtures."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ...core import endpoints
from ...core.clock import format_instant
from ...core.codes import draw_suffixed, next_numbered, roomy_width
from ...core.fixtures import FixtureError, insert_record, require_record
from ...core.random import RandomSource
from ...core.relations import Counter, Relation
from ...core.store import Collection, Total
from . import magic, webhooks
from .models import (
    CAMPAIGN_DASHBOARD_DEFAULTS,
    Record,
    new_id,
    promo_code_width,
    promo_external_id,
    ref_code_family,
    slug,
)

if TYPE_CHECKING:
    from ...core.tenantlike import TenantLike

SUBSCRIPTION_STATUSES = ("signed_up", "active", "trialing", "canceled", "past_due")


def _parent(name: str) -> Callable[[Record], str | None]:
    """A group key: the record's `name` id, lower-cased (the list filters compare ids case-insensitively)."""
    def key(record: Record) -> str | None:
        value = record.get(name)
        return value.lower() if isinstance(value, str) else None
    return key


def _created(record: Record) -> tuple:
    """Lists are newest first: this order read backwards (created_at, then insertion order)."""
    return (record["created_at"], record["seq"])


@dataclass
class PromoteKitState:
    RELATIONS: ClassVar[tuple[Relation, ...]] = (
        Relation("affiliates", "campaign_id", "campaigns"), Relation("referrals", "affiliate_id", "affiliates"),
        Relation("commissions", "referral_id", "referrals"), Relation("commissions", "affiliate_id", "affiliates"),
        Relation("commissions", "payout_id", "payouts", none=(None,)),
        Relation("payouts", "affiliate_id", "affiliates"))
    COUNTERS: ClassVar[tuple[Counter, ...]] = (Counter("last_seq", tuple(
        (name, "seq") for name in ("campaigns", "affiliates", "referrals", "commissions", "payouts"))),)

    settings: Record
    campaigns: Collection = field(default_factory=lambda: Collection(
        "campaigns", groups={"default": lambda r: True if r["is_default"] else None}))
    affiliates: Collection = field(default_factory=lambda: Collection("affiliates", unique={
        "email": lambda r: r["email"],
        "ref_code": lambda r: r["ref_code"],
        "promo_code": lambda r: r.get("promo_code"),
    }, orders={"newest": _created}, totals={
        "perCampaign": Total(lambda r: r["campaign_id"].lower()),
        # How many codes of each generated shape a name has: where the next generated code goes is a lookup.
        "refCodeFamily": Total(ref_code_family),
        "promoCodeWidth": Total(promo_code_width),
    }))
    # Groups by the parent ids the lists filter on (lower-cased, as the filters compare): a filtered list reads
    # its group, not every record.
    referrals: Collection = field(default_factory=lambda: Collection(
        "referrals", unique={"email": lambda r: r["email"]}, groups={"affiliate_id": _parent("affiliate_id")}))
    commissions: Collection = field(default_factory=lambda: Collection(
        "commissions", totals={"perReferral": Total(lambda r: r["referral_id"])},
        groups={"affiliate_id": _parent("affiliate_id"), "referral_id": _parent("referral_id")}))
    payouts: Collection = field(default_factory=lambda: Collection(
        "payouts", groups={"affiliate_id": _parent("affiliate_id")}))
    webhooks: Collection = field(default_factory=lambda: Collection("webhooks"))  # endpoints (dashboard-made)
    last_seq: int = 0  # a plain number, so the state stays JSON-snapshottable

    def __post_init__(self) -> None:
        # What each campaign's affiliates show of it, built once per version of the campaign (`views.campaign_view`);
        # kept beside the fields, so never part of a snapshot, and per tenant like everything else.
        self.campaign_views: dict[Any, Any] = {}

    @property
    def currency(self) -> str:
        return str(self.settings.get("currency", magic.DEFAULT_CURRENCY)).lower()

    def next_seq(self) -> int:
        """Insertion order, to break ties between records created in the same second."""
        self.last_seq += 1
        return self.last_seq

    def default_campaign(self) -> Record | None:
        default = self.campaigns.group("default", True)  # an index: a create without campaign_id scans nothing
        return default[0] if default else None

    def make_default(self, campaign_id: str) -> None:
        """One default campaign at a time: the others lose the flag."""
        for other in self.campaigns.group("default", True):
            if other["id"] != campaign_id:
                self.campaigns.update(other["id"], {"is_default": False})

    def free_ref_code(self, random: RandomSource, first_name: str) -> str:
        """jane, then jane1, jane2, ... (guess: PromoteKit's generated format is undocumented).

        The next number is the count of jane-shaped codes, not found by trying each one; codes set by hand
        that are in the way cost a few lookups, then a random suffix (see `core.codes`)."""
        base = slug(first_name)
        family = int(self.affiliates.total("refCodeFamily", base))
        return next_numbered(random, base, self._ref_code_taken, family, "ref_code")

    def free_promo_code(self, random: RandomSource, first_name: str) -> str:
        """JANE42: the upper-case first name and two digits (guess); once half the two-digit codes of a name
        are taken, three digits, and so on, so a draw always has room and never loops."""
        base = slug(first_name).upper()
        width = roomy_width(lambda digits: self.affiliates.total("promoCodeWidth", (base, digits)))
        return draw_suffixed(random, base, self._promo_code_taken, "promo_code", start_width=width)

    def _ref_code_taken(self, code: str) -> bool:
        return self.affiliates.find("ref_code", code) is not None

    def _promo_code_taken(self, code: str) -> bool:
        return self.affiliates.find("promo_code", code) is not None

    def promo_code_due(self, random: RandomSource, affiliate: Record, campaign: Record) -> Record:
        """The promo code (and its external id) an affiliate without one gets on a campaign that issues coupons;
        {} when it has one or the campaign issues none."""
        if campaign["code_mode"] in magic.CODE_MODES_WITH_COUPONS and not affiliate.get("promo_code"):
            return {"promo_code": self.free_promo_code(random, affiliate["first_name"]),
                    "promo_external_id": promo_external_id(random)}
        return {}

    def ensure_promo_code(self, random: RandomSource, affiliate: Record) -> None:
        """A stored affiliate on a campaign that issues coupons gets a promo code if it has none."""
        changes = self.promo_code_due(random, affiliate, self.campaigns[affiliate["campaign_id"]])
        if changes:
            self.affiliates.update(affiliate["id"], changes)


def campaign_problem(campaign: Record) -> str | None:
    """The first documented or guessed campaign rule the (resulting) campaign breaks, as PromoteKit's message."""
    mode = campaign["code_mode"]
    if mode in magic.CODE_MODES_WITH_LINKS and not campaign.get("website_url"):
        return "website_url is required when code_mode is link or both"
    if mode in magic.CODE_MODES_WITH_COUPONS and not campaign.get("reference_coupon"):
        return "reference_coupon is required when code_mode is coupon or both"
    if campaign["commission_type"] == "percentage" and campaign["commission_amount"] > 100:
        return "commission_amount cannot be more than 100 for a percentage commission"
    return None


def payout_fields(affiliate: Record) -> Record:
    """What a payout records about its affiliate at the time it is made."""
    return {"affiliate_id": affiliate["id"],
            "affiliate_name": f"{affiliate['first_name']} {affiliate['last_name']}".strip(),
            "payout_email": affiliate.get("payout_email") or affiliate["email"]}


# -- loading --------------------------------------------------------------------------------------------

def _need(raw: Record, names: tuple[str, ...], source: str, where: str) -> None:
    for name in names:
        if name not in raw:
            raise FixtureError(f"{source}: {where}: missing {name}")


def build_state(data: dict[str, Any], tenant: TenantLike, source: str) -> PromoteKitState:
    """Load expanded fixtures; ids, codes and snapshots missing from a record are filled in."""
    random = tenant.stream("promotekit")
    state = PromoteKitState(settings=dict(data.get("settings") or {}))
    for i, raw in enumerate(data.get("campaigns") or []):
        where = f"campaigns[{i}] {raw.get('id', '')}".strip()
        _need(raw, ("name", "commission_type", "commission_amount", "code_mode", "created_at"), source, where)
        record = {**CAMPAIGN_DASHBOARD_DEFAULTS, "website_url": None, "reference_coupon": None,
                  "is_default": False, **raw, "seq": state.next_seq()}
        record.setdefault("id", new_id(random))
        problem = campaign_problem(record)
        if problem:
            raise FixtureError(f"{source}: {where}: {problem}")
        if record["is_default"] and state.default_campaign() is not None:
            raise FixtureError(f"{source}: {where}: a second default campaign (one at a time)")
        insert_record(state.campaigns, record, source, where)
    for i, raw in enumerate(data.get("affiliates") or []):
        where = f"affiliates[{i}] {raw.get('id', raw.get('email', ''))}".strip()
        _need(raw, ("email", "first_name", "last_name", "created_at"), source, where)
        record = {"payout_email": None, "details": None, "clicks": 0, "approved": True, "banned": False,
                  "new_paid_referral_notifications": True, "promo_code": None, "promo_external_id": None,
                  **raw, "seq": state.next_seq()}
        record.setdefault("id", new_id(random))
        if "campaign_id" not in record:
            default = state.default_campaign()
            if default is None:
                raise FixtureError(f"{source}: {where}: no campaign_id and no default campaign")
            record["campaign_id"] = default["id"]
        require_record(state.campaigns, record["campaign_id"], source, where, "campaign_id")
        if "ref_code" not in record:
            record["ref_code"] = state.free_ref_code(random, record["first_name"])
        if record["promo_code"] and not record["promo_external_id"]:
            record["promo_external_id"] = promo_external_id(random)
        insert_record(state.affiliates, record, source, where)
        state.ensure_promo_code(random, record)
    for i, raw in enumerate(data.get("referrals") or []):
        where = f"referrals[{i}] {raw.get('id', raw.get('email', ''))}".strip()
        _need(raw, ("affiliate_id", "email", "created_at"), source, where)
        require_record(state.affiliates, raw["affiliate_id"], source, where, "affiliate_id")
        record = {"subscription_status": "signed_up", "stripe_customer_id": None, "signup_date": raw["created_at"],
                  **raw, "seq": state.next_seq()}
        record.setdefault("id", new_id(random))
        if record["subscription_status"] not in SUBSCRIPTION_STATUSES:
            raise FixtureError(f"{source}: {where}: subscription_status must be one of {SUBSCRIPTION_STATUSES}")
        insert_record(state.referrals, record, source, where)
    for i, raw in enumerate(data.get("payouts") or []):
        where = f"payouts[{i}] {raw.get('id', '')}".strip()
        _need(raw, ("affiliate_id", "period", "created_at"), source, where)
        affiliate = require_record(state.affiliates, raw["affiliate_id"], source, where, "affiliate_id")
        record = {**payout_fields(affiliate), "amount": 0, "currency": state.currency, "payment_count": 0,
                  **raw, "seq": state.next_seq()}
        record.setdefault("id", new_id(random))
        insert_record(state.payouts, record, source, where)
    for i, raw in enumerate(data.get("commissions") or []):
        where = f"commissions[{i}] {raw.get('id', '')}".strip()
        _need(raw, ("referral_id", "revenue_amount", "commission_amount", "created_at"), source, where)
        referral = require_record(state.referrals, raw["referral_id"], source, where, "referral_id")
        record = {"currency": state.currency, "payout_status": "not_paid", "payout_id": None,
                  "stripe_payment_id": None, "referral_date": raw["created_at"], **raw,
                  "affiliate_id": referral["affiliate_id"], "seq": state.next_seq()}
        record.setdefault("id", new_id(random))
        if record["payout_id"] is not None:
            payout = require_record(state.payouts, record["payout_id"], source, where, "payout_id")
            if payout["affiliate_id"] != record["affiliate_id"]:
                raise FixtureError(f"{source}: {where}: payout {payout['id']} belongs to another affiliate")
            record["payout_status"] = "paid"
            state.payouts.update(payout["id"], {"amount": round(payout["amount"] + record["commission_amount"], 2),
                                                "payment_count": payout["payment_count"] + 1,
                                                "currency": record["currency"]})
        insert_record(state.commissions, record, source, where)
    endpoints.load_fixtures(state.webhooks, data.get("webhooks") or [], webhooks.EVENTS,
                            lambda: "ep_" + random.nanoid(16), lambda: None, source, format_instant(tenant.clock.now()))
    return state
