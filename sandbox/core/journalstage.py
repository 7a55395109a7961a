"""The journal stage: at the pipeline's `journal` slot (after the response is made), every vendor request is
recorded in its tenant's journal, or in the app's own when it reached no tenant (see `journal`)."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from aiohttp import web

from .faultstage import unanswered
from .journal import JOURNALS, Journals, operation_info

if TYPE_CHECKING:
    from .pipeline import (
        CompiledOperation,
        Exchange,
        PipelineHooks,
        Stage,
        VendorPipeline,
    )


def _arrived_body(request: web.Request) -> bytes | None:
    """A body the pipeline did not read (it refused the request first): what has fully arrived, never waited
    for; else None."""
    if not request.body_exists:
        return None
    content = request.content
    if not content.is_eof():
        return None
    return content.read_nowait()


class JournalStage:
    """Makes the `journal` stage of each operation (and of the router's own 404 and 405)."""

    def __init__(self, journals: Journals) -> None:
        self.journals = journals

    def __call__(self, pipeline: VendorPipeline, compiled: CompiledOperation | None) -> Stage:
        journals = self.journals
        server, index, defer = journals.server, journals.index, journals.defer
        registry = pipeline.registry
        vendor_name = pipeline.vendor.name
        operation = None if compiled is None else operation_info(compiled.operation)
        perf_counter = time.perf_counter

        def journal(ex: Exchange) -> None:
            tenant = ex.tenant
            if tenant is None or tenant.provisional:
                owner, at, tenant_id = server, registry.default.clock.timestamp(), None
            else:
                now = ex.now
                owner, at, tenant_id = tenant.journal, tenant.clock.timestamp() if now is None else now, tenant.id
                if owner.index is not index:
                    owner.index, owner.settler = index, journals
            request = ex.request
            raw = ex.raw_body
            fault = ex.fault
            defer(owner, (ex.request_id, tenant_id, at, vendor_name, operation, request.method, request.raw_path,
                          request.raw_headers, raw if raw is not None else _arrived_body(request),
                          ex.status if fault is None or not unanswered(fault) else None, ex.headers, ex.body,
                          perf_counter() - ex.started, ex.decided_by, ex.reason, ex.decision, fault, None))

        return journal


def install_journal(app: web.Application, hooks: PipelineHooks) -> Journals:
    """Record every vendor request of `app`; `app[JOURNALS]` finds them by request id."""
    journals = app[JOURNALS] = Journals()
    hooks.add("journal", JournalStage(journals))
    return journals
