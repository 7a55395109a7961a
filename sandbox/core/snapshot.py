"""A tenant as JSON and back: every vendor's state, the clock and the random source's position.

Vendor states are dataclasses whose fields are Collections or plain JSON values; nothing vendor-specific is
needed. Rate-limit windows are not kept: a restored tenant starts with fresh windows.
"""
from __future__ import annotations

import copy
import dataclasses
from typing import TYPE_CHECKING, Any

from .clock import Clock
from .errors import ApiError, Conflict
from .random import RandomSource
from .store import Collection

if TYPE_CHECKING:
    from .tenants import Tenant

FORMAT = 1


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
            "random": tenant.random.state(),
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
        random = RandomSource(tenant.seed)
        random.load_state(snapshot["random"])
    except ApiError:
        raise
    except (KeyError, TypeError, ValueError, Conflict) as exc:
        raise ApiError(400, "invalid_snapshot", f"the snapshot does not fit this tenant: {exc}") from exc
    tenant.states.update(rebuilt)
    tenant.clock, tenant.random = clock, random
