"""The vendors' operations in one table, tried before aiohttp's router.

aiohttp resolves a vendor request through the main application's router, then through the vendor
sub-application's, and builds and freezes match info on the way: about 4 µs of a 60 µs write. The table finds
the operation with one dict lookup for a literal path, or one regular expression per templated path, and calls
the pipeline directly. Whatever it does not match exactly (another method, an encoded path or a fragment,
`Expect:`, the control plane, openapi.json, an unknown path) goes to aiohttp's router, which still holds every
route, so the answers are the same either way (tests/test_routing.py checks both paths agree).

aiohttp offers no public hook in front of its router that keeps this cheap: a custom router goes through the
`router=` argument, deprecated in 3.x, and a `resolve()` override still pays for building match info, the cost
the table exists to avoid. So `install` replaces `Application._handle`, which aiohttp 3 allows and aiohttp 4
(where `Application` has `__slots__`) will not: `pyproject.toml` pins `aiohttp<4`, and
tests/test_routing.py fails on any other major version, so the upgrade is a decision, not a surprise.
"""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from aiohttp import hdrs, web

Endpoint = Callable[[web.Request, Mapping[str, str]], Awaitable[web.StreamResponse]]
_NO_PARAMS: Mapping[str, str] = {}


def _pattern(template: str) -> re.Pattern[str]:
    """`/affiliates/{id}` -> a full-match regex; a parameter never spans a slash (as in aiohttp's routes)."""
    parts = re.split(r"\{([^}/]+)\}", template)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts))
    return re.compile(regex)


def aiohttp_supported() -> bool:
    """Whether the installed aiohttp is the major version whose `Application._handle` `install` replaces."""
    return aiohttp.__version__.split(".")[0] == "3"


class RouteTable:
    """Paths must be added in the order aiohttp's router tries them: literal paths, then templated ones."""

    def __init__(self) -> None:
        self._literal: dict[str, dict[str, Endpoint]] = {}
        self._templated: list[tuple[re.Pattern[str], dict[str, Endpoint]]] = []
        self.served = 0  # requests the table answered (for tests: proof that the fast path is in use)

    def add(self, template: str, methods: Mapping[str, Endpoint]) -> None:
        if "{" in template:
            self._templated.append((_pattern(template), dict(methods)))
        else:
            self._literal[template] = dict(methods)

    def reserve(self, path: str) -> None:
        """A literal path aiohttp answers itself (openapi.json): the table must not match it to a template."""
        self._literal.setdefault(path, {})

    def match(self, method: str, path: str) -> tuple[Endpoint, Mapping[str, str]] | None:
        """The endpoint and path parameters, or None to leave the request to aiohttp."""
        methods = self._literal.get(path)
        if methods is not None:
            endpoint = methods.get(method)
            return (endpoint, _NO_PARAMS) if endpoint is not None else None
        for pattern, methods in self._templated:
            found = pattern.fullmatch(path)
            if found is not None:
                endpoint = methods.get(method)
                return (endpoint, found.groupdict()) if endpoint is not None else None
        return None

    def direct(self, method: str, raw_path: str,
               headers: Mapping[str, str]) -> tuple[Endpoint, Mapping[str, str]] | None:
        """What the table answers for a request (its method, raw target and headers), or None for aiohttp's router:
        the installed `_handle` asks it, and so does a connection that answers a request inline (`inline`)."""
        # Without "%" (or a "#" fragment, which aiohttp drops) the raw path before "?" is request.path, so yarl's
        # decoding is not needed.
        if "%" in raw_path or "#" in raw_path or hdrs.EXPECT in headers:
            return None
        found = self.match(method, raw_path.partition("?")[0])
        if found is not None:
            self.served += 1
        return found

    def install(self, app: web.Application) -> None:
        """Put the table in front of `app`'s router (an app without middlewares: they would be skipped)."""
        if app.middlewares:
            raise ValueError("the route table skips middlewares; this application has some")
        if not aiohttp_supported():
            raise RuntimeError(f"the route table needs aiohttp 3, not {aiohttp.__version__} (see this module)")
        routed = app._handle  # aiohttp's own dispatch: what the table does not answer goes there
        direct = self.direct

        # A plain function that returns the endpoint's coroutine: aiohttp awaits what _handle returns, so an
        # `async def` here would only add a coroutine frame to every request.
        def handle(request: web.Request) -> Awaitable[Any]:
            found = direct(request.method, request.raw_path, request.headers)
            if found is not None:
                endpoint, params = found
                return endpoint(request, params)
            return routed(request)

        # aiohttp's runner serves app._handle; an instance attribute is the one hook it offers without a
        # subclass (aiohttp forbids subclassing Application).
        app._handle = handle  # type: ignore[method-assign,assignment]
