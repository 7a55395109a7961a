"""The `sandbox` command: `sandbox serve [flags]`. Every flag can also be set as SANDBOX_<FLAG>."""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from . import __version__, gcpolicy
from .config import OPTIONS, Settings, parse_vendors, settings_from_environment

PROG = "affiliate-sandbox"
# On SIGTERM/SIGINT: stop accepting at once, give requests in flight this long to finish, then exit 0.
STOP_GRACE_S = 5.0


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2 (no usage dump to scroll past)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: {message} (see {self.prog} --help)\n")


def _help(option_help: str, default: object, env: str) -> str:
    shown = "" if default in (None, "", ()) else f"default: {_shown(default)}; "
    return f"{option_help} ({shown}env {env})".replace("%", "%%")


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _flag_type(option_parse: Callable[[str], object]) -> Callable[[str], object]:
    """argparse's `type`: the same parser the environment variable goes through, its reason in the error."""
    def parse(text: str) -> object:
        try:
            return option_parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def _parser() -> argparse.ArgumentParser:
    defaults = Settings()
    parser = _Parser(prog="sandbox", description="affiliate-sandbox: LinkJolt, PromoteKit, "
                     "Tamio and Everflow APIs for tests and local development")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    serve = commands.add_parser("serve", help="run the sandbox server",
                                description="Every flag can also be set by its environment variable; a flag "
                                "beats its variable. Booleans read on/off, true/false, yes/no, 1/0.")
    for option in OPTIONS:
        # default None: "not given", so the environment variable, then the Settings default, can fill it in
        default = getattr(defaults, option.field)
        if option.switch:
            serve.add_argument(option.flag, dest=option.field, action="store_const", const=option.switch_value,
                               default=None, help=_help(option.help, "off", option.env))
        else:
            serve.add_argument(option.flag, dest=option.field, type=_flag_type(option.parse), default=None,
                               metavar=option.metavar, help=_help(option.help, default, option.env))
    coverage = commands.add_parser("coverage", help="every operation with its fidelity tag, whether it is "
                                   "implemented and how many tests exercise it")
    coverage.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    coverage.add_argument("--vendors", type=_flag_type(parse_vendors), default=None,
                          help="comma-separated vendors to show (default: all; env SANDBOX_VENDORS)")
    return parser


def settings_from_args(argv: Sequence[str] | None = None) -> Settings:
    """Settings from `sandbox serve` flags, then SANDBOX_* variables, then defaults; ConfigError if wrong."""
    return _settings(_parser().parse_args(argv))


def coverage(fmt: str, vendor_names: tuple[str, ...]) -> str:
    """The `sandbox coverage` report for the packaged specs, handlers and recorded test counts."""
    from . import coverage as cov
    from .app import select_vendors
    from .core.spec import load_spec

    settings = Settings()
    vendors = select_vendors(vendor_names)
    specs = {v.name: load_spec(settings.specs / f"{v.name}.yaml") for v in vendors}
    return cov.render(cov.rows(vendors, specs), fmt)


def _env_vendors() -> tuple[str, ...]:
    return next(o for o in OPTIONS if o.field == "vendors").from_env(os.environ) or ()


def _settings(args: argparse.Namespace) -> Settings:
    return settings_from_environment(**{o.field: getattr(args, o.field) for o in OPTIONS})


async def _answers(url: str) -> bool:
    from aiohttp import ClientSession, ClientTimeout

    try:
        async with ClientSession(timeout=ClientTimeout(total=5)) as session, session.get(url) as response:
            return response.status == 200
    except OSError:
        return False


async def serve(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM; the ready line is printed only once the server has answered."""
    from aiohttp import web  # here, not at the top: main() pauses the collector before this import

    from .app import create_app, serving_runner
    from .core.accesslog import access_logger
    from .core.journal import JOURNALS

    app = create_app(settings)
    runner = serving_runner(app, shutdown_timeout=STOP_GRACE_S,
                            access_log=logging.getLogger("aiohttp.access") if settings.access_log else None,
                            access_log_class=access_logger(app[JOURNALS]))
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
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
    try:
        await stop.wait()
    finally:
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
    try:
        if args.command == "coverage":
            vendors = args.vendors if args.vendors is not None else _env_vendors()
            sys.stdout.write(coverage(args.format, vendors))
            return 0
        settings = _settings(args)
    except ValueError as exc:  # ConfigError included: one line naming the flag or variable
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    gcpolicy.pause_for_start_up()  # until serve() answers; before the heavy imports, which serve() makes
    try:
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            runner.run(serve(settings))
    except (ValueError, OSError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    finally:
        gcpolicy.resume()  # a start-up that failed never reached start_up_done()
    return 0


if __name__ == "__main__":
    sys.exit(main())
