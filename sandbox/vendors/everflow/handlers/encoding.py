"""POST /networks/encode and /networks/decode: the short encoded values of tracking, smart-link and signup links.

Affiliates, offers and smart links (campaigns) carry their encoded value; decoding looks it up in the collections'
"encoded" index, never by a scan. Employees carry none, so their signup-link value is their id in base 36 over the
encoded alphabet (a guess; Everflow's encoding is not public)."""
from __future__ import annotations

from typing import Any

from ....core.context import RequestContext
from ....core.store import Collection
from .. import magic
from ..errors import not_found
from ..models import Record
from .common import HANDLERS, state_of

EMPLOYEE_CODE_LENGTH = 6
# type -> (collection attribute, id field, what a 404 names); employees are encoded arithmetically
RECORD_TYPES = {"tracking_link_affiliate": ("affiliates", "network_affiliate_id", "Affiliate"),
                "smart_link_affiliate": ("affiliates", "network_affiliate_id", "Affiliate"),
                "signup_affiliate_affiliate": ("affiliates", "network_affiliate_id", "Affiliate"),
                "tracking_link_offer": ("offers", "network_offer_id", "Offer"),
                "smart_link_smart_link": ("campaigns", "network_campaign_id", "Smart link")}
EMPLOYEE_TYPES = ("signup_affiliate_employee", "signup_advertiser_employee")


def employee_code(employee_id: int) -> str:
    alphabet, digits = magic.ENCODED_ALPHABET, []
    value = employee_id
    while value:
        value, digit = divmod(value, len(alphabet))
        digits.append(alphabet[digit])
    return "".join(reversed(digits)).rjust(EMPLOYEE_CODE_LENGTH, alphabet[0])


def employee_id_of(code: str) -> int | None:
    alphabet, value = magic.ENCODED_ALPHABET, 0
    for char in code.upper():
        if char not in alphabet:
            return None
        value = value * len(alphabet) + alphabet.index(char)
    return value


def _collection(ctx: RequestContext, kind: str) -> tuple[Collection, str, str]:
    name, id_field, what = RECORD_TYPES[kind]
    return getattr(state_of(ctx), name), id_field, what


def _encode(ctx: RequestContext, kind: str, record_id: int) -> str:
    if kind in EMPLOYEE_TYPES:
        if record_id not in state_of(ctx).employees:
            raise not_found("Employee", record_id)
        return employee_code(record_id)
    records, _, what = _collection(ctx, kind)
    record = records.get(record_id)
    if record is None:
        raise not_found(what, record_id)
    return str(record["encoded_value"])


def _decode(ctx: RequestContext, kind: str, code: str) -> Any:
    if kind in EMPLOYEE_TYPES:
        employee_id = employee_id_of(code) if len(code) == EMPLOYEE_CODE_LENGTH else None
        if employee_id is None or employee_id not in state_of(ctx).employees:
            raise not_found("Encoded value", code)
        return employee_id
    records, id_field, _ = _collection(ctx, kind)
    found = records.group("encoded", code.upper())
    if not found:
        raise not_found("Encoded value", code)
    return found[0][id_field]


@HANDLERS.operation("encodeIds")
def encode_ids(ctx: RequestContext) -> Record:
    """All or nothing: an id that names nothing is a 404 naming it (guess)."""
    kind = ctx.body["type"]
    return {"values": [{"decoded": i, "encoded": _encode(ctx, kind, i)} for i in dict.fromkeys(ctx.body["ids"])]}


@HANDLERS.operation("decodeIds")
def decode_ids(ctx: RequestContext) -> Record:
    kind = ctx.body["type"]
    return {"values": [{"decoded": _decode(ctx, kind, code), "encoded": code}
                       for code in dict.fromkeys(ctx.body["ids"])]}
