"""`--access-log`: one line per request; a vendor request's line says which tenant, operation, stage and error
code answered it, read from its journal entry (found by the response's `X-Sandbox-Request-Id`)."""
from __future__ import annotations

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from .journal import Journals

REQUEST_ID_HEADER = "X-Sandbox-Request-Id"


def access_logger(journals: Journals) -> type[AbstractAccessLogger]:
    """An access-logger class (for `web.AppRunner(access_log_class=...)`) that reads `journals`."""

    class JournalAccessLogger(AbstractAccessLogger):
        def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
            line = f'{request.remote or "-"} "{request.method} {request.path_qs}"'
            request_id = response.headers.get(REQUEST_ID_HEADER)
            entry = journals.find(request_id) if request_id else None
            if entry is None:
                self.logger.info("%s %s %.1fms", line, response.status, time * 1000)
                return
            status = "dropped" if entry.status is None else str(entry.status)
            self.logger.info("%s %s %.1fms tenant=%s op=%s.%s stage=%s code=%s id=%s", line, status, time * 1000,
                             entry.tenant or "-", entry.vendor, entry.operation_id or "-", entry.stage,
                             entry.reason or "-", entry.id)

    return JournalAccessLogger
