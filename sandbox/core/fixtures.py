"""Read fixture YAML and expand its `generate:` blocks with a tenant's seed.

A fixture file maps collection names to lists. Each item is an explicit record, or a block
`{generate: N, fields: {...}}` that makes N records. Field values may be expressions, a one-key
mapping whose key starts with `$`:

  $person: name | first_name | last_name | company   built-in names, seeded (no Faker import: faster start)
  $faker: name | [method, {kwargs}]     Faker, seeded
  $choice: [a, b, ...]                   one of the values
  $int: [low, high]                      an integer in the closed range
  $money: [low, high]                    a float with two decimals
  $datetime: [start, end]                an ISO-8601 UTC instant between two instants
  $pick: collection | {from, field, where}   a field (default id) of a random earlier record
  $nanoid: size                          a nanoid from the seeded source
  $uuid: true                            a version-4 UUID from the seeded source
  $format: "text {n}"                    the block's 1-based counter formatted in

A block makes at most MAX_GENERATE records and a file holds at most MAX_RECORDS in all, so no file can keep the
server from becoming ready. Expansion depends only on the seed and the file, so it is done once per seed and
copied per tenant. Expanded records are checked against the vendor's fixture shape (see fixtureshapes.py); every
error names the file, the line and the field.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import yamlcache
from .clock import format_instant, parse_instant
from .errors import Conflict
from .names import person
from .random import RandomSource

if TYPE_CHECKING:  # PyYAML is imported only to parse: a start whose files are all cached never imports it
    import yaml

    from .fixtureshapes import FixtureShape
    from .store import Collection

MAX_GENERATE = 10_000  # records one generate block may make
MAX_RECORDS = 100_000  # records one file may hold, explicit and generated together


class FixtureError(ValueError):
    """A fixture file is wrong; the message names the file and the record."""


def read_fixture_file(path: Path) -> dict[str, Any]:
    """The file's data, checked; parsed once and then read from its cache (`core.yamlcache`) while unchanged."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise FixtureError(f"{path}: cannot read: {exc}") from exc
    header = yamlcache.header(text, yamlcache.loader_of(__file__))
    data = yamlcache.read(path, CACHE_KIND, header, dict)
    if data is None:
        data = _parse_fixture_file(path, text)[0]
        yamlcache.write(path, CACHE_KIND, header, data)  # only a file that passed every check here
    return data


CACHE_KIND = "fixture-cache"


def read_fixture_nodes(path: Path) -> yaml.Node | None:
    """The file's node tree, for the line of an error (a cached file is read without one)."""
    try:
        return _parse_fixture_file(path, path.read_bytes())[1]
    except (OSError, FixtureError):
        return None


def _parse_fixture_file(path: Path, text: bytes) -> tuple[dict[str, Any], yaml.Node | None]:
    import yaml

    from .yamlfile import line_of, parse_yaml_with_nodes
    try:
        data, node = parse_yaml_with_nodes(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise FixtureError(f"{path}{line}: not valid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise FixtureError(f"{path}: cannot read: {exc}") from exc
    if data is None:
        return {}, node
    if not isinstance(data, dict):
        raise FixtureError(f"{path}:1: the top level must be a mapping of collection names")
    bad = [k for k in data if not isinstance(k, str)]
    if bad:
        raise FixtureError(f"{path}:{line_of(node, [bad[0]])}: {bad[0]!r}: collection names are text")
    _check_counts(data, node, path)
    return data, node


def _check_counts(data: dict[str, Any], node: yaml.Node | None, path: Path) -> None:
    """Every generate count is a whole number within MAX_GENERATE, and the file within MAX_RECORDS."""
    from .yamlfile import line_of  # a file being parsed: PyYAML is imported already

    total = 0
    for name, items in data.items():
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            count = item.get("generate", 1) if isinstance(item, dict) else 1
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_GENERATE:
                raise FixtureError(f"{path}:{line_of(node, [name, i, 'generate'])}: {name}[{i}].generate: "
                                   f"{count!r} is not a count from 0 to {MAX_GENERATE}")
            total += count
            if total > MAX_RECORDS:
                raise FixtureError(f"{path}:{line_of(node, [name, i])}: {name}[{i}]: the file would hold more "
                                   f"than {MAX_RECORDS} records")


class _Expander:
    def __init__(self, source: str, rng: RandomSource, done: dict[str, list[dict]]) -> None:
        self.source = source
        self.rng = rng
        self.done = done

    def value(self, spec: Any, n: int, where: str) -> Any:
        if isinstance(spec, list):
            return [self.value(v, n, where) for v in spec]
        if not isinstance(spec, dict):
            return spec
        if len(spec) == 1:
            (op, arg), = spec.items()
            if isinstance(op, str) and op.startswith("$"):
                return self.expression(op, arg, n, where)
        return {k: self.value(v, n, f"{where}.{k}") for k, v in spec.items()}

    def expression(self, op: str, arg: Any, n: int, where: str) -> Any:
        rng = self.rng
        try:
            if op == "$person":
                return person(rng, str(arg))
            if op == "$faker":
                method, kwargs = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1] if len(arg) > 1 else {})
                return getattr(rng.faker, method)(**kwargs)
            if op == "$choice":
                return rng.choice(list(arg))
            if op == "$int":
                return rng.integer(int(arg[0]), int(arg[1]))
            if op == "$money":
                return round(rng.uniform(float(arg[0]), float(arg[1])), 2)
            if op == "$datetime":
                start, end = (parse_instant(str(a)).timestamp() for a in arg)
                return format_instant(datetime.fromtimestamp(int(rng.uniform(start, end)), tz=UTC))
            if op == "$pick":
                options = arg if isinstance(arg, dict) else {"from": arg}
                pool = self.done.get(options["from"])
                if not pool:
                    raise FixtureError(f"{self.source}: {where}: $pick from {options['from']!r}, "
                                       "which has no records above this block")
                wanted = options.get("where") or {}
                candidates = [r for r in pool if all(r.get(k) == v for k, v in wanted.items())]
                if not candidates:
                    raise FixtureError(f"{self.source}: {where}: no {options['from']} record matches {wanted}")
                return rng.choice(candidates)[options.get("field", "id")]
            if op == "$nanoid":
                return rng.nanoid(int(arg))
            if op == "$uuid":
                return rng.uuid()
            if op == "$format":
                return str(arg).format(n=n)
        except FixtureError:
            raise
        except Exception as exc:  # a bad argument in a hand-written file: say where
            raise FixtureError(f"{self.source}: {where}: {op} {arg!r}: {exc}") from exc
        raise FixtureError(f"{self.source}: {where}: unknown expression {op}")


def expand(data: dict[str, Any], seed: int, source: str,
           origins: dict[str, list[tuple[int, int | None]]] | None = None) -> dict[str, Any]:
    """A copy of `data` with every generate block replaced by the records it makes.

    `origins`, when given, receives for each collection and expanded record (its raw index, its number in
    the generate block that made it or None for an explicit record)."""
    rng = RandomSource(seed)
    out: dict[str, Any] = {}
    done: dict[str, list[dict]] = {}
    expander = _Expander(source, rng, done)
    for name, items in data.items():
        if not isinstance(items, list):
            out[name] = copy.deepcopy(items)
            continue
        records: list[Any] = []
        where_from: list[tuple[int, int | None]] = []
        done[name] = records
        for i, item in enumerate(items):
            if isinstance(item, dict) and "generate" in item:
                count, fields = item["generate"], item.get("fields")
                if not isinstance(count, int) or not 0 <= count <= MAX_GENERATE or not isinstance(fields, dict):
                    raise FixtureError(f"{source}: {name}[{i}]: generate needs a count (0 to {MAX_GENERATE}) "
                                       "and a fields mapping")
                for n in range(1, count + 1):
                    records.append(expander.value(fields, n, f"{name}[{i}] #{n}"))
                    where_from.append((i, n))
            else:
                records.append(copy.deepcopy(item))
                where_from.append((i, None))
        out[name] = records
        if origins is not None:
            origins[name] = where_from
    return out


def _where(path: tuple[Any, ...]) -> str:
    """campaigns[2].commissionValue"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class FixtureSet:
    """The fixture files of one directory, read once; expanded (and checked) once per seed.

    `vendors`: the names a file may have (`<vendor>.yaml`); any other file in the directory is an error
    (dotfiles aside). `shapes`: each vendor's FixtureShape; a vendor without one is not checked."""

    def __init__(self, directory: Path, vendors: Iterable[str] | None = None,
                 shapes: dict[str, FixtureShape] | None = None) -> None:
        self.directory = directory
        self.shapes = shapes or {}
        self._raw: dict[str, dict[str, Any]] = {}
        self._nodes: dict[str, yaml.Node | None] = {}
        self._expanded: dict[tuple[str, int], dict[str, Any]] = {}
        if vendors is not None:
            self._check_files(set(vendors))

    def _check_files(self, vendors: set[str]) -> None:
        if not self.directory.is_dir():
            raise FixtureError(f"{self.directory}: not a directory")
        expected = sorted(f"{v}.yaml" for v in vendors)
        for entry in sorted(self.directory.iterdir()):
            if entry.name.startswith(".") or entry.name == yamlcache.FOLDER:  # the parsed files' cache
                continue
            if entry.name not in expected or not entry.is_file():
                raise FixtureError(f"{entry}: unknown fixture file; a fixture directory holds only "
                                   f"{', '.join(expected)}")

    def raw(self, vendor: str) -> dict[str, Any]:
        if vendor not in self._raw:
            path = self.directory / f"{vendor}.yaml"
            self._raw[vendor] = read_fixture_file(path) if path.exists() else {}
        return self._raw[vendor]

    def _node(self, vendor: str) -> yaml.Node | None:
        """The vendor file's node tree, parsed when an error first needs a line."""
        if vendor not in self._nodes:
            path = self.directory / f"{vendor}.yaml"
            self._nodes[vendor] = read_fixture_nodes(path) if path.exists() else None
        return self._nodes[vendor]

    def source(self, vendor: str) -> str:
        return str(self.directory / f"{vendor}.yaml")

    def expanded(self, vendor: str, seed: int) -> dict[str, Any]:
        """A fresh deep copy of the vendor's fixtures expanded with `seed` (the caller may mutate it)."""
        key = (vendor, seed)
        if key not in self._expanded:
            if len(self._expanded) > 64:  # many seeds in one process: keep memory bounded
                self._expanded.clear()
            origins: dict[str, list[tuple[int, int | None]]] = {}
            expanded = expand(self.raw(vendor), seed, self.source(vendor), origins)
            self._check_shape(vendor, expanded, origins)
            self._expanded[key] = expanded
        return copy.deepcopy(self._expanded[key])

    def _check_shape(self, vendor: str, expanded: dict[str, Any],
                     origins: dict[str, list[tuple[int, int | None]]]) -> None:
        shape = self.shapes.get(vendor)
        if shape is None:
            return
        for problem in shape.problems(expanded):
            raise FixtureError(self._located(vendor, problem.path, origins, problem.message))

    def _located(self, vendor: str, path: tuple[Any, ...], origins: dict[str, list[tuple[int, int | None]]],
                 message: str) -> str:
        """`file:line: campaigns[2].commissionValue: message`, the line and index those of the raw file."""
        raw_path, label = path, _where(path)
        if len(path) >= 2 and isinstance(path[1], int) and path[0] in origins:
            raw_index, n = origins[path[0]][path[1]]
            rest = path[2:]
            if n is None:
                raw_path = (path[0], raw_index, *rest)
                label = _where(raw_path)
            else:
                raw_path = (path[0], raw_index, "fields", *rest)
                label = f"{_where(path[:1] + (raw_index,))} #{n}" + (f".{_where(rest)}" if rest else "")
        from .yamlfile import line_of

        line = line_of(self._node(vendor), raw_path)
        return f"{self.source(vendor)}{f':{line}' if line else ''}: {label}: {message}"


def insert_record(collection: Collection, record: dict[str, Any], source: str, where: str) -> dict[str, Any]:
    """Insert a fixture record; a taken id or unique key is a FixtureError naming the file and the record."""
    try:
        return collection.insert(record)
    except Conflict as exc:
        raise FixtureError(f"{source}: {where}: {exc.index} {exc.value!r} is already used by "
                           f"{collection.name} {exc.existing_id!r}") from exc


def require_record(collection: Collection, record_id: Any, source: str, where: str,
                   field_name: str) -> dict[str, Any]:
    """The record a fixture refers to; a dangling reference is a FixtureError naming the file and the record."""
    record = collection.get(record_id)
    if record is None:
        raise FixtureError(f"{source}: {where}: {field_name} {record_id!r} is not in {collection.name}")
    return record
