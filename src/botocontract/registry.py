"""One small registry type for rules, checks, renderers and wire encoders.

Things are registered by name in one place and selected by name from the CLI; an unknown name is a
:class:`~botocontract.errors.UnknownNameError` with suggestions.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from botocontract.errors import UnknownNameError

__all__ = ["ModuleRegistry", "Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered name -> item mapping with a decorator for registration."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str | None = None) -> Callable[[T], T]:
        def decorator(item: T) -> T:
            key = name or getattr(item, "name", None) or getattr(item, "__name__", None)
            if not key:
                raise TypeError(f"cannot infer a {self.kind} name for {item!r}")
            if key in self._items:
                raise ValueError(f"{self.kind} {key!r} is registered twice")
            self._items[key] = item
            return item

        return decorator

    def add(self, name: str, item: T) -> T:
        return self.register(name)(item)

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            raise UnknownNameError(self.kind, name, self._items) from None

    def select(self, names: list[str] | None = None, exclude: list[str] | None = None) -> list[T]:
        """Items by name (all when ``names`` is empty), minus ``exclude``; unknown names raise."""
        chosen = [self.get(n) for n in names or self.names()]
        dropped = {id(self.get(n)) for n in exclude or ()}
        return [item for item in chosen if id(item) not in dropped]

    def names(self) -> list[str]:
        return list(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)


class ModuleRegistry(Registry[Any]):
    """One item per module of a package, named after its file: adding a format is adding one file.

    Names come from listing the package folder, so ``--format`` choices cost no imports; a module is
    imported on first :meth:`get`, and its ``attribute`` (say ``render``) is the item. Files starting
    with ``_`` are helpers, not items.
    """

    def __init__(
        self, kind: str, package: str, attribute: str = "render", *, first: str | None = None
    ) -> None:
        super().__init__(kind)
        self.package = package
        self.attribute = attribute
        self.first = first
        self._listed: list[str] | None = None

    def names(self) -> list[str]:
        """Module names, ``first`` (the default format) first, then alphabetical."""
        if self._listed is None:
            path = importlib.import_module(self.package).__path__
            found = sorted(m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_"))
            if self.first in found:
                found.remove(self.first)
                found.insert(0, self.first)
            self._listed = found
        return list(self._listed)

    def get(self, name: str) -> Any:
        if name not in self._items:
            if name not in self.names():
                raise UnknownNameError(self.kind, name, self.names())
            module = importlib.import_module(f"{self.package}.{name}")
            self._items[name] = getattr(module, self.attribute)
        return self._items[name]

    def register(self, name: str | None = None) -> Callable[[Any], Any]:
        raise TypeError(f"add a {self.kind} as a module of {self.package}, not by registering it")

    def __contains__(self, name: object) -> bool:
        return name in self.names()

    def __iter__(self) -> Iterator[Any]:
        return iter([self.get(n) for n in self.names()])

    def __len__(self) -> int:
        return len(self.names())
