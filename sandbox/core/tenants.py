"""Tenants: isolated worlds (state of every vendor, clock, random source, rate windows) and their keys."""
from __future__ import annotations

import dataclasses
import functools
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from . import tenanttoken
from .clock import Clock, format_instant
from .errors import ApiError
from .events import HostPolicy
from .faults import FaultTable
from .fixtures import FixtureSet
from .generation import Generation
from .journal import Journal
from .keyinfo import KeyInfo
from .outbox import Outbox
from .random import RandomSource, derive_seed, new_stream
from .ratelimit import RateLimiter
from .store import Collection
from .template import ProbeClock, TenantTemplate, Unfit
from .vendorapi import VendorApi

DEFAULT_TENANT = "default"

log = logging.getLogger("sandbox")


class VendorStates(dict):
    """Vendor name -> state, where a state stamped from a template (core.template) is made when first asked for:
    a new tenant's first request pays only for its own vendor's state. Every way of reading the dict makes the
    states it would show (in the order they were pended), so no reader sees a state missing."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: dict[str, Callable[[], Any]] = {}
        self._order: tuple[str, ...] = ()

    def pend(self, names: Iterable[str], make: Callable[[str], Any]) -> None:
        """Replace every state by one `make(name)` makes when first asked for."""
        dict.clear(self)
        self._order = tuple(names)
        self.pending = {name: functools.partial(make, name) for name in self._order}

    def __missing__(self, name: str) -> Any:
        make = self.pending.pop(name, None)
        if make is None:
            raise KeyError(name)
        state = make()
        dict.__setitem__(self, name, state)
        return state

    def _settle(self) -> None:
        if not self.pending:
            return
        made = {name: self[name] for name in self._order if name in self.pending or dict.__contains__(self, name)}
        rest = {name: state for name, state in dict.items(self) if name not in made}
        dict.clear(self)
        dict.update(self, made)
        dict.update(self, rest)

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self.pending else dict.get(self, name, default)

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or name in self.pending

    def __len__(self) -> int:
        return dict.__len__(self) + len(self.pending)

    def __iter__(self) -> Iterator[str]:
        self._settle()
        return dict.__iter__(self)

    def keys(self) -> Any:
        self._settle()
        return dict.keys(self)

    def values(self) -> Any:
        self._settle()
        return dict.values(self)

    def items(self) -> Any:
        self._settle()
        return dict.items(self)

    def __setitem__(self, name: str, state: Any) -> None:
        self.pending.pop(name, None)
        dict.__setitem__(self, name, state)

    def __delitem__(self, name: str) -> None:
        if self.pending.pop(name, None) is None:
            dict.__delitem__(self, name)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, state in dict(*args, **kwargs).items():
            self[name] = state

    def clear(self) -> None:
        self.pending.clear()
        dict.clear(self)

    def copy(self) -> dict[str, Any]:
        self._settle()
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self._settle()
        return dict.__eq__(self, other)

    __hash__ = None

    def __repr__(self) -> str:
        self._settle()
        return dict.__repr__(self)


class Tenant:
    """One isolated world. Its state is rebuilt from the fixtures on reset; its keys stay."""

    def __init__(self, tenant_id: str, seed: int, clock_setting: str) -> None:
        self.id = tenant_id
        self.seed = seed
        self.clock_setting = clock_setting
        self.keys: dict[tuple[str, str], KeyInfo] = {}  # (vendor, key): two vendors may use the same key text
        self.clock = Clock.from_setting(clock_setting)
        self.streams: dict[str, RandomSource] = {}  # by stream name; made when first asked for
        self.limiter = RateLimiter()
        self.states: VendorStates = VendorStates()
        self.outbox = Outbox()  # webhook deliveries (see core.dispatcher)
        self.journal = Journal()  # its vendor requests (see core.journal)
        self.faults = FaultTable()  # what its vendor calls fail with (see core.faults)
        self.provisional = False  # made for a key's first request, not registered until the vendor accepts it
        self.turn_at = 0.0  # when its next request may take the event loop (core.fairness)
        self.held_recently = 0.0  # seconds it held the loop, leaking (core.fairness)
        self.held_counted_at = 0.0  # when `held_recently` was last counted

    def stream(self, vendor: str, purpose: str | None = None) -> RandomSource:
        """The random stream of `vendor` (for `purpose`, if given): independent of every other stream."""
        name = vendor if purpose is None else f"{vendor}/{purpose}"
        found = self.streams.get(name)
        if found is None:
            found = self.streams[name] = new_stream(self.seed, name)
        return found

    def keys_by_vendor(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for info in self.keys.values():
            out.setdefault(info.vendor, []).append(info.key)
        return out

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "seed": self.seed, "now": format_instant(self.clock.now()),
                "clock": "frozen" if self.clock.frozen else "real", "keys": self.keys_by_vendor()}


@dataclass(frozen=True)
class TenantOptions:
    seed: int = 0
    clock: str = "real"
    auto_tenants: bool = True
    max_tenants: int = 1000
    webhook_hosts: tuple[str, ...] = ()  # --webhook-hosts: what the tenants' outboxes may send to


class TenantRegistry:
    """Maps API keys to tenants, creates tenants (on request or from an unknown well-formed key), caps their number."""

    def __init__(self, vendors: Iterable[VendorApi], fixtures: FixtureSet, options: TenantOptions) -> None:
        if isinstance(options.max_tenants, bool) or not isinstance(options.max_tenants, int) \
                or options.max_tenants < 1:
            raise ValueError(f"max_tenants must be an integer of at least 1, not {options.max_tenants!r}")
        self.vendors = {v.name: v for v in vendors}
        self.fixtures = fixtures
        self.options = options
        self.generation = Generation()  # this app's: see `generation`
        self._templates: OrderedDict[tuple[int, str], TenantTemplate] = OrderedDict()  # by (seed, clock setting)
        self._tenants: OrderedDict[str, Tenant] = OrderedDict()
        self._by_key: dict[tuple[str, str], Tenant] = {}
        self._ids = RandomSource(derive_seed(options.seed, "control"))  # tenant ids and keys, apart from data
        self.on_change: Callable[[str], None] | None = None  # told the id of a tenant made, reset or dropped
        self.default = self._build(DEFAULT_TENANT, options.seed)
        for vendor in self.vendors.values():
            for entry in fixtures.raw(vendor.name).get("keys", []) or []:
                self._attach(self.default, vendor.key_from_fixture(entry))

    # -- building -----------------------------------------------------------------------------------

    MAX_TEMPLATES = 8
    """Templates kept (least recently used dropped): one per seed and clock setting in use."""

    def _load(self, tenant: Tenant) -> None:
        """Give a tenant (streams empty) its fixtures' world: stamped from the template of its seed, made first
        if there is none that fits its clock (see core.template)."""
        self.generation.advance()
        tenant.outbox.hosts = HostPolicy(frozenset(self.options.webhook_hosts))
        key = (tenant.seed, tenant.clock_setting)
        template = self._templates.get(key)
        if template is None or not template.fits(tenant.clock):
            model = Tenant("", tenant.seed, tenant.clock_setting)
            probe = model.clock = cast(ProbeClock, ProbeClock.from_setting(tenant.clock_setting))
            self._build_states(model)
            try:
                template = self._templates[key] = TenantTemplate(model.states, model.streams, probe)
            except Unfit as exc:  # kept nothing: the model itself becomes the tenant's world
                log.debug("no tenant template for seed %s: %s", tenant.seed, exc)
                self._templates.pop(key, None)
                tenant.states.update(model.states)
                tenant.streams.update(model.streams)
                template = None
            while len(self._templates) > self.MAX_TEMPLATES:
                self._templates.popitem(last=False)
        if template is not None:
            self._templates.move_to_end(key)
            template.stamp(tenant, self.generation)
            return
        for state in tenant.states.values():
            for field in dataclasses.fields(state):
                value = getattr(state, field.name)
                if isinstance(value, Collection):
                    value.generation = self.generation

    def _build_states(self, tenant: Tenant) -> None:
        """Every vendor's state built from the expanded fixtures (the slow way, once per template)."""
        for name, vendor in self.vendors.items():
            data = self.fixtures.expanded(name, tenant.seed)
            tenant.states[name] = vendor.build_state(data, tenant, self.fixtures.source(name))

    def _build(self, tenant_id: str, seed: int) -> Tenant:
        tenant = Tenant(tenant_id, seed, self.options.clock)
        self._load(tenant)
        self._tenants[tenant_id] = tenant
        self._evict(keep=tenant)
        return tenant

    def _attach(self, tenant: Tenant, info: KeyInfo) -> None:
        self.generation.advance()
        tenant.keys[(info.vendor, info.key)] = info
        self._by_key[(info.vendor, info.key)] = tenant

    DRAW_TRIES = 32
    """Draws of a tenant token or key before giving up: each space is 36^12 or larger, so a miss is already rare."""

    def _unused(self, draw: Callable[[], str], taken: Callable[[str], bool], what: str) -> str:
        """A drawn value not `taken`, in at most DRAW_TRIES draws (bounded, never a hang)."""
        for _ in range(self.DRAW_TRIES):
            candidate = draw()
            if not taken(candidate):
                return candidate
        raise ApiError(503, "id_space_exhausted", f"No unused {what} after {self.DRAW_TRIES} draws")

    def _key_taken(self, vendor: str, key: str) -> bool:
        return (vendor, key) in self._by_key

    def _new_token(self, salt: str = "") -> str:
        """A token no tenant here has (`core.tenanttoken`: the tenant's id and keys carry it)."""
        return self._unused(lambda: tenanttoken.new_token(self._ids, salt),
                            lambda token: tenanttoken.tenant_id(token) in self._tenants, "tenant token")

    def changed(self, tenant_id: str) -> None:
        """A write to the tenant (or it was made, reset or dropped): tell the listener (persistence)."""
        if self.on_change is not None:
            self.on_change(tenant_id)

    def _evict(self, keep: Tenant) -> None:
        """Drop the least recently used tenants over the cap, never the default one nor `keep` (the tenant being
        made), so `max_tenants=1` keeps the default tenant and the newest one. delete() drops a tenant's keys
        with it: no key is ever left pointing at a tenant that is gone."""
        while len(self._tenants) > self.options.max_tenants:
            victim = next((t for t in self._tenants if t not in (DEFAULT_TENANT, keep.id)), None)
            if victim is None:
                return
            log.info("tenant %s dropped: over the cap of %d tenants (least recently used)", victim,
                     self.options.max_tenants)
            self.delete(victim)

    # -- public -------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Tenant]:
        return iter(list(self._tenants.values()))

    def __len__(self) -> int:
        return len(self._tenants)

    def get(self, tenant_id: str) -> Tenant | None:
        tenant = self._tenants.get(tenant_id)
        if tenant is not None:
            self._tenants.move_to_end(tenant_id)
        return tenant

    def peek(self, tenant_id: str) -> Tenant | None:
        """The tenant, without counting as a use (persistence reads tenants; only callers make them recent)."""
        return self._tenants.get(tenant_id)

    def by_key(self, key: str) -> Tenant | None:
        """The tenant holding `key` for any vendor: a key names its tenant where a proxy routes by key."""
        for vendor in self.vendors:
            tenant = self._by_key.get((vendor, key))
            if tenant is not None:
                return tenant
        return None

    def create(self, seed: int | None = None, token: str | None = None) -> Tenant:
        """A new tenant from the fixtures, with one fresh key per vendor; its id and keys carry `token` (a
        fresh one if None). 409 `tenant_exists` if a tenant has that token already."""
        if token is None:
            token = self._new_token()
        elif tenanttoken.tenant_id(token) in self._tenants:
            raise ApiError(409, "tenant_exists", f"A tenant with token {token!r} exists already: "
                           f"{tenanttoken.tenant_id(token)}")
        keys = {name: self._unused(functools.partial(vendor.new_key, self._ids, token),
                                   functools.partial(self._key_taken, name), f"{name} key")
                for name, vendor in self.vendors.items()}  # drawn before the build: a refusal leaves nothing
        tenant = self._build(tenanttoken.tenant_id(token), self.options.seed if seed is None else seed)
        for vendor in self.vendors.values():
            key = keys[vendor.name]
            info = vendor.describe_key(key)
            if info is None:
                raise RuntimeError(f"{vendor.name}.new_key made a key its own describe_key refuses: {key}")
            self._attach(tenant, info)
        self.changed(tenant.id)
        return tenant

    def restored(self, tenant_id: str, seed: int) -> Tenant:
        """A tenant built from the fixtures but not registered: what a saved snapshot is restored into before
        `adopt` makes it live (see `core.persistence`)."""
        tenant = Tenant(tenant_id, seed, self.options.clock)
        self._load(tenant)
        return tenant

    def adopt(self, tenant: Tenant, keys: Iterable[KeyInfo]) -> None:
        """Register a restored tenant with its keys; ValueError, and nothing registered, if its id or a key is
        taken already."""
        keys = list(keys)
        if tenant.id in self._tenants:
            raise ValueError(f"tenant {tenant.id} exists already")
        for info in keys:
            if (info.vendor, info.key) in self._by_key:
                raise ValueError(f"the {info.vendor} key {info.key} belongs to tenant "
                                 f"{self._by_key[(info.vendor, info.key)].id} already")
        self._tenants[tenant.id] = tenant
        for info in keys:
            self._attach(tenant, info)
        self._evict(keep=tenant)

    def delete(self, tenant_id: str) -> bool:
        tenant = self._tenants.pop(tenant_id, None)
        if tenant is None:
            return False
        self.generation.advance()
        for vendor_key in tenant.keys:
            self._by_key.pop(vendor_key, None)
        self.changed(tenant_id)
        tenant.journal.clear()  # out of the app's index of requests too
        return True

    def reset(self, tenant: Tenant) -> None:
        """Back to the fixtures: state, clock, random streams and rate windows; the keys stay."""
        self.generation.advance()
        tenant.clock = Clock.from_setting(tenant.clock_setting)
        tenant.streams.clear()
        tenant.limiter = RateLimiter()
        tenant.outbox.clear()
        tenant.faults.clear()  # set-up, like the state; the journal stays: it is the record of what happened
        self._load(tenant)
        self.changed(tenant.id)

    def resolve(self, vendor: VendorApi, key: str | None, provisional: bool = False) -> tuple[Tenant, KeyInfo]:
        """The tenant and key info behind a key; an unknown well-formed key makes a tenant (if allowed).

        With `provisional`, an unknown key gets a bare tenant (a clock and rate windows, no state, not registered,
        `tenant.provisional` set): the caller checks its rate limits and authorization and then calls `admit`, so
        a refused request leaves nothing behind and evicts nobody."""
        if not key:
            raise vendor.unauthorized(None)
        tenant = self._by_key.get((vendor.name, key))
        if tenant is not None:
            self._tenants.move_to_end(tenant.id)
            return tenant, tenant.keys[(vendor.name, key)]
        info = vendor.describe_key(key)
        if info is None or not self.options.auto_tenants:
            raise vendor.unauthorized(key)
        tenant = Tenant("", self.options.seed, self.options.clock)  # its id is drawn once it is admitted
        if provisional:
            tenant.provisional = True
            return tenant, info
        return self.admit(tenant, info), info

    def admit(self, tenant: Tenant, info: KeyInfo) -> Tenant:
        """Register a tenant made for a key's first accepted request: load its fixtures, attach the key, drop the
        least recently used tenant if over the cap. Logged, so a key whose tenant was dropped is seen anew."""
        known = self._by_key.get((info.vendor, info.key))
        if known is not None:  # admitted meanwhile: never two tenants for one key
            return known
        tenant.provisional = False
        tenant.id = tenanttoken.tenant_id(self._new_token(salt=f"{info.vendor}:{info.key}"))
        self._load(tenant)
        self._tenants[tenant.id] = tenant
        self._attach(tenant, info)
        self._evict(keep=tenant)
        self.changed(tenant.id)
        log.info("tenant %s created for a new %s key", tenant.id, info.vendor)
        return tenant


def require_tenant(registry: TenantRegistry, tenant_id: str) -> Tenant:
    """The tenant with this id, or the one holding this API key (an auto-provisioned tenant's key routes to its
    replica where its id does not; see `core.tenanttoken`); 404 `tenant_not_found` otherwise."""
    tenant = registry.get(tenant_id) or registry.by_key(tenant_id)
    if tenant is None:
        raise ApiError(404, "tenant_not_found", f"No tenant {tenant_id!r}")
    return tenant
