"""The oldest botocore and boto3 a contract can run on, and a check of the floor a project declares.

Every service, operation and member path a contract names is an item; the minimum botocore is the oldest
release holding all of them, and the item that appeared last sets it. A project's declared floor comes from
``pyproject.toml``, ``requirements*.txt``, ``setup.cfg`` or a specifier (``boto3>=1.14``): the oldest release
its specifier allows, mapped through boto3's pin when it names boto3.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

from botocontract.contracts.history.blame import Bisector, NotInStore, bounded_releases
from botocontract.contracts.history.boto3 import boto3_pinning
from botocontract.contracts.history.items import Item
from botocontract.contracts.history.lockfiles import read_toml
from botocontract.contracts.history.store import HistoryError, Store

if TYPE_CHECKING:
    from botocontract.contracts.contract import Contract

__all__ = [
    "DeclaredFloor",
    "MinVersion",
    "contract_items",
    "declared_floor",
    "min_version",
    "missing_at",
    "render_min_version",
]

PACKAGES = ("botocore", "boto3")


def contract_items(contract: Contract) -> list[Item]:
    """Every service, operation and member path a contract uses, with the members above each path
    (``*`` adds nothing below it)."""
    from botocontract.contracts.contract import member_segments

    items: set[Item] = set()
    for service, operation, use in contract.operations():
        items.add(Item("service", service))
        items.add(Item("operation", service, operation))
        for direction, paths in (("request", use.request), ("response", use.response)):
            for path in paths:
                segments = [s for s in member_segments(path) if s != "*"]
                for end in range(1, len(segments) + 1):  # a member needs every member above it
                    items.add(Item("member", service, operation, direction, ".".join(segments[:end])))
    if not items:
        raise HistoryError("the contract uses no operation", hint="record or scan one first")
    return sorted(items)


@dataclass
class MinVersion:
    """The floor: botocore release, its date, the boto3 that pins it, and the items that set it."""

    botocore: str
    date: str
    at_or_before: bool
    boto3: str | None
    boto3_date: str | None
    setters: list[Item]
    items: list[Item]
    method: str
    releases_read: int = 0
    searched: tuple[str, str, int] = ("", "", 0)
    bisector: Bisector | None = field(default=None, repr=False)
    store: Store | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "botocore": self.botocore,
            "date": self.date,
            "at_or_before": self.at_or_before,
            "boto3": self.boto3,
            "boto3_date": self.boto3_date,
            "set_by": [str(i) for i in self.setters],
            "items": len(self.items),
            "method": self.method,
            "releases_read": self.releases_read,
            "searched": {"from": self.searched[0], "to": self.searched[1], "releases": self.searched[2]},
        }


def _current_starts(store: Store, items: Sequence[Item]) -> dict[Item, tuple[int, bool]]:
    """Per item, the first release of the interval it is present in at the store's last release."""
    out = {}
    for item in items:
        rows = store.presence(item, open_only=True)
        if not rows:
            last = store.span()[1]
            raise NotInStore(
                f"{item} is not in botocore {last}, the store's newest release",
                hint="check the contract with `botocontract contract check`",
            )
        _direction, first, _gone, at_start = rows[0]
        out[item] = (first, bool(at_start))
    return out


def min_version(
    contract: Contract, *, store: Store | None = None, lower: str | None = None, upper: str | None = None
) -> MinVersion:
    """The oldest botocore (and boto3) holding every item of ``contract``."""
    items = contract_items(contract)
    if store is not None:
        starts = _current_starts(store, items)
        floor = max(seq for seq, _ in starts.values())
        setters = sorted(i for i, (seq, _) in starts.items() if seq == floor)
        at_start = any(starts[i][1] for i in setters)
        version, uploaded = store.release(floor)
        b3, b3_date = boto3_pinning(version)
        return MinVersion(
            version,
            uploaded[:10],
            at_start,
            b3,
            b3_date,
            setters,
            items,
            "store",
            0,
            store.searched(),
            store=store,
        )
    releases = bounded_releases(lower, upper)
    bisector = Bisector(releases)
    at, at_start = bisector.first(items)
    setters = [] if at_start else bisector.missing(at - 1, items)
    release = releases[at]
    b3, b3_date = boto3_pinning(release.version)
    return MinVersion(
        release.version,
        release.day.isoformat(),
        at_start,
        b3,
        b3_date,
        setters or items,
        items,
        "bisect",
        bisector.releases_read,
        (releases[0].version, releases[-1].version, len(releases)),
        bisector=bisector,
    )


def missing_at(result: MinVersion, botocore: str) -> list[Item]:
    """Items of the contract that botocore ``botocore`` lacks."""
    if result.store is not None:
        seq = result.store.seq_of(botocore)
        if seq is not None:
            starts = _current_starts(result.store, result.items)
            return [i for i, (first, _) in starts.items() if first > seq]
    return (result.bisector or Bisector([])).missing_in(botocore, result.items)


# -- the floor a project declares ----------------------------------------------------------------------------


@dataclass
class DeclaredFloor:
    """The oldest release a requirement allows, and the botocore that means."""

    requirement: str
    package: str
    version: str
    botocore: str
    origin: str


def _requirements_in(path: Path) -> Iterator[str]:
    name = path.name
    text = path.read_text(encoding="utf-8")
    if name == "pyproject.toml":
        data = read_toml(text, path, "fix the file")
        project = data.get("project") or {}
        yield from project.get("dependencies") or []
        for extra in (project.get("optional-dependencies") or {}).values():
            yield from extra
        for group in (data.get("dependency-groups") or {}).values():
            yield from (g for g in group if isinstance(g, str))
        poetry = ((data.get("tool") or {}).get("poetry") or {}).get("dependencies") or {}
        for package, spec in poetry.items():
            version = spec.get("version") if isinstance(spec, dict) else spec
            if isinstance(version, str):
                yield f"{package}{_poetry_spec(version)}"
    elif name == "setup.cfg":
        parser = configparser.ConfigParser()
        parser.read_string(text)
        if parser.has_option("options", "install_requires"):
            yield from (x.strip() for x in parser.get("options", "install_requires").splitlines())
    else:
        for line in text.splitlines():
            line = line.split(" #")[0].strip()
            if line and not line.startswith(("#", "-")):
                yield line


def _poetry_spec(version: str) -> str:
    """Poetry's ``^1.14`` / ``~1.14`` / ``1.14`` as a PEP 440 lower bound (what a floor needs)."""
    version = version.strip()
    if version.startswith(("^", "~")) and not version.startswith("~="):
        return f">={version.lstrip('^~')}"
    if re.fullmatch(r"\d+(\.\d+)*", version):
        return f"=={version}"
    return "" if version == "*" else version


def _candidates(check: str) -> list[tuple[str, Requirement]]:
    path = Path(check)
    if check in ("", ".") or path.is_dir():
        folder = path if path.is_dir() else Path(".")
        files = [folder / "pyproject.toml", *sorted(folder.glob("requirements*.txt")), folder / "setup.cfg"]
        files = [f for f in files if f.is_file()]
        if not files:
            raise HistoryError(
                f"no pyproject.toml, requirements*.txt or setup.cfg in {folder.resolve()}",
                hint='pass --check a file or a specifier like "boto3>=1.14"',
            )
    elif path.is_file():
        files = [path]
    else:
        try:
            req = Requirement(check)
        except InvalidRequirement:
            raise HistoryError(
                f"--check {check!r} is neither a file nor a requirement",
                hint='write e.g. --check "boto3>=1.14" or --check pyproject.toml',
            ) from None
        return [("--check", req)]
    found = []
    for file in files:
        for line in _requirements_in(file):
            try:
                req = Requirement(line)
            except InvalidRequirement:
                continue
            found.append((str(file), req))
    return found


def declared_floor(check: str) -> DeclaredFloor:
    """The floor declared by a specifier, a file, or the project files in a folder (``.``); the higher of
    the botocore and boto3 floors when both are declared."""
    from botocontract.contracts.history.boto3 import Boto3Release, boto3_releases, pin_of
    from botocontract.specs import index

    floors = []
    for origin, req in _candidates(check):
        name = req.name.lower()
        if name not in PACKAGES:
            continue
        releases = index.releases() if name == "botocore" else boto3_releases()
        allowed = [r for r in releases if req.specifier.contains(r.version, prereleases=False)]
        if not allowed:
            raise HistoryError(f"{req} ({origin}) allows no {name} release", hint="fix the specifier")
        oldest = allowed[0]
        botocore = pin_of(oldest).low if isinstance(oldest, Boto3Release) else oldest.version
        floors.append(DeclaredFloor(str(req), name, oldest.version, botocore, origin))
    if not floors:
        raise HistoryError(
            f"{check or '.'} declares no botocore or boto3 requirement",
            hint='pass --check a specifier like "boto3>=1.14"',
        )
    return max(floors, key=lambda f: Version(f.botocore))


def render_min_version(result: MinVersion) -> str:
    lines = []
    prefix = "at or before " if result.at_or_before else ""
    lines.append(f"minimum botocore: {prefix}{result.botocore} ({result.date})")
    if result.boto3:
        lines.append(
            f"minimum boto3:    {result.boto3} ({result.boto3_date}), the first that requires "
            f"botocore>={result.botocore}"
        )
    label = "set by" if not result.at_or_before else "already there"
    for item in result.setters[:10]:
        lines.append(f"{label}: {item}")
    if len(result.setters) > 10:
        lines.append(f"... and {len(result.setters) - 10} more")
    lo, hi, count = result.searched
    if result.method == "store":
        lines.append(f"{len(result.items)} items, answered from the history store ({lo} .. {hi})")
    else:
        lines.append(
            f"{len(result.items)} items, found by bisecting botocore {lo} .. {hi} ({count} releases): "
            f"read {result.releases_read} releases, assuming items stay once added"
        )
    return "\n".join(lines)
