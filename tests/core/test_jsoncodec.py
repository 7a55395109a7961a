"""core/jsoncodec.py: what `dumps` gives holds no more memory than its own bytes (the journal and the response
cache keep thousands of answers, and count their cost by length)."""
from __future__ import annotations

import tracemalloc

from sandbox.core import jsoncodec


def test_an_answer_holds_about_its_own_size() -> None:
    answer = {"data": [{"id": f"aff_{n:06d}", "name": "Jane Smith", "email": f"jane{n}@example.com"}
                       for n in range(40)]}
    size = len(jsoncodec.dumps(answer))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [jsoncodec.dumps(answer) for _ in range(50)]
        held = (tracemalloc.get_traced_memory()[0] - before) / len(kept)
    finally:
        tracemalloc.stop()
    assert size > 2000 and held < size * 1.2 + 200  # orjson 3.13's own bytes held three times their length here


def test_the_copy_is_the_same_json() -> None:
    value = {"b": [1, 2.5, None, True], "a": "é", "n": 2**70}  # the last one through the standard library
    assert jsoncodec.dumps(value) == b'{"b":[1,2.5,null,true],"a":"\xc3\xa9","n":1180591620717411303424}'
