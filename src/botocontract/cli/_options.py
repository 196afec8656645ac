"""Shared option decorators, so every command spells ``--source``, ``--format``, ``--output`` and
``--report`` the same way, and old spellings keep working as hidden aliases.

Nothing here imports the library: ``botocontract --help`` must stay as cheap as importing click.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import click

__all__ = [
    "SOURCE_HELP",
    "Choice",
    "alias",
    "contract_option",
    "emit",
    "format_option",
    "output_option",
    "parse_reports",
    "progress_bar",
    "report_option",
    "source_option",
]

F = TypeVar("F", bound=Callable[..., Any])

SOURCE_HELP = "installed (default), a version like 1.17.43, latest, a date YYYY-MM-DD, or a path"


def source_option(help: str = SOURCE_HELP) -> Callable[[F], F]:
    """``--source/-s SOURCE``: where the models come from (resolved by :mod:`botocontract.specs`)."""
    return click.option("--source", "-s", default="installed", show_default=True, metavar="SOURCE", help=help)


class Choice(click.Choice):  # type: ignore[type-arg]
    """A choice whose error suggests the closest names, as every other unknown name in botocontract does."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            from botocontract.errors import did_you_mean

            close = did_you_mean(str(value), [str(c) for c in self.choices])
            if close:
                exc.message = f"{exc.message.rstrip('.')}; did you mean {', '.join(close)}?"
            raise


def format_option(
    choices: Sequence[str] | Callable[[], Sequence[str]], default: str = "text", help: str | None = None
) -> Callable[[F], F]:
    """``--format/-f NAME``; ``choices`` may be a callable (a registry's names), read once, here."""
    names = list(choices() if callable(choices) else choices)
    return click.option(
        "--format", "-f", "fmt", type=Choice(names), default=default, show_default=True, help=help
    )


def contract_option(help: str, required: bool = False) -> Callable[[F], F]:
    """``--contract PATH``: the consumer contract a command reads (into ``contract_path``)."""
    path = click.Path(dir_okay=False)
    return click.option("--contract", "contract_path", type=path, required=required, default=None, help=help)


def output_option(
    help: str = "Write the result to this file (atomically) instead of printing it.", **attrs: Any
) -> Callable[[F], F]:
    """``--output/-o PATH``: where the command's main result goes."""
    attrs.setdefault("type", click.Path(dir_okay=False))
    return click.option("--output", "-o", "output", default=None, metavar="PATH", help=help, **attrs)


def report_option(
    help: str = "Also write a report in another format (repeatable), e.g. --report json=out.json.",
) -> Callable[[F], F]:
    """``--report FORMAT=PATH`` (repeatable); parse the values with :func:`parse_reports`."""
    return click.option("--report", "reports", multiple=True, metavar="FORMAT=PATH", help=help)


def parse_reports(
    values: Iterable[str],
    known: Iterable[str],
    *,
    kind: str = "output format",
    default_path: str | None = None,
) -> list[tuple[str, str]]:
    """``FORMAT=PATH`` values as pairs; a bare ``FORMAT`` takes ``default_path`` (the old ``--out``)."""
    from botocontract.errors import BotocontractError, UnknownNameError

    names = list(known)
    pairs = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep:
            path = default_path or ""
        if not path:
            raise BotocontractError(
                f"--report {value!r} is not FORMAT=PATH", hint=f"e.g. --report {name}=report"
            )
        if name not in names:
            raise UnknownNameError(kind, name, names)
        pairs.append((name, path))
    return pairs


def alias(flag: str, target: str, *, value: Any = None, **attrs: Any) -> Callable[[F], F]:
    """A hidden old spelling: a given ``flag`` passes its value (or ``value``, for a flag) as ``target``."""
    dest = "alias_" + flag.lstrip("-").replace("-", "_")

    def decorator(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = kwargs.pop(dest, None)
            if given not in (None, False, ()):
                kwargs[target] = value if value is not None else given
            return func(*args, **kwargs)

        if value is not None:
            attrs.setdefault("is_flag", True)
        return click.option(flag, dest, hidden=True, **attrs)(wrapper)  # type: ignore[return-value]

    return decorator


def emit(text: str, output: str | None = None, *, newline: bool = True) -> None:
    """Print ``text`` (ending it with a newline unless ``newline`` is false), or write it atomically."""
    if output:
        from botocontract.specs.cache import atomic_write_text

        atomic_write_text(output, text + "\n" if newline and not text.endswith("\n") else text)
        return
    click.echo(text, nl=newline and not text.endswith("\n"))


@contextlib.contextmanager
def progress_bar(verb: str, unit: str = "releases") -> Iterator[Callable[[int, int, str], None] | None]:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(f"{verb} {{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(unit, total=None)

        def update(done: int, total: int, version: str) -> None:
            bar.update(task, completed=done, total=total, description=version or "done")

        yield update
