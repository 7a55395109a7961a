"""The fault stage: at the pipeline's `fault` slot (after authorize, before the response cache), a tenant's
fault that matches the call answers for the vendor, delays it, or drops the connection (see `faults`).

Until the first fault is added anywhere in the app, no operation has the stage at all (it costs a coroutine
call per request); `activate()` asks the pipelines to rebuild their stage lists with it.
"""
from __future__ import annotations

import http
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import ApiError
from .faults import Fault, Waits, first_limit
from .ratelimit import Decision

if TYPE_CHECKING:
    from .pipeline import (
        CompiledOperation,
        Exchange,
        PipelineHooks,
        Stage,
        VendorPipeline,
    )

_UNANSWERED = {"drop": "connection_dropped", "stall": "connection_stalled"}


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _close(ex: Exchange) -> None:
    transport = ex.request.transport
    if transport is not None and not transport.is_closing():
        transport.close()


class FaultStage:
    """Makes the `fault` stage of each operation; one per app (`FAULT_STAGE`)."""

    def __init__(self, hooks: PipelineHooks, waits: Waits) -> None:
        self.hooks = hooks
        self.waits = waits
        self.active = False

    def activate(self) -> None:
        """A fault exists: from the next request on, every operation runs the stage."""
        if not self.active:
            self.active = True
            self.hooks.version += 1  # the pipelines rebuild their stage lists when the version moves

    def __call__(self, pipeline: VendorPipeline, compiled: CompiledOperation | None) -> Stage | None:
        if compiled is None or not self.active:
            return None
        vendor = pipeline.vendor
        operation = compiled.operation
        vendor_name, operation_id = vendor.name, operation.operation_id

        async def fault(ex: Exchange) -> None:
            tenant = ex.tenant
            table = tenant.faults
            if not table:
                return
            request = ex.request
            picked = table.pick(vendor_name, operation_id, request.method, request.path,
                                lambda: tenant.stream(vendor_name, "faults").uniform(0.0, 1.0))
            if picked is None:
                return
            ex.fault = picked
            await self._act(ex, picked, pipeline)

        return fault

    async def _act(self, ex: Exchange, fault: Fault, pipeline: VendorPipeline) -> None:
        vendor = pipeline.vendor
        kind = fault.kind
        if kind == "error":
            status = fault.status or 500
            headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            raise ApiError(status, fault.code or "error", fault.message or _phrase(status), headers=headers)
        if kind == "rate_limit":
            retry_after = fault.retry_after if fault.retry_after is not None else 60
            limit, bucket = first_limit(vendor.rate_limits(ex.key, ex.operation))
            decision = ex.decision = Decision(limit, 0, int(ex.tenant.clock.timestamp()) + retry_after, False,
                                              max(retry_after, 0), bucket)
            ex.headers = vendor.rate_limit_headers(decision)
            raise vendor.rate_limited(decision)
        if kind == "latency":
            await self.waits.sleep(fault.seconds or 0.0)
            return
        if kind == "stall":
            request = ex.request
            await self.waits.sleep(fault.seconds or 0.0,
                                   lambda: request.transport is not None and not request.transport.is_closing())
        _close(ex)  # drop, or the end of a stall
        error = ApiError(503, _UNANSWERED[kind], "no answer: the connection was closed by a fault")
        ex.answer("fault", error.status, vendor.render_error(error), _UNANSWERED[kind])


FAULT_STAGE: web.AppKey[FaultStage] = web.AppKey("fault_stage", FaultStage)


def install_faults(app: web.Application, hooks: PipelineHooks) -> FaultStage:
    """Put the fault stage in every vendor pipeline of `app`; waits end when the app shuts down."""
    waits = Waits()
    stage = app[FAULT_STAGE] = FaultStage(hooks, waits)
    hooks.add("fault", stage)
    app.on_shutdown.append(waits.stop)
    return stage


def unanswered(fault: Any) -> bool:
    """Whether a fault that fired left the client without an answer."""
    return fault is not None and fault.kind in _UNANSWERED
