"""A tenant as JSON and back: every vendor's state, the clock and every random stream's position.

Vendor states are dataclasses whose fields are Collections or plain JSON values; nothing vendor-specific is
needed. Rate-limit windows are not kept: a restored tenant starts with fresh windows.
"""
from __future__ import annotations

import copy
import dataclasses
from typing import TYPE_CHECKING, Any

from .clock import Clock
from .errors import ApiError, Conflict
from .random import RandomSource, new_stream
from .store import Collection

if TYPE_CHECKING:
    from .tenants import Tenant

FORMAT = 2  # 2: one random position per stream (1 had one for the whole tenant; not restorable)


def snapshot_state(state: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in dataclasses.fields(state):
        value = getattr(state, field.name)
        out[field.name] = {"records": value.snapshot()} if isinstance(value, Collection) else copy.deepcopy(value)
    return out


def restore_state(state: Any, data: dict[str, Any]) -> None:
    for field in dataclasses.fields(state):
        if field.name not in data:
            raise ApiError(400, "invalid_snapshot", f"the snapshot has no {field.name}")
        value = getattr(state, field.name)
        if isinstance(value, Collection):
            value.restore(data[field.name]["records"])
        else:
            setattr(state, field.name, copy.deepcopy(data[field.name]))


def snapshot_tenant(tenant: "Tenant") -> dict[str, Any]:
    return {"format": FORMAT, "tenant": tenant.id, "seed": tenant.seed, "clock": tenant.clock.state(),
            "random": {name: stream.state() for name, stream in tenant.streams.items()},
            "vendors": {name: snapshot_state(state) for name, state in tenant.states.items()}}


def restore_tenant(tenant: "Tenant", snapshot: dict[str, Any]) -> None:
    """Replace a tenant's world by a snapshot (of it or of another tenant with the same vendors).

    Everything is checked and rebuilt aside first, so a bad snapshot changes nothing."""
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise ApiError(400, "invalid_snapshot", f"not a snapshot of format {FORMAT}")
    vendors = snapshot.get("vendors")
    if not isinstance(vendors, dict) or set(vendors) != set(tenant.states):
        raise ApiError(400, "invalid_snapshot",
                       f"the snapshot's vendors must be {sorted(tenant.states)}, not {sorted(vendors or {})}")
    rebuilt = {}
    try:
        for name, state in tenant.states.items():
            fresh = copy.copy(state)
            for field in dataclasses.fields(state):
                value = getattr(state, field.name)
                if isinstance(value, Collection):
                    setattr(fresh, field.name, value.empty_like())
            restore_state(fresh, vendors[name])
            rebuilt[name] = fresh
        clock = Clock()
        clock.load_state(snapshot["clock"])
        streams = _restore_streams(tenant.seed, snapshot["random"])
    except ApiError:
        raise
    except (KeyError, TypeError, ValueError, Conflict) as exc:
        raise ApiError(400, "invalid_snapshot", f"the snapshot does not fit this tenant: {exc}") from exc
    tenant.states.update(rebuilt)
    tenant.clock, tenant.streams = clock, streams


def _restore_streams(seed: int, saved: Any) -> dict[str, RandomSource]:
    """Every saved stream at its saved position; a stream the snapshot lacks starts afresh when first used."""
    if not isinstance(saved, dict):
        raise ApiError(400, "invalid_snapshot", "the snapshot's random must map stream names to positions")
    streams = {}
    for name, state in saved.items():
        stream = new_stream(seed, name)
        stream.load_state(state)
        streams[name] = stream
    return streams
