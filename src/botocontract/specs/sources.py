"""Where models come from: the installed botocore, a release from the package index, or a local path.

A :class:`Source` names one set of botocore models. It lists services cheaply (only each model's
``metadata`` is read, and listings of immutable releases are cached) and loads a service's model,
paginators and waiters lazily. Files are read straight from folders or wheels; a release is never
installed.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import shutil
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeAlias

from botocore.model import ServiceId
from botocore.utils import deep_merge
from packaging.version import InvalidVersion, Version

from botocontract.errors import ModelError, SourceError, UnknownNameError
from botocontract.specs import index
from botocontract.specs.cache import (
    CACHE_VERSION,
    Memo,
    OutputError,
    atomic_write_json,
    cache_dir,
    cache_notice,
    read_cached_json,
    read_json,
    write_cached_json,
)
from botocontract.specs.datafiles import _DirFiles, _Files, _ZipFiles
from botocontract.specs.model import ServiceSpec, bulk_allocation

__all__ = ["ServiceInfo", "Source", "SourceLike", "load_service", "resolve_source"]

_MODEL_NAMES = ("service-2.json", "service-2.json.gz")
#: File name -> kind. ``*.sdk-extras.json`` files are merged into their model, as botocore's loader does,
#: so specs describe what boto3 really sees (e.g. s3 ``Expires`` as a timestamp).
_KINDS = {
    "service-2.json": "service",
    "service-2.json.gz": "service",
    "service-2.sdk-extras.json": "service-extras",
    "paginators-1.json": "paginators",
    "paginators-1.json.gz": "paginators",
    "paginators-1.sdk-extras.json": "paginators-extras",
    "waiters-2.json": "waiters",
    "waiters-2.json.gz": "waiters",
    "endpoint-rule-set-1.json": "endpoint-rules",
    "endpoint-rule-set-1.json.gz": "endpoint-rules",
}
#: Release-wide files that endpoint rule sets are evaluated against (regions and partition outputs).
_RELEASE_FILES = {"partitions": "partitions.json", "endpoints": "endpoints.json"}
#: Parsed models one source keeps (least recently used dropped): a sweep over every service stays flat.
MAX_PARSED_SERVICES = 24
_DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ServiceInfo:
    """What a listing says of one service without loading its whole model."""

    name: str
    api_version: str
    full_name: str
    protocol: str
    api_versions: tuple[str, ...] = ()


class _SingleFile(_Files):
    """One ``service-2.json(.gz)`` presented as a one-service data tree.

    It is named as botocore names its data folder: from the path when the file sits in botocore's own
    ``<service>/<api-version>/`` layout, otherwise from its ``metadata`` (see :func:`botocore_name`). Its
    endpoint prefix and hyphenated service id are accepted as aliases.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        gz = path.name.endswith(".gz")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(
                f"cannot read {str(path)!r}: {exc.strerror or exc}", hint="check the path and its permissions"
            ) from None
        meta = _metadata_of(data, gz, str(path))
        if not meta.get("apiVersion") or not (meta.get("serviceId") or meta.get("endpointPrefix")):
            raise ModelError(
                f"{path} is not a botocore service model (no metadata with apiVersion and serviceId)",
                hint="pass a service-2.json from botocore/data/<service>/<api-version>/, a wheel or a folder",
            )
        parent = path.parent
        if _DATE_DIR.match(parent.name) and parent.parent.name:
            self.service, self.version = parent.parent.name, parent.name
        else:
            self.service, self.version = botocore_name(meta), str(meta["apiVersion"])
        self.aliases = {a: self.service for a in _aliases(meta) if a != self.service}
        self.rel = f"{self.service}/{self.version}/service-2.json{'.gz' if gz else ''}"
        siblings = {
            n: parent / n
            for n in (
                "paginators-1.json",
                "waiters-2.json",
                "endpoint-rule-set-1.json",
                "endpoint-rule-set-1.json.gz",
            )
            if (parent / n).exists()
        }
        self._siblings = {f"{self.service}/{self.version}/{n}": p for n, p in siblings.items()}

    def names(self) -> list[str]:
        return [self.rel, *self._siblings]

    def read(self, rel: str) -> bytes:
        if rel == self.rel:
            return self.path.read_bytes()
        return self._siblings[rel].read_bytes()


def _aliases(meta: dict[str, Any]) -> list[str]:
    service_id = meta.get("serviceId")
    out = [ServiceId(service_id).hyphenize()] if isinstance(service_id, str) else []
    prefix = meta.get("endpointPrefix")
    if isinstance(prefix, str):
        out.append(prefix)
    return out


@lru_cache(maxsize=1)
def _installed_names() -> dict[str, str]:
    """serviceId (and unambiguous endpointPrefix) -> data folder name, from the installed botocore."""
    files = _installed()._files
    by_id: dict[str, str] = {}
    by_prefix: dict[str, set[str]] = {}
    for rel in sorted(files.names()):
        service, _, fname = rel.split("/") if rel.count("/") == 2 else ("", "", "")
        if fname not in _MODEL_NAMES:
            continue
        meta = _metadata_of(files.head(rel, 16384), rel.endswith(".gz"), rel)
        if isinstance(meta.get("serviceId"), str):
            by_id[meta["serviceId"]] = service
        if isinstance(meta.get("endpointPrefix"), str):
            by_prefix.setdefault(meta["endpointPrefix"], set()).add(service)
    names = {f"prefix:{p}": s.pop() for p, s in by_prefix.items() if len(s) == 1}
    names.update({f"id:{i}": s for i, s in by_id.items()})
    return names


def botocore_name(meta: dict[str, Any]) -> str:
    """The data folder name botocore uses for a model with this ``metadata`` (``sagemaker`` for SageMaker,
    whose endpoint prefix is ``api.sagemaker``): the installed botocore's own name for the service id,
    else botocore's hyphenated service id (how new services are named), else the endpoint prefix."""
    known = _installed_names()
    service_id, prefix = meta.get("serviceId"), meta.get("endpointPrefix")
    if isinstance(service_id, str) and f"id:{service_id}" in known:
        return known[f"id:{service_id}"]
    if isinstance(service_id, str) and service_id.strip():
        return str(ServiceId(service_id).hyphenize())
    if isinstance(prefix, str) and f"prefix:{prefix}" in known:
        return known[f"prefix:{prefix}"]
    return str(prefix)


def _decode(data: bytes, gz: bool, where: str) -> Any:
    try:
        with bulk_allocation():
            return json.loads(gzip.decompress(data) if gz else data)
    except RecursionError:
        raise ModelError(
            f"{where} is not a valid model file: nested too deeply",
            hint="re-download it or point at another source",
        ) from None
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise ModelError(
            f"{where} is not a valid model file: {exc}", hint="re-download it or point at another source"
        ) from None


def _metadata_of(head: bytes, gz: bool, where: str) -> dict[str, Any]:
    """The ``metadata`` object, parsed from the start of a model without loading the rest."""
    text = head
    if gz:
        try:
            text = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 65536)
        except zlib.error as exc:
            raise ModelError(f"{where} is not a valid gzip model: {exc}", hint="re-download it") from None
    start = text.find(b'"metadata"')
    if start >= 0:
        brace = text.find(b"{", start)
        decoder = json.JSONDecoder()
        try:
            meta, _ = decoder.raw_decode(text[brace:].decode("utf-8", "replace"))
            if isinstance(meta, dict):
                return meta
        except ValueError:
            pass
    return {}


class Source:
    """One set of botocore models. Build with :func:`resolve_source`."""

    def __init__(
        self,
        files: _Files,
        *,
        label: str,
        version: str | None = None,
        released: datetime | None = None,
        cache_key: str | None = None,
    ) -> None:
        self._files = files
        self.label = label
        self.version = version
        self.released = released
        self._cache_key = cache_key
        self._services: Memo[str, ServiceSpec] = Memo(MAX_PARSED_SERVICES)
        self._release: dict[str, Any] = {}
        self._lock = threading.Lock()
        #: Other names a service answers to (a loose model file's endpoint prefix, say).
        self.aliases: dict[str, str] = dict(getattr(files, "aliases", {}))

    def __repr__(self) -> str:
        return f"<Source {self.label}>"

    @cached_property
    def _tree(self) -> dict[str, dict[str, dict[str, str]]]:
        """service -> api_version -> kind ("service", "paginators", "waiters") -> relative path."""
        tree: dict[str, dict[str, dict[str, str]]] = {}
        for rel in self._files.names():
            parts = rel.split("/")
            if len(parts) != 3:
                continue
            service, version, fname = parts
            kind = _KINDS.get(fname)
            if kind:
                tree.setdefault(service, {}).setdefault(version, {})[kind] = rel
        return {s: v for s, v in tree.items() if any("service" in k for k in v.values())}

    def service_names(self) -> list[str]:
        return sorted(self._tree)

    def canonical(self, name: str) -> str:
        """The service's own name for ``name`` or one of its aliases (``service@api-version`` kept)."""
        service, at, version = name.partition("@")
        return self.aliases.get(service, service) + at + version

    def api_versions(self, name: str) -> list[str]:
        name = self.aliases.get(name, name)
        if name not in self._tree:
            raise UnknownNameError("service", name, self._tree, where=self.label)
        return sorted(v for v, kinds in self._tree[name].items() if "service" in kinds)

    def _split(self, name: str) -> tuple[str, str]:
        service, _, version = self.canonical(name).partition("@")
        versions = self.api_versions(service)
        if not version:
            return service, versions[-1]
        if version not in versions:
            raise UnknownNameError("api-version", version, versions, where=f"{service} ({self.label})")
        return service, version

    def signature(self, name: str, api_version: str | None = None, *, kind: str = "service") -> str:
        """A cheap content id of one model file (``service``, ``paginators``, ``waiters``,
        ``endpoint-rules``, or the release-wide ``partitions`` and ``endpoints``): equal JSON bytes give
        equal ids, compressed or not; an absent file gives ``"absent"``."""
        if kind in _RELEASE_FILES:
            return self._release_signature(kind)
        service, version = self._split(f"{name}@{api_version}" if api_version else name)
        files = self._tree[service][version]
        rel = files.get(kind)
        if rel is None:
            return "absent"
        extras = files.get(f"{kind}-extras")
        own = self._files.signature(rel)
        return own if extras is None else f"{own}+{self._files.signature(extras)}"

    def forget(self) -> None:
        """Drop the parsed models this source holds (long walks call it to keep memory flat)."""
        with self._lock:
            self._services.clear()
            self._release.clear()
        with _SOURCES_LOCK:
            for key in [k for k, v in _SOURCES.items() if v is self]:
                _SOURCES.pop(key)

    def services(self) -> list[ServiceInfo]:
        """Every service, newest api-version each, with full name and protocol."""
        path = self._listing_path
        cached = read_cached_json(path, "listing", _listing_rows) if path else None
        if cached is not None:
            return _listing_rows(cached)
        out = []
        for service in self.service_names():
            versions = self.api_versions(service)
            rel = self._tree[service][versions[-1]]["service"]
            meta: Mapping[str, Any] = _metadata_of(self._files.head(rel, 16384), rel.endswith(".gz"), rel)
            if "protocol" not in meta and "serviceFullName" not in meta:
                meta = self.service(service).metadata
            protocol = meta.get("protocol") or (meta.get("protocols") or ["unknown"])[0]
            full = meta.get("serviceFullName") or meta.get("serviceAbbreviation") or service
            out.append(ServiceInfo(service, versions[-1], full, protocol, tuple(versions)))
        if self._listing_path:
            rows = [{**vars(i), "api_versions": list(i.api_versions)} for i in out]
            write_cached_json(self._listing_path, "listing", rows)
        return out

    @property
    def _listing_path(self) -> Path | None:
        if not self._cache_key:
            return None
        return cache_dir("listings") / f"{self._cache_key}.v{CACHE_VERSION}.json"

    def _release_signature(self, kind: str) -> str:
        rel = _RELEASE_FILES[kind]
        try:
            return self._files.signature(rel)
        except (KeyError, OSError):
            return "absent"

    def release_json(self, kind: str) -> Any | None:
        """A release-wide file (``partitions`` or ``endpoints``) parsed, None when the source has none
        (a single model file, or a release older than the file). Read once per source."""
        with self._lock:
            if kind in self._release:
                return self._release[kind]
        rel = _RELEASE_FILES[kind]
        try:
            data = self._files.read(rel)
        except (KeyError, OSError):
            value = None
        else:
            value = _decode(data, False, f"{self.label}: {rel}")
        with self._lock:
            return self._release.setdefault(kind, value)

    def read_json(self, name: str, api_version: str, kind: str = "service") -> Any | None:
        """The JSON of one model file (``service``, ``paginators``, ``waiters`` or ``endpoint-rules``)
        with its ``sdk-extras`` merged in, None if absent; ``partitions`` and ``endpoints`` give the
        release-wide files."""
        if kind in _RELEASE_FILES:
            return self.release_json(kind)
        files = self._tree.get(name, {}).get(api_version, {})
        rel = files.get(kind)
        if rel is None:
            return None
        data = _decode(self._files.read(rel), rel.endswith(".gz"), f"{self.label}: {rel}")
        extras_rel = files.get(f"{kind}-extras")
        if extras_rel is not None and isinstance(data, dict):
            extras = _decode(self._files.read(extras_rel), False, f"{self.label}: {extras_rel}")
            if isinstance(extras, dict) and isinstance(extras.get("merge"), dict):
                deep_merge(data, extras["merge"])
        return data

    def service(self, name: str) -> ServiceSpec:
        """One service's spec: ``sagemaker`` (newest api-version) or ``dynamodb@2011-12-05``."""
        service, version = self._split(name)
        key = f"{service}@{version}"
        spec = self._services.get(key)
        if spec is None:
            raw = self.read_json(service, version)
            if not isinstance(raw, dict) or "operations" not in raw or "metadata" not in raw:
                raise ModelError(
                    f"{self.label}: {key} is not a botocore service model",
                    hint="point at a botocore data folder, model file or wheel",
                )

            def loader(kind: str) -> Any:
                return self.read_json(service, version, kind)

            def signer(kind: str) -> str:
                return self.signature(service, version, kind=kind)

            spec = ServiceSpec(service, version, raw, source_label=self.label, loader=loader, signer=signer)
            with self._lock:
                spec = self._services.setdefault(key, spec)
        return spec


def _listing_rows(rows: Any) -> list[ServiceInfo]:
    """Cached listing rows as :class:`ServiceInfo`; raises on any row of the wrong shape."""
    out = []
    for row in rows:
        info = ServiceInfo(**{**row, "api_versions": tuple(row["api_versions"])})
        if not all(isinstance(v, str) for v in (info.name, info.api_version, info.full_name, info.protocol)):
            raise TypeError("listing row of the wrong type")
        out.append(info)
    if not out:
        raise ValueError("empty listing")
    return out


def _installed() -> Source:
    import botocore

    root = Path(botocore.__file__).parent / "data"
    return Source(
        _DirFiles(root),
        label=f"installed botocore {botocore.__version__}",
        version=botocore.__version__,
        cache_key=None,
    )


def _stamp_path(wheel: Path) -> Path:
    return wheel.parent / f"{wheel.name}.verified"


def _stamp_of(wheel: Path) -> dict[str, int]:
    stat = wheel.stat()
    return {"cache": CACHE_VERSION, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _damage(wheel: Path) -> str | None:
    """Why a cached wheel is not whole, or None. Every member's CRC-32 is checked once; then a stamp
    beside the wheel (its size and mtime) vouches for it until the file changes."""
    stamp = _stamp_path(wheel)
    try:
        if read_json(stamp) == _stamp_of(wheel):
            return None
        with zipfile.ZipFile(wheel) as zf:
            bad = zf.testzip()
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        return str(exc)
    if bad is not None:
        return f"bad CRC-32 in {bad}"
    with contextlib.suppress(OSError):  # a read-only cache still works; the wheel is checked next time
        atomic_write_json(stamp, _stamp_of(wheel))
    return None


def _sweep(folder: Path, max_age: float = 3600.0) -> None:
    """Remove download folders that an interrupted run left behind (live ones are younger)."""
    for leftover in folder.glob(".download-*"):
        try:
            if time.time() - leftover.stat().st_mtime > max_age:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass


def _download(release: index.Release, *, damaged: str | None = None) -> Path:
    """The release's wheel from the cache, downloading it with pip (user's index config applies).

    A cached wheel that fails its check (or is known ``damaged``) is downloaded again and replaced
    atomically, so a concurrent reader sees the old file or the new one, never a gap; one notice line
    says so once the new wheel is in place (when the download fails, the error line says it instead)."""
    folder = cache_dir("wheels")
    if damaged is None:
        cached = folder / release.wheel if release.wheel else None
        if cached is None or not cached.exists():
            cached = _cached_wheel(release.version)
        if cached is not None and cached.exists():
            damaged = _damage(cached)
            if damaged is None:
                return cached
            damaged = f"the cached wheel {cached.name} is damaged ({damaged})"
    _sweep(folder)
    try:
        tmp_dir = tempfile.TemporaryDirectory(dir=folder, prefix=".download-")
    except OSError as exc:
        raise OutputError(
            f"cannot write to the cache folder {str(folder)!r}: {exc.strerror or exc}",
            hint="set BOTOCONTRACT_CACHE to a writable folder",
        ) from None
    with tmp_dir as tmp:
        wheel, last = index.pip_download("botocore", release.version, tmp)
        if wheel is None:
            why = f"{damaged} and " if damaged else ""
            raise SourceError(
                f"{why}cannot download botocore {release.version}: {last}",
                hint="check the network or pip's index settings; cached releases work offline",
            )
        target = folder / wheel.name
        os.replace(wheel, target)
    with contextlib.suppress(OSError):  # pip checked the download's hash against the index: stamp it whole
        atomic_write_json(_stamp_path(target), _stamp_of(target))
    if damaged:
        cache_notice(f"{damaged}; downloaded it again")
    return target


def _release_source(release: index.Release) -> Source:
    path = _download(release)
    return Source(
        _ZipFiles(path, refetch=lambda why: _download(release, damaged=why)),
        label=f"botocore {release.version}",
        version=release.version,
        released=release.uploaded,
        cache_key=path.stem,
    )


def _cached_wheel(version: str) -> Path | None:
    found = sorted(cache_dir("wheels").glob(f"botocore-{version}-*.whl"))
    return found[0] if found else None


def _version_source(version: str) -> Source:
    """A release by version; works offline from the cache (the date is then taken from the cached list)."""
    try:
        release = index.find_release(version)
    except SourceError as exc:
        wheel = _cached_wheel(version)
        if wheel is None:
            raise
        damaged = _damage(wheel)
        if damaged is not None:
            raise SourceError(
                f"the cached wheel of botocore {version} is damaged ({damaged}) and the index "
                f"cannot be reached to download it again ({exc.message})",
                hint="check the network or PIP_INDEX_URL",
            ) from None

        def refetch(why: str) -> Path:
            return _download(index.find_release(version), damaged=why)

        return Source(
            _ZipFiles(wheel, refetch=refetch),
            label=f"botocore {version}",
            version=version,
            cache_key=wheel.stem,
        )
    return _release_source(release)


def _path_source(path: Path) -> Source:
    if not path.exists():
        raise SourceError(
            f"no such file or folder: {path}",
            hint="pass 'installed', a botocore version like 1.17.43, a date, or a real path",
        )
    if path.is_file():
        if path.suffix in (".whl", ".zip"):
            return Source(_ZipFiles(path), label=path.name, version=_wheel_version(path))
        if path.name.endswith((".json", ".json.gz")):
            return Source(_SingleFile(path), label=str(path))
        raise SourceError(
            f"{path} is neither a model file nor a wheel",
            hint="pass a service-2.json(.gz), a botocore wheel or a data folder",
        )
    for candidate in (path / "botocore" / "data", path / "data", path):
        if candidate.is_dir() and any(candidate.glob("*/*/service-2.json*")):
            return Source(_DirFiles(candidate), label=str(path))
    for name in _MODEL_NAMES:
        if (path / name).exists():
            return Source(_SingleFile(path / name), label=str(path))
    raise SourceError(
        f"{path} holds no botocore models", hint="expected <service>/<api-version>/service-2.json below it"
    )


def _wheel_version(path: Path) -> str | None:
    parts = path.name.split("-")
    return parts[1] if len(parts) > 2 and parts[0] == "botocore" else None


#: What a caller may name a source by: ``installed``, ``latest``, a version (``1.17.43``,
#: ``botocore==1.17.43``), a date (``2020-08-14``), a path (as text or ``os.PathLike``) to a data folder,
#: model file or wheel, or a :class:`Source` already resolved; None means ``installed``. Public entry
#: points take this and call :func:`resolve_source` once; everything below them takes the :class:`Source`.
SourceLike: TypeAlias = str | os.PathLike[str] | Source | None

#: Sources resolved by name, most recent ones kept (each holds up to MAX_PARSED_SERVICES parsed models).
_SOURCES: Memo[str, Source] = Memo(12)
_SOURCES_LOCK = threading.Lock()


def resolve_source(spec: SourceLike = "installed") -> Source:
    """Turn ``installed``, ``1.17.43``, ``botocore==1.17.43``, ``latest``, ``2020-08-14`` or a path
    into a :class:`Source`. Sources are cached per process."""
    if isinstance(spec, Source):
        return spec
    text = "installed" if spec is None else os.fspath(spec).strip()
    with _SOURCES_LOCK:
        found = _SOURCES.get(text)
        if found is not None:
            return found
    source = _resolve(text)
    with _SOURCES_LOCK:
        return _SOURCES.setdefault(text, source)


def _resolve(text: str) -> Source:
    if text in ("installed", ""):
        return _installed()
    if text == "latest":
        return _release_source(index.releases()[-1])
    version = text.removeprefix("botocore==").removeprefix("botocore-")
    if re.fullmatch(r"\d+\.\d+\.\d+", version):
        return _version_source(version)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise SourceError(f"{text!r} is not a real date", hint="use YYYY-MM-DD") from None
        return _release_source(index.release_on_or_before(day))
    path = Path(text).expanduser()
    if path.exists() or os.sep in text or text.endswith((".json", ".gz", ".whl")):
        return _path_source(path)
    try:
        Version(version)
    except InvalidVersion:
        pass
    else:
        return _version_source(version)
    raise SourceError(
        f"cannot understand source {text!r}",
        hint="use 'installed', 'latest', a version like 1.17.43, a date like 2020-08-14, "
        "or a path to a data folder, model file or wheel",
    )


def load_service(name: str, source: SourceLike = "installed") -> ServiceSpec:
    """One service's spec from a source (see :func:`resolve_source`)."""
    return resolve_source(source).service(name)
