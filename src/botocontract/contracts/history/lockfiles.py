"""The botocore a lockfile installs, so an upgrade PR from a bot gets a verdict with no version typed.

Reads ``requirements*.txt`` (pip-compile, ``pip freeze``), ``uv.lock``, ``poetry.lock``, ``Pipfile.lock``,
``pdm.lock`` and ``pylock.toml`` (PEP 751). botocore's own pin wins; a lockfile with only boto3 maps it to
the botocore its release requires (the lower bound of its ``Requires-Dist``). ``REF:FILE`` reads the file
as it is at a git ref (``origin/main:uv.lock``), the state before a PR.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocontract.contracts.history.store import HistoryError

__all__ = ["FORMATS", "Locked", "locked_botocore", "read_lock_text", "read_toml"]

FORMATS = ("requirements", "uv", "poetry", "pipfile", "pdm", "pylock")
_PACKAGES = ("botocore", "boto3")


@dataclass(frozen=True)
class Locked:
    """What a lockfile pins: the botocore version, and whether it came through boto3."""

    botocore: str
    package: str
    version: str
    origin: str
    format: str

    def describe(self) -> str:
        if self.package == "botocore":
            return f"botocore {self.botocore} ({self.origin})"
        return f"botocore {self.botocore}, pinned by boto3 {self.version} ({self.origin})"


def read_lock_text(spec: str) -> tuple[str, str]:
    """(text, name) of ``FILE`` or ``GITREF:FILE``."""
    path = Path(spec)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8"), path.name
        except (OSError, UnicodeDecodeError) as exc:
            raise HistoryError(f"cannot read lockfile {spec}: {exc}", hint="check the path") from None
    ref, sep, file = spec.partition(":")
    if not sep or not ref or not file:
        raise HistoryError(
            f"no such lockfile: {spec}", hint="give a FILE or GITREF:FILE (origin/main:uv.lock)"
        )
    proc = subprocess.run(["git", "show", f"{ref}:{file}"], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["git show failed"])[-1]
        raise HistoryError(
            f"cannot read {file} at git ref {ref}: {last}",
            hint="fetch the ref first (git fetch origin main) and check the path",
        )
    return proc.stdout, Path(file).name


def _format_of(name: str, text: str) -> str:
    lowered = name.lower()
    if lowered == "uv.lock":
        return "uv"
    if lowered == "poetry.lock":
        return "poetry"
    if lowered == "pipfile.lock":
        return "pipfile"
    if lowered == "pdm.lock":
        return "pdm"
    if re.fullmatch(r"pylock(\.[^.]+)?\.toml", lowered):
        return "pylock"
    if lowered.endswith((".txt", ".in")):
        return "requirements"
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "pipfile"
    if "lock-version" in text and "[[packages]]" in text:
        return "pylock"
    if "[[package]]" in text:
        return "uv"  # uv, poetry and pdm all list [[package]] name/version
    return "requirements"


def read_toml(text: str, name: object, hint: str) -> dict[str, Any]:
    """``text`` parsed as TOML; invalid TOML is a one-line error naming ``name``, ending with ``hint``."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise HistoryError(f"{name} is not valid TOML: {exc}", hint=hint) from None


def _versions(fmt: str, text: str, name: str) -> dict[str, str]:
    """package -> locked version, for botocore and boto3."""
    found: dict[str, str] = {}
    if fmt == "requirements":
        for line in text.splitlines():
            line = line.split("#")[0].strip().rstrip("\\").strip()
            match = re.match(
                r"^(boto3|botocore)\s*(?:\[[^\]]*\])?\s*===?\s*([0-9][^\s;,]*)", line, re.IGNORECASE
            )
            if match:
                found[match.group(1).lower()] = match.group(2)
    elif fmt == "pipfile":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise HistoryError(f"{name} is not valid JSON: {exc}", hint="pass Pipfile.lock itself") from None
        for section in ("default", "develop"):
            for package, entry in (data.get(section) or {}).items():
                version = (entry or {}).get("version", "") if isinstance(entry, dict) else ""
                if package.lower() in _PACKAGES and version.startswith("=="):
                    found.setdefault(package.lower(), version[2:])
    else:
        data = read_toml(text, name, "pass the lockfile itself")
        key = "packages" if fmt == "pylock" else "package"
        for entry in data.get(key) or []:
            package = str(entry.get("name", "")).lower()
            if package in _PACKAGES and entry.get("version"):
                found.setdefault(package, str(entry["version"]))
    return found


def locked_botocore(spec: str) -> Locked:
    """The botocore version the lockfile ``spec`` (``FILE`` or ``GITREF:FILE``) installs."""
    text, name = read_lock_text(spec)
    fmt = _format_of(name, text)
    versions = _versions(fmt, text, name)
    if "botocore" in versions:
        return Locked(versions["botocore"], "botocore", versions["botocore"], spec, fmt)
    if "boto3" in versions:
        from botocontract.contracts.history.boto3 import pin_of

        return Locked(pin_of(versions["boto3"]).low, "boto3", versions["boto3"], spec, fmt)
    raise HistoryError(
        f"{spec} ({fmt}) locks neither botocore nor boto3",
        hint="point at the lockfile of the project that uses boto3",
    )
