"""Unicode tables as code-point ranges: general categories and Python's ``\\d``, ``\\w``, ``\\s``.

Building them walks all 1.1 million code points (about two seconds), which used to happen inside the
first draw of a strategy and tripped Hypothesis's ``too_slow`` health check. They are built once per
Unicode version of this Python and kept in the cache directory, so later processes load them in
milliseconds.
"""

from __future__ import annotations

import contextlib
import functools
import json
import unicodedata
from collections.abc import Iterable

__all__ = ["ASSIGNED", "Ranges", "categories", "python_class"]

Ranges = tuple[tuple[int, int], ...]
MAX_CODE_POINT = 0x10FFFF
#: Planes that can hold anything but unassigned or private-use characters (what generators draw from).
ASSIGNED: Ranges = ((0, 0x323AF), (0xE0000, 0xE01EF))
_VERSION = 1


def _assigned() -> Iterable[int]:
    for lo, hi in ASSIGNED:
        yield from range(lo, hi + 1)


def _runs(code_points: Iterable[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for cp in code_points:
        if runs and runs[-1][1] == cp - 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    return runs


def _build() -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    category = unicodedata.category
    start, current = 0, category("\x00")
    for cp in range(1, MAX_CODE_POINT + 2):
        cat = category(chr(cp)) if cp <= MAX_CODE_POINT else ""
        if cat != current:
            spans.setdefault(f"category:{current}", []).append((start, cp - 1))
            start, current = cp, cat
    chars = [chr(cp) for cp in _assigned()]
    tests = {"digit": str.isdecimal, "word": lambda c: c.isalnum() or c == "_", "space": str.isspace}
    for name, test in tests.items():
        spans[f"python:{name}"] = _runs(ord(c) for c in chars if test(c))
    return spans


@functools.cache
def _tables() -> dict[str, Ranges]:
    from botocontract.specs.cache import atomic_write_json, cache_dir

    try:
        path = cache_dir("unicode") / f"{unicodedata.unidata_version}-v{_VERSION}.json"
    except OSError:  # no writable cache: build every time
        path = None
    if path is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return {key: tuple((lo, hi) for lo, hi in runs) for key, runs in data.items()}
        except (OSError, ValueError, TypeError):
            pass
    built = _build()
    if path is not None:
        with contextlib.suppress(OSError):  # a read-only cache only costs the rebuild next time
            atomic_write_json(path, built)
    return {key: tuple(runs) for key, runs in built.items()}


def categories() -> dict[str, Ranges]:
    """Every two-letter general category (``Lu``, ``Nd``, ``Cn``...) over all code points."""
    return {key[len("category:") :]: runs for key, runs in _tables().items() if key.startswith("category:")}


def python_class(name: str) -> Ranges:
    """Python's Unicode ``\\d`` (``"digit"``), ``\\w`` (``"word"``) or ``\\s`` (``"space"``) over the
    assigned planes."""
    return _tables()[f"python:{name}"]
