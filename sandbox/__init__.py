"""affiliate-sandbox: stateful, spec-validated sandboxes of four affiliate-platform APIs."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .config import Settings

if TYPE_CHECKING:
    from aiohttp import web

    from .core.pipeline import PipelineHooks

__all__ = ["Settings", "create_app"]
__version__ = "0.1.0"


def create_app(settings: Settings | None = None, hooks: PipelineHooks | None = None) -> web.Application:
    """The sandbox as an aiohttp Application (for in-process use in tests)."""
    from .app import create_app as _create_app

    return _create_app(settings, hooks)
