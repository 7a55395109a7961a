"""Fixture expansion: deterministic per seed, clear errors naming the file and record."""
from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.config import Settings
from sandbox.core.fixtures import FixtureError, FixtureSet, expand
from sandbox.core.tenants import TenantOptions, TenantRegistry
from sandbox.vendors.linkjolt import LinkJolt

DATA = {
    "things": [
        {"id": "fixed", "n": 0},
        {"generate": 3, "fields": {"id": {"$format": "t{n}"}, "name": {"$faker": "name"}, "who": {"$person": "name"},
                                   "size": {"$int": [1, 9]}, "price": {"$money": [1, 2]},
                                   "at": {"$datetime": ["2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"]},
                                   "kind": {"$choice": ["a", "b"]}, "uid": {"$uuid": True},
                                   "nested": [{"code": {"$nanoid": 5}}]}},
    ],
    "links": [{"generate": 2, "fields": {"thing": {"$pick": {"from": "things", "where": {"n": 0}}}}}],
    "settings": {"x": 1},
}


def test_expansion_is_deterministic_per_seed() -> None:
    one, two, other = expand(DATA, 1, "f.yaml"), expand(DATA, 1, "f.yaml"), expand(DATA, 2, "f.yaml")
    assert one == two and one != other
    things = one["things"]
    assert [t["id"] for t in things] == ["fixed", "t1", "t2", "t3"]
    assert all(1 <= t["size"] <= 9 and t["at"].startswith("2026-01") for t in things[1:])
    assert len(things[1]["nested"][0]["code"]) == 5 and len(things[1]["uid"]) == 36
    assert one["links"] == [{"thing": "fixed"}, {"thing": "fixed"}]
    assert one["settings"] == {"x": 1}
    assert len(things[1]["who"].split()) == 2


def test_default_fixtures_do_not_import_faker() -> None:
    import subprocess
    import sys

    code = ("import sys; from sandbox import create_app, Settings; create_app(Settings()); "
            "print('faker' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"  # start-up and idle memory stay small


@pytest.mark.parametrize("data, message", [
    ({"a": [{"generate": 1, "fields": {"x": {"$pick": "nothing"}}}]}, "f.yaml: a[0] #1.x: $pick from 'nothing'"),
    ({"a": [{"generate": 1, "fields": {"x": {"$teleport": 1}}}]}, "unknown expression $teleport"),
    ({"a": [{"generate": "many", "fields": {}}]}, "f.yaml: a[0]: generate needs a count"),
    ({"a": [{"generate": 1, "fields": {"x": {"$person": "pet"}}}]}, "f.yaml: a[0] #1.x: $person 'pet'"),
    ({"a": [{"generate": 1, "fields": {"x": {"$int": ["lo", 2]}}}]}, "f.yaml: a[0] #1.x: $int"),
])
def test_errors_name_the_file_and_the_record(data, message) -> None:
    with pytest.raises(FixtureError, match=message.replace("$", r"\$").replace("[", r"\[")):
        expand(data, 0, "f.yaml")


def write(tmp_path: Path, text: str) -> FixtureSet:
    (tmp_path / "linkjolt.yaml").write_text(text)
    return FixtureSet(tmp_path)


def test_vendor_loading_checks_references(tmp_path: Path) -> None:
    fixtures = write(tmp_path, "affiliates:\n  - {id: a1, name: A, email: a@x.com, "
                               "memberships: [{campaignId: nope, status: approved}]}\n")
    with pytest.raises(FixtureError, match=r"linkjolt.yaml: affiliates\[0\] a1: memberships.campaignId 'nope'"):
        TenantRegistry([LinkJolt()], fixtures, TenantOptions())


def test_vendor_loading_checks_unique_indexes(tmp_path: Path) -> None:
    fixtures = write(tmp_path, "affiliates:\n  - {id: a1, name: A, email: a@x.com}\n"
                               "  - {id: a2, name: B, email: A@x.com}\n")
    with pytest.raises(FixtureError, match=r"affiliates\[1\] a2: email 'a@x.com' is already used by affiliates 'a1'"):
        TenantRegistry([LinkJolt()], fixtures, TenantOptions())


def test_unreadable_yaml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="linkjolt.yaml:2: not valid YAML: did not find expected"):
        TenantRegistry([LinkJolt()], write(tmp_path, "a: [unclosed\n"), TenantOptions())


def test_a_missing_vendor_file_means_an_empty_world(tmp_path: Path) -> None:
    registry = TenantRegistry([LinkJolt()], FixtureSet(tmp_path), TenantOptions())
    assert len(registry.default.states["linkjolt"].campaigns) == 0


def test_default_fixtures_load() -> None:
    registry = TenantRegistry([LinkJolt()], FixtureSet(Settings().fixtures), TenantOptions())
    state = registry.default.states["linkjolt"]
    statuses = {c["status"] for c in state.conversions}
    assert statuses == {"pending", "approved", "paid", "rejected", "refunded"}
    assert {m["status"] for m in state.memberships} == {"pending", "approved", "rejected"}
    assert len(state.conversions) >= 36
