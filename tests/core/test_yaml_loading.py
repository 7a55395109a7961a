"""Specs and fixtures are read with libyaml's parser when available; it must read them exactly as PyYAML does."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sandbox.core.yamlfile import SAFE_LOADER

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("specs/*.yaml"), *ROOT.glob("fixtures/default/*.yaml")])


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="this PyYAML was built without libyaml")
def test_libyaml_is_used_when_pyyaml_has_it() -> None:
    assert SAFE_LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_and_pure_python_read_the_same_document(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=SAFE_LOADER) == yaml.load(text, Loader=yaml.SafeLoader)
