"""How much a control request may send: a middleware for the /_sandbox sub-application.

A snapshot PUT may send up to `snapshot_limit` bytes (`--control-max-body`, 64 MiB by default); every other
control request up to `default_limit` (1 MiB). A declared Content-Length over the limit is refused at once, before
a byte of the body is read; a body without one (chunked) is cut off as soon as it passes the limit. Both answer
413 in the control plane's JSON envelope, and the connection is closed rather than drained.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..config import DEFAULT_CONTROL_MAX_BODY
from ..core.pipeline import json_response

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

DEFAULT_LIMIT = 1024 * 1024
SNAPSHOT_LIMIT = DEFAULT_CONTROL_MAX_BODY


def _too_large(limit: int, what: str) -> web.Response:
    hint = " (raise it with --control-max-body)" if what == "A snapshot" else ""
    response = json_response(413, {"error": {"code": "payload_too_large",
                                             "message": f"{what} is larger than {limit} bytes{hint}"}})
    response.force_close()
    return response


class ControlBodyLimit:
    """The limits above, as an aiohttp middleware (`control_app.middlewares.append(ControlBodyLimit(...))`)."""

    def __init__(self, snapshot_limit: int = SNAPSHOT_LIMIT, default_limit: int = DEFAULT_LIMIT) -> None:
        if snapshot_limit < 1 or default_limit < 1:
            raise ValueError("body limits must be at least 1 byte")
        self.snapshot_limit = snapshot_limit
        self.default_limit = default_limit

    __middleware_version__ = 1  # what @web.middleware marks: a new-style middleware (aiohttp checks the object)

    async def __call__(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        snapshot = request.method == "PUT" and request.path.endswith("/snapshot")
        limit, what = (self.snapshot_limit, "A snapshot") if snapshot else (self.default_limit, "A control request")
        if request.content_length is not None and request.content_length > limit:
            return _too_large(limit, what)
        try:
            return await handler(request.clone(client_max_size=limit) if limit != request.client_max_size
                                 else request)
        except web.HTTPRequestEntityTooLarge:
            return _too_large(limit, what)
