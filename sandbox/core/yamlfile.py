"""Read YAML with libyaml's C loader when PyYAML has it (ten times faster than the pure-Python one)."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; raises OSError or yaml.YAMLError."""
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=SAFE_LOADER)


def read_yaml_with_nodes(path: Path) -> tuple[Any, yaml.Node | None]:
    """The parsed data and its node tree (whose marks give the line of every value, see `line_of`)."""
    with open(path, "rb") as handle:
        return parse_yaml_with_nodes(handle.read())


def parse_yaml_with_nodes(text: bytes) -> tuple[Any, yaml.Node | None]:
    """`read_yaml_with_nodes` of a file's bytes already read."""
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def line_of(node: yaml.Node | None, path: Sequence[Any]) -> int | None:
    """The 1-based line of the value at `path` (mapping keys and list indexes) under `node`; where the path
    leaves the document, the line of the deepest part that exists. For a mapping entry, the key's line."""
    line = None if node is None else node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
