"""Read YAML with libyaml's C loader when PyYAML has it (ten times faster than the pure-Python one)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; raises OSError or yaml.YAMLError."""
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=SAFE_LOADER)
