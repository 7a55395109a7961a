"""References between a vendor's stored records, declared once and checked wherever records come in.

A vendor's state class lists its `RELATIONS` (a class variable, in its `state.py`):
`Relation("memberships", "affiliateId", "affiliates")` says that a membership's `affiliateId` is the id of a
record in `affiliates`. Fixture loading checks them after the vendor builds its state and a snapshot restore checks
them on the state it built aside, so neither can store a record that points nowhere
(which a later read would trip over).

It also lists its `COUNTERS`: a plain number on the state from which the next id or sequence number is
drawn, and the record fields it must stay at or above; a counter below a record's value would hand out a number
already taken.

Checks are one pass over each declared collection with a dict lookup per reference: linear in the records.
"""
from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .store import Collection


@dataclass(frozen=True)
class Relation:
    """`collection.field` holds the id of a record in `target` (or a list of ids, with `many`).

    A value in `none` means "no reference" (say `(None,)` for a nullable one; Everflow also writes 0); any other
    value, null included, must be an id of `target`."""

    collection: str
    field: str
    target: str
    many: bool = False
    none: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Counter:
    """The state's plain number `name` must be at least every `collection.field` value listed in `covers`."""

    name: str
    covers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Problem:
    """One broken reference or counter: `path` names the place (`memberships.records[3].affiliateId`)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _collections(state: Any) -> dict[str, Collection]:
    """The state's collections by attribute name (the name a snapshot uses)."""
    return {f.name: value for f in dataclasses.fields(state)
            if isinstance(value := getattr(state, f.name), Collection)}


def _ids(value: Any, relation: Relation) -> list[tuple[str, Any]]:
    """(path suffix, id) for each id a field value refers to."""
    if relation.many:
        if not isinstance(value, list):
            return [("", value)]  # not a list at all: reported as a reference to nothing
        return [(f"[{i}]", item) for i, item in enumerate(value) if not _is_none(item, relation)]
    return [] if _is_none(value, relation) else [("", value)]


def _is_none(value: Any, relation: Relation) -> bool:
    return any(value is none or (type(value) is type(none) and value == none) for none in relation.none)


def relation_problems(state: Any, relations: Iterable[Relation]) -> Iterable[Problem]:
    """Every reference in `state` that points nowhere, in declaration then record order."""
    collections = _collections(state)
    for relation in relations:
        source, target = collections[relation.collection], collections[relation.target]
        for index, record in enumerate(source):
            if relation.field not in record:  # the vendor reads a declared field without a default
                yield Problem(f"{relation.collection}.records[{index}].{relation.field}",
                              f"is missing (it must be {'null or ' if None in relation.none else ''}the id of a "
                              f"record in {relation.target})")
                continue
            for suffix, ref in _ids(record[relation.field], relation):
                try:
                    found = ref in target
                except TypeError:  # an unhashable value is no id
                    found = False
                if not found:
                    yield Problem(f"{relation.collection}.records[{index}].{relation.field}{suffix}",
                                  f"{ref!r} is not the id of a record in {relation.target}")


def counter_problems(state: Any, counters: Iterable[Counter]) -> Iterable[Problem]:
    """Every counter below a value of the records it must cover."""
    collections = _collections(state)
    for counter in counters:
        current = getattr(state, counter.name)
        for name, field in counter.covers:
            highest = max((r[field] for r in collections[name]
                           if isinstance(r.get(field), (int, float)) and not isinstance(r.get(field), bool)),
                          default=None)
            if highest is not None and isinstance(current, (int, float)) and current < highest:
                yield Problem(counter.name, f"{current!r} is below {highest!r}, the highest {name} {field}: "
                                            "the next one would repeat a number already used")


def first_problem(state: Any, relations: Iterable[Relation], counters: Iterable[Counter] = ()) -> Problem | None:
    """The first broken reference or counter of `state`, or None when every one holds."""
    return next(itertools.chain(relation_problems(state, relations), counter_problems(state, counters)), None)


def declared_problem(state: Any) -> Problem | None:
    """`first_problem` with what the state's class declares in `RELATIONS` and `COUNTERS` (class variables)."""
    return first_problem(state, getattr(type(state), "RELATIONS", ()), getattr(type(state), "COUNTERS", ()))
