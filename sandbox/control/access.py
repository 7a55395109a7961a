"""Who may use the control plane: a middleware for the /_sandbox sub-application.

With a control token (`--control-token` / SANDBOX_CONTROL_TOKEN) every control route but the open ones needs it,
as `Authorization: Bearer <token>` or `X-Sandbox-Token: <token>` (else 401). Without one, two checks stand in for
it, so a web page the developer happens to visit cannot drive a sandbox on localhost:
- a write (any method but GET/HEAD/OPTIONS) with a body must say it is JSON (else 415): browsers send cross-site
  form and text/plain posts without asking first, never JSON (a bodyless write is left to the Origin check);
- the Host header must name a loopback address, the bound host or an allowed one (`--control-hosts`), and an
  Origin header, when a browser sends one, must name the same host (else 403): this stops DNS rebinding.
Open paths (health, the webhook inbox) skip all of it: health is what probes call, the inbox takes whatever a
webhook sender posts.
"""
from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

from aiohttp import web

from ..core.pipeline import json_response

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CONTROL_PREFIX = "/_sandbox"
OPEN_ROUTES: frozenset[tuple[str, str]] = frozenset({("GET", "/health"), ("HEAD", "/health")})
"""(method, path under /_sandbox) that need no token and pass no check."""
OPEN_PREFIXES: tuple[str, ...] = ("/inbox/",)
"""Paths under /_sandbox that are open to every method, body type and host: the built-in webhook receiver."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::", "*"})


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return json_response(status, {"error": {"code": code, "message": message}}, headers)


def is_loopback(host: str) -> bool:
    """A loopback name or address (127.0.0.0/8, ::1)."""
    name = host.strip("[]").lower().rstrip(".")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _hostname(authority: str) -> str:
    """The host of a Host header value (`example.com:8080`, `[::1]:80`), lower-cased, without port."""
    try:
        return (urlsplit("//" + authority).hostname or "").rstrip(".")
    except ValueError:  # a malformed port or bracket
        return ""


def is_open(method: str, path: str) -> bool:
    """Whether a control path (under /_sandbox) skips the token and every check."""
    relative = path.removeprefix(CONTROL_PREFIX)
    return (method, relative) in OPEN_ROUTES or relative.startswith(OPEN_PREFIXES)


def startup_warning(host: str, token: str | None) -> str | None:
    """The warning to print when the server binds a non-loopback address without a control token."""
    if token or is_loopback(host):
        return None
    return (f"listening on {host or 'every address'} without a control token: anyone who reaches this port can "
            "read and change every tenant through /_sandbox; set --control-token (SANDBOX_CONTROL_TOKEN)")


class ControlAccess:
    """The checks above, as an aiohttp middleware (`control_app.middlewares.append(ControlAccess(...))`)."""

    def __init__(self, token: str | None = None, bound_host: str = "127.0.0.1",
                 allowed_hosts: Iterable[str] = ()) -> None:
        self.token = token or None
        hosts = {h.strip().lower().rstrip(".") for h in allowed_hosts if h.strip()}
        self.any_host = "*" in hosts
        if bound_host.lower() not in WILDCARD_HOSTS:
            hosts.add(bound_host.strip("[]").lower())
        self.allowed_hosts = frozenset(hosts - {"*"})

    __middleware_version__ = 1  # what @web.middleware marks: a new-style middleware (aiohttp checks the object)

    async def __call__(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_open(request.method, request.path):
            return await handler(request)
        refusal = self._with_token(request) if self.token else self._without_token(request)
        if refusal is not None:
            return refusal
        return await handler(request)

    def _with_token(self, request: web.Request) -> web.Response | None:
        offered = request.headers.get("X-Sandbox-Token")
        if offered is None:
            scheme, _, value = request.headers.get("Authorization", "").strip().partition(" ")
            offered = value.strip() if scheme.lower() == "bearer" else None
        if offered is None:
            return _error(401, "unauthorized", "The control plane needs its token: send Authorization: Bearer "
                          "<token> or X-Sandbox-Token: <token>", {"WWW-Authenticate": 'Bearer realm="_sandbox"'})
        if not hmac.compare_digest(offered.encode("utf-8", "replace"), str(self.token).encode("utf-8")):
            return _error(401, "unauthorized", "The control token is wrong",
                          {"WWW-Authenticate": 'Bearer realm="_sandbox", error="invalid_token"'})
        return None

    def _without_token(self, request: web.Request) -> web.Response | None:
        host_header = request.headers.get("Host")
        host = _hostname(host_header) if host_header is not None else None
        if host is not None and not self._host_allowed(host):
            return _error(403, "forbidden_host", f"Host {host_header!r} may not use the control plane; use a "
                          "loopback address, allow the host with --control-hosts, or set --control-token")
        origin = request.headers.get("Origin")
        if origin is not None:
            origin_host = urlsplit(origin).hostname if origin.lower() != "null" else None
            if origin_host is None or not (origin_host == host or self._host_allowed(origin_host)):
                return _error(403, "forbidden_origin", f"Origin {origin!r} may not use the control plane")
        if request.method not in SAFE_METHODS and request.body_exists and not _is_json(request.content_type):
            return _error(415, "unsupported_media_type",
                          f"Control requests with a body must send Content-Type: application/json, "
                          f"not {request.content_type!r}")
        return None

    def _host_allowed(self, host: str) -> bool:
        return self.any_host or is_loopback(host) or host in self.allowed_hosts


def _is_json(content_type: str) -> bool:
    kind = content_type.lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))
