"""Permission rows per area; see tests/permission_table.py."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def areas() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{module.name}")
        for module in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name)
    ]
