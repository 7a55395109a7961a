"""Tenant templates: the built fixtures of one seed, kept as images, stamped into each new tenant.

Building a tenant from the fixtures (expand, fill in ids and defaults, index, check the relations) costs
milliseconds; a tenant's first request should not. A `TenantTemplate` is made once from a freshly built model
tenant: every collection of every vendor state becomes a pickled image (`Collection.image`), every other field
of the state one pickled blob, and every random stream its position. `stamp` gives a new tenant the same world:
collections are lazy copies (unpickled on first use, so a request pays only for what it touches), plain fields
are unpickled at once, streams start where the model's stopped. Unpickling makes every object afresh, so a write
to one copy never shows in another or in the template.

A build may read the tenant's clock (a fixture timestamp "now", Everflow's conversion shift). The model is built
on a clock that records whether it was read: a template whose build never read the clock fits every clock; one
whose build did fits only a tenant whose clock shows the same second (always, for a frozen clock).
"""
from __future__ import annotations

import math
import pickle
from dataclasses import dataclass
from typing import Any

from .clock import Clock
from .generation import Generation
from .random import RandomSource
from .store import Collection


class Unfit(Exception):
    """A built state a template cannot hold faithfully (not picklable, or not a plain object): build instead."""


class ProbeClock(Clock):
    """A clock that notes every reading taken of it."""

    def __init__(self, frozen_at: Any = None) -> None:
        super().__init__(frozen_at)
        self.seconds: set[int] = set()  # the seconds read

    def timestamp(self) -> float:
        moment = super().timestamp()
        self.seconds.add(math.floor(moment))
        return moment

    def second_read(self) -> int | None:
        """The one second every reading fell in; None if never read; Unfit if the readings span seconds."""
        seconds = set(self.seconds)
        if len(seconds) > 1:
            raise Unfit("the build read the clock in two different seconds")
        return seconds.pop() if seconds else None


@dataclass(frozen=True)
class _StateImage:
    kind: type
    collections: dict[str, tuple[dict[str, Any], dict[str, bytes]]]  # field -> (the collection's declarations, image)
    plain: bytes  # every other attribute, pickled together


def _image_state(state: Any) -> _StateImage:
    attributes = getattr(state, "__dict__", None)
    if attributes is None:
        raise Unfit(f"{type(state).__name__} has no __dict__")
    collections, plain = {}, {}
    try:
        for name, value in attributes.items():
            if isinstance(value, Collection):
                collections[name] = (value.declarations(), value.image())
            else:
                plain[name] = value
        blob = pickle.dumps(plain, pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        raise Unfit(f"{type(state).__name__}: {exc}") from exc
    return _StateImage(type(state), collections, blob)


def _stamp_state(image: _StateImage, generation: Generation) -> Any:
    state: Any = object.__new__(image.kind)
    attributes = pickle.loads(image.plain)
    for name, (declarations, contents) in image.collections.items():
        attributes[name] = Collection.lazy(declarations, contents, generation)
    state.__dict__.update(attributes)
    return state


class TenantTemplate:
    """The built fixtures of one seed (and, if the build read the clock, one second), ready to stamp."""

    def __init__(self, states: dict[str, Any], streams: dict[str, Any], clock: ProbeClock) -> None:
        """From a model tenant's freshly built `states`, its `streams` (RandomSources) and the clock it was built
        on; Unfit if the model cannot be kept faithfully."""
        self.clock_read_at = clock.second_read()  # None if the build never read the clock
        if any(stream.faker_started for stream in streams.values()):
            raise Unfit("a stream's Faker was used while building: its position is not kept")
        self._states = {name: _image_state(state) for name, state in states.items()}
        self._streams = {name: (stream.seed, stream.position()) for name, stream in streams.items()}

    def fits(self, clock: Clock) -> bool:
        return self.clock_read_at is None or math.floor(clock.timestamp()) == self.clock_read_at

    def stamp(self, tenant: Any, generation: Generation) -> None:
        """Give `tenant` the template's states (their collections on `generation`), each made when first asked
        for (`tenants.VendorStates.pend`), and its stream positions."""
        images = self._states
        tenant.states.pend(images, lambda name: _stamp_state(images[name], generation))
        tenant.streams.update((name, RandomSource.resumed(seed, position))
                              for name, (seed, position) in self._streams.items())
