"""Fixture files are checked at start against each vendor's shape (specs/fixtures/<vendor>.yaml): types, enums,
dates, misspelt fields and collections, references, generate counts, stray files; every error names the file,
the line and the field."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import create_app
from sandbox.config import DEFAULT_FIXTURES, SPECS_DIR, ConfigError, Settings
from sandbox.core.fixtures import MAX_GENERATE, MAX_RECORDS, FixtureError, FixtureSet
from sandbox.core.fixtureshapes import load_shapes
from sandbox.vendors import VENDORS

CAMPAIGN = """campaigns:
  - id: c1
    name: One
    trackingCode: ONE
    commissionType: percentage
    commissionValue: 20
    createdAt: "2026-01-01T00:00:00Z"
"""


def start(directory: Path, vendors: tuple[str, ...] = ("linkjolt",)) -> None:
    create_app(Settings(fixtures=directory, vendors=vendors))


def refused(tmp_path: Path, text: str, vendor: str = "linkjolt") -> str:
    (tmp_path / f"{vendor}.yaml").write_text(text)
    with pytest.raises(FixtureError) as error:
        start(tmp_path, (vendor,))
    return str(error.value)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_vendor_declares_a_shape_its_default_fixtures_fit(seed: int) -> None:
    """Start-up skips the check for the packaged fixtures: this test is what makes that safe."""
    assert sorted(p.stem for p in (SPECS_DIR / "fixtures").glob("*.yaml")) == sorted(VENDORS)
    fixtures = FixtureSet(DEFAULT_FIXTURES, VENDORS, load_shapes(SPECS_DIR / "fixtures", VENDORS))
    for vendor in VENDORS:
        fixtures.expanded(vendor, seed)  # would raise FixtureError


def test_a_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    text = CAMPAIGN + CAMPAIGN.replace("campaigns:\n", "").replace("c1", "c2").replace("ONE", "TWO") \
        + CAMPAIGN.replace("campaigns:\n", "").replace("c1", "c3").replace("ONE", "THREE").replace(": 20", ": twenty")
    assert refused(tmp_path, text) == (f"{tmp_path}/linkjolt.yaml:18: campaigns[2].commissionValue: "
                                       "'twenty' is not of type 'number'")


def test_a_bad_enum_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, CAMPAIGN + "    status: activ\n")
    assert message == (f"{tmp_path}/linkjolt.yaml:8: campaigns[0].status: "
                       "'activ' is not one of ['active', 'paused', 'archived']")


def test_a_bad_date_time_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, CAMPAIGN.replace("2026-01-01T00:00:00Z", "2026-02-30T00:00:00Z"))
    assert message == f"{tmp_path}/linkjolt.yaml:7: campaigns[0].createdAt: '2026-02-30T00:00:00Z' is not a 'date-time'"


def test_a_misspelt_field_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, CAMPAIGN + "    autoApproveAffilates: true\n")
    assert message.startswith(f"{tmp_path}/linkjolt.yaml:8: campaigns[0].autoApproveAffilates: unknown field (known: ")


def test_a_misspelt_collection_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, "campains: []\n")
    assert message.startswith(f"{tmp_path}/linkjolt.yaml:1: campains: unknown collection (known: keys, ")


def test_a_dangling_reference_names_the_line(tmp_path: Path) -> None:
    message = refused(tmp_path, CAMPAIGN + "affiliates:\n  - {name: A, email: a@x.com, "
                                           "memberships: [{campaignId: nope}]}\n")
    assert message == (f"{tmp_path}/linkjolt.yaml:9: affiliates[0].memberships[0].campaignId: "
                       "'nope' is not the id of any campaigns record")


def test_a_generated_record_is_named_by_its_block_and_number(tmp_path: Path) -> None:
    message = refused(tmp_path, CAMPAIGN + "  - generate: 2\n    fields:\n      name: {$format: 'c{n}'}\n"
                                           "      trackingCode: {$format: 'T{n}'}\n      commissionType: flat\n"
                                           "      commissionValue: 1\n      createdAt: '2026-01-01T00:00:00Z'\n")
    assert message == (f"{tmp_path}/linkjolt.yaml:12: campaigns[1] #1.commissionType: "
                       "'flat' is not one of ['percentage', 'fixed']")


def test_other_vendors_shapes_are_checked_too(tmp_path: Path) -> None:
    assert refused(tmp_path, "affiliates:\n  - {program_id: p, email: a@x.com, date_joined: 1, status: gone}\n",
                   "tamio").startswith(f"{tmp_path}/tamio.yaml:2: affiliates[0].status: 'gone' is not one of")
    assert refused(tmp_path, "settings: {currency: dollars}\n", "promotekit").startswith(
        f"{tmp_path}/promotekit.yaml:1: settings.currency: 'dollars' does not match")
    assert refused(tmp_path, "tiers:\n  - {network_affiliate_tier_id: 1, name: T, status: gone}\n",
                   "everflow").startswith(f"{tmp_path}/everflow.yaml:2: tiers[0].status: 'gone' is not one of")


@pytest.mark.parametrize("count", [MAX_GENERATE + 1, 100_000_000, -1, "many"])
def test_generate_counts_are_capped(tmp_path: Path, count: object) -> None:
    message = refused(tmp_path, f"campaigns:\n  - generate: {count}\n    fields: {{}}\n")
    assert message == (f"{tmp_path}/linkjolt.yaml:2: campaigns[0].generate: "
                       f"{count!r} is not a count from 0 to {MAX_GENERATE}")


def test_a_file_holds_at_most_max_records(tmp_path: Path) -> None:
    blocks = "".join(f"  - generate: {MAX_GENERATE}\n    fields: {{}}\n" for _ in range(MAX_RECORDS // MAX_GENERATE + 1))
    message = refused(tmp_path, "campaigns:\n" + blocks)
    assert message.endswith(f"the file would hold more than {MAX_RECORDS} records")


@pytest.mark.parametrize("name", ["linkjolt.yml", "foo.yaml", "LinkJolt.yaml", "notes.txt"])
def test_unknown_files_in_the_directory_are_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("{}\n")
    with pytest.raises(FixtureError) as error:
        start(tmp_path)
    assert str(error.value) == (f"{tmp_path / name}: unknown fixture file; a fixture directory holds only "
                                "everflow.yaml, linkjolt.yaml, promotekit.yaml, tamio.yaml")


def test_dotfiles_are_ignored(tmp_path: Path) -> None:
    (tmp_path / ".gitkeep").write_text("")
    start(tmp_path)


def test_fixtures_must_be_an_existing_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--fixtures: .* does not exist"):
        start(tmp_path / "missing")
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match="--fixtures: .* is not a directory"):
        start(tmp_path / "file")


def test_a_real_process_exits_2_with_one_line(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_FIXTURES / "linkjolt.yaml", tmp_path / "linkjolt.yaml")
    lines = (tmp_path / "linkjolt.yaml").read_text().splitlines()
    line = next(i for i, t in enumerate(lines) if "commissionValue: 20" in t and i > 40) + 1
    lines[line - 1] = lines[line - 1].replace("20", "twenty")
    (tmp_path / "linkjolt.yaml").write_text("\n".join(lines) + "\n")
    result = subprocess.run([sys.executable, "-m", "sandbox", "serve", "--port", "0", "--fixtures", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (
        2, f"affiliate-sandbox: {tmp_path}/linkjolt.yaml:{line}: campaigns[2].commissionValue: "
           "'twenty' is not of type 'number'\n")
