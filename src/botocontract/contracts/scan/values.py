"""The abstract values the scanner follows through code: clients, what they return, and plain dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = [
    "ClassRef",
    "Client",
    "Collection",
    "Const",
    "DictVal",
    "FuncRef",
    "Instance",
    "Items",
    "Method",
    "ModuleRef",
    "Pages",
    "Paginator",
    "Resource",
    "Response",
    "Tuple",
    "Value",
    "Waiter",
]


@dataclass(frozen=True)
class Client:
    """A botocore client; ``service`` is None when the scanner could not tell which."""

    service: str | None


@dataclass(frozen=True)
class Resource:
    """A boto3 resource: the service resource (``resource`` None) or one of its resource types."""

    service: str | None
    resource: str | None = None


@dataclass(frozen=True)
class Collection:
    """A boto3 resource collection (``bucket.objects``): iterating it calls ``operation``."""

    service: str
    resource: str | None
    operation: str


@dataclass(frozen=True)
class Paginator:
    service: str
    operation: str


@dataclass(frozen=True)
class Pages:
    """What ``paginate()`` returns: iterating it gives one response of ``operation`` per page."""

    service: str
    operation: str


@dataclass(frozen=True)
class Waiter:
    service: str
    name: str
    operation: str


@dataclass(frozen=True)
class Method:
    """A bound client method used as a value (``f=client.get_item``, ``partial(client.get_item, ...)``)."""

    service: str
    operation: str
    members: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Response:
    """A parsed response of ``operation`` or a part of it at member ``path`` (``Items[]``, ``Table``)."""

    service: str
    operation: str
    path: str = ""
    shape: Shape | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Items:
    """``response.items()`` / ``.values()`` of a map in a response: iterating gives (key, value)."""

    value: Response
    pairs: bool


@dataclass(frozen=True)
class Instance:
    """An instance of a project class (a hook, a wrapper); compared by the class's qualified name."""

    cls: Any = field(compare=False, hash=False)
    qualname: str = ""


@dataclass(frozen=True)
class ClassRef:
    cls: Any = field(compare=False, hash=False)
    qualname: str = ""


@dataclass(frozen=True)
class FuncRef:
    func: Any = field(compare=False, hash=False)
    qualname: str = ""


@dataclass(frozen=True)
class ModuleRef:
    """An imported module: one of the project's, or an outside one by dotted name (``boto3``)."""

    name: str


@dataclass(frozen=True)
class Const:
    value: str | int | float | bool | None


@dataclass(frozen=True)
class DictVal:
    """A dict built from literals in the code: its literal keys (and their values), for ``**kwargs``."""

    items: tuple[tuple[str, Any], ...] = ()
    #: Whether keys the scanner could not read were added too.
    open: bool = False

    def keys(self) -> list[str]:
        return [k for k, _ in self.items]

    def get(self, key: str) -> Any:
        for k, v in self.items:
            if k == key:
                return v
        return None

    def with_items(self, more: list[tuple[str, Any]], *, open: bool = False) -> DictVal:
        merged = dict(self.items)
        merged.update(more)
        return DictVal(tuple(merged.items()), self.open or open)


@dataclass(frozen=True)
class Tuple:
    values: tuple[Any, ...]


Value = Any
