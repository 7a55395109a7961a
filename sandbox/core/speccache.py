"""A parsed spec kept on disk beside its YAML, so a start does not parse the YAML again.

Parsing YAML is most of start-up (Everflow's spec alone takes 130 ms; unpickling the finished `Spec` about 2 ms).
The cache is `__pycache__/<file>.spec-cache` in the spec's own folder, like Python's bytecode: it lives and goes
with the spec, and a folder that cannot be written (an installed package owned by another user) only means no
cache. Nothing in the file is trusted blindly:

- its first line must name this format, this Python, the loader's own source (`fingerprint`) and the sha256
  of the YAML's bytes: any change to any of them (an edited spec, an upgraded loader) rebuilds the cache;
- the rest is a pickle that may only make the classes the caller allows (no other global can be loaded, so
  the file cannot run code), and must come back as an instance of the expected class;
- anything unexpected (a short file, a bad pickle) is a miss: the spec is parsed as if there were no cache.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger("sandbox.speccache")

FORMAT = b"affiliate-sandbox spec cache 1"
SUFFIX = ".spec-cache"
T = TypeVar("T")


def cache_file(source: Path) -> Path:
    return source.parent / "__pycache__" / (source.name + SUFFIX)


def fingerprint(parts: Iterable[bytes]) -> str:
    """A short hash of what the cached object depends on besides the YAML (the loader's sources, versions)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:32]


def header(source_bytes: bytes, loader: str) -> bytes:
    python = ".".join(map(str, sys.version_info[:3])).encode()
    return b" ".join((FORMAT, python, loader.encode(), hashlib.sha256(source_bytes).hexdigest().encode())) + b"\n"


class _Only(pickle.Unpickler):
    """An unpickler that can make the allowed classes and nothing else."""

    def __init__(self, data: bytes, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__(io.BytesIO(data))
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a spec cache")
        return super().find_class(module, name)


def read(source: Path, expected_header: bytes, kind: type[T], allowed: frozenset[tuple[str, str]]) -> T | None:
    """The cached object for `source`, or None when there is none or it does not match `expected_header`."""
    try:
        data = cache_file(source).read_bytes()
    except OSError:
        return None
    if not data.startswith(expected_header):
        return None
    try:
        value = _Only(data[len(expected_header):], allowed).load()
    except Exception as exc:  # a damaged file of any kind is a miss, never a failed start
        log.debug("spec cache %s unreadable: %s", cache_file(source), exc)
        return None
    return value if isinstance(value, kind) else None


def write(source: Path, expected_header: bytes, value: object) -> None:
    """Keep `value` for the next start; a folder that cannot be written is silently left without a cache."""
    target = cache_file(source)
    try:
        target.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    except OSError as exc:
        log.debug("no spec cache for %s: %s", source, exc)
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(expected_header)
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(temporary, 0o644)  # readable like the spec beside it (mkstemp makes 0600)
        os.replace(temporary, target)  # atomic: another process starting at once reads the old file or the new
    except Exception as exc:  # an unpicklable value or a full disk: no cache, never a failed start
        log.debug("no spec cache for %s: %s", source, exc)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
