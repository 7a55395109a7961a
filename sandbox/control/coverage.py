"""GET /coverage: every vendor operation, its fidelity tag, its handler and its tests."""
from __future__ import annotations

from typing import Any

from .common import VENDOR_SPECS, ControlCall, ControlHandler


async def coverage_report(call: ControlCall) -> dict[str, Any]:
    from .. import coverage  # here, not at start-up: a report few servers are asked for

    return coverage.as_json(coverage.rows(call.vendors, call.request.config_dict[VENDOR_SPECS]))


HANDLERS: dict[str, ControlHandler] = {"getCoverage": coverage_report}
