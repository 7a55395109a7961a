"""Parsed YAML kept on disk beside its file, so the next start does not parse the YAML again.

Parsing YAML was most of start-up (Everflow's spec alone takes 130 ms; unpickling the finished `Spec` about
3 ms). Only the files that ship with the package (its specs and default fixtures, under `cached_roots`) are
cached, each in `__pycache__/<file>.<kind>` beside it, as Python caches the package's modules: a folder a user
points the sandbox at (`--fixtures`, `Settings.specs`) is never written to, and a package folder that cannot be
written (installed by another user, a read-only image) only means no cache. Nothing in a cache is trusted
blindly:

- its first line must name this format, this Python, the loader (`loader_fingerprint`: the source of the
  modules that turn the YAML into the cached value, and PyYAML's version) and the sha256 of the YAML's
  bytes: any change to any of them (an edited file, an upgraded loader) means a new parse and a new cache;
- the rest is a pickle that may only make the classes the caller allows (no other global can be loaded, so
  the file cannot run code), and must come back as an instance of the expected class;
- anything unexpected (a short file, a bad pickle) is a miss: the YAML is parsed as if there were no cache.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger("sandbox.yamlcache")

FOLDER = "__pycache__"
FORMAT = b"affiliate-sandbox parsed yaml 1"
# The values PyYAML's safe loader makes besides the builtins (a timestamp is a date or a datetime).
YAML_CLASSES = frozenset({("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"),
                          ("datetime", "timedelta")})
T = TypeVar("T")
# Folders whose YAML files are cached: the package's own (specs/ and fixtures/ are inside it, or linked there).
cached_roots: tuple[Path, ...] = (Path(__file__).resolve().parents[1],)


def cacheable(source: Path) -> bool:
    return any(Path(os.path.abspath(source)).is_relative_to(root) for root in cached_roots)


def cache_file(source: Path, kind: str) -> Path:
    return source.parent / FOLDER / f"{source.name}.{kind}"


@functools.cache  # the files it reads do not change while the process runs
def loader_fingerprint(*modules: Path) -> str:
    """A short hash of what a cached value depends on besides its YAML: the given modules' source and the
    installed PyYAML (its package's `__init__.py`, which holds its version, read without importing it)."""
    digest = hashlib.sha256()
    parts = [path.read_bytes() for path in modules]
    found = importlib.util.find_spec("yaml")
    if found is not None and found.origin:
        parts.append(Path(found.origin).read_bytes())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:32]


def loader_of(module_file: str) -> str:
    """`loader_fingerprint` of a loading module (its `__file__`) and the YAML reader beside it: an edited loader
    never meets a cache of the old one."""
    here = Path(module_file)
    return loader_fingerprint(here, here.with_name("yamlfile.py"))


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
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a parsed-YAML cache")
        return super().find_class(module, name)


def read(source: Path, kind: str, expected_header: bytes, value_type: type[T],
         allowed: frozenset[tuple[str, str]] = YAML_CLASSES) -> T | None:
    """The cached value for `source`, or None when there is none or it does not match `expected_header`."""
    if not cacheable(source):
        return None
    try:
        data = cache_file(source, kind).read_bytes()
    except OSError:
        return None
    if not data.startswith(expected_header):
        return None
    try:
        value = _Only(data[len(expected_header):], allowed).load()
    except Exception as exc:  # a damaged file of any kind is a miss, never a failed start
        log.debug("cache %s unreadable: %s", cache_file(source, kind), exc)
        return None
    return value if isinstance(value, value_type) else None


def write(source: Path, kind: str, expected_header: bytes, value: object) -> None:
    """Keep `value` for the next start; a folder that cannot be written is silently left without a cache."""
    if not cacheable(source):
        return
    target = cache_file(source, kind)
    try:
        target.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    except OSError as exc:
        log.debug("no cache for %s: %s", source, exc)
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(expected_header)
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(temporary, 0o644)  # readable like the file beside it (mkstemp makes 0600)
        os.replace(temporary, target)  # atomic: another process starting at once reads the old file or the new
    except Exception as exc:  # an unpicklable value or a full disk: no cache, never a failed start
        log.debug("no cache for %s: %s", source, exc)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
