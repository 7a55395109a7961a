"""The packaged fixture files are parsed once and then read from their cache beside them (`core.yamlcache`), while
their bytes and the loader are unchanged; errors found on a cached file still name its line; the cache folder is
no fixture file; a user's fixture folder is never written to."""
from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import create_app
from sandbox.config import Settings
from sandbox.core import yamlcache, yamlfile
from sandbox.core.fixtures import FixtureError, FixtureSet

CAMPAIGNS = """campaigns:
  - id: c1
    name: One
    trackingCode: ONE
    commissionType: percentage
    commissionValue: %s
    createdAt: "2026-01-01T00:00:00Z"
"""


@pytest.fixture
def cached_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tmp_path stands for the package's own folder, whose files are cached."""
    monkeypatch.setattr(yamlcache, "cached_roots", (tmp_path,))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every fixture file parsed (its bytes), counted."""
    calls: list[bytes] = []
    real = yamlfile.parse_yaml_with_nodes

    def counted(text: bytes) -> object:
        calls.append(text)
        return real(text)
    monkeypatch.setattr(yamlfile, "parse_yaml_with_nodes", counted)
    return calls


@pytest.mark.usefixtures("cached_here")
def test_a_fixture_file_is_parsed_once_then_read_from_its_cache(tmp_path: Path, parses: list[bytes]) -> None:
    (tmp_path / "linkjolt.yaml").write_text(CAMPAIGNS % 20)
    first = FixtureSet(tmp_path, ["linkjolt"]).raw("linkjolt")
    assert len(parses) == 1
    assert (tmp_path / "__pycache__" / "linkjolt.yaml.fixture-cache").is_file()
    again = FixtureSet(tmp_path, ["linkjolt"]).raw("linkjolt")  # the cache folder is not an unknown file
    assert len(parses) == 1
    assert again == first and again is not first
    assert again["campaigns"][0]["commissionValue"] == 20


@pytest.mark.usefixtures("cached_here")
def test_an_edited_fixture_file_is_parsed_again(tmp_path: Path, parses: list[bytes]) -> None:
    path = tmp_path / "linkjolt.yaml"
    path.write_text(CAMPAIGNS % 20)
    FixtureSet(tmp_path).raw("linkjolt")
    path.write_text(CAMPAIGNS % 30)
    assert FixtureSet(tmp_path).raw("linkjolt")["campaigns"][0]["commissionValue"] == 30
    assert len(parses) == 2


@pytest.mark.usefixtures("cached_here")
def test_an_error_in_a_cached_file_still_names_its_line(tmp_path: Path, parses: list[bytes]) -> None:
    (tmp_path / "linkjolt.yaml").write_text(CAMPAIGNS % "twenty")
    FixtureSet(tmp_path, ["linkjolt"]).raw("linkjolt")  # valid YAML, cached; the shape is checked at start
    assert len(parses) == 1
    with pytest.raises(FixtureError) as error:
        create_app(Settings(fixtures=tmp_path, vendors=("linkjolt",)))
    assert str(error.value) == (f"{tmp_path}/linkjolt.yaml:6: campaigns[0].commissionValue: "
                                "'twenty' is not of type 'number'")
    assert len(parses) == 2  # parsed again for the line only


@pytest.mark.usefixtures("cached_here")
def test_a_refused_file_is_never_cached(tmp_path: Path) -> None:
    (tmp_path / "linkjolt.yaml").write_text("campaigns:\n  - generate: many\n    fields: {}\n")
    with pytest.raises(FixtureError, match="linkjolt.yaml:2: campaigns"):
        FixtureSet(tmp_path).raw("linkjolt")
    assert not (tmp_path / "__pycache__").exists()


@pytest.mark.usefixtures("cached_here")
def test_a_cache_of_another_loader_is_not_used(tmp_path: Path, parses: list[bytes],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "linkjolt.yaml").write_text(CAMPAIGNS % 20)
    FixtureSet(tmp_path).raw("linkjolt")
    monkeypatch.setattr(yamlcache, "loader_of", lambda module_file: "an-edited-loader")
    FixtureSet(tmp_path).raw("linkjolt")
    assert len(parses) == 2


def test_a_users_fixture_folder_is_never_written_to(tmp_path: Path, parses: list[bytes]) -> None:
    (tmp_path / "linkjolt.yaml").write_text(CAMPAIGNS % 20)
    create_app(Settings(fixtures=tmp_path, vendors=("linkjolt",)))
    FixtureSet(tmp_path).raw("linkjolt")
    assert len(parses) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["linkjolt.yaml"]


def test_a_start_with_every_file_cached_never_imports_pyyaml() -> None:
    import os
    import subprocess
    import sys

    from sandbox.config import DEFAULT_FIXTURES, SPECS_DIR

    if not all(os.access(folder, os.W_OK) for folder in (SPECS_DIR, DEFAULT_FIXTURES)):
        pytest.skip("the packaged specs and fixtures cannot be cached here (read-only)")
    code = ("import sys; from sandbox import create_app, Settings; create_app(Settings()); "
            "print('yaml' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
            for _ in range(2)]
    assert runs[1] == "False"  # the first run may have had to write the caches
