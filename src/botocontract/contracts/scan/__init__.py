"""A static contract: the AWS operations, paginators, waiters and member paths a project's code uses.

The scanner follows boto3 clients through real code (wrapper classes, properties, helper functions,
callbacks, paginators, waiters, the resource API) per function, see :mod:`.flow`. What it cannot resolve is
not passed over silently: :attr:`ScanResult.coverage` counts the client calls seen and resolved and lists
every unresolved one as ``file:line``. Record a contract with the pytest plugin for what runs.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from botocontract.contracts.contract import Contract
from botocontract.contracts.scan.flow import Coverage, Interpreter
from botocontract.contracts.scan.models import Models
from botocontract.contracts.scan.project import Project
from botocontract.errors import BotocontractError

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike

__all__ = ["Coverage", "ScanResult", "scan_paths", "scan_source"]

_SKIP_DIRS = {".git", ".hg", ".tox", ".nox", ".venv", "venv", "node_modules", "site-packages", "__pycache__"}


@dataclass
class ScanResult:
    """The contract found, what could not be resolved (``file:line: text`` notes) and the coverage."""

    contract: Contract = field(default_factory=Contract)
    notes: list[str] = field(default_factory=list)
    files: int = 0
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def unresolved(self) -> list[str]:
        """``file:line: why`` for every client call that was seen but not mapped to an operation."""
        return [f"{f}:{line}: {why}" for f, line, why in self.coverage.unresolved()]

    def operations_in(self, filename: str | os.PathLike[str]) -> set[str]:
        """``service.Operation`` names resolved at call sites in one file."""
        wanted = str(filename)
        out: set[str] = set()
        for (f, _), names in self.coverage.operations.items():
            if f == wanted:
                out |= names
        return out

    def summary(self) -> str:
        """One line: calls seen, resolved (with the share) and unresolved; operations found."""
        seen = len(self.coverage.seen)
        resolved = len(self.coverage.resolved & self.coverage.seen.keys())
        share = f" ({100 * resolved / seen:.0f}%)" if seen else ""
        ops = sum(len(o) for o in self.contract.services.values())
        return (
            f"scanned {self.files} file(s): {seen} client call(s) seen, {resolved} resolved{share}, "
            f"{seen - resolved} unresolved, {len(self.coverage.open_kwargs)} with **kwargs not followed; "
            f"{ops} operation(s) in {len(self.contract.services)} service(s)"
        )


def _module_name(path: Path, root: Path | None) -> str:
    """The dotted import name of a file: its package folders (those with ``__init__.py``) above it."""
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").exists() and folder != folder.parent:
        parts.append(folder.name)
        folder = folder.parent
    if parts[0] == "__init__":
        parts = parts[1:] or ["__init__"]
    return ".".join(reversed(parts))


def _scan(files: list[tuple[str, str, str]], source: SourceLike) -> ScanResult:
    """Scan (module name, file name, text) triples as one project."""
    result = ScanResult()
    project = Project()
    for module, filename, text in files:
        try:
            tree = ast.parse(text, filename=filename)
        except SyntaxError as exc:
            result.notes.append(f"{filename}:{exc.lineno or 0}: not Python ({exc.msg}); skipped")
            continue
        except (RecursionError, MemoryError):
            result.notes.append(f"{filename}:0: nested too deeply to read; skipped")
            continue
        while module in project.modules:
            module += "_"
        project.add(module, filename, tree)
        result.files += 1
    models = Models(source)
    interpreter = Interpreter(project, models, result.contract, result.coverage)
    interpreter.run()
    coverage = result.coverage
    # A call on something named like a client whose method is an operation of a service the project uses
    # is a client call the scanner missed: count it as seen and unresolved.
    methods: set[str] = set()
    for service in sorted(interpreter.services_seen):
        facts = models.facts(service)
        if facts is not None:
            methods.update(facts.methods)
    for site, (method, receiver) in sorted(coverage.candidates.items()):
        if method in methods and site not in coverage.seen:
            coverage.seen[site] = f"{method}: {receiver!s} was not resolved to a client"
    for (filename, line), name in sorted(coverage.unknown_services.items()):
        result.notes.append(f"{filename}:{line}: unknown service {name!r}; skipped")
    for (filename, line), op in sorted(coverage.open_kwargs.items()):
        result.notes.append(f"{filename}:{line}: {op}: **kwargs not followed")
    result.notes.extend(f"{entry}: unresolved" for entry in result.unresolved)
    result.notes.sort(key=_note_order)
    return result


def _note_order(note: str) -> tuple[str, int, str]:
    filename, _, rest = note.partition(":")
    line, _, text = rest.partition(":")
    return filename, int(line) if line.isdigit() else 0, text


def scan_source(text: str, *, filename: str = "<string>", source: SourceLike = "installed") -> ScanResult:
    """Scan one Python source text; a file that does not parse is noted, not fatal."""
    return _scan([(Path(filename).stem or "module", filename, text)], source)


def _python_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif path.is_dir():
            for found in sorted(path.rglob("*.py")):
                if not _SKIP_DIRS.intersection(found.relative_to(path).parts[:-1]):
                    yield found
        else:
            raise BotocontractError(
                f"nothing to scan at {str(path)!r}", hint="give a Python file or a folder"
            )


def scan_paths(paths: Iterable[str | os.PathLike[str]], *, source: SourceLike = "installed") -> ScanResult:
    """Scan files and folders (recursively, skipping virtualenvs and VCS folders) as one project."""
    files = [
        (_module_name(path, None), str(path), path.read_text(encoding="utf-8", errors="replace"))
        for path in _python_files(paths)
    ]
    return _scan(files, source)
