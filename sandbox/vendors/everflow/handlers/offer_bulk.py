"""Offer bulk edit: the preview/apply pair (as for affiliates), laravel-everflow's PATCH offerstyped and the
docs mirror's PATCH /networks/offers/patch. Every form checks all offers and values before changing any."""
from __future__ import annotations

from typing import Any

from ....core.context import RequestContext
from ..models import Record
from .common import HANDLERS, applicable, bulk_changes, now, state_of

OFFER_STATUSES = ("active", "paused", "pending", "deleted")
VISIBILITIES = ("public", "require_approval", "private")


def _value_error(ctx: RequestContext, field_type: str, value: Any) -> str:
    """Why a value cannot be set on an offer ("" when it can)."""
    state = state_of(ctx)
    checks = {
        "offer_status": lambda v: v in OFFER_STATUSES,
        "visibility": lambda v: v in VISIBILITIES,
        "network_advertiser_id": lambda v: isinstance(v, int) and v in state.advertisers,
        "network_tracking_domain_id": lambda v: isinstance(v, int) and (v == 0 or v in state.tracking_domains),
        "currency_id": lambda v: v in state.meta_ids("currencies"),
        "session_duration": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "internal_notes": lambda v: isinstance(v, str),
    }
    return "" if checks[field_type](value) else f"Invalid value for {field_type}: {value}"


def _changes(ctx: RequestContext, offer_ids: list[int], fields: list[Record]) -> tuple[list[Record], list[str]]:
    return bulk_changes(state_of(ctx).offers, offer_ids, fields, lambda t, v: _value_error(ctx, t, v),
                        what="Offer", key="network_offer",
                        shown=("network_offer_id", "network_id", "name", "offer_status"), operator="overwrite")


def _apply(ctx: RequestContext, offer_ids: list[int], fields: list[Record]) -> Record:
    changes = applicable(_changes(ctx, offer_ids, fields))
    state, at = state_of(ctx), now(ctx)
    for change in changes:
        field = change["changed_field"]
        state.offers.update(change["network_offer"]["network_offer_id"],
                            {field["field_type"]: field["field_value"], "time_saved": at})
    return {"result": True}


@HANDLERS.operation("previewOfferBulkEdit")
@HANDLERS.operation("previewOfferBulkEditDraft")
def preview(ctx: RequestContext) -> Record:
    changes, resource_errors = _changes(ctx, ctx.body["network_offer_ids"], ctx.body["fields"])
    return {"changes": changes, "resource_errors": resource_errors}


@HANDLERS.operation("applyOfferBulkEdit")
@HANDLERS.operation("bulkUpdateOffersTyped")
def apply(ctx: RequestContext) -> Record:
    return _apply(ctx, ctx.body["network_offer_ids"], ctx.body["fields"])


@HANDLERS.operation("bulkUpdateOffers")
def apply_changes(ctx: RequestContext) -> Record:
    """The docs mirror's form: {"offer_ids": [...], "changes": {field: value}}."""
    fields = [{"field_type": k, "field_value": v, "operator": "overwrite"} for k, v in ctx.body["changes"].items()]
    return _apply(ctx, ctx.body["offer_ids"], fields)
