"""The `sandbox` command: `sandbox serve [flags]`. Every flag can also be set as SANDBOX_<FLAG>."""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Callable, Sequence

from . import gcpolicy
from .config import Settings

_TRUE = ("1", "true", "yes", "on")


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"SANDBOX_{name.upper().replace('-', '_')}", default)


def _env_flag(name: str) -> bool:
    return (_env(name) or "").strip().lower() in _TRUE


def _parser() -> argparse.ArgumentParser:
    defaults = Settings()
    parser = argparse.ArgumentParser(prog="sandbox", description="affiliate-sandbox: LinkJolt, PromoteKit, "
                                     "Tamio and Everflow APIs for tests and local development")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the sandbox server")
    serve.add_argument("--host", default=_env("host", defaults.host))
    serve.add_argument("--port", type=int, default=int(_env("port", str(defaults.port))),
                       help="port to listen on; 0 picks a free one")
    serve.add_argument("--port-file", type=Path, default=_env("port_file"),
                       help="write the bound port here once the server answers")
    serve.add_argument("--seed", type=int, default=int(_env("seed", str(defaults.seed))))
    serve.add_argument("--fixtures", type=Path, default=_env("fixtures", str(defaults.fixtures)),
                       help="fixture directory (default: the packaged defaults)")
    serve.add_argument("--vendors", default=_env("vendors", ""),
                       help="comma-separated vendors to serve (default: all)")
    serve.add_argument("--clock", default=_env("clock", defaults.clock), help="real | frozen:<ISO-8601>")
    serve.add_argument("--log-level", default=_env("log_level", defaults.log_level),
                       choices=["debug", "info", "warning", "error"])
    serve.add_argument("--no-auto-tenants", action="store_true", default=_env_flag("no_auto_tenants"),
                       help="unknown keys get 401 instead of a new tenant")
    serve.add_argument("--max-tenants", type=int, default=int(_env("max_tenants", str(defaults.max_tenants))))
    serve.add_argument("--strict", action="store_true", default=_env_flag("strict"),
                       help="check every response against the spec (a mismatch is a 500)")
    serve.add_argument("--rate-limits", choices=["on", "off"], default=_env("rate_limits", "on"),
                       help="off: keep counting and the headers, never answer 429")
    serve.add_argument("--response-cache", choices=["on", "off", "verify"],
                       default=_env("response_cache", defaults.response_cache),
                       help="reuse a GET's rendered answer until the next write; verify: build it afresh "
                            "every time and answer 500 if a cached one differs")
    serve.add_argument("--access-log", action="store_true", default=_env_flag("access_log"))
    serve.add_argument("--control-token", default=_env("control_token"),
                       help="every /_sandbox route but health needs it (Authorization: Bearer <token>)")
    serve.add_argument("--control-hosts", default=_env("control_hosts", ""),
                       help="comma-separated Host names allowed on /_sandbox without a token (* for any)")
    serve.add_argument("--control-max-body", type=int,
                       default=int(_env("control_max_body", str(defaults.control_max_body))),
                       help="largest snapshot PUT, in bytes")
    coverage = commands.add_parser("coverage", help="every operation with its fidelity tag, whether it is "
                                   "implemented and how many tests exercise it")
    coverage.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    coverage.add_argument("--vendors", default=_env("vendors", ""),
                          help="comma-separated vendors to show (default: all)")
    return parser


def settings_from_args(argv: Sequence[str] | None = None) -> Settings:
    return _settings(_parser().parse_args(argv))


def _vendor_names(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


def coverage(fmt: str, vendor_names: tuple[str, ...]) -> str:
    """The `sandbox coverage` report for the packaged specs, handlers and recorded test counts."""
    from . import coverage as cov
    from .app import select_vendors
    from .core.spec import load_spec

    settings = Settings()
    vendors = select_vendors(vendor_names)
    specs = {v.name: load_spec(settings.specs / f"{v.name}.yaml") for v in vendors}
    return cov.render(cov.rows(vendors, specs), fmt)


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        host=args.host, port=args.port, port_file=args.port_file, seed=args.seed, fixtures=args.fixtures,
        vendors=_vendor_names(args.vendors), clock=args.clock,
        log_level=args.log_level, auto_tenants=not args.no_auto_tenants, max_tenants=args.max_tenants,
        strict_responses=args.strict, rate_limits=args.rate_limits == "on", access_log=args.access_log,
        response_cache=args.response_cache, control_token=args.control_token or None,
        control_hosts=_vendor_names(args.control_hosts), control_max_body=args.control_max_body,
    )


async def _answers(url: str) -> bool:
    from aiohttp import ClientSession, ClientTimeout

    try:
        async with ClientSession(timeout=ClientTimeout(total=5)) as session:
            async with session.get(url) as response:
                return response.status == 200
    except OSError:
        return False


async def serve(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM; the ready line is printed only once the server has answered."""
    from aiohttp import web  # here, not at the top: main() pauses the collector before this import

    from .app import create_app

    app = create_app(settings)
    runner = web.AppRunner(app, access_log=logging.getLogger("aiohttp.access") if settings.access_log else None,
                           shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port, shutdown_timeout=0.5)
    await site.start()
    port = runner.addresses[0][1]
    probe_host = "127.0.0.1" if settings.host in ("0.0.0.0", "", "::") else settings.host
    if ":" in probe_host:
        probe_host = f"[{probe_host}]"
    if not await _answers(f"http://{probe_host}:{port}/_sandbox/health"):
        await runner.cleanup()
        raise SystemExit("affiliate-sandbox: the server did not answer its own health check")
    if settings.port_file:
        tmp = settings.port_file.with_name(settings.port_file.name + ".tmp")
        tmp.write_text(str(port))
        tmp.replace(settings.port_file)  # atomic: a watcher never reads half a number
    gcpolicy.start_up_done()
    print(f"affiliate-sandbox listening on http://{settings.host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    gc_keeper = asyncio.create_task(gcpolicy.keep_collections_short())
    try:
        await stop.wait()
    finally:
        gc_keeper.cancel()
        await runner.cleanup()


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop when it is installed: its transports roughly halve the cost of each write."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "coverage":
        try:
            sys.stdout.write(coverage(args.format, _vendor_names(args.vendors)))
        except ValueError as exc:
            print(f"affiliate-sandbox: {exc}", file=sys.stderr)
            return 2
        return 0
    settings = _settings(args)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    gcpolicy.pause_for_start_up()  # until serve() answers; before the heavy imports, which serve() makes
    try:
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            runner.run(serve(settings))
    except (ValueError, OSError) as exc:
        print(f"affiliate-sandbox: {exc}", file=sys.stderr)
        return 2
    finally:
        gcpolicy.resume()  # a start-up that failed never reached start_up_done()
    return 0


if __name__ == "__main__":
    sys.exit(main())
