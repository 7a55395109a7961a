"""A sandbox in a background thread for the harness's own tests: the clients talk to it over real HTTP."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.testing.server import BackgroundServer

from ..conftest import test_settings


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    """Root URL of a sandbox with the suite's settings (frozen clock, seed 0, strict responses)."""
    with BackgroundServer(test_settings()) as url:
        yield url
