"""A tenant as the code below `tenants` reads it: the request context, the outbox, the vendor interface and
each vendor's state builder and control actions.

`tenants.Tenant` is one. They name a tenant through these Protocols, not `Tenant`, because `tenants` imports
them (it holds the outbox and the vendors): naming `Tenant` back would make an import circle. This module
builds on `events`' vocabulary (the outbox's host policy and staged events), so `events` names its one
tenant reader's needs itself (`events.StagingTenant`).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .clock import Clock
    from .events import HostPolicy, StagedEvents
    from .random import RandomSource


class OutboxLike(Protocol):
    """What is read of a tenant's outbox through a `TenantLike` (`outbox.Outbox` is one)."""

    @property
    def hosts(self) -> HostPolicy:
        """Where deliveries may go beyond the vendors' own URL rules (--webhook-hosts)."""

    @property
    def staged(self) -> StagedEvents:
        """What a control action emitted, published once it has succeeded."""


class TenantLike(Protocol):
    """What the request context, the outbox and the vendors read of a tenant."""

    @property
    def id(self) -> str: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def states(self) -> Mapping[str, Any]:
        """Vendor name -> that vendor's state in this tenant."""

    @property
    def outbox(self) -> OutboxLike: ...

    def stream(self, vendor: str, purpose: str | None = None) -> RandomSource:
        """The random stream of `vendor` (for `purpose`, if given): independent of every other stream."""
