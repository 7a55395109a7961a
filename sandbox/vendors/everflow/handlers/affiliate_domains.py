"""An affiliate's custom tracking domains: /networks/affiliates/{affiliateId}/trackingdomains[/{domainId}]."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import not_found
from ..models import Record
from .common import HANDLERS, invalid, now, require, require_affiliate, state_of
from .networks import tracking_domain_out


def _out(ctx: RequestContext, assignment: Record) -> Record:
    """The tracking domain, with the assignment's id and default flag (field names are guesses)."""
    domain = require(state_of(ctx).tracking_domains, assignment["network_tracking_domain_id"], "Tracking domain")
    return tracking_domain_out(domain) | {
        "network_affiliate_tracking_domain_id": assignment["network_affiliate_tracking_domain_id"],
        "network_affiliate_id": assignment["network_affiliate_id"], "is_default": assignment["is_default"],
        "time_created": assignment["time_created"], "time_saved": assignment["time_saved"]}


def _require(ctx: RequestContext, affiliate: Record) -> Record:
    record = state_of(ctx).affiliate_tracking_domains.get(ctx.path["domainId"])
    if record is None or record["network_affiliate_id"] != affiliate["network_affiliate_id"]:
        raise not_found("Tracking domain")
    return record


def _fields(ctx: RequestContext, affiliate: Record, body: Record, current_id: int | None = None) -> Record:
    """A known domain, not already assigned to this affiliate; a new default takes the flag off the others."""
    state = state_of(ctx)
    domain_id = body["network_tracking_domain_id"]
    if domain_id not in state.tracking_domains:
        raise invalid("network_tracking_domain_id", domain_id)
    for other in state.affiliate_tracking_domains.group("affiliate", affiliate["network_affiliate_id"]):
        taken = other["network_tracking_domain_id"] == domain_id
        if taken and other["network_affiliate_tracking_domain_id"] != current_id:
            raise invalid("network_tracking_domain_id", domain_id)
    return {"network_tracking_domain_id": domain_id, "is_default": body.get("is_default", False)}


def _one_default(ctx: RequestContext, assignment: Record) -> None:
    if not assignment["is_default"]:
        return
    state = state_of(ctx)
    own_id = assignment["network_affiliate_tracking_domain_id"]
    for other in state.affiliate_tracking_domains.group("affiliate", assignment["network_affiliate_id"]):
        other_id = other["network_affiliate_tracking_domain_id"]
        if other["is_default"] and other is not assignment and other_id != own_id:
            state.affiliate_tracking_domains.update(other_id, {"is_default": False})


@HANDLERS.operation("listAffiliateTrackingDomains")
def list_domains(ctx: RequestContext) -> Record:
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    rows = state_of(ctx).affiliate_tracking_domains.group("affiliate", affiliate["network_affiliate_id"])
    rows = sorted(rows, key=lambda r: r["network_affiliate_tracking_domain_id"])
    return {"tracking_domains": [_out(ctx, r) for r in rows]}


@HANDLERS.operation("getAffiliateTrackingDomain")
def get_domain(ctx: RequestContext) -> Record:
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    return _out(ctx, _require(ctx, affiliate))


@HANDLERS.operation("createAffiliateTrackingDomain")
def create_domain(ctx: RequestContext) -> Record:
    state, at = state_of(ctx), now(ctx)
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    record = {**_fields(ctx, affiliate, ctx.body), "network_id": state.network["network_id"],
              "network_affiliate_id": affiliate["network_affiliate_id"],
              "network_affiliate_tracking_domain_id": state.affiliate_tracking_domains.next_int_id(),
              "time_created": at, "time_saved": at}
    state.affiliate_tracking_domains.insert(record)
    _one_default(ctx, record)
    return _out(ctx, record)


@HANDLERS.operation("updateAffiliateTrackingDomain")
def update_domain(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    record = _require(ctx, affiliate)
    record_id = record["network_affiliate_tracking_domain_id"]
    record = state.affiliate_tracking_domains.update(
        record_id, {**_fields(ctx, affiliate, ctx.body, record_id), "time_saved": now(ctx)})
    _one_default(ctx, record)
    return _out(ctx, record)


@HANDLERS.operation("deleteAffiliateTrackingDomain")
def delete_domain(ctx: RequestContext) -> Record:
    affiliate = require_affiliate(ctx, ctx.path["affiliateId"])
    record = _require(ctx, affiliate)
    state_of(ctx).affiliate_tracking_domains.delete(record["network_affiliate_tracking_domain_id"])
    return {"result": True}
