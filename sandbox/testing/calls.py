"""The control plane's calls, described once as data and executed by either client (sync or async).

Each function returns a `Call`: method, path under `/_sandbox`, JSON body, query, and how to read the answer.
`SandboxClient` and `AsyncSandboxClient` only move bytes; everything about the API lives here, so the two
clients cannot drift apart. A call whose route a server may not have yet (the journal, faults, deliveries, the
inbox) names the feature: a 404/405 saying the server has no such route then raises `NotImplementedError` saying
so. A route's own 404 (`fault_not_found`, `request_not_found`, ...) is a `SandboxControlError` like any other.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from urllib.parse import quote, urlencode

from .errors import SandboxControlError

T = TypeVar("T")
JSON = Any
PREFIX = "/_sandbox"
# The codes of a server that has no such route: the control plane's own 404/405, or a bare one (an older server,
# a proxy). Any other code comes from the route itself: the tenant, fault or delivery named is what is missing.
NO_ROUTE_CODES = frozenset({"not_found", "method_not_allowed", "http_404", "http_405"})


@dataclass(frozen=True)
class Health:
    status: str
    vendors: list[str]
    raw: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class TenantInfo:
    """A tenant as the control plane describes it. `keys` holds one key per vendor (the one to use);
    `all_keys` every key the tenant has (a fixture may give several)."""

    id: str
    seed: int
    keys: dict[str, str]
    all_keys: dict[str, list[str]]
    now: str | None
    clock: str | None
    raw: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class ClockInfo:
    tenant: str
    now: str
    frozen: bool


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str  # under /_sandbox
    decode: Callable[[JSON], T]
    body: JSON = None
    query: Mapping[str, str] = field(default_factory=dict)
    feature: str | None = None  # set for routes a server may lack (see the module docstring)


def tenant_path(tenant: str) -> str:
    """`/tenants/<id>` with the id quoted for a path (ids and `key:<api key>` references alike)."""
    if not isinstance(tenant, str) or not tenant:
        raise ValueError(f"a tenant id must be a non-empty string, not {tenant!r}")
    return "/tenants/" + quote(tenant, safe=":")


def segment(value: str, what: str) -> str:
    """One path segment (a fault's, a delivery's, a request's id), quoted whole."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string, not {value!r}")
    return quote(value, safe="")


def by_key(api_key: str) -> str:
    """The tenant reference that finds a tenant by one of its API keys (`key:<api key>`)."""
    if not api_key:
        raise ValueError("an API key must be a non-empty string")
    return "key:" + api_key


def instant_text(instant: str | datetime) -> str:
    """An ISO-8601 instant; a naive datetime is taken as UTC."""
    if isinstance(instant, datetime):
        moment = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(instant, str) and instant:
        return instant
    raise ValueError(f"an instant must be an ISO-8601 string or a datetime, not {instant!r}")


def control_token(token: str | None) -> str | None:
    """The token to send: the argument, else $SANDBOX_CONTROL_TOKEN, else none."""
    chosen = token if token is not None else os.environ.get("SANDBOX_CONTROL_TOKEN", "")
    return chosen.strip() or None


def base_url(url: str) -> str:
    """The server's root URL without a trailing slash; refuses anything but http(s)://host[:port][/prefix]."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url.split("/", 3)[2]) == 0:
        raise ValueError(f"a sandbox URL looks like http://127.0.0.1:8080, not {url!r}")
    return url.rstrip("/")


def prepare(call: Call[Any], token: str | None) -> tuple[str, dict[str, str], bytes | None]:
    """The path (with query) under the server root, the headers and the body bytes of a call."""
    path = PREFIX + call.path + (("?" + urlencode(dict(call.query))) if call.query else "")
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if call.method != "GET":  # every control write is JSON, even an empty one (see the control plane's access rules)
        headers["Content-Type"] = "application/json"
        data = json.dumps(call.body).encode() if call.body is not None else b""
    return path, headers, data


def read_answer(call: Call[T], status: int, raw: bytes) -> T:
    """Decode a 2xx answer, or raise `SandboxControlError` (`NotImplementedError` for a feature the server lacks)."""
    text = raw.decode("utf-8", "replace")
    try:
        body = json.loads(text) if text.strip() else None
    except ValueError:
        body = None
    if 200 <= status < 300:
        try:
            return call.decode(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise SandboxControlError(status, "unexpected_answer",
                                      f"{call.method} {PREFIX}{call.path} answered {text[:200]!r}: {exc}",
                                      body=body) from exc
    error = SandboxControlError.from_answer(status, body, text)
    if call.feature and status in (404, 405) and error.code in NO_ROUTE_CODES:
        raise NotImplementedError(f"this sandbox has no {call.feature}: {call.method} {PREFIX}{call.path} "
                                  f"answered {status} {error.code}") from error
    raise error


# -- decoders -------------------------------------------------------------------------------------------------

def _object(body: JSON) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ValueError(f"expected a JSON object from the control plane, got {type(body).__name__}")
    return body


def _health(body: JSON) -> Health:
    obj = _object(body)
    return Health(status=str(obj.get("status")), vendors=list(obj.get("vendors", [])), raw=obj)


def tenant_info(body: JSON) -> TenantInfo:
    """Read a tenant from either shape: create's `{"keys": {vendor: key}}` or describe's `{vendor: [keys]}`."""
    obj = _object(body)
    all_keys = {vendor: ([keys] if isinstance(keys, str) else list(keys))
                for vendor, keys in dict(obj.get("keys") or {}).items()}
    return TenantInfo(id=str(obj["id"]), seed=int(obj.get("seed", 0)),
                      keys={vendor: keys[0] for vendor, keys in all_keys.items() if keys},
                      all_keys=all_keys, now=obj.get("now"), clock=obj.get("clock"), raw=obj)


def _tenant_list(body: JSON) -> list[TenantInfo]:
    return [tenant_info(item) for item in _object(body).get("data", [])]


def _clock(body: JSON) -> ClockInfo:
    obj = _object(body)
    return ClockInfo(tenant=str(obj["id"]), now=str(obj["now"]), frozen=bool(obj["frozen"]))


def _nothing(body: JSON) -> None:
    return None


def _as_is(body: JSON) -> JSON:
    return body


def _data_list(body: JSON) -> list[dict[str, Any]]:
    obj = _object(body)
    return list(obj.get("data", []))


def _deleted(body: JSON) -> int:
    return int(_object(body)["deleted"])


def _reset_ids(body: JSON) -> list[str]:
    return [str(t) for t in _object(body).get("reset", [])]


# -- calls ----------------------------------------------------------------------------------------------------

def health() -> Call[Health]:
    return Call("GET", "/health", _health)


def list_tenants() -> Call[list[TenantInfo]]:
    return Call("GET", "/tenants", _tenant_list)


def create_tenant(seed: int | None = None, clock: str | None = None) -> Call[TenantInfo]:
    """`clock` is `real` or `frozen:<ISO-8601>`; unset, the server's `--clock` decides."""
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ValueError(f"seed must be an integer, not {seed!r}")
    body: dict[str, Any] = {}
    if seed is not None:
        body["seed"] = seed
    if clock is not None:
        body["clock"] = clock
    return Call("POST", "/tenants", tenant_info, body=body)


def get_tenant(tenant: str) -> Call[TenantInfo]:
    return Call("GET", tenant_path(tenant), tenant_info)


def delete_tenant(tenant: str) -> Call[None]:
    return Call("DELETE", tenant_path(tenant), _nothing)


def reset_tenant(tenant: str) -> Call[list[str]]:
    """Back to its fixtures, clock and seed: this tenant only (the global reset is deliberately absent)."""
    return Call("POST", "/reset", _reset_ids, query={"tenant": tenant})


def advance_clock(tenant: str, seconds: float) -> Call[ClockInfo]:
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
        raise ValueError(f"seconds must be a non-negative number, not {seconds!r}")
    return Call("POST", tenant_path(tenant) + "/clock", _clock, body={"advance": seconds})


def set_clock(tenant: str, instant: str | datetime) -> Call[ClockInfo]:
    return Call("POST", tenant_path(tenant) + "/clock", _clock, body={"set": instant_text(instant)})


def freeze_clock(tenant: str, at: str | datetime | None = None) -> Call[ClockInfo]:
    """Stop this tenant's clock (at its current instant, or at `at`)."""
    body = {} if at is None else {"at": instant_text(at)}
    return Call("POST", tenant_path(tenant) + "/clock/freeze", _clock, body=body, feature="per-tenant freeze")


def unfreeze_clock(tenant: str) -> Call[ClockInfo]:
    """Let this tenant's clock run again, from the instant it shows."""
    return Call("POST", tenant_path(tenant) + "/clock/unfreeze", _clock, body={}, feature="per-tenant freeze")


def snapshot(tenant: str) -> Call[dict[str, Any]]:
    return Call("GET", tenant_path(tenant) + "/snapshot", _object)


def restore(tenant: str, state: Mapping[str, Any]) -> Call[TenantInfo]:
    return Call("PUT", tenant_path(tenant) + "/snapshot", tenant_info, body=dict(state))


def actions() -> Call[list[dict[str, Any]]]:
    return Call("GET", "/actions", _data_list)


def action(tenant: str, vendor: str, path: str, body: Mapping[str, Any] | None = None,
           method: str = "POST") -> Call[JSON]:
    """A vendor simulation: `/_sandbox/tenants/{id}/<vendor>/<path>` (see `GET /_sandbox/actions`)."""
    if not vendor or "/" in vendor:
        raise ValueError(f"vendor must be a vendor name, not {vendor!r}")
    return Call(method.upper(), f"{tenant_path(tenant)}/{vendor}/{path.lstrip('/')}", _as_is,
                body=None if method.upper() == "GET" else dict(body or {}))


def set_rate_limit(tenant: str, vendor: str, key: str, remaining: int) -> Call[dict[str, Any]]:
    """Set what is left of a key's rate-limit budget in its current window (0: the next call is a 429)."""
    if not isinstance(remaining, int) or isinstance(remaining, bool) or remaining < 0:
        raise ValueError(f"remaining must be a non-negative integer, not {remaining!r}")
    return Call("POST", tenant_path(tenant) + "/rate-limits", _object,
                body={"vendor": vendor, "key": key, "remaining": remaining}, feature="rate-limit budgets")


# Routes of the journal, faults and webhooks work. A server without them answers 404/405, which raises
# NotImplementedError naming the feature.

def requests(tenant: str, **filters: str | int) -> Call[list[dict[str, Any]]]:
    """The tenant's request journal (filters: vendor, operation, status, since, limit)."""
    return Call("GET", tenant_path(tenant) + "/requests", _data_list,
                query={k: str(v) for k, v in filters.items()}, feature="request journal")


def clear_requests(tenant: str) -> Call[int]:
    """Empty the tenant's request journal; answers how many entries it dropped."""
    return Call("DELETE", tenant_path(tenant) + "/requests", _deleted, feature="request journal")


def explain_request(request_id: str) -> Call[dict[str, Any]]:
    """The journal entry of one vendor response's `X-Sandbox-Request-Id`, with its `explanation`."""
    return Call("GET", "/requests/" + segment(request_id, "a request id"), _object, feature="request journal")


def list_faults(tenant: str) -> Call[list[dict[str, Any]]]:
    return Call("GET", tenant_path(tenant) + "/faults", _data_list, feature="fault injection")


def add_fault(tenant: str, fault: Mapping[str, Any]) -> Call[dict[str, Any]]:
    return Call("POST", tenant_path(tenant) + "/faults", _object, body=dict(fault), feature="fault injection")


def get_fault(tenant: str, fault_id: str) -> Call[dict[str, Any]]:
    """One fault, with how often it fired and how often it may still fire."""
    return Call("GET", f"{tenant_path(tenant)}/faults/{segment(fault_id, 'a fault id')}", _object,
                feature="fault injection")


def delete_fault(tenant: str, fault_id: str) -> Call[None]:
    return Call("DELETE", f"{tenant_path(tenant)}/faults/{segment(fault_id, 'a fault id')}", _nothing,
                feature="fault injection")


def clear_faults(tenant: str) -> Call[int]:
    """Remove every fault of the tenant; answers how many there were."""
    return Call("DELETE", tenant_path(tenant) + "/faults", _deleted, feature="fault injection")


def list_webhooks(tenant: str, vendor: str | None = None) -> Call[list[dict[str, Any]]]:
    """The tenant's webhook endpoints (every vendor's, or `vendor`'s), secrets included."""
    return Call("GET", tenant_path(tenant) + "/webhooks", _data_list,
                query={} if vendor is None else {"vendor": vendor}, feature="webhook endpoints")


def add_webhook(tenant: str, vendor: str, url: str, events: list[str],
                secret: str | None = None) -> Call[dict[str, Any]]:
    """Register an endpoint for the vendor's `events` (the vendor's own event names)."""
    if isinstance(events, str):  # one event name is a list of one, not a list of characters
        raise ValueError(f"events must be a list of event names, not the string {events!r}")
    body: dict[str, Any] = {"vendor": vendor, "url": url, "events": list(events)}
    if secret is not None:
        body["secret"] = secret
    return Call("POST", tenant_path(tenant) + "/webhooks", _object, body=body, feature="webhook endpoints")


def delete_webhook(tenant: str, webhook_id: str) -> Call[None]:
    return Call("DELETE", f"{tenant_path(tenant)}/webhooks/{segment(webhook_id, 'a webhook id')}", _nothing,
                feature="webhook endpoints")


def deliveries(tenant: str, **filters: str) -> Call[list[dict[str, Any]]]:
    """Outbound webhook deliveries (filters: vendor, event, state)."""
    return Call("GET", tenant_path(tenant) + "/deliveries", _data_list, query=dict(filters),
                feature="webhook deliveries")


def get_delivery(tenant: str, delivery_id: str) -> Call[dict[str, Any]]:
    return Call("GET", f"{tenant_path(tenant)}/deliveries/{segment(delivery_id, 'a delivery id')}", _object,
                feature="webhook deliveries")


def redeliver(tenant: str, delivery_id: str) -> Call[dict[str, Any]]:
    """Send a delivery again now; answers the delivery after that attempt."""
    return Call("POST", f"{tenant_path(tenant)}/deliveries/{segment(delivery_id, 'a delivery id')}/redeliver",
                _object, body={}, feature="webhook deliveries")


def inbox(name: str) -> Call[list[dict[str, Any]]]:
    """What the built-in inbox `/_sandbox/inbox/<name>` received."""
    return Call("GET", "/inbox/" + segment(name, "an inbox name"), _data_list, feature="webhook inbox")


def empty_inbox(name: str) -> Call[int]:
    """Empty the built-in inbox `<name>`; answers how many requests it dropped."""
    return Call("DELETE", "/inbox/" + segment(name, "an inbox name"), _deleted, feature="webhook inbox")
