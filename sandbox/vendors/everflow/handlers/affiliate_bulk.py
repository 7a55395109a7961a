"""Affiliate bulk edit: the live preview/apply pair (`fields: [{field_type, field_value, operator}]`) and the docs
mirror's two forms, PATCH /networks/affiliates/patch (the fields at the top level) and POST
/networks/affiliates/patch/submit ({affiliate_ids, changes}). Every form checks all affiliates and values before
changing any."""
from __future__ import annotations

from typing import Any

from ....core.context import RequestContext
from ..errors import bad_request
from ..models import Record
from .common import HANDLERS, applicable, bulk_changes, now, state_of

AFFILIATE_STATUSES = ("active", "inactive", "pending", "suspended")
# The docs mirror's top-level PATCH form: these body fields, each applied as an overwrite.
DRAFT_FIELDS = ("account_status", "network_employee_id", "network_affiliate_tier_id", "labels")


def _value_error(ctx: RequestContext, field_type: str, value: Any) -> str:
    """Why a bulk-edit value cannot be applied ("" when it can)."""
    state = state_of(ctx)
    checks = {
        "account_status": lambda v: v in AFFILIATE_STATUSES,
        "network_employee_id": lambda v: isinstance(v, int) and (v == 0 or v in state.employees),
        "network_affiliate_tier_id": lambda v: isinstance(v, int) and v in state.tiers,
        "default_currency_id": lambda v: v in state.meta_ids("currencies"),
        "internal_notes": lambda v: isinstance(v, str),
        "labels": lambda v: isinstance(v, list) and all(isinstance(label, str) and label for label in v),
    }
    return "" if checks[field_type](value) else f"Invalid value for {field_type}: {value}"


def _changes(ctx: RequestContext, affiliate_ids: list[int], fields: list[Record]) -> tuple[list[Record], list[str]]:
    return bulk_changes(state_of(ctx).affiliates, affiliate_ids, fields, lambda t, v: _value_error(ctx, t, v),
                        what="Affiliate", key="network_affiliate",
                        shown=("network_affiliate_id", "network_id", "name", "account_status"))


def _apply(ctx: RequestContext, affiliate_ids: list[int], fields: list[Record]) -> Record:
    changes = applicable(_changes(ctx, affiliate_ids, fields))
    state, at = state_of(ctx), now(ctx)
    for change in changes:
        field = change["changed_field"]
        if field["field_type"] == "labels":
            state.ensure_labels(field["field_value"], at)
        state.affiliates.update(change["network_affiliate"]["network_affiliate_id"],
                                {field["field_type"]: field["field_value"], "time_saved": at})
    return {"result": True}


def _overwrites(values: Record) -> list[Record]:
    return [{"field_type": k, "field_value": v, "operator": "overwrite"} for k, v in values.items()]


@HANDLERS.operation("previewAffiliateBulkEdit")
def preview(ctx: RequestContext) -> Record:
    changes, resource_errors = _changes(ctx, ctx.body["network_affiliate_ids"], ctx.body["fields"])
    return {"changes": changes, "resource_errors": resource_errors}


@HANDLERS.operation("applyAffiliateBulkEdit")
def apply(ctx: RequestContext) -> Record:
    return _apply(ctx, ctx.body["network_affiliate_ids"], ctx.body["fields"])


@HANDLERS.operation("bulkUpdateAffiliates")
def apply_top_level(ctx: RequestContext) -> Record:
    """The docs mirror's PATCH: {network_affiliate_ids, account_status?, network_employee_id?, labels?,
    network_affiliate_tier_id?}; labels replace the affiliate's labels."""
    body = ctx.body
    values = {k: body[k] for k in DRAFT_FIELDS if k in body}
    if not values:
        raise bad_request("No field to update")
    return _apply(ctx, body["network_affiliate_ids"], _overwrites(values))


@HANDLERS.operation("submitAffiliatePatch")
def submit(ctx: RequestContext) -> Record:
    """The docs mirror's queued form, {affiliate_ids, changes: {field: value}}: the sandbox applies it at once."""
    return _apply(ctx, ctx.body["affiliate_ids"], _overwrites(ctx.body["changes"]))
