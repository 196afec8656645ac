"""Errors a user can act on.

Every error the library raises for bad input derives from :class:`BotocontractError`; the CLI prints its
one-line message and exits with its ``exit_code`` instead of a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "BotocontractError",
    "ModelError",
    "SourceError",
    "UnknownNameError",
    "did_you_mean",
]

EXIT_OK = 0
#: A check ran and found something at or above the threshold (gate, fuzz, validate).
EXIT_FAILED = 1
#: Bad input: usage, unknown names, unreachable or corrupt sources.
EXIT_USAGE = 2


class BotocontractError(Exception):
    """A problem with the user's input, stated as what was wrong and what to do."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} ({hint})" if hint else message)

    def one_line(self) -> str:
        return str(self).replace("\n", " ")


class SourceError(BotocontractError):
    """A model source cannot be resolved, fetched or read."""


class ModelError(BotocontractError):
    """A model file exists but is not a usable botocore model."""


class UnknownNameError(BotocontractError, LookupError):
    """A service, operation, rule, check or format name that does not exist."""

    def __init__(self, kind: str, name: str, known: Iterable[str], *, where: str = "") -> None:
        self.kind = kind
        self.name = name
        suggestions = did_you_mean(name, known)
        where_text = f" in {where}" if where else ""
        hint = f"did you mean {', '.join(suggestions)}?" if suggestions else None
        super().__init__(f"unknown {kind} {name!r}{where_text}", hint=hint)


def did_you_mean(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Closest known names, case-insensitively, best first."""
    known = list(known)
    lowered = {k.lower(): k for k in known}
    exact = lowered.get(name.lower())
    if exact is not None:
        return [exact]
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]
