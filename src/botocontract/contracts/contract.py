"""A consumer contract: the services, operations and member paths an application actually uses.

The gate uses it to tell findings that touch the application from the rest. It is a YAML file written by
hand, by ``contract scan`` or by the pytest recorder, and validated against a published JSON Schema.

Member paths are dotted member names from the operation's input (``request``) or output (``response``)
shape; a list level is written ``[]`` and a map level ``{}`` (``Containers[].Image``, ``Tags{}``). A path
``*`` (or ending in ``.*``) means "everything below".
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocontract.errors import BotocontractError
from botocontract.specs.cache import atomic_write_text

__all__ = [
    "CONTRACT_VERSION",
    "Contract",
    "ContractError",
    "OperationUse",
    "contract_json_schema",
    "load_contract",
    "member_segments",
    "save_contract",
]

CONTRACT_VERSION = 1

_PATH_PATTERN = r"^(\*|[A-Za-z0-9_\-]+(\[\]|\{\})*(\.([A-Za-z0-9_\-]+(\[\]|\{\})*|\*))*)$"
_CONTAINER_MARK = re.compile(r"\[[^\]]*\]|\{[^}]*\}")


class ContractError(BotocontractError):
    """A contract file is missing, not YAML, or does not match the contract schema."""


def contract_json_schema() -> dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of a contract file, so editors and CI can check one."""
    paths = {
        "type": "array",
        "items": {"type": "string", "pattern": _PATH_PATTERN},
        "uniqueItems": True,
        "description": "Member paths: dotted names, lists as [] and maps as {}; '*' means everything below.",
    }
    operation = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "request": paths,
            "response": paths,
            "setup": {
                "type": "boolean",
                "description": "Only the tests' fixtures or setup call it (recorded); the gate ignores it.",
            },
        },
        "description": "What the application sends (request) and reads (response) for one operation.",
    }
    service = {
        "type": "object",
        "additionalProperties": False,
        "required": ["operations"],
        "properties": {
            "api_version": {
                "type": "string",
                "format": "date",
                "description": "The model's api-version (YYYY-MM-DD), when pinned.",
            },
            "paginators": {
                "type": "array",
                "items": {"type": "string", "pattern": r"^[A-Za-z0-9]+$"},
                "uniqueItems": True,
                "description": "Operations the application pages through with get_paginator.",
            },
            "waiters": {
                "type": "array",
                "items": {"type": "string", "pattern": r"^[A-Za-z0-9]+$"},
                "uniqueItems": True,
                "description": "Waiters the application waits on with get_waiter.",
            },
            "operations": {
                "type": "object",
                "propertyNames": {"pattern": r"^[A-Za-z0-9]+$"},
                "additionalProperties": {"oneOf": [operation, {"type": "null"}]},
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://botocontract.dev/schemas/contract-v1.json",
        "title": "botocontract consumer contract",
        "description": "The AWS operations and member paths an application uses, checked on SDK upgrades.",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "services"],
        "properties": {
            "version": {"const": CONTRACT_VERSION},
            "services": {
                "type": "object",
                "propertyNames": {"pattern": r"^[a-z0-9][a-z0-9\-.]*$"},
                "additionalProperties": service,
            },
        },
    }


def member_segments(path: str) -> tuple[str, ...]:
    """A member path as its member names alone: list/map marks and indexes dropped (``A[].B`` -> A, B)."""
    return tuple(seg for seg in (_CONTAINER_MARK.sub("", p) for p in path.split(".")) if seg)


@dataclass
class OperationUse:
    """The member paths one operation is used with."""

    request: set[str] = field(default_factory=set)
    response: set[str] = field(default_factory=set)
    #: Only test fixtures/setup use it (a recorded contract): not the application.
    setup: bool = False

    def merge(self, other: OperationUse) -> None:
        if self.setup and not other.setup:
            # A real use replaces what only the tests' setup did.
            self.request, self.response, self.setup = set(), set(), False
        elif other.setup and not self.setup:
            return
        self.request |= other.request
        self.response |= other.response


@dataclass
class Contract:
    """service -> operation -> :class:`OperationUse`, plus an optional pinned api-version per service and
    the paginators and waiters used (a waiter or paginator change matters only to code that uses it)."""

    services: dict[str, dict[str, OperationUse]] = field(default_factory=dict)
    api_versions: dict[str, str] = field(default_factory=dict)
    paginators: dict[str, set[str]] = field(default_factory=dict)
    waiters: dict[str, set[str]] = field(default_factory=dict)

    def use(self, service: str, operation: str) -> OperationUse:
        """The entry for an operation, created empty when new."""
        return self.services.setdefault(service, {}).setdefault(operation, OperationUse())

    def add(
        self, service: str, operation: str, *, request: Iterable[str] = (), response: Iterable[str] = ()
    ) -> OperationUse:
        entry = self.use(service, operation)
        entry.merge(OperationUse(set(request), set(response)))
        return entry

    def add_setup(
        self, service: str, operation: str, *, request: Iterable[str] = (), response: Iterable[str] = ()
    ) -> OperationUse:
        """A use by the tests' own fixtures or setup: kept apart, and dropped once the code uses it too."""
        ops = self.services.setdefault(service, {})
        entry = ops.get(operation)
        if entry is None:
            entry = ops[operation] = OperationUse(setup=True)
        entry.merge(OperationUse(set(request), set(response), setup=True))
        return entry

    def add_paginator(self, service: str, operation: str) -> None:
        """A ``get_paginator`` use: the operation itself is used too."""
        self.use(service, operation)
        self.paginators.setdefault(service, set()).add(operation)

    def add_waiter(self, service: str, waiter: str, operation: str | None = None) -> None:
        """A ``get_waiter`` use; ``operation`` is the one the waiter polls, when known."""
        self.services.setdefault(service, {})
        if operation:
            self.use(service, operation)
        self.waiters.setdefault(service, set()).add(waiter)

    def operation(self, service: str, operation: str) -> OperationUse | None:
        return self.services.get(service, {}).get(operation)

    def operations(self) -> Iterator[tuple[str, str, OperationUse]]:
        for service, ops in sorted(self.services.items()):
            for name, entry in sorted(ops.items()):
                yield service, name, entry

    def merge(self, other: Contract) -> Contract:
        """Union of both contracts in place; returns ``self`` so merges chain."""
        for service, name, entry in other.operations():
            ops = self.services.setdefault(service, {})
            if name in ops:
                ops[name].merge(entry)
            else:
                ops[name] = OperationUse(set(entry.request), set(entry.response), entry.setup)
        for service, version in other.api_versions.items():
            self.api_versions.setdefault(service, version)
        for service, names in other.paginators.items():
            self.paginators.setdefault(service, set()).update(names)
        for service, names in other.waiters.items():
            self.services.setdefault(service, {})
            self.waiters.setdefault(service, set()).update(names)
        return self

    def __bool__(self) -> bool:
        return bool(self.services)

    def as_dict(self) -> dict[str, Any]:
        services: dict[str, Any] = {}
        for service in sorted(self.services):
            body: dict[str, Any] = {}
            if service in self.api_versions:
                body["api_version"] = self.api_versions[service]
            if self.paginators.get(service):
                body["paginators"] = sorted(self.paginators[service])
            if self.waiters.get(service):
                body["waiters"] = sorted(self.waiters[service])
            ops: dict[str, Any] = {}
            for name, entry in sorted(self.services[service].items()):
                ops[name] = {"request": sorted(entry.request), "response": sorted(entry.response)}
                if entry.setup:
                    ops[name]["setup"] = True
            body["operations"] = ops
            services[service] = body
        return {"version": CONTRACT_VERSION, "services": services}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "contract") -> Contract:
        """A contract from parsed YAML/JSON; anything off-schema is a :class:`ContractError`."""
        import jsonschema

        validator = jsonschema.Draft202012Validator(
            contract_json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            err = errors[0]
            where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
            hint = "see `botocontract contract schema` for the file format"
            if err.validator == "format":
                hint = "an api-version is a real day written YYYY-MM-DD"
            raise ContractError(f"{origin}: {where}: {err.message}", hint=hint)
        contract = cls()
        for service, body in data["services"].items():
            if "api_version" in body:
                contract.api_versions[service] = body["api_version"]
            contract.services.setdefault(service, {})
            if body.get("paginators"):
                contract.paginators[service] = set(body["paginators"])
            if body.get("waiters"):
                contract.waiters[service] = set(body["waiters"])
            for name, entry in (body.get("operations") or {}).items():
                entry = entry or {}
                add = contract.add_setup if entry.get("setup") else contract.add
                add(service, name, request=entry.get("request", ()), response=entry.get("response", ()))
        return contract


_HEADER = (
    "# botocontract consumer contract: the AWS operations and member paths this application uses.\n"
    "# Check it with `botocontract contract check`, gate upgrades with `botocontract gate --contract`.\n"
)


#: Contracts and suppressions are a few KB; anything this large is not one (and would parse for minutes).
MAX_YAML_BYTES = 8 * 1024 * 1024


def _text_dates_loader() -> type:
    """PyYAML's safe loader, except that ``2017-07-24`` stays text: api-versions are text, and an impossible
    date such as ``2020-13-45`` then fails the schema's date check with a clear message, not a traceback."""
    import yaml

    class TextDatesLoader(yaml.SafeLoader):
        pass

    TextDatesLoader.yaml_implicit_resolvers = {
        first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return TextDatesLoader


def _non_text_key(data: Any) -> str | None:
    """The first mapping key that is not text (YAML reads ``1:``, ``true:`` or ``null:`` as other types)."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    return f"{where}/{key!r}" if where else repr(key)
                stack.append((item, f"{where}/{key}" if where else key))
        elif isinstance(value, list):
            stack.extend((item, f"{where}/{i}") for i, item in enumerate(value))
    return None


def read_yaml_file(path: str | os.PathLike[str], what: str, error: type[BotocontractError]) -> Any:
    """The YAML document in ``path`` (None when empty); unreadable or invalid files raise ``error``."""
    import yaml

    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_YAML_BYTES:
            raise error(
                f"{what} {name!r} is {size // (1024 * 1024)} MB, larger than any {what} file "
                f"({MAX_YAML_BYTES // (1024 * 1024)} MB at most)",
                hint="check that the path names the right file",
            )
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot read {what} {name!r}: {exc.strerror or exc}", hint="check the path") from None
    except UnicodeDecodeError as exc:
        raise error(
            f"{what} {name!r} is not UTF-8 text: {exc.reason} at byte {exc.start}",
            hint="save it as UTF-8 YAML",
        ) from None
    try:
        data = yaml.load(text, Loader=_text_dates_loader())  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise error(f"{what} {name!r} is not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise error(
            f"{what} {name!r} is nested too deeply to be a {what} file",
            hint="check that the path names the right file",
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise error(f"{what} {name!r} holds a value YAML cannot read: {exc}") from None
    bad_key = _non_text_key(data)
    if bad_key is not None:
        raise error(f"{what} {name!r}: key {bad_key} is not text", hint="quote it") from None
    return data


def load_contract(path: str | os.PathLike[str]) -> Contract:
    """Read and validate a contract file."""
    data = read_yaml_file(path, "contract", ContractError)
    if data is None:
        return Contract()
    if not isinstance(data, dict):
        raise ContractError(f"contract {str(path)!r} must be a mapping with 'version' and 'services'")
    return Contract.from_dict(data, origin=str(path))


def save_contract(contract: Contract, path: str | os.PathLike[str], *, merge: bool = True) -> Contract:
    """Write a contract atomically, merged with the file already there unless ``merge`` is false."""
    import yaml

    path = Path(path)
    if merge and path.exists():
        contract = load_contract(path).merge(contract)
    body = yaml.safe_dump(contract.as_dict(), sort_keys=False, default_flow_style=False)
    atomic_write_text(path, _HEADER + body)
    return contract
