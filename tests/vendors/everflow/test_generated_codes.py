"""Encoded values (the short ids in signup and tracking links) are unique per kind, redrawn on a collision.

36^6 values: two of 50,000 affiliates share one with odds of about one in two, so a collision must cost a
redraw, not a duplicate link. The test forces one and counts the draws.
"""
from __future__ import annotations

import pytest

from sandbox.core.random import RandomSource
from sandbox.vendors.everflow import magic

from .conftest import BRIGHT_MEDIA, NEW_AFFILIATE, OFFER_PUBLIC, EverflowClient
from .test_offers import OFFER


def first_draw_is(monkeypatch: pytest.MonkeyPatch, taken: str) -> list[str]:
    """The next encoded-value draw returns `taken`; the draws made are recorded."""
    original, drawn = RandomSource.token, []

    def token(self: RandomSource, size: int, alphabet: str = magic.ENCODED_ALPHABET) -> str:
        value = original(self, size, alphabet)
        if alphabet == magic.ENCODED_ALPHABET:
            value = taken if not drawn else value
            drawn.append(value)
        return value

    monkeypatch.setattr(RandomSource, "token", token)
    return drawn


async def test_an_affiliate_encoded_value_that_is_taken_is_drawn_again(
        ef: EverflowClient, monkeypatch: pytest.MonkeyPatch) -> None:
    _, existing, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    taken = existing["relationship"]["encoded_value"]
    drawn = first_draw_is(monkeypatch, taken)
    status, body, _ = await ef.post("/networks/affiliates", NEW_AFFILIATE)
    assert status == 200
    assert drawn[0] == taken and len(drawn) == 2
    assert body["relationship"]["encoded_value"] == drawn[1] != taken


async def test_an_offer_encoded_value_that_is_taken_is_drawn_again(
        ef: EverflowClient, monkeypatch: pytest.MonkeyPatch) -> None:
    _, existing, _ = await ef.get(f"/networks/offers/{OFFER_PUBLIC}")
    taken = existing["encoded_value"]
    drawn = first_draw_is(monkeypatch, taken)
    status, body, _ = await ef.post("/networks/offers", OFFER)
    assert status == 200, body
    assert drawn[0] == taken and len(drawn) == 2
    assert body["encoded_value"] == drawn[1] != taken
