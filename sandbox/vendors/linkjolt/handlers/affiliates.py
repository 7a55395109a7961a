"""GET|POST /affiliates, POST /affiliates/invite, GET|PATCH /affiliates/{id}."""
from __future__ import annotations

from collections.abc import Iterable

from ....core.context import RequestContext
from ....core.errors import ApiError, Conflict
from ....core.store import Page, paginate_lazily
from ..errors import duplicate, invalid_transition
from ..models import Record, invitation_out, membership_out, money, new_id, tracking_link, visible
from ..state import membership_id
from .common import HANDLERS, now_iso, require_affiliate, require_campaign, state_of


def _rows(ctx: RequestContext, memberships: Iterable[Record]) -> list[Record]:
    """GET /affiliates rows: each membership plus clicks, conversions and earnings on that campaign.

    A list's hot loop (ten rows a page), so the lookups are bound once per page."""
    state, test = state_of(ctx), ctx.key.test_mode
    affiliates, campaigns, row_stats = state.affiliates, state.campaigns, state.row_stats
    rows = []
    for membership in memberships:
        affiliate_id, campaign_id = membership["affiliateId"], membership["campaignId"]
        row = membership_out(affiliates[affiliate_id], membership, campaigns[campaign_id])
        conversions, earnings = row_stats(affiliate_id, campaign_id, test)
        row["clicks"] = membership.get("clicks", 0)
        row["conversions"] = conversions
        row["earnings"] = money(earnings)
        rows.append(row)
    return rows


@HANDLERS.operation("listAffiliates")
def list_affiliates(ctx: RequestContext) -> Page:
    """Memberships in a kept order, read only up to the page's end; the total comes from running counts.

    Sorted by joinedAt, or by the affiliate's name or email (ties: affiliate id, then insertion order)."""
    state, q, test = state_of(ctx), ctx.query, ctx.key.test_mode
    campaign_id, status = q.get("campaignId"), q.get("status")

    def wanted(m: Record) -> bool:
        return ((campaign_id is None or m["campaignId"] == campaign_id)
                and (status is None or m["status"] == status) and visible(m, ctx.key))

    def counted(key: tuple) -> bool:  # a `rows` total's key: (campaignId, status, isTest)
        return ((campaign_id is None or key[0] == campaign_id) and (status is None or key[1] == status)
                and (test or not key[2]))

    field, _, direction = str(q["sort"]).partition(":")
    descending = direction == "desc"
    if field == "joinedAt":
        memberships = state.memberships.ordered("joinedAt", descending)
    else:  # name or email: the affiliate's, each affiliate's memberships in insertion order
        memberships = (m for a in state.affiliates.ordered(field, descending) for m in state.memberships_of(a["id"]))
    total = int(state.memberships.total_over("rows", counted))
    page = paginate_lazily(filter(wanted, memberships), q["page"], q["limit"], total)
    return Page(_rows(ctx, page.items), page.page, page.limit, page.total)


@HANDLERS.operation("getAffiliate")
def get_affiliate(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    affiliate = require_affiliate(ctx, ctx.path["id"])
    campaigns = []
    for m in sorted(state.memberships_of(affiliate["id"]), key=lambda m: (m["joinedAt"], m["campaignId"])):
        campaign = state.campaigns[m["campaignId"]]
        campaigns.append({"campaignId": campaign["id"], "campaignName": campaign["name"], "status": m["status"],
                          "trackingLink": tracking_link(campaign, affiliate["id"]), "joinedAt": m["joinedAt"]})
    totals = {"pending": 0, "approved": 0, "paid": 0}
    for c in state.conversions.group("affiliate", affiliate["id"]):
        if c["status"] in totals and visible(c, ctx.key):
            totals[c["status"]] += c["commissionCents"]
    return {
        "id": affiliate["id"], "name": affiliate["name"], "email": affiliate["email"],
        "createdVia": affiliate["createdVia"], "isTest": bool(affiliate.get("isTest")),
        # documented: the create response's trackingLink "is also returned by GET /api/v1/affiliates/:id";
        # with several campaigns it is the first-joined one's (guess), with none "" (guess)
        "trackingLink": campaigns[0]["trackingLink"] if campaigns else "",
        "campaigns": campaigns,
        "earnings": {"total": money(sum(totals.values()))} | {k: money(v) for k, v in totals.items()},
    }


@HANDLERS.operation("createAffiliate")
def create_affiliate(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    campaign = require_campaign(ctx, body["campaignId"])
    existing = state.affiliates.find("email", body["email"])
    if existing is not None:
        raise duplicate("An affiliate with this email already exists", {"affiliateId": existing["id"]})
    now = now_iso(ctx)
    affiliate = {"id": new_id(ctx.random), "name": body["name"], "email": body["email"], "createdVia": "api",
                 "payoutMethod": "manual", "isTest": ctx.key.test_mode, "createdAt": now}
    membership = {"id": membership_id(affiliate["id"], campaign["id"]), "affiliateId": affiliate["id"],
                  "campaignId": campaign["id"], "status": "approved", "joinedAt": now, "clicks": 0,
                  "createdVia": "api", "isTest": ctx.key.test_mode}
    state.affiliates.insert(affiliate)
    state.memberships.insert(membership)
    ctx.emit("affiliate.joined", (affiliate, membership))  # guess: a direct create joins
    return membership_out(affiliate, membership, campaign)


@HANDLERS.operation("inviteAffiliate")
def invite_affiliate(ctx: RequestContext) -> Record:
    state, body = state_of(ctx), ctx.body
    campaign = require_campaign(ctx, body["campaignId"])
    person = state.affiliates.find("email", body["email"])
    if person is not None and state.membership(person["id"], campaign["id"]) is not None:
        raise duplicate("This person is already on the campaign", {"affiliateId": person["id"]})
    invitation = {"id": "inv_" + ctx.random.nanoid(16), "email": body["email"], "name": body.get("name"),
                  "campaignId": campaign["id"], "status": "pending", "isTest": ctx.key.test_mode,
                  "createdAt": now_iso(ctx)}
    try:
        state.invitations.insert(invitation)
    except Conflict as exc:
        raise duplicate("A pending invitation for this email and campaign already exists",
                        {"invitationId": exc.existing_id}) from exc
    return invitation_out(invitation)


@HANDLERS.operation("updateAffiliateStatus")
def update_affiliate_status(ctx: RequestContext) -> Record:
    """pending -> approved | rejected; the same status again is a no-op; a decided membership stays decided."""
    state, body = state_of(ctx), ctx.body
    affiliate = require_affiliate(ctx, ctx.path["id"])
    membership = state.membership(affiliate["id"], body["campaignId"])
    if membership is None:
        raise ApiError(404, "not_found", f"Affiliate {affiliate['id']} is not on campaign {body['campaignId']}")
    if membership["status"] != body["status"]:
        if membership["status"] != "pending":
            raise invalid_transition(
                f"Affiliate membership is {membership['status']} and cannot become {body['status']}")
        state.memberships.update(membership["id"], {"status": body["status"]})
        ctx.emit(f"affiliate.{body['status']}", (affiliate, membership))
    return _rows(ctx, (membership,))[0]
