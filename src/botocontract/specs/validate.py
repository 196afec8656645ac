"""Validate boto3 request parameters and parsed responses against the model, strictly.

botocore's ``ParamValidator`` checks types, ``required``, ``min`` and unions only, and never looks at
responses; this validator also checks ``max``, ``pattern`` (Java regexes, translated), ``enum`` and unknown
keys, and accepts the Python forms boto3 uses (datetimes for timestamps, bytes or file-like objects for
blobs). Each operation's shapes are compiled once into a tree of small closures; the tree is cached per
(service, operation, direction).
"""

from __future__ import annotations

import datetime
import decimal
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from botocore.model import ServiceModel, Shape
from botocore.utils import parse_timestamp

from botocontract.errors import BotocontractError
from botocontract.specs.cache import Memo
from botocontract.specs.lookup import find_operation, resolve_model
from botocontract.specs.patterns import compile_pattern
from botocontract.specs.schema import check_direction, required_members

if TYPE_CHECKING:
    from botocontract.specs.lookup import ServiceRef
    from botocontract.specs.sources import SourceLike

__all__ = ["MAX_DEPTH", "Rule", "TooDeepError", "Validator", "Violation", "parse_json_document", "validate"]

Rule = Literal["required", "type", "enum", "min", "max", "pattern", "unknown", "union"]
Check = Callable[[Any, str, list["Violation"]], None]

# botocore puts this key in a response union whose member the installed model does not know.
_UNKNOWN_UNION_MEMBER = "SDK_UNKNOWN_MEMBER"
# boto3 adds this key to every parsed response; it is not part of the output shape.
_RESPONSE_METADATA = "ResponseMetadata"


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a value breaks the model; ``path`` is JSONPath-like (``$.Containers[0].Image``)."""

    path: str
    rule: Rule
    expected: Any
    actual: Any
    message: str
    #: The named shape whose own constraint is broken (strings), so a model defect can be told apart.
    shape: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (for ``--format json`` output)."""
        return {
            "path": self.path,
            "rule": self.rule,
            "expected": _jsonable(self.expected),
            "actual": _jsonable(self.actual),
            "message": self.message,
        }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return repr(value)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_name(value: Any) -> str:
    return type(value).__name__


class _Compiler:
    """Turns botocore shapes into check closures, one per named shape, sharing them for recursion."""

    def __init__(self, direction: str) -> None:
        self.direction = direction
        self.checks: dict[str, Check] = {}

    def check(self, shape: Shape) -> Check:
        if shape.serialization.get("jsonvalue"):
            return _check_json
        if shape.serialization.get("eventstream"):
            return _accept  # boto3 hands back an EventStream object to iterate, not a dict
        name = shape.name
        streaming = shape.serialization.get("streaming") or shape.metadata.get("streaming")
        if shape.type_name == "blob" and streaming:
            return _check_stream
        found = self.checks.get(name)
        if found is not None:
            return found
        checks = self.checks

        def deferred(value: Any, path: str, errors: list[Violation]) -> None:
            checks[name](value, path, errors)

        checks[name] = deferred  # a recursive reference reaches the real check through the table
        real = getattr(self, f"_{shape.type_name}", _unknown_type)(shape)
        checks[name] = real
        return real

    # containers
    def _structure(self, shape: Shape) -> Check:
        if shape.is_document_type:
            return _check_json
        members = {name: self.check(member) for name, member in shape.members.items()}
        required = tuple(required_members(shape, self.direction))
        union = shape.is_tagged_union
        allow_unknown_member = union and self.direction == "output"
        expected_keys = sorted(members)

        def check_structure(value: Any, path: str, errors: list[Violation]) -> None:
            if not isinstance(value, Mapping):
                errors.append(
                    Violation(
                        path, "type", "dict", _type_name(value), f"expected a dict, got {_type_name(value)}"
                    )
                )
                return
            for key in required:
                if key not in value:
                    errors.append(
                        Violation(
                            f"{path}.{key}", "required", key, None, f"required member {key!r} is missing"
                        )
                    )
            for key, item in value.items():
                check = members.get(key)
                if check is not None:
                    check(item, f"{path}.{key}", errors)
                elif not (allow_unknown_member and key == _UNKNOWN_UNION_MEMBER):
                    errors.append(
                        Violation(f"{path}.{key}", "unknown", expected_keys, key, f"unknown member {key!r}")
                    )
            if union:
                count = sum(1 for item in value.values() if item is not None)
                if count != 1:
                    errors.append(
                        Violation(path, "union", 1, count, f"a union takes exactly one member, got {count}")
                    )

        return check_structure

    def _list(self, shape: Shape) -> Check:
        item_check = self.check(shape.member)
        low, high = shape.metadata.get("min"), shape.metadata.get("max")

        def check_list(value: Any, path: str, errors: list[Violation]) -> None:
            if not isinstance(value, (list, tuple)):
                errors.append(
                    Violation(
                        path, "type", "list", _type_name(value), f"expected a list, got {_type_name(value)}"
                    )
                )
                return
            _check_size(len(value), low, high, path, errors, "items")
            for index, item in enumerate(value):
                item_check(item, f"{path}[{index}]", errors)

        return check_list

    def _map(self, shape: Shape) -> Check:
        key_check = self.check(shape.key)
        value_check = self.check(shape.value)
        low, high = shape.metadata.get("min"), shape.metadata.get("max")

        def check_map(value: Any, path: str, errors: list[Violation]) -> None:
            if not isinstance(value, Mapping):
                errors.append(
                    Violation(
                        path, "type", "dict", _type_name(value), f"expected a dict, got {_type_name(value)}"
                    )
                )
                return
            _check_size(len(value), low, high, path, errors, "entries")
            for key, item in value.items():
                child = f"{path}[{key!r}]"
                key_check(key, child, errors)
                value_check(item, child, errors)

        return check_map

    # scalars
    def _string(self, shape: Shape) -> Check:
        meta = shape.metadata
        low, high = meta.get("min"), meta.get("max")
        enum = frozenset(shape.enum) if shape.enum else None
        java = meta.get("pattern")
        regex = compile_pattern(java) if java else None
        search = regex.search if regex is not None else None
        enum_list = sorted(enum) if enum else None
        name = shape.name

        def check_string(value: Any, path: str, errors: list[Violation]) -> None:
            if not isinstance(value, str):
                errors.append(
                    Violation(
                        path, "type", "str", _type_name(value), f"expected a str, got {_type_name(value)}"
                    )
                )
                return
            if enum is not None and value not in enum:
                errors.append(
                    Violation(
                        path,
                        "enum",
                        enum_list,
                        value,
                        f"{_short(value)} is not one of {_short(enum_list, 120)}",
                        name,
                    )
                )
            if low is not None or high is not None:
                _check_size(len(value), low, high, path, errors, "characters", name)
            if search is not None and search(value) is None:
                errors.append(
                    Violation(path, "pattern", java, value, f"{_short(value)} does not match {java}", name)
                )

        return check_string

    def _integer(self, shape: Shape) -> Check:
        return _number_check(shape, (int,), "int")

    _long = _integer

    def _float(self, shape: Shape) -> Check:
        return _number_check(shape, (int, float, decimal.Decimal), "float")

    _double = _float

    def _boolean(self, shape: Shape) -> Check:
        return _check_boolean

    def _timestamp(self, shape: Shape) -> Check:
        return _check_timestamp

    def _blob(self, shape: Shape) -> Check:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")

        def check_blob(value: Any, path: str, errors: list[Violation]) -> None:
            if isinstance(value, (bytes, bytearray)):
                size = len(value)
            elif isinstance(value, str):
                size = len(value.encode("utf-8"))
            elif hasattr(value, "read"):
                return
            else:
                errors.append(
                    Violation(
                        path,
                        "type",
                        "bytes",
                        _type_name(value),
                        f"expected bytes, bytearray, str or a file-like object, got {_type_name(value)}",
                    )
                )
                return
            if low is not None or high is not None:
                _check_size(size, low, high, path, errors, "bytes")

        return check_blob


def _check_size(
    size: int, low: Any, high: Any, path: str, errors: list[Violation], unit: str, shape: str = ""
) -> None:
    if low is not None and size < low:
        message = f"{size} {unit}, fewer than the minimum {low}"
        errors.append(Violation(path, "min", low, size, message, shape))
    if high is not None and size > high:
        message = f"{size} {unit}, more than the maximum {high}"
        errors.append(Violation(path, "max", high, size, message, shape))


def _number_check(shape: Shape, types: tuple[type, ...], label: str) -> Check:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")

    def check_number(value: Any, path: str, errors: list[Violation]) -> None:
        if isinstance(value, bool) or not isinstance(value, types):
            errors.append(
                Violation(
                    path, "type", label, _type_name(value), f"expected {label}, got {_type_name(value)}"
                )
            )
            return
        if low is not None and value < low:
            errors.append(Violation(path, "min", low, value, f"{value} is below the minimum {low}"))
        if high is not None and value > high:
            errors.append(Violation(path, "max", high, value, f"{value} is above the maximum {high}"))

    return check_number


def _check_boolean(value: Any, path: str, errors: list[Violation]) -> None:
    if not isinstance(value, bool):
        errors.append(
            Violation(path, "type", "bool", _type_name(value), f"expected bool, got {_type_name(value)}")
        )


def _check_timestamp(value: Any, path: str, errors: list[Violation]) -> None:
    if isinstance(value, (datetime.datetime, datetime.date)):
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return
    if isinstance(value, str):
        try:
            parse_timestamp(value)
        except (ValueError, TypeError, OverflowError):
            errors.append(
                Violation(
                    path, "type", "timestamp", value, f"{_short(value)} is not a timestamp boto3 can read"
                )
            )
        return
    errors.append(
        Violation(
            path,
            "type",
            "datetime",
            _type_name(value),
            f"expected a datetime, ISO 8601 string or epoch seconds, got {_type_name(value)}",
        )
    )


def _check_stream(value: Any, path: str, errors: list[Violation]) -> None:
    if isinstance(value, (bytes, bytearray, str)) or hasattr(value, "read"):
        return
    errors.append(
        Violation(
            path,
            "type",
            "file-like",
            _type_name(value),
            f"expected bytes, str or a file-like object, got {_type_name(value)}",
        )
    )


def _is_json(value: Any) -> bool:
    if value is None or isinstance(value, (str, bool, int, float, decimal.Decimal)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_json(item) for item in value)
    if isinstance(value, Mapping):
        return all(isinstance(key, str) and _is_json(item) for key, item in value.items())
    return False


def _check_json(value: Any, path: str, errors: list[Violation]) -> None:
    if not _is_json(value):
        errors.append(
            Violation(
                path,
                "type",
                "JSON value",
                _type_name(value),
                f"expected a JSON value (dict, list, str, number, bool, None), got {_type_name(value)}",
            )
        )


def _accept(value: Any, path: str, errors: list[Violation]) -> None:
    return None


def _unknown_type(shape: Shape) -> Check:
    return _accept


def _check_empty(value: Any, path: str, errors: list[Violation]) -> None:
    if not isinstance(value, Mapping):
        errors.append(
            Violation(path, "type", "dict", _type_name(value), f"expected a dict, got {_type_name(value)}")
        )
        return
    for key in value:
        errors.append(Violation(f"{path}.{key}", "unknown", [], key, f"unknown member {key!r}"))


def _without_response_metadata(check: Check) -> Check:
    def check_response(value: Any, path: str, errors: list[Violation]) -> None:
        if isinstance(value, Mapping) and _RESPONSE_METADATA in value:
            value = {key: item for key, item in value.items() if key != _RESPONSE_METADATA}
        check(value, path, errors)

    return check_response


#: Deepest nesting of dicts and lists the validator checks (each level costs a few stack frames).
MAX_DEPTH = 200


class TooDeepError(BotocontractError):
    """A value or document nested deeper than botocontract checks."""


def _depth_beyond(data: Any, limit: int) -> str | None:
    """The path of the first container nested deeper than ``limit`` levels, found without recursion."""
    stack: list[tuple[Any, int, str]] = [(data, 0, "$")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, Mapping):
            children: Any = ((f"{path}.{k}", v) for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            children = ((f"{path}[{i}]", v) for i, v in enumerate(value))
        else:
            continue
        if depth >= limit:
            return path if len(path) <= 120 else path[:57] + "..." + path[-60:]
        stack.extend((v, depth + 1, p) for p, v in children)
    return None


def parse_json_document(text: str | bytes, where: str) -> Any:
    """JSON text as Python values; bad or absurdly nested JSON is a one-line :class:`BotocontractError`."""
    try:
        return json.loads(text)
    except RecursionError:
        raise TooDeepError(
            f"{where} is nested too deeply to read as JSON",
            hint=f"no AWS API takes values more than {MAX_DEPTH} levels deep",
        ) from None
    except UnicodeDecodeError as exc:
        raise BotocontractError(
            f"{where} is not UTF-8 JSON: {exc.reason} at byte {exc.start}", hint="save it as UTF-8"
        ) from None
    except ValueError as exc:
        raise BotocontractError(f"{where} is not valid JSON: {exc}", hint="pass a JSON object") from None


class Validator:
    """A compiled validator for one operation's request or response parameters."""

    _cache: ClassVar[Memo[tuple[Any, ...], Validator]] = Memo(512)
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, model: ServiceModel, operation: str, direction: str, check: Check) -> None:
        self.model = model  # kept alive so the cache key's id() stays unique
        self.operation = operation
        self.direction = direction
        self._check = check

    @classmethod
    def for_operation(
        cls, service: ServiceRef, operation: str, direction: str, *, source: SourceLike = "installed"
    ) -> Validator:
        """The cached validator of ``service``'s ``operation`` in ``direction`` (``"input"``/``"output"``)."""
        by_name = (service, str(source), operation, direction) if isinstance(service, str) else None
        found = cls._cache.get(by_name) if by_name else None
        if found is not None:
            return found
        direction = check_direction(direction)
        _, model = resolve_model(service, source=source)
        key = (id(model), operation, direction)
        found = cls._cache.get(key)
        if found is not None:
            return found
        _, op = find_operation(model, operation)
        shape = op.input_shape if direction == "input" else op.output_shape
        check = _check_empty if shape is None else _Compiler(direction).check(shape)
        if direction == "output" and (shape is None or _RESPONSE_METADATA not in shape.members):
            check = _without_response_metadata(check)
        validator = cls(model, operation, direction, check)
        with cls._lock:
            validator = cls._cache.setdefault(key, validator)
            if by_name:
                cls._cache[by_name] = validator
        return validator

    def errors(self, data: Any) -> list[Violation]:
        """Every violation in ``data``, in document order.

        A value nested deeper than :data:`MAX_DEPTH` raises :class:`TooDeepError`: no AWS API takes one
        (DynamoDB allows 32 levels), and checking it would exhaust Python's stack."""
        deepest = _depth_beyond(data, MAX_DEPTH)
        if deepest is not None:
            raise TooDeepError(
                f"the {self.direction} value is nested more than {MAX_DEPTH} levels deep (at {deepest})",
                hint=f"no AWS API takes values that deep; check {MAX_DEPTH} levels or fewer",
            )
        found: list[Violation] = []
        try:
            self._check(data, "$", found)
        except RecursionError:
            raise TooDeepError(
                f"the {self.direction} value is nested too deeply to check",
                hint="pass a value with fewer levels",
            ) from None
        return found

    def is_valid(self, data: Any) -> bool:
        return not self.errors(data)


def validate(
    service: ServiceRef, operation: str, direction: str, data: Any, *, source: SourceLike = "installed"
) -> list[Violation]:
    """Violations of ``data`` against an operation's ``"input"`` or ``"output"`` shape (empty = valid)."""
    return Validator.for_operation(service, operation, direction, source=source).errors(data)
