"""Field filter expressions: parsing, refusing unknown fields, typed matching."""
from __future__ import annotations

import pytest

from sandbox.core.filters import FilterError, matches, parse_filters

FIELDS = ("account_status", "time_created")
ROW = {"account_status": "active", "time_created": 1700000000}


def test_equality_is_case_insensitive_for_text() -> None:
    assert matches(ROW, parse_filters(["account_status=ACTIVE"], FIELDS))
    assert not matches(ROW, parse_filters(["account_status=pending"], FIELDS))


def test_numbers_compare_as_numbers_and_filters_combine_with_and() -> None:
    assert matches(ROW, parse_filters(["time_created>999999999", "account_status=active"], FIELDS))
    assert not matches(ROW, parse_filters(["time_created<1700000000"], FIELDS))


@pytest.mark.parametrize("text, message", [
    ("nonsense", "Invalid filter expression 'nonsense'"),
    ("name=Bob", "Unsupported filter field 'name'"),
])
def test_bad_expressions_are_refused(text: str, message: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_filters([text], FIELDS)
    assert str(caught.value) == message


def test_operator_set_can_be_narrowed() -> None:
    with pytest.raises(FilterError, match="Unsupported filter operator '>='"):
        parse_filters(["time_created>=1"], FIELDS, operators=("=", ">", "<"))
