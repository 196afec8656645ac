"""Read access to a botocore ``data/`` tree, from an unpacked folder or straight out of a wheel.

A damaged wheel member is healed by a fresh download (``refetch``) instead of failing the run.
"""

from __future__ import annotations

import os
import threading
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from botocontract.errors import SourceError


class _Files:
    """Read access to a botocore ``data/`` tree, as relative paths like ``sqs/2012-11-05/service-2.json``."""

    def names(self) -> list[str]:
        raise NotImplementedError

    def read(self, rel: str) -> bytes:
        raise NotImplementedError

    def head(self, rel: str, size: int) -> bytes:
        return self.read(rel)[:size]

    def signature(self, rel: str) -> str:
        """CRC-32 and length of the *uncompressed* bytes, so equal JSON gives an equal id, gz or not."""
        data = self.read(rel)
        if rel.endswith(".gz"):
            crc, length = int.from_bytes(data[-8:-4], "little"), int.from_bytes(data[-4:], "little")
        else:
            crc, length = zlib.crc32(data), len(data)
        return f"{crc:08x}-{length}"


class _DirFiles(_Files):
    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> list[str]:
        out: list[str] = []
        for service in sorted(os.listdir(self.root)):
            sdir = self.root / service
            if not sdir.is_dir():
                continue
            for version in sorted(os.listdir(sdir)):
                vdir = sdir / version
                if vdir.is_dir():
                    out.extend(f"{service}/{version}/{f}" for f in os.listdir(vdir))
        return out

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def head(self, rel: str, size: int) -> bytes:
        with open(self.root / rel, "rb") as fh:
            return fh.read(size)

    def signature(self, rel: str) -> str:
        if rel.endswith(".gz"):
            with open(self.root / rel, "rb") as fh:
                fh.seek(-8, os.SEEK_END)
                tail = fh.read(8)
            return f"{int.from_bytes(tail[:4], 'little'):08x}-{int.from_bytes(tail[4:], 'little')}"
        return super().signature(rel)


#: What reading a damaged zip member raises: a bad CRC, a broken deflate stream, a truncated file.
_ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError)


class _ZipFiles(_Files):
    """A botocore wheel: members under ``botocore/data/``.

    ``refetch(why)`` (given for cached wheels) replaces a damaged wheel with a fresh download and returns
    its path; a member that fails its CRC is then read again from the new wheel instead of failing the run.
    """

    PREFIX = "botocore/data/"

    def __init__(self, path: Path, refetch: Callable[[str], Path] | None = None) -> None:
        self.path = path
        self._refetch = refetch
        self._local = threading.local()
        self._generation = 0
        self._heal_lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        try:
            with zipfile.ZipFile(self.path) as zf:
                self._infos = {
                    i.filename[len(self.PREFIX) :]: i
                    for i in zf.infolist()
                    if i.filename.startswith(self.PREFIX) and not i.is_dir()
                }
        except (OSError, zipfile.BadZipFile) as exc:
            raise SourceError(
                f"{self.path} is not a readable wheel: {exc}",
                hint="delete it (if it is in the cache) and try again",
            ) from None
        if not self._infos:
            raise SourceError(f"{self.path} holds no botocore/data/ models", hint="pass a botocore wheel")

    @property
    def _zip(self) -> zipfile.ZipFile:
        held = getattr(self._local, "zf", None)
        if held is None or held[0] != self._generation:
            held = self._local.zf = (self._generation, zipfile.ZipFile(self.path))
        return held[1]

    def _heal(self, rel: str, exc: BaseException, generation: int) -> None:
        if self._refetch is None:
            raise SourceError(
                f"{self.path}: {rel} is damaged ({exc})", hint="download the wheel again"
            ) from None
        with self._heal_lock:
            if generation != self._generation:
                return  # another thread already replaced the wheel
            self.path = self._refetch(f"the cached wheel {self.path.name} is damaged ({rel}: {exc})")
            self._open()
            self._generation += 1

    def _guarded(self, rel: str, read: Callable[[zipfile.ZipFile], bytes]) -> bytes:
        generation = self._generation
        try:
            return read(self._zip)
        except _ZIP_DAMAGE as exc:
            if isinstance(exc, KeyError) and rel not in self._infos:
                raise
            self._heal(rel, exc, generation)
        try:
            return read(self._zip)
        except _ZIP_DAMAGE as exc:
            raise SourceError(
                f"{self.path}: {rel} is still damaged after a fresh download ({exc})",
                hint="check the disk and pip's index",
            ) from None

    def names(self) -> list[str]:
        return list(self._infos)

    def read(self, rel: str) -> bytes:
        return self._guarded(rel, lambda zf: zf.read(self._infos[rel]))

    def head(self, rel: str, size: int) -> bytes:
        def first(zf: zipfile.ZipFile) -> bytes:
            with zf.open(self._infos[rel]) as fh:
                return fh.read(size)

        return self._guarded(rel, first)

    def signature(self, rel: str) -> str:
        info = self._infos[rel]
        if not rel.endswith(".gz"):
            return f"{info.CRC:08x}-{info.file_size}"
        return super().signature(rel)
