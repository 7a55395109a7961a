"""Read fixture YAML and expand its `generate:` blocks with a tenant's seed.

A fixture file maps collection names to lists. Each item is an explicit record, or a block
`{generate: N, fields: {...}}` that makes N records. Field values may be expressions, a one-key
mapping whose key starts with `$`:

  $faker: name | [method, {kwargs}]     Faker, seeded
  $choice: [a, b, ...]                   one of the values
  $int: [low, high]                      an integer in the closed range
  $money: [low, high]                    a float with two decimals
  $datetime: [start, end]                an ISO-8601 UTC instant between two instants
  $pick: collection | {from, field, where}   a field (default id) of a random earlier record
  $nanoid: size                          a nanoid from the seeded source
  $uuid: true                            a version-4 UUID from the seeded source
  $format: "text {n}"                    the block's 1-based counter formatted in

Expansion depends only on the seed and the file, so it is done once per seed and copied per tenant.
"""
from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from .clock import format_instant, parse_instant
from .random import RandomSource
from .spec import read_yaml


class FixtureError(ValueError):
    """A fixture file is wrong; the message names the file and the record."""


def read_fixture_file(path: Path) -> dict[str, Any]:
    try:
        data = read_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise FixtureError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise FixtureError(f"{path}: the top level must be a mapping of collection names")
    return data


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
                return format_instant(datetime.fromtimestamp(int(rng.uniform(start, end)), tz=timezone.utc))
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


def expand(data: dict[str, Any], seed: int, source: str) -> dict[str, Any]:
    """A copy of `data` with every generate block replaced by the records it makes."""
    rng = RandomSource(seed)
    out: dict[str, Any] = {}
    done: dict[str, list[dict]] = {}
    expander = _Expander(source, rng, done)
    for name, items in data.items():
        if not isinstance(items, list):
            out[name] = copy.deepcopy(items)
            continue
        records: list[Any] = []
        done[name] = records
        for i, item in enumerate(items):
            if isinstance(item, dict) and "generate" in item:
                count, fields = item["generate"], item.get("fields")
                if not isinstance(count, int) or count < 0 or not isinstance(fields, dict):
                    raise FixtureError(f"{source}: {name}[{i}]: generate needs a count and a fields mapping")
                for n in range(1, count + 1):
                    records.append(expander.value(fields, n, f"{name}[{i}] #{n}"))
            else:
                records.append(copy.deepcopy(item))
        out[name] = records
    return out


class FixtureSet:
    """The fixture files of one directory, read once; expanded once per seed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._raw: dict[str, dict[str, Any]] = {}
        self._expanded: dict[tuple[str, int], dict[str, Any]] = {}

    def raw(self, vendor: str) -> dict[str, Any]:
        if vendor not in self._raw:
            path = self.directory / f"{vendor}.yaml"
            self._raw[vendor] = read_fixture_file(path) if path.exists() else {}
        return self._raw[vendor]

    def source(self, vendor: str) -> str:
        return str(self.directory / f"{vendor}.yaml")

    def expanded(self, vendor: str, seed: int) -> dict[str, Any]:
        """A fresh deep copy of the vendor's fixtures expanded with `seed` (the caller may mutate it)."""
        key = (vendor, seed)
        if key not in self._expanded:
            if len(self._expanded) > 64:  # many seeds in one process: keep memory bounded
                self._expanded.clear()
            self._expanded[key] = expand(self.raw(vendor), seed, self.source(vendor))
        return copy.deepcopy(self._expanded[key])
