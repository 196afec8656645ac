"""Command line: parses arguments, calls the library, prints.

One module per command group (:mod:`.specs`, :mod:`.changes`, :mod:`.site`, :mod:`.contracts`,
:mod:`.fuzz`); each command imports the library inside its body, so ``botocontract --help`` costs no more
than importing click. Shared options live in :mod:`._options`.

Exit codes: 0 ok; 1 a check found something (gate, validate, fuzz); 2 bad input (usage, unknown names,
unreachable or corrupt sources) — always one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from botocontract.cli import changes, contracts, fuzz, history, site, specs
from botocontract.errors import EXIT_FAILED, EXIT_USAGE, BotocontractError

__all__ = ["EXIT_FAILED", "main", "run"]

#: Exit code after Ctrl-C, as a shell reports a process ended by SIGINT.
EXIT_INTERRUPTED = 130


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """The one way a command line error leaves: ``botocontract: error: ...`` on stderr, then ``code``."""
    click.echo(f"botocontract: error: {message}", err=True)
    sys.exit(code)


def _usage_line(exc: click.ClickException) -> str:
    message = exc.format_message().replace("\n", " ").rstrip(".")
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


class _Group(click.Group):
    """The main group: every error a user can cause becomes one line and a documented exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:  # a caller that wants exceptions gets them
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(
                args, prog_name or "botocontract", complete_var, standalone_mode=False, **extra
            )
        except BotocontractError as exc:
            fail(exc.one_line(), exc.exit_code)
        except click.exceptions.Abort:
            fail("interrupted", EXIT_INTERRUPTED)
        except click.ClickException as exc:  # usage errors, unreadable --input files, bad parameters
            fail(_usage_line(exc), EXIT_USAGE)
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="botocontract")
def main() -> None:
    """Treat the AWS service models inside botocore as contracts."""


for _command in (
    specs.services,
    specs.shapes,
    specs.validate,
    specs.lint,
    changes.diff,
    changes.rules,
    site.site,
    contracts.gate,
    contracts.contract,
    specs.schema,
    fuzz.fuzz,
    fuzz.generators,
    history.history,
    history.blame,
    history.min_version,
    history.feed,
):
    main.add_command(_command)
specs.schema.add_command(changes.schema_diff_json)


def run() -> None:
    """Entry point for ``python -m botocontract.cli``-style callers: the same as :data:`main`."""
    main()
