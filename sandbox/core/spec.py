"""Load a vendor's OpenAPI 3.1 document and turn each path + method into an Operation."""
from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

# libyaml's parser when PyYAML was built with it: the pure-Python one takes about a second per large spec.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> Any:
    """yaml.safe_load, with the C parser when available."""
    return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 (a safe loader)




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

    @property
    def query_params(self) -> list[Parameter]:
        return [p for p in self.parameters if p.location == "query"]

    @property
    def path_params(self) -> list[Parameter]:
        return [p for p in self.parameters if p.location == "path"]

    @property
    def is_write(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")

    def response_schema(self, status: int) -> tuple[bool, dict[str, Any] | None]:
        """(declared?, schema) for a status: an exact code first, then 4XX-style ranges, then default."""
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in self.responses:
                return True, self.responses[key]
        return False, None


class SpecError(ValueError):
    """The spec cannot be used; the message names the file and the place."""


def _resolve_refs(node: Any, root: dict[str, Any], source: str, trail: tuple[str, ...] = ()) -> Any:
    if isinstance(node, dict):
        if "$ref" in node and isinstance(node["$ref"], str):
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise SpecError(f"{source}: only local $ref is supported, got {ref!r}")
            if ref in trail:
                raise SpecError(f"{source}: recursive $ref {ref!r} is not supported")
            target: Any = root
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise SpecError(f"{source}: $ref {ref!r} points nowhere")
                target = target[part]
            merged = _resolve_refs(copy.deepcopy(target), root, source, trail + (ref,))
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if siblings and isinstance(merged, dict):
                merged = {**merged, **_resolve_refs(siblings, root, source, trail)}
            return merged
        return {k: _resolve_refs(v, root, source, trail) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve_refs(v, root, source, trail) for v in node]
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

    Loaded once per version of the file: apps built in one process (every test builds one) share the Spec,
    which nothing mutates.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc}") from exc
    return _load_spec(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _load_spec(source: str, mtime_ns: int, size: int) -> Spec:
    path = Path(source)
    try:
        document = read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{source}: cannot read: {exc}") from exc
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        raise SpecError(f"{source}: not an OpenAPI 3.1 document")
    resolved = _resolve_refs(document, document, source)
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
            ))
    ids = [op.operation_id for op in operations]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SpecError(f"{source}: duplicate operationId {', '.join(dupes)}")
    return Spec(name=path.stem, document=document, operations=operations)
