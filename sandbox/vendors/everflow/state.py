"""One Everflow network's world in a tenant, and how it is built from the fixtures."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ...core.clock import parse_instant
from ...core.errors import ApiError
from ...core.fixtures import FixtureError, insert_record, require_record
from ...core.relations import Counter, Relation
from ...core.store import Collection, Total
from .billing import INVOICE_STATUSES, invoice_record
from .models import (
    AFFILIATE_DEFAULTS,
    CAP_FIELDS,
    CONVERSION_TEXT_FIELDS,
    OFFER_DEFAULTS,
    OFFER_GROUP_DEFAULTS,
    OFFER_URL_DEFAULTS,
    PAYOUT_REVENUE_DEFAULTS,
    PIXEL_DEFAULTS,
    TIER_DEFAULTS,
    USER_DEFAULTS,
    Record,
    default_entry,
    encoded_value,
)

if TYPE_CHECKING:
    from ...core.tenantlike import TenantLike

DAY = 86400

META_KINDS = {"timezones": "timezone_id", "currencies": "currency_id", "languages": "language_id",
              "countries": "country_id"}
# The other /meta/* lists: served as the fixtures give them, never referred to by other records.
META_LISTS = ("regions", "cities", "dmas", "mobilecarriers", "browsers", "platforms", "osversions", "devices",
              "connectiontypes", "browserlanguages", "devicetypes", "brands")


def _approved_offer(record: Record) -> Any:
    return record["network_offer_id"] if record["status"] == "approved" and not record["is_event"] else None


def _approved_pair(record: Record) -> Any:
    offer_id = _approved_offer(record)
    return None if offer_id is None else (offer_id, record["network_affiliate_id"])


def _valid_click_pair(record: Record) -> Any:
    return None if record["error_code"] else (record["network_offer_id"], record["network_affiliate_id"])


# Running totals per offer and per (offer, affiliate) for the cap reports' "global" period (offers, offer groups,
# custom cap settings), so they never scan an offer's history.
CONVERSION_TOTALS = {"offer_cv": Total(_approved_offer),
                     "offer_payout": Total(_approved_offer, lambda r: r["payout"]),
                     "offer_revenue": Total(_approved_offer, lambda r: r["revenue"]),
                     "pair_cv": Total(_approved_pair),
                     "pair_payout": Total(_approved_pair, lambda r: r["payout"]),
                     "pair_revenue": Total(_approved_pair, lambda r: r["revenue"])}


def to_unix(value: Any) -> int:
    """Fixture times may be Unix seconds or ISO-8601 instants."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return int(parse_instant(str(value)).timestamp())


@dataclass
class EverflowState:
    # Everflow writes 0 for "no employee / offer" (and the sandbox keeps null or 0 for "no tier").
    RELATIONS: ClassVar[tuple[Relation, ...]] = (
        Relation("affiliates", "network_affiliate_tier_id", "tiers", none=(None, 0)),
        Relation("affiliates", "network_employee_id", "employees", none=(0,)),
        Relation("affiliates", "labels", "labels", many=True), Relation("tiers", "labels", "labels", many=True),
        Relation("users", "network_affiliate_id", "affiliates"),
        Relation("affiliate_tracking_domains", "network_affiliate_id", "affiliates"),
        Relation("affiliate_tracking_domains", "network_tracking_domain_id", "tracking_domains"),
        Relation("api_keys", "network_affiliate_id", "affiliates"),
        Relation("offers", "network_advertiser_id", "advertisers"), Relation("offers", "labels", "labels", many=True),
        Relation("offers", "approved_affiliate_ids", "affiliates", many=True),
        Relation("pixels", "network_affiliate_id", "affiliates"),
        Relation("pixels", "network_offer_id", "offers", none=(0,)),
        Relation("clicks", "network_offer_id", "offers"), Relation("clicks", "network_affiliate_id", "affiliates"),
        Relation("conversions", "network_offer_id", "offers"),
        Relation("conversions", "network_affiliate_id", "affiliates"),
        Relation("conversions", "transaction_id", "clicks"),
        Relation("custom_cap_settings", "network_offer_id", "offers"),
        Relation("custom_cap_settings", "network_affiliate_id", "affiliates"))
    COUNTERS: ClassVar[tuple[Counter, ...]] = (Counter("label_seq", (("labels", "network_label_id"),)),)

    network: Record
    meta: dict[str, list[Record]]
    employees: Collection = field(default_factory=lambda: Collection("employees", "network_employee_id"))
    advertisers: Collection = field(default_factory=lambda: Collection(
        "advertisers", "network_advertiser_id",
        unique={"signup_email": lambda r: (r.get("signup") or {}).get("email")}))
    # The default tier (one, unless fixtures name several) is found by its group, never by a scan.
    tiers: Collection = field(default_factory=lambda: Collection(
        "tiers", "network_affiliate_tier_id", groups={"default": lambda r: True if r["is_default_tier"] else None}))
    labels: Collection = field(default_factory=lambda: Collection(
        "labels", "label", unique={"id": lambda r: r["network_label_id"]}))
    affiliates: Collection = field(default_factory=lambda: Collection(
        "affiliates", "network_affiliate_id", unique={"encoded_value": lambda r: r.get("encoded_value")},
        groups={"encoded": lambda r: r["encoded_value"].upper()}))
    users: Collection = field(default_factory=lambda: Collection(
        "users", "network_affiliate_user_id", unique={"email": lambda r: r["email"]},
        groups={"affiliate": lambda r: r["network_affiliate_id"]}))
    offers: Collection = field(default_factory=lambda: Collection(
        "offers", "network_offer_id", unique={"encoded_value": lambda r: r.get("encoded_value")},
        groups={"offer_group": lambda r: r["network_offer_group_id"] or None,
                "encoded": lambda r: r["encoded_value"].upper()},
        positions=True))  # a search by offer group reads the group, in insertion order as a scan would
    pixels: Collection = field(default_factory=lambda: Collection("pixels", "network_pixel_id"))
    # Clicks and conversions are grouped by UTC day (and conversions by transaction), so a report over a date
    # range reads only the days it covers and a transaction's conversions need no scan (see reporting).
    clicks: Collection = field(default_factory=lambda: Collection(
        "clicks", "transaction_id", groups={"day": lambda r: r["click_unix_timestamp"] // DAY},
        totals={"offer_click": Total(lambda r: None if r["error_code"] else r["network_offer_id"]),
                "pair_click": Total(_valid_click_pair)}))
    conversions: Collection = field(default_factory=lambda: Collection(
        "conversions", "conversion_id", groups={"day": lambda r: r["conversion_unix_timestamp"] // DAY,
                                                "transaction": lambda r: r["transaction_id"],
                                                "affiliate": lambda r: r["network_affiliate_id"]},
        totals=CONVERSION_TOTALS))
    payout_revenue_seq: int = 0
    label_seq: int = 0
    # -- network settings, tracking domains, API keys ------------------------------------------------
    settings: Record = field(default_factory=dict)
    meta_lists: dict[str, list[Record]] = field(default_factory=dict)
    tracking_domains: Collection = field(default_factory=lambda: Collection(
        "tracking_domains", "network_tracking_domain_id"))
    affiliate_tracking_domains: Collection = field(default_factory=lambda: Collection(
        "affiliate_tracking_domains", "network_affiliate_tracking_domain_id",
        groups={"affiliate": lambda r: r["network_affiliate_id"]}))
    api_keys: Collection = field(default_factory=lambda: Collection(
        "api_keys", "network_api_key_id", unique={"key": lambda r: r["api_key"]},
        groups={"affiliate": lambda r: r["network_affiliate_id"]}))
    # -- affiliate billing: invoices and the payments made on them ---------------------------------------
    invoices: Collection = field(default_factory=lambda: Collection(
        "invoices", "network_affiliate_invoice_id", groups={"affiliate": lambda r: r["network_affiliate_id"]}))
    payments: Collection = field(default_factory=lambda: Collection(
        "payments", "network_affiliate_payment_id", groups={"invoice": lambda r: r["network_affiliate_invoice_id"]}))
    # -- affiliate extras: per-affiliate offer visibility, terms acceptance ---------------------------------
    # An affiliate approved on an offer is in the offer's approved_affiliate_ids ("visible"); one hidden from it
    # or rejected has a record here (id "<offer>:<affiliate>"), which takes it off even a public offer.
    offer_visibility: Collection = field(default_factory=lambda: Collection(
        "offer_visibility", "visibility_id", groups={"offer": lambda r: r["network_offer_id"],
                                                     "affiliate": lambda r: r["network_affiliate_id"]}))
    terms_version: int = 1
    terms_acceptances: Collection = field(default_factory=lambda: Collection(
        "terms_acceptances", "network_affiliate_id"))
    # -- offer extras: offer URLs, offer groups, forwarding rules -------------------------------------------
    offer_urls: Collection = field(default_factory=lambda: Collection(
        "offer_urls", "network_offer_url_id", groups={"offer": lambda r: r["network_offer_id"]}))
    offer_groups: Collection = field(default_factory=lambda: Collection("offer_groups", "network_offer_group_id"))
    forwarding_rules: Collection = field(default_factory=lambda: Collection("forwarding_rules", "network_offer_id"))
    # -- reporting extras and smart links (issue 16, efreport2) --------------------------------------
    # Adjustments are booked on a day and count in every report that covers it (see reports.Tally).
    adjustments: Collection = field(default_factory=lambda: Collection(
        "adjustments", "network_adjustment_id", groups={"day": lambda r: r["unix_timestamp"] // DAY}))
    conversion_uploads: Collection = field(default_factory=lambda: Collection(
        "conversion_uploads", "network_conversion_upload_id"))
    campaigns: Collection = field(default_factory=lambda: Collection(
        "campaigns", "network_campaign_id", groups={"encoded": lambda r: r["encoded_value"].upper()}))
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # partner portal strings by language
    # -- the last of the reference (issue 16, eflast): custom cap settings, currency rates ----------------------
    custom_cap_settings: Collection = field(default_factory=lambda: Collection(
        "custom_cap_settings", "network_custom_cap_setting_id"))
    currency_rates: dict[str, float] = field(default_factory=dict)  # units of each currency per US dollar

    def __post_init__(self) -> None:
        # kind -> (the /meta list, the set of its ids): built once per list, since a list is replaced (a snapshot
        # restore) but never changed in place; kept beside the fields, so never part of a snapshot.
        self._meta_ids: dict[str, tuple[list[Record], frozenset[Any]]] = {}

    # -- lookups the handlers share ----------------------------------------------------------------

    def meta_ids(self, kind: str) -> frozenset[Any]:
        rows = self.meta.get(kind, [])
        held = self._meta_ids.get(kind)
        if held is None or held[0] is not rows:
            held = self._meta_ids[kind] = (rows, frozenset(row[META_KINDS[kind]] for row in rows))
        return held[1]

    def country_codes(self) -> set[str]:
        return {row["country_code"] for row in self.meta.get("countries", [])}

    def timezone_offset(self, timezone_id: int) -> int:
        """Seconds east of UTC for a timezone id (fixed offsets: the sandbox ignores daylight saving)."""
        for row in self.meta.get("timezones", []):
            if row["timezone_id"] == timezone_id:
                sign = -1 if row["utc_offset"].startswith("-") else 1
                hours, _, minutes = row["utc_offset"].lstrip("+-").partition(":")
                return sign * (int(hours) * 3600 + int(minutes or 0) * 60)
        raise KeyError(timezone_id)

    def default_tier(self) -> Record | None:
        """The network's default tier (the first stored, should fixtures name several), if it has one."""
        defaults = self.tiers.group("default", True)
        return defaults[0] if defaults else None

    def users_of(self, affiliate_id: int) -> list[Record]:
        return self.users.group("affiliate", affiliate_id)

    def ensure_labels(self, labels: list[str], now: int) -> None:
        """Labels named on a record are created on the fly (a guess the notes make)."""
        for label in labels:
            if label not in self.labels:
                self.label_seq += 1
                self.labels.insert({"label": label, "network_label_id": self.label_seq, "time_created": now})

    def next_payout_revenue_id(self) -> int:
        self.payout_revenue_seq += 1
        return self.payout_revenue_seq

    def can_run(self, affiliate: Record, offer: Record) -> bool:
        """Public offers are open to every affiliate not hidden from (or rejected on) them; others only to the
        affiliates approved on them."""
        affiliate_id = affiliate["network_affiliate_id"]
        if affiliate_id in offer["approved_affiliate_ids"]:
            return True
        return offer["visibility"] == "public" and \
            visibility_id(offer["network_offer_id"], affiliate_id) not in self.offer_visibility


def visibility_id(offer_id: int, affiliate_id: int) -> str:
    return f"{offer_id}:{affiliate_id}"


def _times(raw: Record, default: int) -> dict[str, int]:
    created = to_unix(raw.get("time_created", default))
    return {"time_created": created, "time_saved": to_unix(raw.get("time_saved", created))}


def _conversion_shift(network: Record, tenant: TenantLike) -> int:
    """Seconds to add to fixture conversion times: whole days from `conversions_anchor` to the tenant's clock.

    Reports only reach back 365 days, so a fixed month of conversions would age out on a real clock; with an
    anchor the month always ends on the tenant's current day. On the clock the anchor names (the tests' frozen
    clock) nothing moves.
    """
    anchor = network.get("conversions_anchor")
    if anchor is None:
        return 0
    return int((tenant.clock.timestamp() - to_unix(anchor)) // 86400) * 86400


def build_state(data: dict[str, Any], tenant: TenantLike, source: str) -> EverflowState:
    """Load expanded fixtures; ids, encoded values, timestamps and defaults missing from a record are filled in."""
    random = tenant.stream("everflow")
    network = {"network_id": 1, "name": "Sandbox Network", "default_currency_id": "USD", "default_timezone_id": 67,
               "default_language_id": 1, "tracking_domain": "www.example-track.com", **(data.get("network") or {})}
    meta = {kind: list((data.get("meta") or {}).get(kind) or []) for kind in META_KINDS}
    state = EverflowState(network=network, meta=meta)
    nid = network["network_id"]
    epoch = to_unix(network.get("time_created", "2026-01-01T00:00:00Z"))
    state.meta_lists = {kind: list((data.get("meta") or {}).get(kind) or []) for kind in META_LISTS}
    state.settings = dict(data.get("settings") or {})
    for i, raw in enumerate(data.get("tracking_domains") or []):
        insert_record(state.tracking_domains, {"network_id": nid, "is_default": False, "status": "active",
                                               **raw, **_times(raw, epoch)}, source, f"tracking_domains[{i}]")

    for i, raw in enumerate(data.get("employees") or []):
        insert_record(state.employees, dict(raw), source, f"employees[{i}]")
    for i, raw in enumerate(data.get("advertisers") or []):
        insert_record(state.advertisers, {"network_id": nid, "account_status": "active", **raw}, source,
                f"advertisers[{i}]")
    for label in data.get("labels") or []:
        state.ensure_labels([label], epoch)
    for i, raw in enumerate(data.get("tiers") or []):
        where = f"tiers[{i}] {raw.get('name', '')}".strip()
        record = {**TIER_DEFAULTS, "network_id": nid, "status": "active", "payout_margin": 0,
                  "is_default_tier": False, **raw, **_times(raw, epoch)}
        state.ensure_labels(record["labels"], record["time_created"])
        insert_record(state.tiers, record, source, where)

    for i, raw in enumerate(data.get("affiliates") or []):
        raw = dict(raw)
        where = f"affiliates[{i}] {raw.get('name', '')}".strip()
        users = raw.pop("users", [])
        record = {**AFFILIATE_DEFAULTS, "default_currency_id": network["default_currency_id"],
                  "network_id": nid, "has_notifications": True, "network_traffic_source_id": 0,
                  "account_executive_id": 0, "adress_id": 0, "signup": None, **raw, **_times(raw, epoch)}
        record.setdefault("network_affiliate_id", state.affiliates.next_int_id())
        record.setdefault("encoded_value", encoded_value(random, state.affiliates))
        if record["network_affiliate_tier_id"] is not None:
            require_record(state.tiers, record["network_affiliate_tier_id"], source, where, "network_affiliate_tier_id")
        if record["network_employee_id"]:
            require_record(state.employees, record["network_employee_id"], source, where, "network_employee_id")
        state.ensure_labels(record["labels"], record["time_created"])
        insert_record(state.affiliates, record, source, where)
        for j, user in enumerate(users):
            insert_record(state.users, {
                **USER_DEFAULTS, "language_id": network["default_language_id"],
                "timezone_id": network["default_timezone_id"], "currency_id": record["default_currency_id"],
                "network_id": nid, "network_affiliate_id": record["network_affiliate_id"],
                "network_affiliate_user_id": user.get("network_affiliate_user_id", state.users.next_int_id()),
                **user, **_times(user, record["time_created"])}, source, f"{where} users[{j}]")

    for i, raw in enumerate(data.get("affiliate_tracking_domains") or []):
        where = f"affiliate_tracking_domains[{i}]"
        require_record(state.affiliates, raw.get("network_affiliate_id"), source, where, "network_affiliate_id")
        require_record(state.tracking_domains, raw.get("network_tracking_domain_id"), source, where,
                       "network_tracking_domain_id")
        record = {"network_id": nid, "is_default": False, **raw, **_times(raw, epoch)}
        record.setdefault("network_affiliate_tracking_domain_id", state.affiliate_tracking_domains.next_int_id())
        insert_record(state.affiliate_tracking_domains, record, source, where)
    for i, raw in enumerate(data.get("api_keys") or []):
        where = f"api_keys[{i}]"
        require_record(state.affiliates, raw.get("network_affiliate_id"), source, where, "network_affiliate_id")
        record = {"network_id": nid, "key_status": "active", "resource_type": "affiliate", **raw,
                  **_times(raw, epoch)}
        record.setdefault("network_api_key_id", state.api_keys.next_int_id())
        insert_record(state.api_keys, record, source, where)

    load_offer_groups(state, data, source, epoch)
    for i, raw in enumerate(data.get("offers") or []):
        raw = dict(raw)
        where = f"offers[{i}] {raw.get('name', '')}".strip()
        require_record(state.advertisers, raw.get("network_advertiser_id"), source, where, "network_advertiser_id")
        entries = []
        for entry in raw.pop("payout_revenue", []):
            entry = {**PAYOUT_REVENUE_DEFAULTS, **entry}
            entry.setdefault("network_offer_payout_revenue_id", state.next_payout_revenue_id())
            state.payout_revenue_seq = max(state.payout_revenue_seq, entry["network_offer_payout_revenue_id"])
            entries.append(entry)
        if sum(1 for e in entries if e["is_default"]) != 1:
            raise FixtureError(f"{source}: {where}: exactly one payout_revenue entry must be the default")
        record = {**OFFER_DEFAULTS, "network_id": nid, "currency_id": network["default_currency_id"],
                  "approved_affiliate_ids": [], **raw, "payout_revenue": entries, **_times(raw, epoch)}
        record.setdefault("network_offer_id", state.offers.next_int_id())
        record.setdefault("encoded_value", encoded_value(random, state.offers))
        for affiliate_id in record["approved_affiliate_ids"]:
            require_record(state.affiliates, affiliate_id, source, where, "approved_affiliate_ids")
        if record["network_offer_group_id"]:
            require_record(state.offer_groups, record["network_offer_group_id"], source, where,
                           "network_offer_group_id")
        state.ensure_labels(record["labels"], record["time_created"])
        insert_record(state.offers, record, source, where)

    for i, raw in enumerate(data.get("pixels") or []):
        where = f"pixels[{i}]"
        require_record(state.affiliates, raw.get("network_affiliate_id"), source, where, "network_affiliate_id")
        record = {**PIXEL_DEFAULTS, "network_id": nid, "delivery_method": "postback", "pixel_level": "specific",
                  "pixel_status": "active", "pixel_type": "conversion", **raw, **_times(raw, epoch)}
        if record["network_offer_id"]:
            require_record(state.offers, record["network_offer_id"], source, where, "network_offer_id")
        record.setdefault("network_pixel_id", state.pixels.next_int_id())
        insert_record(state.pixels, record, source, where)

    shift = _conversion_shift(network, tenant)
    for i, raw in enumerate(data.get("conversions") or []):
        where = f"conversions[{i}] {raw.get('conversion_id', '')}".strip()
        offer = require_record(state.offers, raw.get("network_offer_id"), source, where, "network_offer_id")
        require_record(state.affiliates, raw.get("network_affiliate_id"), source, where, "network_affiliate_id")
        at = to_unix(raw["conversion_unix_timestamp"]) + shift
        record = conversion_record(state, random, offer, raw["network_affiliate_id"], at,
                                   at - int(raw.get("click_delay", 600)),
                                   {k: v for k, v in raw.items() if k not in ("click_delay",)})
        insert_record(state.clicks, click_record(offer, raw["network_affiliate_id"], record["click_unix_timestamp"],
                                                 record), source, where)
        insert_record(state.conversions, record, source, where)
    _load_clicks(state, data, random, source, shift)
    load_invoices(state, data, source, epoch)
    load_affiliate_extras(state, data, source, epoch)
    load_offer_urls(state, data, source, epoch)
    _load_campaigns(state, data, source)
    _load_translations(state, data, source)
    load_custom_caps(state, data, source, epoch)
    load_currency_rates(state, data, source)
    return state


def conversion_record(state: EverflowState, random: Any, offer: Record, affiliate_id: int, at: int,
                      clicked_at: int, extra: Record) -> Record:
    """A conversion on an offer: payout and revenue from the offer's default payout_revenue entry."""
    entry = default_entry(offer)
    sale = float(extra.get("sale_amount", 0) or 0)
    payout = float(entry["payout_amount"]) + sale * float(entry["payout_percentage"]) / 100
    revenue = float(entry["revenue_amount"]) + sale * float(entry["revenue_percentage"]) / 100
    must_approve = offer["is_must_approve_conversion"] or entry["is_must_approve_conversion"]
    record = {
        "conversion_id": extra.get("conversion_id") or random.hex(16),
        "transaction_id": extra.get("transaction_id") or random.hex(16),
        "network_offer_id": offer["network_offer_id"], "network_affiliate_id": affiliate_id,
        "conversion_unix_timestamp": at, "click_unix_timestamp": clicked_at,
        "status": extra.get("status") or ("pending" if must_approve else "approved"),
        "payout_type": entry["payout_type"], "payout": round(payout, 2),
        "revenue_type": entry["revenue_type"], "revenue": round(revenue, 2),
        "sale_amount": round(sale, 2), "currency_id": offer["currency_id"], "is_event": False, "event": "Base",
        "network_offer_payout_revenue_id": entry["network_offer_payout_revenue_id"],
        "is_scrub": False, "is_view_through": False,
    }
    record |= {k: str(extra.get(k, "") or "") for k in CONVERSION_TEXT_FIELDS}
    return record


# -- clicks (issue 16: reporting) ------------------------------------------------------------------------
# Every conversion has its click; the fixtures' `clicks:` section adds the clicks that did not convert, and the
# invalid ones (error_code other than 0), so reports have real click counts.

CLICK_TEXT_FIELDS = ("sub1", "sub2", "sub3", "sub4", "sub5", "source_id", "country", "user_ip", "referer")


def click_record(offer: Record, affiliate_id: int, at: int, extra: Record) -> Record:
    """A click on an affiliate's link for an offer; a CPC / RPC default entry pays on the click itself."""
    entry = default_entry(offer)
    error_code = int(extra.get("error_code", 0) or 0)
    paid = error_code == 0
    record = {
        "transaction_id": extra["transaction_id"], "network_offer_id": offer["network_offer_id"],
        "network_affiliate_id": affiliate_id, "click_unix_timestamp": at,
        "is_unique": 0 if extra.get("is_unique") is False or extra.get("is_unique") == 0 else 1,
        "error_code": error_code, "error_message": str(extra.get("error_message", "") or ""),
        "payout_type": entry["payout_type"], "revenue_type": entry["revenue_type"],
        "payout": float(entry["payout_amount"]) if paid and entry["payout_type"] == "cpc" else 0.0,
        "revenue": float(entry["revenue_amount"]) if paid and entry["revenue_type"] == "rpc" else 0.0,
        "currency_id": offer["currency_id"],
    }
    record |= {k: str(extra.get(k, "") or "") for k in CLICK_TEXT_FIELDS}
    return record


def _load_clicks(state: EverflowState, data: dict[str, Any], random: Any, source: str, shift: int) -> None:
    for i, raw in enumerate(data.get("clicks") or []):
        where = f"clicks[{i}] {raw.get('transaction_id', '')}".strip()
        offer = require_record(state.offers, raw.get("network_offer_id"), source, where, "network_offer_id")
        require_record(state.affiliates, raw.get("network_affiliate_id"), source, where, "network_affiliate_id")
        if "click_unix_timestamp" not in raw:
            raise FixtureError(f"{source}: {where}: click_unix_timestamp is required")
        extra = {**raw, "transaction_id": raw.get("transaction_id") or random.hex(16)}
        insert_record(state.clicks, click_record(offer, raw["network_affiliate_id"],
                                                 to_unix(raw["click_unix_timestamp"]) + shift, extra), source, where)


# -- affiliate billing (issue 16): invoices over the fixture conversions, and their payments -----------------

def load_invoices(state: EverflowState, data: dict[str, Any], source: str, epoch: int) -> None:
    """Fixture invoices name an affiliate and a period; their lines and amounts come from the conversions."""
    for i, raw in enumerate(data.get("invoices") or []):
        where = f"invoices[{i}]"
        affiliate = require_record(state.affiliates, raw.get("network_affiliate_id"), source, where,
                                   "network_affiliate_id")
        if raw.get("status", "unpaid") not in INVOICE_STATUSES:
            raise FixtureError(f"{source}: {where}: status must be one of {', '.join(INVOICE_STATUSES)}")
        if "start_time" not in raw or "end_time" not in raw:
            raise FixtureError(f"{source}: {where}: start_time and end_time (YYYY-MM-DD) are required")
        period = {"start_time": str(raw["start_time"]), "end_time": str(raw["end_time"])}  # YAML may read a date
        try:
            fields = invoice_record(state, affiliate, {"status": "unpaid", **raw, **period})
        except ApiError as exc:
            raise FixtureError(f"{source}: {where}: {exc.message}") from exc
        record = {**fields, "network_id": state.network["network_id"], **_times(raw, epoch)}
        record["network_affiliate_invoice_id"] = raw.get("network_affiliate_invoice_id",
                                                         state.invoices.next_int_id())
        insert_record(state.invoices, record, source, where)


# -- affiliate extras (issue 16): hidden / rejected offer visibility, terms and conditions acceptance --------

VISIBILITY_STATUSES = ("hidden", "rejected")


def load_affiliate_extras(state: EverflowState, data: dict[str, Any], source: str, epoch: int) -> None:
    for i, raw in enumerate(data.get("offer_visibility") or []):
        where = f"offer_visibility[{i}]"
        offer = require_record(state.offers, raw.get("network_offer_id"), source, where, "network_offer_id")
        require_record(state.affiliates, raw.get("network_affiliate_id"), source, where, "network_affiliate_id")
        if raw.get("status") not in VISIBILITY_STATUSES:
            raise FixtureError(f"{source}: {where}: status must be one of {', '.join(VISIBILITY_STATUSES)}")
        if raw["network_affiliate_id"] in offer["approved_affiliate_ids"]:
            raise FixtureError(f"{source}: {where}: the affiliate is approved on the offer (approved_affiliate_ids)")
        insert_record(state.offer_visibility, {
            "visibility_id": visibility_id(raw["network_offer_id"], raw["network_affiliate_id"]),
            "network_offer_id": raw["network_offer_id"], "network_affiliate_id": raw["network_affiliate_id"],
            "status": raw["status"], **_times(raw, epoch)}, source, where)
    terms = data.get("terms_conditions") or {}
    version = terms.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FixtureError(f"{source}: terms_conditions.version must be a positive integer")
    state.terms_version = version
    for i, raw in enumerate(terms.get("acceptances") or []):
        where = f"terms_conditions.acceptances[{i}]"
        require_record(state.affiliates, raw.get("network_affiliate_id"), source, where, "network_affiliate_id")
        accepted_version = raw.get("accepted_version", version)
        if not isinstance(accepted_version, int) or not 1 <= accepted_version <= version:
            raise FixtureError(f"{source}: {where}: accepted_version must be between 1 and {version}")
        insert_record(state.terms_acceptances, {
            "network_affiliate_id": raw["network_affiliate_id"], "accepted_version": accepted_version,
            "time_accepted": to_unix(raw.get("time_accepted", epoch))}, source, where)


# -- offer extras (issue 16): offer groups and offer URLs ------------------------------------------------------

def load_offer_groups(state: EverflowState, data: dict[str, Any], source: str, epoch: int) -> None:
    for i, raw in enumerate(data.get("offer_groups") or []):
        where = f"offer_groups[{i}] {raw.get('name', '')}".strip()
        require_record(state.advertisers, raw.get("network_advertiser_id"), source, where, "network_advertiser_id")
        record = {**OFFER_GROUP_DEFAULTS, "network_id": state.network["network_id"], **raw, **_times(raw, epoch)}
        record.setdefault("network_offer_group_id", state.offer_groups.next_int_id())
        state.ensure_labels(record["labels"], record["time_created"])
        insert_record(state.offer_groups, record, source, where)


def load_offer_urls(state: EverflowState, data: dict[str, Any], source: str, epoch: int) -> None:
    for i, raw in enumerate(data.get("offer_urls") or []):
        where = f"offer_urls[{i}] {raw.get('name', '')}".strip()
        require_record(state.offers, raw.get("network_offer_id"), source, where, "network_offer_id")
        record = {**OFFER_URL_DEFAULTS, "network_id": state.network["network_id"], **raw, **_times(raw, epoch)}
        for affiliate_id in record["network_affiliate_ids"]:
            require_record(state.affiliates, affiliate_id, source, where, "network_affiliate_ids")
        record.setdefault("network_offer_url_id", state.offer_urls.next_int_id())
        insert_record(state.offer_urls, record, source, where)


# -- smart links (issue 16: tracking) ----------------------------------------------------------------------
# Smart links (campaigns) exist only for tracking links and encode/decode; their encoded value comes from the
# fixture or from the id (no random draw, so adding one never shifts the tenant's other seeded values).

def _load_campaigns(state: EverflowState, data: dict[str, Any], source: str) -> None:
    for i, raw in enumerate(data.get("campaigns") or []):
        where = f"campaigns[{i}] {raw.get('name', '')}".strip()
        record = {"network_id": state.network["network_id"], "campaign_status": "active", "network_offer_ids": [],
                  **raw}
        record.setdefault("network_campaign_id", state.campaigns.next_int_id())
        record.setdefault("encoded_value", f"SL{record['network_campaign_id']:04d}")
        for offer_id in record["network_offer_ids"]:
            require_record(state.offers, offer_id, source, where, "network_offer_ids")
        insert_record(state.campaigns, record, source, where)


def _load_translations(state: EverflowState, data: dict[str, Any], source: str) -> None:
    """`translations: {<language code>: {<key>: <text>}}`; every key and text a string."""
    raw = data.get("translations") or {}
    if not isinstance(raw, dict):
        raise FixtureError(f"{source}: translations must be a mapping of language codes")
    for code, strings in raw.items():
        if not isinstance(strings, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in strings.items()):
            raise FixtureError(f"{source}: translations.{code} must map strings to strings")
        state.translations[str(code)] = dict(strings)


# -- custom cap settings and currency rates (issue 16, eflast) ------------------------------------------------

def load_custom_caps(state: EverflowState, data: dict[str, Any], source: str, epoch: int) -> None:
    """Per-affiliate cap overrides on an offer (the docs mirror's custom cap settings); every cap defaults to 0
    (no cap)."""
    for i, raw in enumerate(data.get("custom_cap_settings") or []):
        where = f"custom_cap_settings[{i}] {raw.get('name', '')}".strip()
        require_record(state.offers, raw.get("network_offer_id"), source, where, "network_offer_id")
        require_record(state.affiliates, raw.get("network_affiliate_id"), source, where, "network_affiliate_id")
        record = {**{name: 0 for name in CAP_FIELDS}, "name": "", "network_id": state.network["network_id"],
                  **raw, **_times(raw, epoch)}
        record.setdefault("network_custom_cap_setting_id", state.custom_cap_settings.next_int_id())
        insert_record(state.custom_cap_settings, record, source, where)


def load_currency_rates(state: EverflowState, data: dict[str, Any], source: str) -> None:
    """`currency_rates: {<currency id>: <units per US dollar>}`; USD is always 1 and every id a /meta/currencies
    one."""
    raw = data.get("currency_rates") or {}
    known = state.meta_ids("currencies")
    rates: dict[str, float] = {"USD": 1.0} if "USD" in known else {}
    for code, rate in raw.items():
        if code not in known:
            raise FixtureError(f"{source}: currency_rates.{code} is not a /meta/currencies currency_id")
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0:
            raise FixtureError(f"{source}: currency_rates.{code} must be a positive number")
        if code == "USD" and rate != 1:
            raise FixtureError(f"{source}: currency_rates.USD must be 1 (rates are per US dollar)")
        rates[code] = float(rate)
    state.currency_rates = rates
