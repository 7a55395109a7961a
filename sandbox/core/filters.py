"""`<field><op><value>` filter expressions some vendors take in the query (e.g. `?filter=account_status%3Dactive`).

Parsing names the allowed fields; matching compares with the record's own type (numbers as numbers,
text case-insensitively), so `time_created>1700000000` and `account_status=Active` both do what they say.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_EXPRESSION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(>=|<=|!=|=|>|<)\s*(.*?)\s*$")

OPERATORS = ("=", ">", "<", ">=", "<=", "!=")


class FilterError(ValueError):
    """An expression that does not parse or names a field that cannot be filtered on."""


@dataclass(frozen=True)
class FieldFilter:
    field: str
    op: str
    value: str

    def test(self, actual: Any) -> bool:
        wanted: Any = self.value
        if isinstance(actual, bool):
            wanted, actual = wanted.lower() in ("1", "true"), actual
        elif isinstance(actual, (int, float)):
            try:
                wanted = float(wanted)
            except ValueError:
                return False
        elif isinstance(actual, str):
            wanted, actual = wanted.lower(), actual.lower()
        elif actual is None:
            return self.op == "!=" if wanted else self.op == "="
        compare: dict[str, Callable[[Any, Any], bool]] = {
            "=": lambda a, b: a == b, "!=": lambda a, b: a != b, ">": lambda a, b: a > b,
            "<": lambda a, b: a < b, ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b}
        try:
            return compare[self.op](actual, wanted)
        except TypeError:
            return False


def parse_filters(texts: Iterable[str], fields: Iterable[str],
                  operators: Iterable[str] = OPERATORS) -> list[FieldFilter]:
    """Parse each expression; FilterError says which one is wrong and why."""
    allowed_fields, allowed_ops = set(fields), set(operators)
    out = []
    for text in texts:
        match = _EXPRESSION.match(text)
        if not match:
            raise FilterError(f"Invalid filter expression {text!r}")
        field, op, value = match.groups()
        if field not in allowed_fields:
            raise FilterError(f"Unsupported filter field {field!r}")
        if op not in allowed_ops:
            raise FilterError(f"Unsupported filter operator {op!r}")
        out.append(FieldFilter(field, op, value))
    return out


def matches(record: Mapping[str, Any], filters: Iterable[FieldFilter]) -> bool:
    """True when the record passes every filter (they combine with AND)."""
    return all(f.test(record.get(f.field)) for f in filters)
