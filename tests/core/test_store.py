"""Collection: unique indexes, updates, deletes, snapshots; sort and paginate."""
from __future__ import annotations

import pytest

from sandbox.core.errors import Conflict
from sandbox.core.store import Collection, paginate, paginate_lazily, sort_records


def people() -> Collection:
    return Collection("people", unique={"email": lambda r: r["email"], "code": lambda r: r.get("code")})


def test_unique_index_is_case_insensitive_and_names_the_holder() -> None:
    c = people()
    c.insert({"id": 1, "email": "a@x.com"})
    with pytest.raises(Conflict) as caught:
        c.insert({"id": 2, "email": "A@X.com"})
    assert (caught.value.index, caught.value.existing_id) == ("email", 1)
    assert len(c) == 1 and c.find("email", "A@x.COM")["id"] == 1


def test_an_index_holds_lower_case_text_itself_and_other_text_lowered() -> None:
    """The index shares a lower-case key with its record (no copy per record); any other text is lowered."""
    c = people()
    lower, mixed, uncased = "jane.doe@example.com", "Max@Example.com", "12345"
    c.insert({"id": 1, "email": lower, "code": uncased})
    c.insert({"id": 2, "email": mixed})
    index = c._indexes["email"]
    assert [key for key in index if key == lower][0] is lower
    assert "max@example.com" in index and mixed not in index
    assert c._indexes["code"] == {"12345": 1}
    assert c.find("email", "JANE.DOE@example.com")["id"] == 1 and c.find("email", "max@EXAMPLE.com")["id"] == 2


def test_none_keys_are_not_indexed() -> None:
    c = people()
    c.insert({"id": 1, "email": "a@x.com"})
    c.insert({"id": 2, "email": "b@x.com"})
    assert c.find("code", None) is None


def test_duplicate_id_conflicts() -> None:
    c = people()
    c.insert({"id": 1, "email": "a@x.com"})
    with pytest.raises(Conflict):
        c.insert({"id": 1, "email": "other@x.com"})
    assert c.find("email", "other@x.com") is None


def test_update_keeps_indexes_and_a_conflict_changes_nothing() -> None:
    c = people()
    c.insert({"id": 1, "email": "a@x.com"})
    c.insert({"id": 2, "email": "b@x.com"})
    c.update(1, {"email": "c@x.com"})
    assert c.find("email", "a@x.com") is None and c.find("email", "c@x.com")["id"] == 1
    with pytest.raises(Conflict):
        c.update(2, {"email": "c@x.com", "name": "B"})
    assert c.get(2) == {"id": 2, "email": "b@x.com"}


def test_delete_frees_the_unique_key() -> None:
    c = people()
    c.insert({"id": 1, "email": "a@x.com"})
    assert c.delete(1)["id"] == 1
    c.insert({"id": 2, "email": "a@x.com"})
    assert c.delete(99) is None


def test_snapshot_and_restore_are_deep_copies() -> None:
    c = people()
    c.insert({"id": 1, "email": "a@x.com", "tags": ["x"]})
    saved = c.snapshot()
    c.get(1)["tags"].append("y")
    c.insert({"id": 2, "email": "b@x.com"})
    c.restore(saved)
    assert list(c) == [{"id": 1, "email": "a@x.com", "tags": ["x"]}]
    assert c.find("email", "b@x.com") is None


def test_sort_puts_missing_values_last_and_breaks_ties_by_id() -> None:
    rows = [{"id": "b", "v": 1}, {"id": "a", "v": 1}, {"id": "c"}, {"id": "d", "v": 0}]
    assert [r["id"] for r in sort_records(rows, "v", descending=False)] == ["d", "a", "b", "c"]
    assert [r["id"] for r in sort_records(rows, "v", descending=True)] == ["b", "a", "d", "c"]


def test_paginate() -> None:
    page = paginate(list(range(23)), page=3, limit=10)
    assert (page.items, page.total, page.total_pages, page.has_more) == ([20, 21, 22], 23, 3, False)
    assert paginate(list(range(23)), page=2, limit=10).has_more
    empty = paginate([], page=1, limit=10)
    assert (empty.items, empty.total_pages) == ([], 0)


def ledger() -> Collection:
    from sandbox.core.store import Total

    return Collection("sales", groups={"by": lambda r: r["who"]}, totals={
        "count": Total(lambda r: r["who"] if r["ok"] else None),
        "sum": Total(lambda r: r["who"], lambda r: r["amount"])})


def test_groups_and_totals_follow_inserts_updates_and_deletes() -> None:
    c = ledger()
    c.insert({"id": 1, "who": "a", "ok": True, "amount": 5})
    c.insert({"id": 2, "who": "a", "ok": True, "amount": 7})
    c.insert({"id": 3, "who": "b", "ok": False, "amount": 1})
    assert [r["id"] for r in c.group("by", "a")] == [1, 2]
    assert (c.total("count", "a"), c.total("sum", "a"), c.total("count", "b"), c.total("sum", "b")) == (2, 12, 0, 1)
    c.update(2, {"ok": False, "who": "b"})
    assert (c.total("count", "a"), c.total("sum", "a"), c.total("sum", "b")) == (1, 5, 8)
    assert [r["id"] for r in c.group("by", "b")] == [3, 2]
    c.delete(1)
    assert (c.group("by", "a"), c.total("sum", "a"), c.total("count", "nobody")) == ([], 0, 0)


def test_a_group_of_one_holds_the_id_alone_and_grows_and_shrinks_through_every_write() -> None:
    c = Collection("things", groups={"by": lambda r: r["who"]})
    c.insert({"id": 1, "who": "a"})
    assert c._groups["by"] == {"a": 1}  # no dict for one member: the usual group
    c.insert({"id": 2, "who": "a"})
    c.insert({"id": 3, "who": "b"})
    assert [r["id"] for r in c.group("by", "a")] == [1, 2] and [r["id"] for r in c.group("by", "b")] == [3]
    c.update(3, {"who": "a"})  # into a group of two: last, as an update moves it
    c.update(1, {"who": "c"})  # out of it, into a new group of one
    assert [r["id"] for r in c.group("by", "a")] == [2, 3] and [r["id"] for r in c.group("by", "c")] == [1]
    c.delete(1)
    c.delete(2)
    c.delete(3)
    assert c.group("by", "a") == c.group("by", "c") == [] and c._groups["by"] == {}
    c.insert({"id": 4, "who": "d"})
    c.update(4, {"who": "d", "note": "same key"})
    c.delete(4)
    assert c._groups["by"] == {}


def test_restore_rebuilds_groups_and_totals() -> None:
    c = ledger()
    c.insert({"id": 1, "who": "a", "ok": True, "amount": 5})
    saved = c.snapshot()
    c.insert({"id": 2, "who": "a", "ok": True, "amount": 7})
    c.restore(saved)
    assert (c.total("sum", "a"), [r["id"] for r in c.group("by", "a")]) == (5, [1])


# -- kept sort orders ---------------------------------------------------------------------------------

def scored() -> Collection:
    return Collection("scored", orders={"score": lambda r: r["score"]})


def stable_sorted(c: Collection, descending: bool) -> list:
    """What the order must equal: a stable sort of the records in insertion order."""
    return [r["id"] for r in sorted(c, key=lambda r: r["score"], reverse=descending)]


def test_kept_order_matches_a_stable_sort_through_inserts_updates_deletes_and_restore() -> None:
    import random as stdlib_random

    draw = stdlib_random.Random(3)
    c = scored()
    c.insert({"id": 0, "score": 5})
    assert [r["id"] for r in c.ordered("score")] == [0]  # built on first use, then kept
    for n in range(1, 300):
        c.insert({"id": n, "score": draw.randint(0, 20)})  # many ties
        if n % 7 == 0:
            c.update(draw.choice(list(c))["id"], {"score": draw.randint(0, 20)})
        if n % 11 == 0:
            c.delete(draw.choice(list(c))["id"])
    for descending in (False, True):
        assert [r["id"] for r in c.ordered("score", descending)] == stable_sorted(c, descending)
    copy = c.empty_like()
    copy.restore(c.snapshot())
    for descending in (False, True):
        assert [r["id"] for r in copy.ordered("score", descending)] == stable_sorted(c, descending)


@pytest.mark.parametrize("scores", [[], [1], [1, 1, 1], [1, 2, 3], [3, 3, 1, 2, 2, 5, 3, 5], [2, 1, 1], [1, 1, 2]])
def test_descending_order_keeps_ties_in_insertion_order_at_every_edge(scores: list[int]) -> None:
    c = scored()
    for n, score in enumerate(scores):
        c.insert({"id": n, "score": score})
    assert [r["id"] for r in c.ordered("score", True)] == stable_sorted(c, True)


def test_a_first_page_reads_only_the_page_from_a_kept_order() -> None:
    c = scored()
    for n in range(1000):
        c.insert({"id": n, "score": n % 97})
    read = []
    page = paginate_lazily((read.append(r) or r for r in c.ordered("score", True)), 1, 10, len(c))
    assert (len(read), page.total, [r["score"] for r in page.items]) == (10, 1000, [96] * 10)


def test_an_update_that_keeps_the_group_key_keeps_the_record_in_place_in_its_group() -> None:
    c = Collection("members", groups={"team": lambda r: r["team"]})
    for n in range(3):
        c.insert({"id": n, "team": "a", "status": "new"})
    c.update(0, {"status": "done"})
    assert [r["id"] for r in c.group("team", "a")] == [0, 1, 2]
    c.update(0, {"team": "b"})
    assert [r["id"] for r in c.group("team", "a")] == [1, 2] and [r["id"] for r in c.group("team", "b")] == [0]


def test_a_collection_that_keeps_positions_reads_a_group_in_insertion_order_after_moves() -> None:
    c = Collection("offers", groups={"group": lambda r: r["group"]}, positions=True)
    for n, group in enumerate(["a", "b", "b", "a", "b"]):
        c.insert({"id": n, "group": group})
    c.update(2, {"group": "a"})  # moved in between 0 and 3: read where a scan would read it
    c.update(4, {"group": "a"})  # after every member: joins at the end, as always
    assert [r["id"] for r in c.group("group", "a")] == [0, 2, 3, 4] == [r["id"] for r in c if r["group"] == "a"]
    c.update(0, {"group": "b"})
    c.update(0, {"group": "a"})
    assert [r["id"] for r in c.group("group", "a")] == [0, 2, 3, 4] and [r["id"] for r in c.group("group", "b")] == [1]
    assert [r["id"] for r in Collection("plain", groups={"g": lambda r: r["g"]}).group("g", "a")] == []
    twin = c.empty_like()
    twin.insert({"id": 9, "group": "a"})
    twin.insert({"id": 8, "group": "b"})
    twin.update(8, {"group": "a"})
    assert [r["id"] for r in twin.group("group", "a")] == [9, 8]  # 8 was inserted after 9
    twin.update(9, {"group": "b"})
    twin.update(9, {"group": "a"})
    assert [r["id"] for r in twin.group("group", "a")] == [9, 8]


def test_moves_into_a_group_that_keeps_positions_cost_the_writes_nothing_per_member() -> None:
    """Records moved into a group in reverse order (an offer group assigned its offers newest first): each update
    looks at no other member, and a read sorts the group once."""

    class Counted(dict):
        lookups = 0

        def __getitem__(self, key: object) -> int:
            Counted.lookups += 1
            return super().__getitem__(key)

    c = Collection("offers", groups={"group": lambda r: r["group"]}, positions=True)
    for n in range(200):
        c.insert({"id": n, "group": None})
    c._ordinals = Counted(c._ordinals)
    for n in reversed(range(200)):
        c.update(n, {"group": "a"})
    assert Counted.lookups == 0
    assert [r["id"] for r in c.group("group", "a")] == list(range(200)) and Counted.lookups == 200


def test_a_lazy_page_past_the_end_or_beyond_64_bits_reads_nothing() -> None:
    read = []
    items = (read.append(n) or n for n in range(5))
    assert paginate_lazily(items, 2 ** 70, 10, 5).items == [] and read == []
    assert paginate_lazily(iter(range(5)), 1, 2 ** 70, 5).items == [0, 1, 2, 3, 4]


def test_filter_by_group_reads_the_group_or_with_no_key_every_record() -> None:
    c = Collection("conversions", groups={"affiliate": lambda r: r["affiliateId"]})
    for n, affiliate in enumerate(["a", "b", "a", "a"]):
        c.insert({"id": f"c{n}", "affiliateId": affiliate, "amount": n})
    big = lambda r: r["amount"] > 0  # noqa: E731
    assert [r["id"] for r in c.filter_by_group("affiliate", "a", big)] == ["c2", "c3"]
    assert [r["id"] for r in c.filter_by_group("affiliate", None, big)] == ["c1", "c2", "c3"]
    assert c.filter_by_group("affiliate", "nobody", big) == []
    assert [r["id"] for r in c.filter_by_first_group((("affiliate", None), ("affiliate", "b")), big)] == ["c1"]
    assert [r["id"] for r in c.filter_by_first_group((("affiliate", "nobody"), ("affiliate", "a")), big)] == []
    assert [r["id"] for r in c.filter_by_first_group((("affiliate", None),), big)] == ["c1", "c2", "c3"]
