"""The network itself: GET /networks, its settings (read-only) and its tracking domains."""
from __future__ import annotations

from ....core.context import RequestContext
from ..models import Record
from .common import HANDLERS, require, state_of

NETWORK_FIELDS = ("network_id", "name", "default_currency_id", "default_timezone_id", "default_language_id")


@HANDLERS.operation("getNetwork")
def get_network(ctx: RequestContext) -> Record:
    """The draft's fields; status, reporting_timezone_id and the feature flags are guesses."""
    state = state_of(ctx)
    network = state.network
    created = state.tracking_domains.get(1)  # only for a stable time; the network record has no times of its own
    return {**{k: network[k] for k in NETWORK_FIELDS}, "status": "active",
            "reporting_timezone_id": network["default_timezone_id"],
            "settings": {"tracking_domain": network["tracking_domain"]}, "feature_flags": {},
            "time_created": created["time_created"] if created else 0,
            "time_saved": created["time_saved"] if created else 0}


@HANDLERS.operation("getNetworkSettings")
def get_settings(ctx: RequestContext) -> Record:
    network = state_of(ctx).network
    return {k: network[k] for k in NETWORK_FIELDS if k != "name"} | {"tracking_domain": network["tracking_domain"]}


@HANDLERS.operation("getAffiliatePortalSettings")
def get_affiliate_portal(ctx: RequestContext) -> Record:
    """The signup form's custom fields come under relationship.custom_fields (laravel-everflow reads them there)."""
    portal = dict(state_of(ctx).settings.get("affiliate_portal") or {})
    fields = portal.pop("custom_fields", [])
    return portal | {"relationship": {"custom_fields": [dict(f) for f in fields]}}


@HANDLERS.operation("getAdvertiserPortalSettings")
def get_advertiser_portal(ctx: RequestContext) -> Record:
    return dict(state_of(ctx).settings.get("advertiser_portal") or {})


@HANDLERS.operation("getNetworkAddress")
def get_address(ctx: RequestContext) -> Record:
    return dict(state_of(ctx).settings.get("address") or {})


@HANDLERS.operation("getNetworkBilling")
def get_billing(ctx: RequestContext) -> Record:
    return dict(state_of(ctx).settings.get("billing") or {})


def tracking_domain_out(domain: Record) -> Record:
    return {k: domain[k] for k in ("network_tracking_domain_id", "network_id", "domain", "status", "is_default",
                                   "time_created", "time_saved")}


@HANDLERS.operation("listTrackingDomains")
@HANDLERS.operation("listTrackingDomainsLegacy")
def list_tracking_domains(ctx: RequestContext) -> Record:
    return {"tracking_domains": [tracking_domain_out(d) for d in state_of(ctx).tracking_domains]}


@HANDLERS.operation("getTrackingDomain")
def get_tracking_domain(ctx: RequestContext) -> Record:
    return tracking_domain_out(require(state_of(ctx).tracking_domains, ctx.path["domainId"], "Tracking domain"))
