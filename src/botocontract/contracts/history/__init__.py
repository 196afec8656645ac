"""API history: a store of every release's findings and contents, blame, the minimum-version solver and
lockfile-aware upgrade verdicts."""

from __future__ import annotations

from botocontract.lazy import lazy_exports

__all__ = [
    "HistoryError",
    "Item",
    "Store",
    "build",
    "default_db",
    "merge",
    "model_items",
    "open_store",
    "parse_shard",
]

_HOMES = {
    "items": ["Item", "model_items"],
    "store": ["HistoryError", "Store", "build", "default_db", "merge", "open_store", "parse_shard"],
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__getattr__ = lazy_exports(__name__, _MODULE_OF)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
