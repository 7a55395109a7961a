"""A tenant as JSON and back: every vendor's state, the clock and every random stream's position.

Vendor states are dataclasses whose fields are Collections or plain JSON values; nothing vendor-specific is
needed. Rate-limit windows are not kept: a restored tenant starts with fresh windows.

A restore is all or nothing. The snapshot is checked whole first — format, vendors, every number finite and within
±1e15, the clock within years 1-9999, every random stream's name and shape, every record against its collection (an
object with an id that fits the vendor's stored-record shape — required fields, types, enums, formats, bounds, no
unknown field where the record is closed, see `recordshapes.py` — unique indexes rebuilt and free of duplicates),
every plain field of the same JSON type as the tenant's own and fitting its shape, every reference between records
resolving and every counter at or above the numbers it has handed out (what the vendor's state declares in
`RELATIONS` and `COUNTERS`, see `relations.py`) — and built into fresh state objects aside; only then is the
tenant's state swapped, in one step. Indexes, groups and running totals are never read from a snapshot: inserting
the records rebuilds them, so they cannot disagree with the records. Any problem is a 400 `invalid_snapshot` naming
the field, and the tenant is as it was. Over HTTP the parse, the checks and the build run on a worker thread in
short steps (`restore_tenant_json`), so a big restore never holds the event loop for long: the only work on the loop
is the final swap.
"""
from __future__ import annotations

import asyncio
import copy
import dataclasses
import math
import re
from typing import TYPE_CHECKING, Any

from . import jsoncodec
from .clock import Clock
from .errors import ApiError, Conflict
from .random import RandomSource, new_stream
from .recordshapes import RecordShapes, load_record_shapes
from .relations import declared_problem
from .store import Collection

if TYPE_CHECKING:
    from .tenants import Tenant

FORMAT = 2  # 2: one random position per stream (1 had one for the whole tenant; not restorable)
NUMBER_BOUND = 1e15
"""No number in a snapshot may be larger in size: well above any amount, count, id or millisecond timestamp the
vendors keep, well below what could overflow a running total into infinity."""
RECORD_DEPTH = 5
"""Where a record sits in a snapshot (root > vendors > vendor > field > records > record): parsed whole below."""


def snapshot_state(state: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in dataclasses.fields(state):
        value = getattr(state, field.name)
        out[field.name] = {"records": value.snapshot()} if isinstance(value, Collection) else copy.deepcopy(value)
    return out


def snapshot_tenant(tenant: Tenant) -> dict[str, Any]:
    return {"format": FORMAT, "tenant": tenant.id, "seed": tenant.seed, "clock": tenant.clock.state(),
            "random": {name: stream.state() for name, stream in tenant.streams.items()},
            "vendors": {name: snapshot_state(state) for name, state in tenant.states.items()}}


# -- restoring --------------------------------------------------------------------------------------------------

@dataclasses.dataclass
class _Prepared:
    """A tenant's next world, fully checked and built, not yet applied."""

    states: dict[str, Any]
    clock: Clock
    streams: dict[str, RandomSource]


def _invalid(message: str) -> ApiError:
    return ApiError(400, "invalid_snapshot", message)


def _templates(tenant: Tenant) -> dict[str, Any]:
    """Shallow copies of the tenant's vendor states with every Collection emptied: what a restore fills in."""
    templates = {}
    for name, state in tenant.states.items():
        fresh = copy.copy(state)
        for field in dataclasses.fields(state):
            value = getattr(state, field.name)
            if isinstance(value, Collection):
                setattr(fresh, field.name, value.empty_like())
        templates[name] = fresh
    return templates


def _check_numbers(value: Any, path: str) -> None:
    """Every number finite and within ±NUMBER_BOUND; iterative, so depth costs no recursion."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))
        elif isinstance(item, float) and not (math.isfinite(item) and abs(item) <= NUMBER_BOUND):
            raise _invalid(f"{where}: {item!r} is not a finite number within ±{NUMBER_BOUND:.0e}")
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > NUMBER_BOUND:
            raise _invalid(f"{where}: {item!r} is beyond ±{NUMBER_BOUND:.0e}")


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object" if isinstance(value, dict) else type(value).__name__


def _fill_collection(collection: Collection, data: Any, path: str, shapes: RecordShapes | None,
                     field: str) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise _invalid(f"{path} must be an object with a records array")
    for index, record in enumerate(data["records"]):
        where = f"{path}.records[{index}]"
        if not isinstance(record, dict):
            raise _invalid(f"{where} must be an object, not {_json_kind(record)}")
        record_id = record.get(collection.id_field)
        if record_id is None or isinstance(record_id, bool) or not isinstance(record_id, (str, int, float)):
            raise _invalid(f"{where}.{collection.id_field} must be a string or a number")
        try:
            collection.insert(record)
        except Conflict as exc:
            raise _invalid(f"{where}: {exc.index} {exc.value!r} is already used by {exc.existing_id!r}") from exc
        except Exception as exc:  # an index, group, order or total cannot read this record: say which field
            problem = shapes.record_problem(field, record) if shapes is not None else None
            if problem is not None:
                raise _invalid(f"{where}{problem}") from exc
            if isinstance(exc, KeyError):
                raise _invalid(f"{where}.{exc.args[0]}: is missing") from exc
            raise _invalid(f"{where} does not fit {collection.name}: {type(exc).__name__}: {exc}") from exc


def _fill_state(template: Any, data: Any, vendor: str, shapes: RecordShapes | None) -> Any:
    if not isinstance(data, dict):
        raise _invalid(f"vendors.{vendor} must be an object")
    fresh = copy.copy(template)
    for field in dataclasses.fields(template):
        path = f"vendors.{vendor}.{field.name}"
        if field.name not in data:
            raise _invalid(f"the snapshot has no {path}")
        current = getattr(template, field.name)
        if isinstance(current, Collection):
            collection = current.empty_like()
            _fill_collection(collection, data[field.name], path, shapes, field.name)
            setattr(fresh, field.name, collection)
            continue
        value = data[field.name]
        expected = _json_kind(current)
        if current is not None and value is not None and _json_kind(value) != expected:
            raise _invalid(f"{path} must be {expected}, not {_json_kind(value)}")
        misfit = shapes.value_problem(field.name, value) if shapes is not None else None
        if misfit is not None:
            raise _invalid(f"{path}{misfit}")
        setattr(fresh, field.name, value)
    problem = declared_problem(fresh)
    if problem is not None:
        raise _invalid(f"vendors.{vendor}.{problem}")
    if shapes is not None:
        _check_records(template, data, vendor, shapes)
    return fresh


def _check_records(template: Any, data: dict[str, Any], vendor: str, shapes: RecordShapes) -> None:
    """Every record against its stored shape; after the references, whose messages say more about a wrong id."""
    for field in dataclasses.fields(template):
        if not isinstance(getattr(template, field.name), Collection):
            continue
        for index, record in enumerate(data[field.name]["records"]):
            problem = shapes.record_problem(field.name, record)
            if problem is not None:
                raise _invalid(f"vendors.{vendor}.{field.name}.records[{index}]{problem}")


STREAM_NAME = re.compile(r"^[a-z0-9_-]{1,40}(/[a-z0-9_-]{1,40})?$")
MAX_STREAMS = 256


def _streams_from(seed: int, saved: Any) -> dict[str, RandomSource]:
    """Every saved stream at its saved position; a stream the snapshot lacks starts afresh when first used."""
    if not isinstance(saved, dict) or len(saved) > MAX_STREAMS:
        raise _invalid(f"random must map at most {MAX_STREAMS} stream names (vendor or vendor/purpose) to "
                       "positions")
    streams = {}
    for name, state in saved.items():
        if not STREAM_NAME.match(name):
            raise _invalid(f"random.{name}: not a stream name (vendor or vendor/purpose)")
        if isinstance(state, list) and len(state) == 3 and not (state[2] is None or isinstance(state[2], float)):
            raise _invalid(f"random.{name}[2] (the gauss carry) must be null or a number")
        stream = new_stream(seed, name)
        try:
            stream.load_state(state)
        except (ValueError, TypeError, OverflowError, IndexError, KeyError) as exc:
            raise _invalid(f"random.{name} is not a random-source state: {exc}") from exc
        streams[name] = stream
    return streams


def _prepare(templates: dict[str, Any], seed: int, snapshot: Any) -> _Prepared:
    """Check the whole snapshot and build the next world aside; touches nothing of the tenant's."""
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise _invalid(f"not a snapshot of format {FORMAT}")
    vendors = snapshot.get("vendors")
    if not isinstance(vendors, dict) or set(vendors) != set(templates):
        shown = sorted(vendors) if isinstance(vendors, dict) else vendors
        raise _invalid(f"the snapshot's vendors must be {sorted(templates)}, not {shown}")
    _check_numbers(snapshot, "")
    clock = Clock()
    try:
        clock.load_state(snapshot.get("clock"))  # type: ignore[arg-type]
    except ValueError as exc:
        raise _invalid(str(exc)) from exc
    streams = _streams_from(seed, snapshot.get("random"))
    shapes = load_record_shapes(templates)  # compiled once per process: the first restore pays for it
    states = {name: _fill_state(template, vendors[name], name, shapes.get(name))
              for name, template in templates.items()}
    return _Prepared(states, clock, streams)


def _apply(tenant: Tenant, prepared: _Prepared) -> None:
    tenant.states.update(prepared.states)
    tenant.clock, tenant.streams = prepared.clock, prepared.streams


def restore_tenant(tenant: Tenant, snapshot: dict[str, Any]) -> None:
    """Replace a tenant's world by a snapshot (of it or of another tenant with the same vendors).

    Everything is checked and rebuilt aside first, so a bad snapshot changes nothing."""
    _apply(tenant, _prepare(_templates(tenant), tenant.seed, copy.deepcopy(snapshot)))


def _parse_and_prepare(templates: dict[str, Any], seed: int, raw: bytes) -> _Prepared:
    try:
        snapshot = jsoncodec.loads_stepwise(raw, RECORD_DEPTH)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "invalid_json", f"The snapshot is not valid JSON: {exc}") from exc
    return _prepare(templates, seed, snapshot)


async def restore_tenant_json(tenant: Tenant, raw: bytes) -> None:
    """`restore_tenant` from the body's bytes: parsed, checked and built on a worker thread, swapped in on the loop.

    A write to the tenant while the restore is being built is overwritten by it, as if it came just before."""
    templates = _templates(tenant)
    prepared = await asyncio.get_running_loop().run_in_executor(None, _parse_and_prepare, templates, tenant.seed,
                                                                raw)
    _apply(tenant, prepared)
