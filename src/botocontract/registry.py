"""One small registry type for rules, checks, renderers and wire encoders.

Things are registered by name in one place and selected by name from the CLI; an unknown name is a
:class:`~botocontract.errors.UnknownNameError` with suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from botocontract.errors import UnknownNameError

__all__ = ["Registry"]

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
        chosen = [self.get(n) for n in names] if names else list(self._items.values())
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
