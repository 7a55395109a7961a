"""TenantRegistry: keys to tenants, auto-provisioning, the LRU cap, reset."""
from __future__ import annotations

import pytest

from sandbox.config import Settings
from sandbox.core.errors import ApiError
from sandbox.core.fixtures import FixtureSet
from sandbox.core.tenants import TenantOptions, TenantRegistry
from sandbox.vendors.linkjolt import LinkJolt

VENDOR = LinkJolt()


def registry(**options) -> TenantRegistry:
    return TenantRegistry([VENDOR], FixtureSet(Settings().fixtures),
                          TenantOptions(clock="frozen:2026-06-15T12:00:00Z", **options))


def test_fixture_keys_belong_to_the_default_tenant() -> None:
    reg = registry()
    tenant, info = reg.resolve(VENDOR, "lj_pk_sandbox_professional_0001")
    assert tenant.id == "default" and info.plan == "professional" and info.permissions == {"read"}


def test_unknown_well_formed_key_makes_one_tenant_and_keeps_it() -> None:
    reg = registry()
    first, _ = reg.resolve(VENDOR, "lj_pk_brand_new_0001")
    again, _ = reg.resolve(VENDOR, "lj_pk_brand_new_0001")
    assert first is again and first.id != "default" and len(reg) == 2


@pytest.mark.parametrize("key", [None, "", "nope", "lj_pk_x"])
def test_missing_or_malformed_keys_are_401(key) -> None:
    with pytest.raises(ApiError) as caught:
        registry().resolve(VENDOR, key)
    assert caught.value.status == 401


def test_auto_tenants_off() -> None:
    with pytest.raises(ApiError):
        registry(auto_tenants=False).resolve(VENDOR, "lj_pk_brand_new_0001")


def test_lru_cap_drops_the_least_recently_used_but_never_the_default() -> None:
    reg = registry(max_tenants=3)
    a, _ = reg.resolve(VENDOR, "lj_pk_tenant_aaaa")
    b, _ = reg.resolve(VENDOR, "lj_pk_tenant_bbbb")
    reg.resolve(VENDOR, "lj_pk_tenant_aaaa")  # a is now more recent than b
    c, _ = reg.resolve(VENDOR, "lj_pk_tenant_cccc")
    assert {t.id for t in reg} == {"default", a.id, c.id}
    assert reg.get(b.id) is None
    again, _ = reg.resolve(VENDOR, "lj_pk_tenant_bbbb")  # b's key now makes a fresh tenant
    assert again.id != b.id


def test_created_tenants_get_fresh_working_keys_and_deterministic_ids() -> None:
    one, two = registry(), registry()
    t1, t2 = one.create(), two.create()
    assert t1.id == t2.id and t1.keys.keys() == t2.keys.keys()
    _, key = next(iter(t1.keys))
    assert one.resolve(VENDOR, key)[0] is t1


def test_the_same_key_text_at_two_vendors_is_two_keys() -> None:
    from sandbox.vendors.promotekit import PromoteKit
    from sandbox.vendors.tamio import Tamio

    promotekit, tamio = PromoteKit(), Tamio()
    reg = TenantRegistry([promotekit, tamio], FixtureSet(Settings().fixtures), TenantOptions())
    text = "pk_sharedtext01"  # well formed for both: a PromoteKit key, a Tamio publishable key
    _, at_tamio = reg.resolve(tamio, text)
    pk_tenant, at_promotekit = reg.resolve(promotekit, text)
    assert (at_tamio.vendor, at_promotekit.vendor) == ("tamio", "promotekit")
    assert reg.resolve(promotekit, text)[0] is pk_tenant
