"""Assemble the control plane: `specs/control.yaml` plus the vendors' actions, one endpoint per operation."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from types import ModuleType
from typing import Any

from aiohttp import web

from ..config import SPECS_DIR
from ..core.spec import Spec, SpecError, load_spec, spec_from_document
from ..core.tenants import TenantRegistry
from ..vendors.base import Vendor
from . import (
    actions,
    clock,
    clockmode,
    coverage,
    deliveries,
    faults,
    health,
    inbox,
    openapi,
    ratebudget,
    requests,
    reset,
    snapshots,
    tenantref,
    tenants,
    webhooks,
)
from .common import (
    CONTROL_SPEC,
    REGISTRY,
    VENDOR_SPECS,
    VENDORS,
    ControlEndpoint,
    ControlHandler,
    aiohttp_path,
    json_errors,
    path_dispatcher,
    unknown_route,
)

CONTROL_SPEC_PATH = SPECS_DIR / "control.yaml"
PREFIX = "/_sandbox"
Middleware = Callable[[web.Request, Any], Awaitable[web.StreamResponse]]

# One line per resource module; each has HANDLERS (operationId -> handler) for its paths in specs/control.yaml.
RESOURCES: tuple[ModuleType, ...] = (health, openapi, coverage, actions, reset, tenants, clock, snapshots,
                                     webhooks, deliveries, inbox, clockmode, ratebudget, requests, faults)


def control_spec(vendors: list[Vendor]) -> Spec:
    """specs/control.yaml with every vendor action added as an operation."""
    base = load_spec(CONTROL_SPEC_PATH)
    extra = actions.action_paths(vendors)
    clash = sorted(set(extra) & set(base.document.get("paths") or {}))
    if clash:
        raise SpecError(f"{CONTROL_SPEC_PATH}: vendor actions reuse paths {', '.join(clash)}")
    document = {**base.document, "paths": {**base.document["paths"], **extra}}
    return spec_from_document(document, "control", str(CONTROL_SPEC_PATH))


def _handlers(vendors: list[Vendor]) -> dict[str, ControlHandler]:
    handlers: dict[str, ControlHandler] = {}
    for module in RESOURCES:
        handlers.update(module.HANDLERS)
    handlers.update(actions.action_handlers(vendors))
    return handlers


def control_app(registry: TenantRegistry, vendors: list[Vendor], specs: dict[str, Spec],
                middlewares: Sequence[Middleware] = ()) -> web.Application:
    """The /_sandbox sub-application. Fails at start when the spec and the handlers disagree."""
    spec = control_spec(vendors)
    handlers = _handlers(vendors)
    operations = {op.operation_id for op in spec.operations}
    unhandled, unspecified = sorted(operations - set(handlers)), sorted(set(handlers) - operations)
    if unhandled or unspecified:
        raise SpecError(f"{CONTROL_SPEC_PATH}: operations without a handler {unhandled}, "
                        f"handlers without an operation {unspecified}")
    app = web.Application(middlewares=[json_errors, *middlewares])  # type: ignore[list-item]  # aiohttp's Middleware names a Handler type of its own
    tenantref.install(app)
    app[REGISTRY] = registry
    app[VENDORS] = vendors
    app[VENDOR_SPECS] = specs
    app[CONTROL_SPEC] = spec
    by_path: dict[str, dict[str, ControlEndpoint]] = {}
    for op in spec.operations:
        by_path.setdefault(op.path, {})[op.method] = ControlEndpoint(op, handlers[op.operation_id])
    # aiohttp tries routes in the order they were added: literal paths before templated ones.
    for template in sorted(by_path, key=lambda p: (p.count("{"), p)):
        app.router.add_route("*", aiohttp_path(template), path_dispatcher(by_path[template]))
    app.router.add_route("*", "/{tail:.*}", unknown_route)
    return app


def mount_control(app: web.Application, registry: TenantRegistry, vendors: list[Vendor],
                  specs: dict[str, Spec], middlewares: Sequence[Middleware] = ()) -> web.Application:
    """Mount the control plane under /_sandbox on `app`; answers the bare prefix with JSON too."""
    control = control_app(registry, vendors, specs, middlewares)
    # A sub-application only routes "<prefix>/...": without this, the bare prefix gets a plain-text 404.
    app.router.add_route("*", PREFIX, unknown_route)
    app.add_subapp(PREFIX, control)
    return control
