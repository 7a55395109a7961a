"""/agency/affiliate-programs: the white-label owner's view of its clients' programs."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import NOT_AUTHORISED, not_found, tamio_error
from ..models import Record, agency_program_out
from .common import HANDLERS, listing, page_of, state_of

ALREADY_APPROVED = 10317  # the new docs reuse it for "not currently approved" on decline


def _client_program(ctx: RequestContext) -> Record:
    """A program in the network: 1002 if unknown, 403 if its seller is not this agency's client."""
    program = state_of(ctx).agency_programs.get(ctx.path["uuid"])
    if program is None:
        raise not_found("Affiliate program")
    if not program["managed"]:
        raise tamio_error(NOT_AUTHORISED, "NotAuthorised: you cannot approve or decline this program")
    return program


@HANDLERS.operation("listAgencyAffiliatePrograms")
def list_agency_programs(ctx: RequestContext) -> Record:
    rows = state_of(ctx).agency_programs.filter(lambda p: p["managed"])
    return listing("programs", page_of(rows, ctx.query, "created_at"), agency_program_out)


@HANDLERS.operation("approveAgencyAffiliateProgram")
def approve_agency_program(ctx: RequestContext) -> Record:
    program = _client_program(ctx)
    if program["approved"]:
        raise tamio_error(ALREADY_APPROVED, "Affiliate program is already approved")
    state_of(ctx).agency_programs.update(program["id"], {"approved": True})
    return {"program": agency_program_out(program)}


@HANDLERS.operation("declineAgencyAffiliateProgram")
def decline_agency_program(ctx: RequestContext) -> Record:
    program = _client_program(ctx)
    if not program["approved"]:
        raise tamio_error(ALREADY_APPROVED, "Affiliate program is not currently approved")
    state_of(ctx).agency_programs.update(program["id"], {"approved": False})
    return {"program": agency_program_out(program)}
