"""The vendors the sandbox serves. Each is a folder of the same shape; `VENDORS` lists them in order."""
from __future__ import annotations

from .base import Vendor
from .everflow import Everflow
from .linkjolt import LinkJolt
from .promotekit import PromoteKit
from .tamio import Tamio

VENDORS: dict[str, type[Vendor]] = {
    "linkjolt": LinkJolt,
    "promotekit": PromoteKit,
    "tamio": Tamio,
    "everflow": Everflow,
}

__all__ = ["VENDORS", "Vendor"]
