"""Lazy public faces for packages: names load on first use.

pytest loads the plugins (and so their packages) in every run of every project that has botocontract
installed, and the CLI imports every command; importing a package must not import Hypothesis, deepdiff or
botocore's docs machinery until a name is actually used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, where: Mapping[str, str], renames: Mapping[str, str] | None = None
) -> Callable[[str], Any]:
    """A module ``__getattr__`` loading ``name`` from ``package.<where[name]>``.

    ``renames`` maps an exported name to its name in the module, for functions exported under another
    name because a submodule of the package already has theirs (``import a.walk`` must give the module).
    """
    renames = renames or {}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), renames.get(name, name))
        vars(importlib.import_module(package))[name] = value
        return value

    return __getattr__
