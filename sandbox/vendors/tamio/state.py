"""One merchant's Tamio world in a tenant, and how it is built from the fixtures."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ...core import endpoints
from ...core.clock import format_instant
from ...core.fixtures import FixtureError, insert_record, require_record
from ...core.relations import Relation
from ...core.store import Collection, Total
from . import webhooks
from .models import AFFILIATE_CONTACT, PROGRAM_DEFAULTS, Record, main_language, to_unix

if TYPE_CHECKING:
    from ...core.tenantlike import TenantLike


def _per_program_email(record: Record) -> str:
    return f"{record['program_id']}|{record['email']}"


@dataclass
class TamioState:
    # Payouts keep a copy of their affiliate (`affiliate_snapshot`) and outlive it: no relation from them.
    RELATIONS: ClassVar[tuple[Relation, ...]] = (
        Relation("programs", "products", "products", many=True),
        Relation("programs", "domain", "domains", none=(None,)),
        Relation("affiliates", "program_id", "programs"), Relation("blocked", "program_id", "programs"))

    settings: Record
    products: Collection = field(default_factory=lambda: Collection("products"))
    domains: Collection = field(default_factory=lambda: Collection("domains"))
    email_templates: Collection = field(default_factory=lambda: Collection("email_templates"))
    programs: Collection = field(default_factory=lambda: Collection(
        "programs", orders={"created_at": lambda r: (r["created_at"], r["id"])}))  # unfiltered pages: no sort
    affiliates: Collection = field(default_factory=lambda: Collection(
        "affiliates", unique={"program_email": _per_program_email},
        # per program: its affiliates and how many are approved, without reading every affiliate
        groups={"program": lambda r: r["program_id"]},
        totals={"approved": Total(lambda r: r["program_id"] if r["status"] == "approved" else None)}))
    # A blocked entry's program, and a payout's program and partner, never change: their lists read a group.
    blocked: Collection = field(default_factory=lambda: Collection(
        "blocked_affiliates", unique={"program_email": _per_program_email},
        groups={"program": lambda r: r["program_id"]}))
    payouts: Collection = field(default_factory=lambda: Collection(
        "payouts", groups={"program": lambda r: r["program_id"], "affiliate": lambda r: r["affiliate_id"]}))
    agency_programs: Collection = field(default_factory=lambda: Collection("agency_programs"))
    webhooks: Collection = field(default_factory=lambda: Collection("webhooks"))  # endpoints (dashboard-made)
    emails: list[Record] = field(default_factory=list)  # what send-email sent, for the control plane

    # -- settings -----------------------------------------------------------------------------------

    @property
    def currencies(self) -> dict[str, list[str]]:
        """Currency (upper case) -> the payout methods it supports (error 10203 otherwise)."""
        return self.settings["currencies"]

    @property
    def languages(self) -> list[str]:
        return self.settings["languages"]

    @property
    def billing_information_complete(self) -> bool:
        """False makes every payout answer 90052 (missing merchant billing information)."""
        return bool(self.settings["merchant_billing_information"])

    # -- queries the handlers share -------------------------------------------------------------------

    def affiliates_of(self, program_id: str) -> list[Record]:
        return self.affiliates.group("program", program_id)

    def approved_count(self, program_id: str) -> int:
        return int(self.affiliates.total("approved", program_id))

    def next_payout_number(self) -> int:
        number = int(self.settings["next_payout_number"])
        self.settings["next_payout_number"] = number + 1
        return number


# Without a currency table in the fixtures (an empty fixture file, say), the account has the common ones.
DEFAULT_CURRENCIES = {"EUR": ["stripe", "paypal", "bankaccount"], "USD": ["stripe", "paypal", "bankaccount"],
                      "GBP": ["stripe", "paypal", "bankaccount"]}


def _settings(data: dict[str, Any], source: str) -> Record:
    settings = {"merchant_billing_information": True, "languages": ["en"], "public_key": "pk_sandbox_public_0001",
                "next_payout_number": 1, "currencies": DEFAULT_CURRENCIES, **(data.get("settings") or {})}
    currencies = settings.get("currencies")
    if not isinstance(currencies, dict) or not currencies:
        raise FixtureError(f"{source}: settings.currencies must map currency codes to payout methods")
    settings["currencies"] = {str(code).upper(): list(methods) for code, methods in currencies.items()}
    return settings


def build_state(data: dict[str, Any], tenant: TenantLike, source: str) -> TamioState:
    """Load expanded fixtures; missing ids, defaults and timestamps are filled in, references checked."""
    random = tenant.stream("tamio")
    state = TamioState(settings=_settings(data, source))
    for name, collection in (("products", state.products), ("domains", state.domains),
                             ("email_templates", state.email_templates)):
        for i, raw in enumerate(data.get(name) or []):
            insert_record(collection, {"id": random.uuid(), **raw}, source, f"{name}[{i}]")
    for i, raw in enumerate(data.get("programs") or []):
        where = f"programs[{i}] {raw.get('id', '')}".strip()
        if not raw.get("languages"):
            raise FixtureError(f"{source}: {where}: missing languages")
        main = main_language(raw["languages"])
        record = {**PROGRAM_DEFAULTS, "label": main["label"], "description": main["description"],
                  "signup_url": None, "allow_bonuses": True, "is_active": True, "promo": None, "sales": 0, **raw}
        record.setdefault("id", random.uuid())
        for name in ("currency", "commission_amount", "commission_percent", "payments", "destinations",
                     "created_at"):
            if name not in record:
                raise FixtureError(f"{source}: {where}: missing {name}")
        record["currency"] = str(record["currency"]).upper()
        record["created_at"] = to_unix(record["created_at"])
        for product in record["products"]:
            require_record(state.products, product, source, where, "products")
        if record["domain"] is not None:
            require_record(state.domains, record["domain"], source, where, "domain")
        insert_record(state.programs, record, source, where)
    for i, raw in enumerate(data.get("affiliates") or []):
        where = f"affiliates[{i}] {raw.get('id', raw.get('email', ''))}".strip()
        require_record(state.programs, raw.get("program_id"), source, where, "program_id")
        record = {name: None for name in AFFILIATE_CONTACT}
        record.update({"billing_information": None, "bonus": 0, "balance": 0, "sales": 0, "referrals": 0,
                       "status": "approved", "language": "en", "payments": None, "has_notes": False, **raw})
        record.setdefault("id", random.uuid())
        if record["status"] not in ("approved", "pending"):
            raise FixtureError(f"{source}: {where}: status must be approved or pending")
        record["date_joined"] = to_unix(record["date_joined"])
        insert_record(state.affiliates, record, source, where)
    for i, raw in enumerate(data.get("blocked_affiliates") or []):
        where = f"blocked_affiliates[{i}] {raw.get('id', '')}".strip()
        require_record(state.programs, raw.get("program_id"), source, where, "program_id")
        record = {"id": random.uuid(), **raw}
        record["created_at"] = to_unix(record["created_at"])
        insert_record(state.blocked, record, source, where)
    for i, raw in enumerate(data.get("payouts") or []):
        where = f"payouts[{i}] {raw.get('id', '')}".strip()
        affiliate = require_record(state.affiliates, raw.get("affiliate_id"), source, where, "affiliate_id")
        program = state.programs[affiliate["program_id"]]
        record = {"id": random.uuid(), "currency": program["currency"], "paid": False, "status": "new",
                  "prefix": None, "invoice": random.uuid(), **raw}
        record.update({"program_id": program["id"], "program_label": program["label"],
                       "date": to_unix(record["date"]), "affiliate_snapshot": dict(affiliate)})
        for name in ("total", "payment", "number"):
            if name not in record:
                raise FixtureError(f"{source}: {where}: missing {name}")
        insert_record(state.payouts, record, source, where)
    for i, raw in enumerate(data.get("agency_programs") or []):
        where = f"agency_programs[{i}] {raw.get('id', '')}".strip()
        record = {"id": random.uuid(), "is_listed": False, "is_public": True, "approved": False,
                  "managed": True, "affiliates": 0, "commission_amount": 0, **raw}
        record["created_at"] = to_unix(record["created_at"])
        insert_record(state.agency_programs, record, source, where)
    endpoints.load_fixtures(state.webhooks, data.get("webhooks") or [], webhooks.EVENTS, random.uuid,
                            lambda: None, source, format_instant(tenant.clock.now()))
    return state
