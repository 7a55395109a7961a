"""create_app(settings): the whole sandbox as one aiohttp Application.

Each vendor is a sub-application under its base path; the control plane lives under /_sandbox. Background work
(the garbage-collector policy) starts and stops with the application (`core.lifecycle.run_in_background`).
"""
from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from . import gcpolicy
from .config import DEFAULT_FIXTURES, Settings
from .control import mount_control
from .control.access import ControlAccess, startup_warning
from .control.bodylimit import ControlBodyLimit
from .core.dispatcher import DISPATCHER, Dispatcher
from .core.fairness import FairShare
from .core.faultstage import install_faults
from .core.fixtures import FixtureSet
from .core.fixtureshapes import load_shapes
from .core.httperrors import JsonErrorRunner, envelope_renderer
from .core.inbox import Inbox
from .core.journalstage import install_journal
from .core.lifecycle import run_in_background
from .core.persistence import Persister
from .core.pipeline import PipelineHooks, PipelineOptions, VendorPipeline
from .core.routing import RouteTable
from .core.spec import Spec, load_spec
from .core.tenants import TenantOptions, TenantRegistry
from .core.watchdog import watch_loop
from .vendors import VENDORS, Vendor

log = logging.getLogger("sandbox")

REGISTRY: web.AppKey[TenantRegistry] = web.AppKey("registry", TenantRegistry)
SETTINGS: web.AppKey[Settings] = web.AppKey("settings", Settings)
VENDOR_LIST: web.AppKey[list] = web.AppKey("vendors", list)
SPECS: web.AppKey[dict] = web.AppKey("specs", dict)
ROUTES: web.AppKey[RouteTable] = web.AppKey("routes", RouteTable)
HOOKS: web.AppKey[PipelineHooks] = web.AppKey("pipeline_hooks", PipelineHooks)
"""Stages and observers every vendor pipeline runs (see `core.pipeline`): add to them to extend serving."""
PERSISTER: web.AppKey[Persister] = web.AppKey("persister", Persister)


def select_vendors(names: tuple[str, ...]) -> list[Vendor]:
    unknown = [n for n in names if n not in VENDORS]
    if unknown:
        raise ValueError(f"unknown vendor(s) {', '.join(unknown)}; known: {', '.join(VENDORS)}")
    return [VENDORS[n]() for n in (names or tuple(VENDORS))]


def create_app(settings: Settings | None = None, hooks: PipelineHooks | None = None) -> web.Application:
    """Load specs and fixtures, build the default tenant and mount every vendor; fails fast on a bad file.

    `hooks` (default: new, empty ones) are the pipeline stages and observers of this app; also `app[HOOKS]`."""
    settings = (settings or Settings()).validate()  # ConfigError (a ValueError) naming the field
    hooks = hooks or PipelineHooks()
    fair = FairShare()  # tenants take turns on the event loop (core.fairness)
    hooks.add("authorize", fair.gate_stage, "fairness")
    hooks.add("journal", fair.account_stage, "fairness")
    vendors = select_vendors(settings.vendors)
    specs: dict[str, Spec] = {v.name: load_spec(settings.specs / f"{v.name}.yaml") for v in vendors}
    # The packaged fixtures fit their shapes (tests/core/test_fixture_shapes.py); checking them would slow start-up.
    shapes = ({} if settings.fixtures == DEFAULT_FIXTURES
              else load_shapes(settings.specs / "fixtures", [v.name for v in vendors]))
    fixtures = FixtureSet(settings.fixtures, vendors=VENDORS, shapes=shapes)
    registry = TenantRegistry(vendors, fixtures, TenantOptions(
        seed=settings.seed, clock=settings.clock, auto_tenants=settings.auto_tenants,
        max_tenants=settings.max_tenants, webhook_hosts=settings.webhook_hosts))
    options = PipelineOptions(strict_responses=settings.strict_responses,
                              enforce_rate_limits=settings.rate_limits, response_cache=settings.response_cache)
    dispatcher = Dispatcher({v.name: v.parts.webhooks for v in vendors if v.parts.webhooks is not None}, Inbox(),
                            timeout=settings.webhook_timeout)
    app = web.Application()
    persister = Persister(registry, settings.state_dir) if settings.state_dir is not None else None
    if persister is not None:  # first in, last out: loads before anything starts, flushes after all stopped
        app[PERSISTER] = persister
        app.cleanup_ctx.append(persister.lifecycle)
        hooks.add("emit", persister.pipeline_stage, "persist")
    app[DISPATCHER] = dispatcher
    app.cleanup_ctx.append(dispatcher.lifecycle)
    app[REGISTRY] = registry
    app[SETTINGS] = settings
    app[VENDOR_LIST] = vendors
    app[SPECS] = specs
    app[HOOKS] = hooks
    app.cleanup_ctx.append(watch_loop)  # logs event-loop stalls over a second with the blocking stack
    mount_control(app, registry, vendors, specs, middlewares=[
        ControlAccess(settings.control_token, settings.host, settings.control_hosts),
        ControlBodyLimit(settings.control_max_body),
        *([persister.control_middleware()] if persister is not None else [])])
    warning = startup_warning(settings.host, settings.control_token)
    if warning:
        log.warning(warning)
    routes = RouteTable()
    for vendor in vendors:
        pipeline = VendorPipeline(vendor, specs[vendor.name], registry, options, hooks, events=dispatcher)
        # The bare base URL is the vendor's too, but a sub-application only routes "<prefix>/...": this route
        # must come first, or the sub-application claims the bare prefix with aiohttp's plain-text 404.
        app.router.add_route("*", vendor.base_path, pipeline.unknown_route)
        app.add_subapp(vendor.base_path, pipeline.application())
        pipeline.add_routes(routes)
    app[ROUTES] = routes
    routes.install(app)
    install_journal(app, hooks)
    install_faults(app, hooks)
    run_in_background(app, "gc-policy", gcpolicy.keep_collections_short)
    return app


def serving_runner(app: web.Application, *, inline: bool = True, **kwargs: Any) -> JsonErrorRunner:
    """The runner `sandbox serve` serves `app` with: JSON in the vendor's envelope for what aiohttp's parser refuses
    and, with `inline`, the route table's requests answered inside `data_received` (`core.inline`). `kwargs` go to
    `JsonErrorRunner` (and on to aiohttp's `AppRunner`)."""
    return JsonErrorRunner(app, render=envelope_renderer(app[VENDOR_LIST]),
                           lane=app[ROUTES].direct if inline else None, **kwargs)
