"""SandboxClient (sync) and AsyncSandboxClient against a real server: every call, its answer and its errors."""
from __future__ import annotations

import socket
from datetime import datetime

import pytest
import requests

from sandbox.testing import (
    AsyncSandboxClient,
    SandboxClient,
    SandboxControlError,
    SandboxTenant,
    by_key,
)
from sandbox.testing.calls import Call, prepare

from ..conftest import FROZEN_AT

# Harness tests: the vendor calls they make say nothing about any operation's behaviour (not counted in
# docs/coverage.md).
pytestmark = pytest.mark.generic
VENDORS = ["linkjolt", "promotekit", "tamio", "everflow"]


@pytest.fixture
def control(server_url: str) -> SandboxClient:
    return SandboxClient(server_url)


def test_health(control: SandboxClient) -> None:
    health = control.health()
    assert (health.status, health.vendors) == ("ok", VENDORS)


def test_tenant_lifecycle(control: SandboxClient) -> None:
    created = control.create_tenant(seed=42)
    assert created.seed == 42
    assert sorted(created.keys) == sorted(VENDORS)
    assert created.keys["linkjolt"].startswith("lj_pk_")
    fetched = control.tenant(created.id)
    assert (fetched.id, fetched.keys, fetched.clock, fetched.now) == (created.id, created.keys, "frozen", FROZEN_AT)
    assert created.id in [t.id for t in control.tenants()]
    control.delete_tenant(created.id)
    with pytest.raises(SandboxControlError) as caught:
        control.tenant(created.id)
    assert (caught.value.status, caught.value.code) == (404, "tenant_not_found")
    assert caught.value.message == f"No tenant {created.id!r}"


def test_clock(control: SandboxClient) -> None:
    tenant = control.create_tenant().id
    moved = control.advance(tenant, 90)
    assert (moved.tenant, moved.now, moved.frozen) == (tenant, "2026-06-15T12:01:30Z", True)
    assert control.set_time(tenant, datetime(2027, 1, 2, 3, 4, 5)).now == "2027-01-02T03:04:05Z"
    assert control.set_time(tenant, "2028-02-29T00:00:00+01:00").now == "2028-02-28T23:00:00Z"
    assert control.tenant("default").now == FROZEN_AT  # another tenant's clock did not move


def test_tenant_controls(server_url: str, control: SandboxClient) -> None:
    info = control.create_tenant(clock="frozen:2030-01-01T00:00:00Z")
    tenant = SandboxTenant(control, info)
    assert tenant.refresh().now == "2030-01-01T00:00:00Z"
    assert tenant.unfreeze().frozen is False
    assert tenant.freeze("2031-01-01T00:00:00Z").now == "2031-01-01T00:00:00Z"
    assert control.tenant(by_key(tenant.key("tamio"))).id == tenant.id
    budget = tenant.set_rate_limit("everflow", 0)
    assert [limit["remaining"] for limit in budget["limits"]] == [0]
    answer = requests.get(tenant.base_url("everflow") + "/networks/affiliates", headers=tenant.headers("everflow"),
                          timeout=10)
    assert (answer.status_code, answer.json()) == (429, {"error": "Too Many Requests"})
    with pytest.raises(SandboxControlError) as caught:
        tenant.set_rate_limit("everflow", 0, key="ef_not_this_tenants_key")
    assert (caught.value.status, caught.value.code, caught.value.field) == (400, "invalid_body", "key")
    with pytest.raises(SandboxControlError) as caught:  # Tamio limits only the keys its fixtures say
        tenant.set_rate_limit("tamio", 0)
    assert (caught.value.status, caught.value.field) == (400, "key")
    assert "tamio applies no rate limit" in caught.value.message


def test_reset_snapshot_restore_one_tenant(server_url: str, control: SandboxClient) -> None:
    tenant = control.create_tenant()
    api = tenant.keys["linkjolt"]
    base = server_url + "/linkjolt/api/v1/affiliates"
    headers = {"Authorization": f"Bearer {api}"}

    def emails() -> list[str]:
        return [a["email"] for a in requests.get(base, headers=headers, timeout=10).json()["data"]]

    before = emails()
    saved = control.snapshot(tenant.id)
    created = requests.post(base, headers=headers, timeout=10, json={
        "email": "ada@example.com", "name": "Ada", "campaignId": "camp_percentage_00001"})
    assert created.status_code == 201
    assert sorted(emails()) == sorted([*before, "ada@example.com"])
    assert control.restore(tenant.id, saved).id == tenant.id
    assert emails() == before
    requests.post(base, headers=headers, timeout=10, json={
        "email": "bob@example.com", "name": "Bob", "campaignId": "camp_percentage_00001"})
    assert control.reset_tenant(tenant.id) == [tenant.id]
    assert emails() == before


def test_actions(control: SandboxClient) -> None:
    tenant = control.create_tenant().id
    listed = {(a["vendor"], a["method"], a["path"]) for a in control.actions()}
    assert ("linkjolt", "POST", "/_sandbox/tenants/{id}/linkjolt/payouts/run") in listed
    first = control.action(tenant, "linkjolt", "payouts/run")
    assert sorted(first) == ["paid"]
    assert control.action(tenant, "linkjolt", "/payouts/run") == {"paid": []}  # all paid by the first run
    with pytest.raises(SandboxControlError) as caught:
        control.action(tenant, "linkjolt", "invitations/inv_missing/accept")
    assert (caught.value.status, caught.value.code, caught.value.message) == (
        404, "not_found", "Invitation inv_missing not found")


def test_server_refusal_is_one_error_with_status_code_message(control: SandboxClient) -> None:
    with pytest.raises(SandboxControlError) as caught:
        control.call(Call("POST", "/tenants", lambda body: body, body={"seed": "x"}))
    assert (caught.value.status, caught.value.code) == (400, "invalid_body")
    assert "seed" in caught.value.message
    with pytest.raises(SandboxControlError) as caught:
        control.call(Call("POST", "/tenants/default/clock", lambda body: body, body={}))
    assert (caught.value.status, caught.value.code) == (400, "invalid_body")


def test_bad_arguments_are_refused_before_any_call(control: SandboxClient) -> None:
    with pytest.raises(ValueError, match="seed must be an integer"):
        control.create_tenant(seed="42")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-negative"):
        control.advance("default", -1)
    with pytest.raises(ValueError, match="tenant id"):
        control.tenant("")
    with pytest.raises(ValueError, match="http://127.0.0.1:8080"):
        SandboxClient("localhost:8080")
    with pytest.raises(ValueError, match="timeout"):
        SandboxClient("http://127.0.0.1:8080", timeout=0)


def test_an_answer_without_the_envelope_still_gives_status_and_code(control: SandboxClient) -> None:
    with pytest.raises(SandboxControlError) as caught:
        control.call(Call("GET", "/no-such-route", lambda body: body))
    assert caught.value.status == 404 and caught.value.code and caught.value.message
    plain = SandboxControlError.from_answer(502, None, "<html>Bad Gateway</html>")
    assert (plain.status, plain.code, plain.message, str(plain)) == (
        502, "http_502", "<html>Bad Gateway</html>", "502 http_502: <html>Bad Gateway</html>")
    named = SandboxControlError.from_answer(400, {"error": {"code": "invalid_body", "message": "m", "field": "seed"}},
                                            "")
    assert (named.code, named.field, str(named)) == ("invalid_body", "seed", "400 invalid_body: m (field seed)")


def test_features_the_server_lacks_say_so(control: SandboxClient) -> None:
    tenant = control.create_tenant().id
    assert control.requests(tenant, vendor="linkjolt") == []  # the journal exists now: answered, empty
    with pytest.raises(SandboxControlError) as missing:  # a route the server has: the tenant is what is missing
        control.freeze("t_nobody")
    assert missing.value.code == "tenant_not_found"
    assert control.faults(tenant) == []  # fault injection exists now
    assert control.inbox("mine") == []  # a route the server has (the webhooks work): answered, not refused
    assert control.deliveries(tenant) == []


def test_unreachable_server() -> None:
    with socket.socket() as probe:  # a port nobody listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
        with pytest.raises(SandboxControlError) as caught:
            SandboxClient(url, timeout=2).health()
    assert (caught.value.status, caught.value.code) == (0, "unreachable")
    assert url in caught.value.message


def test_token_from_argument_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_CONTROL_TOKEN", "from-env")
    assert SandboxClient("http://127.0.0.1:1").token == "from-env"
    assert SandboxClient("http://127.0.0.1:1", token="given").token == "given"
    _, headers, data = prepare(Call("POST", "/tenants", lambda body: body, body={}), "given")
    assert (headers["Authorization"], headers["Content-Type"], data) == ("Bearer given", "application/json", b"{}")
    monkeypatch.delenv("SANDBOX_CONTROL_TOKEN")
    _, headers, data = prepare(Call("GET", "/health", lambda body: body), SandboxClient("http://h:1").token)
    assert "Authorization" not in headers and data is None


async def test_async_client(server_url: str) -> None:
    async with AsyncSandboxClient(server_url) as control:
        assert (await control.health()).vendors == VENDORS
        tenant = await control.create_tenant(seed=7)
        assert (await control.advance(tenant.id, 60)).now == "2026-06-15T12:01:00Z"
        assert await control.action(tenant.id, "linkjolt", "payouts/run") == control_sync_payouts(server_url)
        await control.delete_tenant(tenant.id)
        with pytest.raises(SandboxControlError) as caught:
            await control.tenant(tenant.id)
        assert (caught.value.status, caught.value.code) == (404, "tenant_not_found")
        assert isinstance(await control.requests("default"), list)  # the journal exists now


def control_sync_payouts(server_url: str) -> object:
    """What a payout run answers in a fresh tenant (seed 7, clock a minute on), through the sync client."""
    control = SandboxClient(server_url)
    tenant = control.create_tenant(seed=7).id
    control.advance(tenant, 60)
    try:
        return control.action(tenant, "linkjolt", "payouts/run")
    finally:
        control.delete_tenant(tenant)
