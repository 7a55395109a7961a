"""In-memory collections of records with unique indexes, sort orders kept as records change, and list pages."""
from __future__ import annotations

import copy
import itertools
import math
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import Conflict
from .generation import Generation
from .sortedkeys import SortedKeys

Record = dict[str, Any]
KeyFunc = Callable[[Record], Any]


def _one(record: Record) -> float:
    """A Total's default value: it counts records (added without a call: `Collection._track`)."""
    return 1


@dataclass(frozen=True)
class Total:
    """A running sum kept per key: `key` groups records (None leaves a record out), `value` is what is summed.

    Totals follow every insert, update and delete, so a count or a sum over a group never needs a scan.
    """

    key: KeyFunc
    value: Callable[[Record], float] = _one


def _normalise(value: Any) -> Any:
    """A unique key as its index holds it: text in lower case. Text that is lower case already is itself (a string
    `islower()` has no character `lower()` changes), so an index shares the record's string instead of a copy:
    an email's index entry is about 70 bytes less a record."""
    if isinstance(value, str):
        return value if value.islower() else value.lower()
    return value


def _join(by_key: dict[Any, Any], key: Any, record_id: Any) -> None:
    """Add `record_id` to the group `key` (see `Collection._groups`: an id alone, or a dict of ids)."""
    members = by_key.get(key)
    if members is None:
        by_key[key] = record_id
    elif isinstance(members, dict):
        members[record_id] = None
    elif members != record_id:
        by_key[key] = {members: None, record_id: None}


def _leave(by_key: dict[Any, Any], key: Any, record_id: Any) -> None:
    """Take `record_id` out of the group `key`; an emptied group goes."""
    members = by_key.get(key)
    if isinstance(members, dict):
        members.pop(record_id, None)
        if not members:
            del by_key[key]
    elif members is not None and members == record_id:
        del by_key[key]


class Collection:
    """Records keyed by id, in insertion order, with declared unique indexes.

    A unique index is a name and a function from record to key (None means "not indexed");
    string keys compare case-insensitively, as emails and codes do at every vendor we model.
    """

    def __init__(self, name: str, id_field: str = "id", unique: dict[str, KeyFunc] | None = None,
                 groups: dict[str, KeyFunc] | None = None, totals: dict[str, Total] | None = None,
                 orders: dict[str, KeyFunc] | None = None, positions: bool = False) -> None:
        self.name = name
        self.id_field = id_field
        self._records: dict[Any, Record] = {}
        self._unique_funcs: dict[str, KeyFunc] = dict(unique or {})
        self._indexes: dict[str, dict[Any, Any]] = {name: {} for name in self._unique_funcs}
        self._group_funcs: dict[str, KeyFunc] = dict(groups or {})
        # A group's members: the one member's id itself, or a dict of ids (insertion order) once there are two. Most
        # groups have one member (a LinkJolt affiliate's memberships, an Everflow affiliate's users): a dict for
        # each cost about 200 bytes a record and its making on every create. Ids are never dicts.
        self._groups: dict[str, dict[Any, Any]] = {name: {} for name in self._group_funcs}
        self._total_defs: dict[str, Total] = dict(totals or {})
        self._totals: dict[str, dict[Any, float]] = {name: {} for name in self._total_defs}
        self._highest_int = 0  # the highest integer id ever stored, for next_int_id
        self._tracks = bool(self._group_funcs or self._total_defs)  # else an insert skips _track altogether
        # Sort orders: declared here, built on first use (`ordered`), then kept up to date by every write.
        # An entry is (key, ordinal, id); the ordinal is the insertion number, so ties keep insertion order.
        self._order_funcs: dict[str, KeyFunc] = dict(orders or {})
        self._orders: dict[str, SortedKeys] = {}
        self._ordinals: dict[Any, int] = {}
        self._next_ordinal = 0
        # Where `positions` asks, a group is read in insertion order even after an update moved a record into it
        # (`group`); insertion numbers are kept for that and for the orders.
        self._positions = positions
        self._numbered = bool(self._order_funcs) or positions
        self.generation = Generation()  # its own until its tenant's registry hands it the app's

    # -- images: what a tenant template keeps (core.template) ----------------------------------------

    def image(self) -> dict[str, bytes]:
        """Every record, index, group, total and order of this collection, each part a pickled blob."""
        return {name: pickle.dumps(getattr(self, name), pickle.HIGHEST_PROTOCOL) for name in _CONTENTS}

    def declarations(self) -> dict[str, Any]:
        """What this collection declares (name, id field, indexes, groups, totals, orders), for `lazy`."""
        return {name: self.__dict__[name] for name in _SHELL}

    @staticmethod
    def lazy(declarations: dict[str, Any], image: dict[str, bytes], generation: Generation) -> Collection:
        """A collection of `declarations` holding `image`'s contents, each part unpickled on first use: a tenant
        copied from a template pays only for what it touches (a count reads a total, never the records).
        Every object of the contents is the new collection's own (unpickled afresh), so no write is ever shared;
        `image` itself is only read."""
        twin = Collection.__new__(Collection)
        twin.__dict__.update(declarations)
        twin.__dict__["_image"] = image
        twin.__dict__["generation"] = generation
        return twin

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not found: a part of a lazy copy before its first use. Never on the hot
        # path of a loaded part, which is a plain attribute. Records are referred to by id from every other part,
        # so the parts share no object and unpickle apart.
        image = self.__dict__.get("_image")
        if image is None or name not in image:
            raise AttributeError(name)
        value = self.__dict__[name] = pickle.loads(image[name])
        return value

    def empty_like(self) -> Collection:
        """A new, empty collection with the same name, id field, indexes, groups, totals, orders and positions."""
        twin = Collection(self.name, self.id_field, self._unique_funcs, self._group_funcs, self._total_defs,
                          self._order_funcs, self._positions)
        twin.generation = self.generation
        return twin

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Record]:
        return iter(self._records.values())

    def __contains__(self, record_id: Any) -> bool:
        return record_id in self._records

    def get(self, record_id: Any) -> Record | None:
        return self._records.get(record_id)

    def __getitem__(self, record_id: Any) -> Record:
        """A record that must exist (a relation of the state guarantees it): KeyError, a 500, when it does not."""
        return self._records[record_id]

    def next_int_id(self) -> int:
        """The next id of an integer sequence: one above the highest integer id ever stored (never reused)."""
        return self._highest_int + 1

    def find(self, index: str, value: Any) -> Record | None:
        """The record whose unique `index` equals `value`, if any."""
        record_id = self._indexes[index].get(_normalise(value))
        return None if record_id is None else self._records[record_id]

    def group(self, name: str, key: Any) -> list[Record]:
        """The records whose group key `name` equals `key`, in insertion order; but a record an update moved into
        the group comes last, unless the collection keeps `positions`: then the group is read in insertion order
        (sorted by insertion number: linear for a group already in order, so no write pays for a move)."""
        members = self._groups[name].get(key)
        if members is None:
            return []
        records = self._records
        if not isinstance(members, dict):
            return [records[members]]
        if self._positions and len(members) > 1:
            return [records[i] for i in sorted(members, key=self._ordinals.__getitem__)]
        return [records[i] for i in members]

    def total(self, name: str, key: Any) -> float:
        """The running total `name` for `key` (0 when no record counts)."""
        return self._totals[name].get(key, 0)

    def total_over(self, name: str, keep: Callable[[Any], bool]) -> float:
        """The sum of the running totals `name` whose key passes `keep`: as many steps as the total has keys
        (a handful of campaigns and statuses), never one per record."""
        return sum(value for key, value in self._totals[name].items() if keep(key))

    def ordered(self, name: str, descending: bool = False) -> Iterator[Record]:
        """The records in the declared order `name`, lazily: the first page of a list reads only that page.

        Descending keeps ties in insertion order, as a stable `sort(reverse=True)` does."""
        order = self._orders.get(name)
        if order is None:
            order = self._build_order(name)
        records = self._records
        if not descending:
            return (records[entry[2]] for entry in order)
        return self._descending(order, records)

    @staticmethod
    def _descending(order: SortedKeys, records: dict[Any, Record]) -> Iterator[Record]:
        """The order backwards, but a run of equal keys in insertion order (as a stable reverse sort gives it).
        A run is gathered only where keys tie: most keys are unique, and grouping every entry cost a list's
        first page about 2 µs."""
        entries = reversed(order)
        held = next(entries, None)
        while held is not None:
            following = next(entries, None)
            if following is None or following[0] != held[0]:
                yield records[held[2]]
                held = following
                continue
            run = [held, following]
            held = next(entries, None)
            while held is not None and held[0] == run[0][0]:
                run.append(held)
                held = next(entries, None)
            for entry in reversed(run):
                yield records[entry[2]]

    def _build_order(self, name: str) -> SortedKeys:
        func, ordinals = self._order_funcs[name], self._ordinals
        order = SortedKeys((func(r), ordinals[i], i) for i, r in self._records.items())
        self._orders[name] = order
        return order

    def _order_entries(self, record: Record) -> list[tuple[SortedKeys, tuple]]:
        record_id = record[self.id_field]
        ordinal = self._ordinals[record_id]
        return [(order, (self._order_funcs[name](record), ordinal, record_id)) for name, order in self._orders.items()]

    def _group_keys(self, record: Record) -> dict[str, Any]:
        return {name: func(record) for name, func in self._group_funcs.items()}

    def _regroup(self, record_id: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Move an updated record between groups; one whose group key is unchanged keeps its place in it."""
        for name, key in new.items():
            if old[name] == key:
                continue
            if old[name] is not None:
                _leave(self._groups[name], old[name], record_id)
            if key is not None:
                _join(self._groups[name], key, record_id)

    def _track(self, record: Record, sign: int, groups: bool = True) -> None:
        """Add a record to (sign 1) or take it out of (sign -1) the groups (unless `groups` is False) and totals."""
        record_id = record[self.id_field]
        for name, func in self._group_funcs.items() if groups else ():
            key = func(record)
            if key is None:
                continue
            if sign > 0:
                _join(self._groups[name], key, record_id)
            else:
                _leave(self._groups[name], key, record_id)
        for name, total in self._total_defs.items():
            key = total.key(record)
            if key is not None:
                sums = self._totals[name]
                value = total.value
                sums[key] = sums.get(key, 0) + (sign if value is _one else sign * value(record))

    def _keys(self, record: Record) -> dict[str, Any]:
        keys = {}
        for name, func in self._unique_funcs.items():
            key = func(record)
            if key is not None:
                if isinstance(key, str) and not key.islower():  # _normalise, inlined: once per write
                    key = key.lower()
                keys[name] = key
        return keys

    def _check(self, record_id: Any, keys: dict[str, Any]) -> None:
        for name, key in keys.items():
            holder = self._indexes[name].get(key)
            if holder is not None and holder != record_id:
                raise Conflict(name, key, holder)

    def insert(self, record: Record) -> Record:
        """Add a record; raises Conflict on a taken id or unique key, and then changes nothing."""
        record_id = record[self.id_field]
        if record_id in self._records:
            raise Conflict(self.id_field, record_id, record_id)
        keys = self._keys(record) if self._unique_funcs else None
        if keys:
            self._check(record_id, keys)
        self.generation.advance()
        self._records[record_id] = record
        if keys:
            for name, key in keys.items():
                self._indexes[name][key] = record_id
        if self._tracks:
            self._track(record, 1)
        if isinstance(record_id, int) and not isinstance(record_id, bool) and record_id > self._highest_int:
            self._highest_int = record_id
        if self._numbered:
            self._ordinals[record_id] = self._next_ordinal
            self._next_ordinal += 1
            if self._orders:  # built only once a list has asked for one
                for order, entry in self._order_entries(record):
                    order.add(entry)
        return record

    def update(self, record_id: Any, changes: Record) -> Record:
        """Apply `changes` to a stored record, keeping the unique indexes true; Conflict changes nothing."""
        current = self._records[record_id]
        updated = {**current, **changes}
        old_keys = self._keys(current)
        new_keys = self._keys(updated)
        self._check(record_id, new_keys)
        self.generation.advance()
        for name, key in old_keys.items():
            self._indexes[name].pop(key, None)
        for name, key in new_keys.items():
            self._indexes[name][key] = record_id
        old_entries = self._order_entries(current) if self._orders else ()
        old_groups = self._group_keys(current)
        self._track(current, -1, groups=False)
        current.clear()
        current.update(updated)
        self._track(current, 1, groups=False)
        self._regroup(record_id, old_groups, self._group_keys(current))
        new_entries = self._order_entries(current) if old_entries else ()
        for (order, old), (_, new) in zip(old_entries, new_entries, strict=True):
            if old != new:
                order.remove(old)
                order.add(new)
        return current

    def delete(self, record_id: Any) -> Record | None:
        record = self._records.get(record_id)
        if record is not None:
            self.generation.advance()
            for order, entry in self._order_entries(record) if self._orders else ():
                order.remove(entry)
            self._ordinals.pop(record_id, None)
            del self._records[record_id]
            for name, key in self._keys(record).items():
                self._indexes[name].pop(key, None)
            self._track(record, -1)
        return record

    def filter(self, predicate: Callable[[Record], bool] | None = None) -> list[Record]:
        return [r for r in self._records.values() if predicate is None or predicate(r)]

    def filter_by_group(self, name: str, key: Any, predicate: Callable[[Record], bool]) -> list[Record]:
        """`filter` read from the records whose group key `name` is `key` (insertion order), or from every record
        when `key` is None: a list filtered on a grouped field reads that group, not the whole collection."""
        if key is None:
            return self.filter(predicate)
        return [r for r in self.group(name, key) if predicate(r)]

    def filter_by_first_group(self, keys: Iterable[tuple[str, Any]], predicate: Callable[[Record], bool]
                              ) -> list[Record]:
        """`filter_by_group` on the first (group name, key) of `keys` whose key is not None, or on every record when
        none is: a list with several grouped filters reads one group (give the most selective first)."""
        for name, key in keys:
            if key is not None:
                return self.filter_by_group(name, key, predicate)
        return self.filter(predicate)

    def snapshot(self) -> list[Record]:
        return copy.deepcopy(list(self._records.values()))

    def restore(self, records: Iterable[Record]) -> None:
        self.generation.advance()
        self._records.clear()
        for index in (*self._indexes.values(), *self._groups.values(), *self._totals.values()):
            index.clear()
        self._highest_int = 0
        self._orders.clear()  # rebuilt on first use
        self._ordinals.clear()
        for record in records:
            self.insert(copy.deepcopy(record))


_CONTENTS = ("_records", "_indexes", "_groups", "_totals", "_highest_int", "_orders", "_ordinals", "_next_ordinal")
"""What a collection holds (its image); the rest of its attributes (`_SHELL`) are declarations, never changed."""
_SHELL = ("name", "id_field", "_unique_funcs", "_group_funcs", "_total_defs", "_order_funcs", "_positions", "_numbered",
          "_tracks", "generation")


@dataclass(frozen=True)
class Page:
    """One page of a list: the items and the numbers every vendor's pagination envelope is built from."""

    items: list[Any]
    page: int
    limit: int
    total: int

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total / self.limit) if self.limit else 0

    @property
    def has_more(self) -> bool:
        return self.page < self.total_pages


def sort_records(records: list[Record], field: str, descending: bool,
                 tiebreak: str | None = "id") -> list[Record]:
    """Stable sort by one field (missing values last), ties broken by `tiebreak` in the same direction."""

    def key(record: Record) -> tuple:
        value = record.get(field)
        tie = record.get(tiebreak) if tiebreak else None
        return (value is None, value if value is not None else 0, tie if tie is not None else "")

    present = [r for r in records if r.get(field) is not None]
    missing = [r for r in records if r.get(field) is None]
    present.sort(key=key, reverse=descending)
    return present + missing


def paginate_lazily(items: Iterable[Any], page: int, limit: int, total: int) -> Page:
    """One page out of ordered items that are read only up to the page's end; `total` comes from an index.

    The cost is the page's position plus its length, however many items there are after it."""
    page, limit = int(page), int(limit)
    start = (page - 1) * limit
    stop = min(start + limit, total)  # pages past the end (or beyond 64 bits) read nothing
    chosen = list(itertools.islice(items, start, stop)) if start < stop else []
    return Page(items=chosen, page=page, limit=limit, total=total)


def paginate(records: list[Any], page: int, limit: int) -> Page:
    """Cut one page out of an already filtered and sorted list (page counts from 1).

    JSON Schema calls 2.0 an integer, so a validated page or limit may arrive as a float: both are made ints.
    """
    page, limit = int(page), int(limit)
    start = (page - 1) * limit
    return Page(items=records[start:start + limit], page=page, limit=limit, total=len(records))
