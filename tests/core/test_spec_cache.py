"""load_spec caches by path, size and mtime: the same file gives the same Spec, a changed file is read again."""
from __future__ import annotations

import os
from pathlib import Path

from sandbox.core.spec import load_spec

SPEC = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: %s
      responses:
        "200": {description: ok}
"""


def test_the_same_file_is_loaded_once_and_a_changed_file_again(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC % "listThings")
    first = load_spec(path)
    assert load_spec(path) is first
    path.write_text(SPEC % "listThingsAgain")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert [op.operation_id for op in load_spec(path).operations] == ["listThingsAgain"]
