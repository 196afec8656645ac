"""Named checks run on every call an endpoint fuzz makes; selectable with ``--checks``/``--exclude-checks``.

A check is a small function of one :class:`Call` that returns a failure message or ``None``; the runner
adds the operation, the reproduction and the seed. Checks only judge what happened on the wire and in
the parsed response; they never call the endpoint themselves.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from botocore.model import OperationModel, Shape

from botocontract.registry import Registry
from botocontract.specs.lint import lint_for_model
from botocontract.specs.validate import validate

__all__ = [
    "CHECKS",
    "COMMON_ERROR_CODES",
    "VALIDATION_ERROR_CODES",
    "Call",
    "Check",
    "CheckFailed",
    "declared_error_codes",
    "default_checks",
    "failure_type",
    "response_problems",
    "select_checks",
]

#: Error codes any AWS operation may answer with, declared or not (auth, throttling, generic faults).
COMMON_ERROR_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "IncompleteSignature",
        "InternalFailure",
        "InternalError",
        "InternalServerError",
        "InvalidAction",
        "InvalidClientTokenId",
        "InvalidParameterCombination",
        "InvalidParameterValue",
        "InvalidQueryParameter",
        "MalformedQueryString",
        "MissingAction",
        "MissingAuthenticationToken",
        "MissingParameter",
        "NotAuthorized",
        "OptInRequired",
        "RequestExpired",
        "RequestTimeout",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "SerializationException",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "UnknownOperationException",
        "UnrecognizedClientException",
        "ValidationError",
        "ValidationException",
        "SignatureDoesNotMatch",
        "ExpiredTokenException",
        "RequestLimitExceeded",
        "InvalidSignatureException",
    }
)
#: Codes that mean "your input is malformed" (as opposed to "not found", "conflict", ...).
VALIDATION_ERROR_CODES = frozenset(
    {
        "ValidationException",
        "ValidationError",
        "InvalidParameterValue",
        "InvalidParameterException",
        "InvalidParameterCombination",
        "MissingParameter",
        "SerializationException",
        "InvalidInput",
        "InvalidArgument",
        "InvalidParameterValueException",
        "InvalidRequestException",
        "BadRequestException",
    }
)


@dataclass
class Call:
    """One request sent to the endpoint and everything observed about its answer."""

    service: str
    operation: str
    params: dict[str, Any]
    operation_model: OperationModel
    #: ``positive`` (valid request), ``negative`` (breaks one constraint) or ``use_after_delete``.
    kind: str = "positive"
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    parsed: dict[str, Any] | None = None
    error_code: str | None = None
    error_message: str = ""
    #: A transport failure (connection refused or dropped, read timeout) instead of an answer.
    transport_error: str | None = None
    #: botocore's parser raised on the answer (a malformed timestamp, a broken body).
    parse_error: str | None = None
    #: What an in-process emulator logged while answering (moto's traceback head), if anything.
    server_exception: str | None = None
    not_implemented: bool = False
    #: For negative calls: the broken constraint and where.
    rule: str | None = None
    path: str | None = None
    #: Which output paths to judge (a contract's reads), or all when None.
    judged: Callable[[str], bool] | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def client_error(self) -> bool:
        return self.status is not None and 400 <= self.status < 500


@dataclass(frozen=True)
class Check:
    """A named judgement of one call."""

    name: str
    function: Callable[[Call], str | None]
    description: str
    #: Run when the user does not pick checks (opt-in checks judge things real services also do).
    default: bool = True

    def __call__(self, call: Call) -> str | None:
        return self.function(call)


CHECKS: Registry[Check] = Registry("check")


def _check(description: str, *, default: bool = True) -> Callable[[Callable[[Call], str | None]], Check]:
    def decorator(function: Callable[[Call], str | None]) -> Check:
        return CHECKS.add(function.__name__, Check(function.__name__, function, description, default))

    return decorator


def default_checks() -> list[str]:
    return [c.name for c in CHECKS if c.default]


def select_checks(names: Iterable[str] | None = None, exclude: Iterable[str] | None = None) -> list[Check]:
    """Checks by name (the defaults when none are named), minus ``exclude``; unknown names raise."""
    chosen = list(names or ()) or default_checks()
    return CHECKS.select(chosen, list(exclude or ()))


# -------------------------------------------------------------------------------------------- checks


@_check("no 5xx answer and no dropped connection")
def not_a_server_error(call: Call) -> str | None:
    if call.not_implemented:
        return None
    if call.transport_error:
        return f"no answer: {call.transport_error}"
    if call.status is not None and call.status >= 500:
        detail = call.server_exception or call.error_code or _snippet(call.body)
        return f"HTTP {call.status}: {detail}"
    return None


@_check("an answer botocore can parse; a 2xx one is well-formed on the wire and matches the output shape")
def response_schema_conformance(call: Call) -> str | None:
    if call.not_implemented:
        return None
    if call.parse_error:
        return f"botocore cannot parse the HTTP {call.status} answer: {call.parse_error}"
    if not call.ok:
        return None
    problems = response_problems(call)
    if problems:
        return "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
    return None


@_check("error codes are the operation's declared errors or common AWS errors")
def declared_errors_only(call: Call) -> str | None:
    if call.not_implemented or call.ok or call.status is None or call.status >= 500:
        return None
    if not call.error_code:
        return f"HTTP {call.status} without an error code: {_snippet(call.body)}"
    if call.error_code in declared_error_codes(call.operation_model) | COMMON_ERROR_CODES:
        return None
    declared = sorted(declared_error_codes(call.operation_model))
    return f"undeclared error {call.error_code!r} (declared: {', '.join(declared) or 'none'})"


@_check("a request that breaks the model is rejected with a 4xx")
def negative_data_rejection(call: Call) -> str | None:
    if call.kind != "negative" or call.not_implemented or call.status is None:
        return None
    if call.client_error:
        return None
    return f"invalid request ({call.rule} at {call.path}) answered HTTP {call.status}, expected 4xx"


@_check("a request that honours the model is not rejected as malformed", default=False)
def positive_data_acceptance(call: Call) -> str | None:
    if call.kind != "positive" or call.not_implemented or not call.client_error:
        return None
    if call.error_code in VALIDATION_ERROR_CODES:
        return f"valid request rejected: {call.error_code}: {call.error_message}"
    return None


@_check("a deleted resource is gone: reading it again answers 4xx")
def use_after_delete(call: Call) -> str | None:
    if call.kind != "use_after_delete" or call.not_implemented or call.status is None:
        return None
    if call.ok:
        return f"{call.operation} still answers HTTP {call.status} after the resource was deleted"
    return None


# ------------------------------------------------------------------------------------------- helpers


def declared_error_codes(operation_model: OperationModel) -> frozenset[str]:
    """Shape names and wire codes (``error.code``) of the operation's modelled errors."""
    codes: set[str] = set()
    for shape in operation_model.error_shapes:
        codes.add(shape.name)
        code = shape.metadata.get("error", {}).get("code")
        if code:
            codes.add(code)
    return frozenset(codes)


def response_problems(call: Call) -> list[str]:
    """What is wrong with a 2xx answer: on the wire first (botocore's parser forgives a body that is not
    JSON/XML at all), then in the parsed data against the output shape."""
    problems = _wire_problems(call)
    op = call.operation_model
    if op.output_shape is not None and call.parsed is not None:
        violations = validate(op.service_model, call.operation, "output", call.parsed)
        # A constraint no value can meet (botocontract lint) is the model's defect, not the endpoint's.
        lint = lint_for_model(op.service_model)
        problems.extend(
            f"{v.path}: {v.message}"
            for v in violations
            if lint.unsatisfied(v.shape) is None and (call.judged is None or call.judged(v.path))
        )
    return problems


def _body_members(shape: Shape | None) -> bool:
    if shape is None:
        return False
    payload = shape.serialization.get("payload")
    if payload:
        return bool(shape.members[payload].type_name == "structure")
    return any(not m.serialization.get("location") for m in shape.members.values())


def _wire_problems(call: Call) -> list[str]:
    body = call.body
    model = call.operation_model
    if body is None or not body.strip() or not _body_members(model.output_shape):
        return []
    protocol = model.metadata.get("protocol", "")
    if protocol in ("json", "rest-json"):
        try:
            value = json.loads(body)
        except ValueError as exc:
            return [f"body is not JSON ({exc}): {_snippet(body)}"]
        if not isinstance(value, dict):
            return [f"body is JSON {type(value).__name__}, not an object: {_snippet(body)}"]
    elif protocol in ("query", "ec2", "rest-xml"):
        try:
            ElementTree.fromstring(body)
        except ElementTree.ParseError as exc:
            return [f"body is not XML ({exc}): {_snippet(body)}"]
    elif protocol == "smithy-rpc-v2-cbor":
        import cbor2

        try:
            cbor2.loads(body)
        except (cbor2.CBORDecodeError, ValueError) as exc:
            return [f"body is not CBOR ({exc})"]
    return []


def _snippet(body: bytes | None, limit: int = 160) -> str:
    if not body:
        return "(empty body)"
    text = body.decode("utf-8", "replace").strip().replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "..."


class CheckFailed(AssertionError):
    """Raised inside a Hypothesis test when checks fail, so Hypothesis shrinks the example.

    One subclass per first-failing check (see :func:`failure_type`) keeps distinct problems apart:
    Hypothesis reports and shrinks each exception type separately.
    """

    def __init__(self, call: Call, messages: dict[str, str], history: list[Call] | None = None) -> None:
        self.call = call
        self.messages = messages
        self.history = list(history or ())
        first = next(iter(messages))
        super().__init__(f"{call.operation}: {first}: {messages[first]}")


_FAILURE_TYPES: dict[str, type[CheckFailed]] = {}


def failure_type(check: str) -> type[CheckFailed]:
    """The :class:`CheckFailed` subclass for failures whose first failing check is ``check``."""
    kind = _FAILURE_TYPES.get(check)
    if kind is None:
        kind = _FAILURE_TYPES[check] = type(f"CheckFailed_{check}", (CheckFailed,), {})
    return kind
