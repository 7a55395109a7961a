"""Collection.next_int_id: integer ids from a per-collection sequence."""
from __future__ import annotations

from sandbox.core.store import Collection


def test_sequence_follows_the_highest_id_and_never_reuses_one() -> None:
    items = Collection("items", id_field="item_id")
    assert items.next_int_id() == 1
    items.insert({"item_id": 7})
    assert items.next_int_id() == 8
    items.insert({"item_id": items.next_int_id()})
    items.delete(8)
    assert items.next_int_id() == 9


def test_string_ids_do_not_move_the_sequence() -> None:
    items = Collection("items")
    items.insert({"id": "abc"})
    assert items.next_int_id() == 1
