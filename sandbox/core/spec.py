"""Load a vendor's OpenAPI 3.1 document and turn each path + method into an Operation."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlcache

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path | query | header
    required: bool
    schema: dict[str, Any]


@dataclass
class Operation:
    """One spec operation with everything the pipeline needs precomputed."""

    operation_id: str
    method: str  # upper case
    path: str  # the spec's template, e.g. /affiliates/{id}
    parameters: list[Parameter]
    body_schema: dict[str, Any] | None
    body_required: bool
    responses: dict[str, dict[str, Any] | None]  # status ("200", "4XX", "default") -> JSON schema or None
    success_status: int
    fidelity: str
    note: str | None
    extensions: dict[str, Any] = field(default_factory=dict)
    # Reject query parameters the operation does not declare (400 through the vendor's validation_error).
    # From `x-sandbox-strict-query` on the operation, else on the document root; off by default.
    strict_query: bool = False

    @property
    def query_params(self) -> list[Parameter]:
        return [p for p in self.parameters if p.location == "query"]

    @property
    def path_params(self) -> list[Parameter]:
        return [p for p in self.parameters if p.location == "path"]

    @property
    def is_write(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")

    def response_key(self, status: int) -> str | None:
        """The `responses` key that covers a status: the exact code first, then a 4XX-style range, then
        `default`; None when the spec declares none."""
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in self.responses:
                return key
        return None


class SpecError(ValueError):
    """The spec cannot be used; the message names the file and the place."""


_loaded: dict[tuple[str, int, int], Spec] = {}


class _RefResolver:
    """Replaces every local $ref by its target. A ref's resolution is built once and then shared, read-only:
    nothing downstream mutates a schema, and sharing keeps start-up and memory small."""

    def __init__(self, root: dict[str, Any], source: str) -> None:
        self.root = root
        self.source = source
        self._done: dict[str, Any] = {}

    def target(self, ref: str, trail: tuple[str, ...]) -> Any:
        if not ref.startswith("#/"):
            raise SpecError(f"{self.source}: only local $ref is supported, got {ref!r}")
        if ref in trail:
            raise SpecError(f"{self.source}: recursive $ref {ref!r} is not supported")
        if ref not in self._done:
            node: Any = self.root
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(node, dict) or part not in node:
                    raise SpecError(f"{self.source}: $ref {ref!r} points nowhere")
                node = node[part]
            self._done[ref] = self.resolve(node, trail + (ref,))
        return self._done[ref]

    def resolve(self, node: Any, trail: tuple[str, ...] = ()) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                merged = self.target(ref, trail)
                siblings = {k: v for k, v in node.items() if k != "$ref"}
                if siblings and isinstance(merged, dict):
                    merged = {**merged, **self.resolve(siblings, trail)}
                return merged
            return {k: self.resolve(v, trail) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v, trail) for v in node]
        return node


def _json_schema(content: dict[str, Any] | None) -> dict[str, Any] | None:
    if not content:
        return None
    for media_type, body in content.items():
        if media_type.startswith("application/json") or media_type.endswith("+json"):
            return body.get("schema", {})
    return None


@dataclass
class Spec:
    """A loaded spec: the raw document (for serving) and its operations."""

    name: str
    document: dict[str, Any]
    operations: list[Operation]

    def operation(self, operation_id: str) -> Operation:
        for op in self.operations:
            if op.operation_id == operation_id:
                return op
        raise KeyError(operation_id)


def load_spec(path: Path) -> Spec:
    """Read a YAML OpenAPI document, resolve its local $refs and build Operations.

    Cached by path, size and mtime: tests build an app per test, and resolving $refs is most of start-up.
    Nothing mutates a Spec, so apps share it.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc}") from exc
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _loaded:
        if len(_loaded) > 32:
            _loaded.clear()
        _loaded[key] = _load_spec(path)
    return _loaded[key]


def _load_spec(path: Path) -> Spec:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"{source}: cannot read: {exc}") from exc
    header = yamlcache.header(data, yamlcache.loader_of(__file__))
    spec = yamlcache.read(path, CACHE_KIND, header, Spec, _CACHEABLE)
    if spec is not None and spec.name == path.stem:
        return spec
    import yaml  # on a miss only: a start with every file cached never imports PyYAML

    from .yamlfile import SAFE_LOADER
    try:
        document = yaml.load(data, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: cannot read: {exc}") from exc
    spec = spec_from_document(document, path.stem, source)
    yamlcache.write(path, CACHE_KIND, header, spec)
    return spec


CACHE_KIND = "spec-cache"
# What a cached Spec may be made of: its own classes and the values YAML makes.
_CACHEABLE = frozenset({(__name__, "Spec"), (__name__, "Operation"), (__name__, "Parameter")}) | yamlcache.YAML_CLASSES


def spec_from_document(document: Any, name: str, source: str) -> Spec:
    """Operations of an OpenAPI 3.1 document already in memory (one assembled at start, like the control
    plane's); `source` names it in errors."""
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        raise SpecError(f"{source}: not an OpenAPI 3.1 document")
    resolved = _RefResolver(document, source).resolve(document)
    operations: list[Operation] = []
    for template, item in (resolved.get("paths") or {}).items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            where = f"{source}: {method.upper()} {template}"
            if "operationId" not in raw:
                raise SpecError(f"{where}: no operationId")
            params: dict[tuple[str, str], Parameter] = {}
            for p in list(shared) + list(raw.get("parameters", [])):
                params[(p["name"], p["in"])] = Parameter(
                    name=p["name"], location=p["in"],
                    required=bool(p.get("required", p["in"] == "path")),
                    schema=p.get("schema", {}),
                )
            body = raw.get("requestBody") or {}
            responses = {str(code): _json_schema(resp.get("content"))
                         for code, resp in (raw.get("responses") or {}).items()}
            successes = sorted(int(c) for c in responses if re.fullmatch(r"2\d\d", c))
            if not successes:
                raise SpecError(f"{where}: no 2xx response")
            operations.append(Operation(
                operation_id=raw["operationId"],
                method=method.upper(),
                path=template,
                parameters=list(params.values()),
                body_schema=_json_schema(body.get("content")),
                body_required=bool(body.get("required", False)),
                responses=responses,
                success_status=successes[0],
                fidelity=raw.get("x-sandbox-fidelity", "guess"),
                note=raw.get("x-sandbox-note"),
                extensions={k: v for k, v in raw.items() if k.startswith("x-")},
                strict_query=bool(raw.get("x-sandbox-strict-query", resolved.get("x-sandbox-strict-query", False))),
            ))
    ids = [op.operation_id for op in operations]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SpecError(f"{source}: duplicate operationId {', '.join(dupes)}")
    return Spec(name=name, document=document, operations=operations)
