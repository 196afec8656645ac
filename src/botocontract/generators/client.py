"""Drive a real botocore client with generated responses, and fuzz every operation of a service.

:func:`roundtrip` encodes a generated output with the protocol's wire encoder, hands it to a real client
through a ``before-send`` handler (no network), and compares what the client returns with what was
generated, after the normalizations :mod:`botocontract.generators.wire.compare` documents.
:func:`fuzz_client` checks, per operation, that generated requests pass botocore's ``ParamValidator``
and serialize, that invalid requests are rejected by the project's validator for their rule, and that
generated responses round trip and validate.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import botocore.session
from botocore import UNSIGNED, xform_name
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.config import Config
from botocore.model import OperationModel, Shape, StructureShape
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from botocontract.errors import BotocontractError
from botocontract.generators.session import model_client
from botocontract.generators.wire import WireResponse, encode_response, protocol_of
from botocontract.generators.wire.compare import (
    ABSENT,
    Difference,
    RawBody,
    comparable,
    expected_value,
    parse_wire,
    parsed_value,
    wire_differences,
)
from botocontract.specs.lookup import find_operation, operations_named, source_key

if TYPE_CHECKING:
    from botocontract.specs.model import ServiceSpec
    from botocontract.specs.sources import SourceLike
    from botocontract.specs.validate import Violation

__all__ = [
    "ClientFuzzReport",
    "Difference",
    "OperationResult",
    "call_with",
    "client_for",
    "expected_value",
    "fuzz_all",
    "fuzz_client",
    "fuzz_operation",
    "minimal_request",
    "parse_wire",
    "parsed_value",
    "replay_command",
    "roundtrip",
    "wire_differences",
]

# ------------------------------------------------------------------------------------------ results


@dataclass
class OperationResult:
    """What fuzzing one operation found: ``passed``, ``failed`` or ``skipped`` with a reason."""

    service: str
    operation: str
    status: str
    reason: str = ""
    replay: str = ""
    informational: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "operation": self.operation,
            "status": self.status,
            "reason": self.reason,
            "replay": self.replay,
            "informational": self.informational,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class ClientFuzzReport:
    """Per-operation results of :func:`fuzz_client` for one or more services."""

    seed: int
    examples: int
    results: list[OperationResult] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def passed(self) -> int:
        return self._count("passed")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def skip_reasons(self) -> dict[str, int]:
        """Skip reasons with counts, most frequent first (reasons are short, without example data)."""
        counts: dict[str, int] = {}
        for r in self.results:
            if r.status == "skipped":
                counts[r.reason] = counts.get(r.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def summary(self) -> str:
        return f"{self.passed} passed, {self.failed} failed, {self.skipped} skipped"

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "examples": self.examples,
            "passed": self.passed,
            "failed": self.failed,
            "skipped": self.skipped,
            "results": [r.to_dict() for r in self.results],
        }


# ------------------------------------------------------------------------------------------ clients


class _Replier:
    """A ``before-send`` handler answering each request with the next prepared wire response."""

    def __init__(self) -> None:
        self.response: WireResponse | None = None
        self.request: Any = None

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        if self.response is None:
            raise BotocontractError("the client sent a request with no prepared response")
        wire, self.response = self.response, None
        self.request = request
        return AWSResponse(request.url, wire["status_code"], wire["headers"], RawBody(wire["body"]))


@dataclass
class _Driven:
    client: BaseClient
    replier: _Replier


def _client_config() -> Config:
    # One attempt: an encoded error must surface at once, not after retries with back-off. Requests
    # are not signed (nothing leaves the process), which saves a fifth of each call.
    return Config(retries={"total_max_attempts": 1}, parameter_validation=False, signature_version=UNSIGNED)


def _driven_for(service: str, source: SourceLike | ServiceSpec) -> _Driven:
    """The cached client of ``service`` in ``source``, keyed by the source's name (a ``Path`` is hashable
    though ``os.PathLike`` does not say so)."""
    return _driven(service, source_key(source), cast(Hashable, source))


@lru_cache(maxsize=32)
def _driven(service: str, source_key: str, source: SourceLike | ServiceSpec) -> _Driven:
    client = model_client(service, source, config=_client_config())
    replier = _Replier()
    client.meta.events.register("before-send", replier)
    return _Driven(client, replier)


def client_for(service: str, source: SourceLike | ServiceSpec = "installed") -> BaseClient:
    """A real botocore client of ``service`` from ``source`` (a source spec or a ``ServiceSpec``), cached.

    Its ``before-send`` answers from the response :func:`roundtrip` prepares, so it never touches the
    network.
    """
    return _driven_for(service, source).client


# ------------------------------------------------------------------------------------ minimal input


def minimal_request(shape: StructureShape | None) -> dict[str, Any]:
    """The smallest request the client can serialize: required members only, at their minimum."""
    if shape is None:
        return {}
    return {name: _minimal(shape.members[name], 0) for name in shape.required_members}


def _minimal(shape: Shape, depth: int) -> Any:
    kind = shape.type_name
    low = shape.metadata.get("min")
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        if "arn" in shape.name.lower():  # endpoint rules parse ARN parameters
            return "arn:aws:service:us-east-1:123456789012:resource/x"
        return "x" * max(1, int(low or 1))
    if kind in ("integer", "long", "short", "byte"):
        return max(1, int(low or 1))
    if kind in ("float", "double"):
        return float(max(1, low or 1))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    if kind == "blob":
        return b"x"
    if kind == "list":
        return [_minimal(shape.member, depth + 1) for _ in range(int(low or 0))] if depth < 8 else []
    if kind == "map":
        return {}
    if kind == "structure":
        if shape.is_document_type:
            return {}
        if shape.is_tagged_union and shape.members:
            name = next(iter(shape.members))
            return {name: _minimal(shape.members[name], depth + 1)}
        return {n: _minimal(shape.members[n], depth + 1) for n in shape.required_members}
    return "x"


# ------------------------------------------------------------------------------------------ roundtrip


def call_with(
    service: str,
    operation: str,
    wire: WireResponse,
    *,
    source: SourceLike | ServiceSpec = "installed",
    request: Mapping[str, Any] | None = None,
) -> Any:
    """Call ``operation`` on a real client that receives ``wire`` (e.g. from ``encode_error``).

    Returns what the client method returns, or raises what it raises (``ClientError`` and the modeled
    exceptions for errors), so user error handling can be tested without a network.
    """
    driven = _driven_for(service, source)
    _, op = find_operation(driven.client.meta.service_model, operation)
    params = dict(request) if request is not None else minimal_request(op.input_shape)
    driven.replier.response = wire
    try:
        return getattr(driven.client, xform_name(operation))(**params)
    finally:
        driven.replier.response = None


def roundtrip(
    service: str,
    operation: str,
    value: Mapping[str, Any],
    *,
    source: SourceLike | ServiceSpec = "installed",
    request: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[Difference]]:
    """Send ``value`` through a real client's call of ``operation``; return (parsed, differences).

    ``parsed`` is the client's result without ``ResponseMetadata`` (bodies read, times in UTC);
    ``request`` defaults to :func:`minimal_request`. Differences botocore's parser alone already shows
    are ``wire`` differences; those only the client's handlers add are ``client`` differences (a handler
    that raises is one at path ``<call>``).
    """
    driven = _driven_for(service, source)
    _, op = find_operation(driven.client.meta.service_model, operation)
    wire = encode_response(op, value)
    expected = comparable(op, expected_value(op, value, wire))
    try:
        result = parsed_value(op, call_with(service, operation, wire, source=source, request=request))
    except Exception as error:
        failure: Exception | None = error
    else:
        failure = None
        from_client = wire_differences(operation, expected, comparable(op, result))
        if not from_client:
            return result, []
    # Something differs: botocore's parser alone tells wire differences from the handlers' ones.
    direct = parsed_value(op, parse_wire(op, wire))
    differences = wire_differences(operation, expected, comparable(op, direct))
    if failure is not None:
        call = Difference(operation, "<call>", ABSENT, f"{type(failure).__name__}: {failure}", "client")
        return direct, [*differences, call]
    seen = {d.path for d in differences}
    differences += [
        Difference(d.operation, d.path, d.generated, d.parsed, "client")
        for d in from_client
        if d.path not in seen
    ]
    return result, differences


# ------------------------------------------------------------------------------------------- fuzzing


def _hypothesis_run(
    strategy: st.SearchStrategy[Any], check: Callable[[Any], None], examples: int, seed_value: int
) -> tuple[Any, BaseException] | None:
    """Run ``check`` on ``examples`` drawn values; the shrunk failing value and error, or None."""
    failure: list[tuple[Any, BaseException]] = []

    @seed(seed_value)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(strategy)
    def run(value: Any) -> None:
        try:
            check(value)
        except Exception as error:
            failure[:] = [(value, error)]
            raise

    try:
        run()
    except Exception as error:
        if failure:
            return failure[-1]
        raise _GenerationError(
            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        ) from error
    return None


class _GenerationError(Exception):
    """The strategy itself failed to produce a value (reported as a skip, not as a client failure)."""


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _violations(
    service: str, op: OperationModel, direction: str, data: Any, source: SourceLike
) -> list[Violation]:
    """The project's strict validator (``botocontract.specs.validate``) on one request or response."""
    from botocontract.specs.validate import validate

    return list(validate(service, op.name, direction, data, source=source))


def _check_request(service: str, op: OperationModel, source: SourceLike) -> Callable[[Any], None]:
    validator = ParamValidator()
    serializer = create_serializer(protocol_of(op))

    def check(params: Any) -> None:
        if op.input_shape is None:
            return
        report = validator.validate(params, op.input_shape)
        if report.has_errors():
            raise AssertionError(
                f"botocore's ParamValidator rejects a generated request: {report.generate_report()}"
            )
        serializer.serialize_to_request(params, op)
        problems = _violations(service, op, "input", params, source)
        if problems:
            raise AssertionError(f"the project's validator rejects a generated request: {problems[0]}")

    return check


def _check_response(
    service: str, op: OperationModel, source: SourceLike, notes: list[str]
) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        _, differences = roundtrip(service, op.name, value, source=source)
        wire = [d for d in differences if d.stage == "wire"]
        if wire:
            raise AssertionError("; ".join(str(d) for d in wire[:5]))
        for d in differences:
            note = _short(str(d), 200)
            if note not in notes and len(notes) < 5:
                notes.append(note)
        if op.output_shape is not None:
            # Generated responses leave event streams out (boto3 hands out EventStream objects there).
            stream = op.output_shape.event_stream_name
            problems = [
                p
                for p in _violations(service, op, "output", value, source)
                if not (stream and p.rule == "required" and p.path == f"$.{stream}")
            ]
            if problems:
                raise AssertionError(f"the project's validator rejects a generated response: {problems[0]}")

    return check


def _check_invalid(
    service: str, op: OperationModel, source: SourceLike, notes: list[str]
) -> Callable[[Any], None]:
    """An invalid request must be rejected by the project's validator for its rule, at its path.

    Where botocore's ParamValidator lets the same request through is noted, once per rule.
    """
    validator = ParamValidator()

    def check(case: Any) -> None:
        problems = _violations(service, op, "input", case.params, source)
        if not any(p.rule == case.rule and p.path == case.path for p in problems):
            found = ", ".join(f"{p.rule} at {p.path}" for p in problems) or "nothing"
            raise AssertionError(
                f"the project's validator finds {found}, not {case.rule} at {case.path} ({case.description})"
            )
        if op.input_shape is not None and not validator.validate(case.params, op.input_shape).has_errors():
            note = f"botocore's ParamValidator lets through: {case.rule}"
            if note not in notes:
                notes.append(note)

    return check


def replay_command(service: str, operation: str, seed_value: int, examples: int, source: SourceLike) -> str:
    """The CLI line that reruns one operation exactly."""
    command = f"botocontract fuzz client {service} {operation} --seed {seed_value} --examples {examples}"
    key = source_key(source)
    return command if key == "installed" else f"{command} --source {key}"


def fuzz_operation(
    service: str, operation: str, *, examples: int = 10, seed: int = 0, source: SourceLike = "installed"
) -> OperationResult:
    """Fuzz one operation: valid requests serialize, invalid ones are rejected, responses round trip."""
    from botocontract.generators import strategies
    from botocontract.generators.invalid import invalid_requests

    started = time.perf_counter()
    replay = replay_command(service, operation, seed, examples, source)
    result = OperationResult(service, operation, "passed", replay=replay)
    try:
        op = _driven_for(service, source).client.meta.service_model.operation_model(operation)
    except Exception as error:
        result.status, result.reason = "skipped", f"no client: {type(error).__name__}: {error}"
        return result
    stages: list[tuple[str, Callable[[], st.SearchStrategy[Any]], Callable[[Any], None]]] = [
        (
            "request",
            lambda: strategies.requests(service, operation, source),
            _check_request(service, op, source),
        ),
        (
            "response",
            lambda: strategies.responses(service, operation, source),
            _check_response(service, op, source, result.informational),
        ),
    ]
    if op.input_shape is not None and op.input_shape.members:
        stages.append(
            (
                "invalid request",
                lambda: invalid_requests(service, operation, source),
                _check_invalid(service, op, source, result.informational),
            )
        )
    failures: list[str] = []
    skips: list[str] = []
    for stage, make, check in stages:
        direction = "response" if stage == "response" else "request"
        defect = strategies.model_defect(service, operation, direction, source)
        if defect is not None:
            skips.append(f"{stage}: model defect: {defect}")
            continue
        try:
            strategy = make()
        except Exception as error:
            skips.append(f"{stage}: no strategy: {type(error).__name__}: {error}")
            continue
        try:
            outcome = _hypothesis_run(strategy, check, examples, seed)
        except _GenerationError as error:
            skips.append(f"{stage}: the strategy cannot generate: {error}")
            continue
        if outcome is not None:
            value, failure = outcome
            message = str(failure).splitlines()[0] if str(failure) else type(failure).__name__
            if not isinstance(failure, AssertionError):
                message = f"{type(failure).__name__}: {message} at {_where(failure)}"
            failures.append(f"{stage}: {message} (example {_short(value)})")
    if failures:
        result.status, result.reason = "failed", " | ".join(failures + skips)
    elif skips:
        result.status, result.reason = "skipped", " | ".join(skips)
    result.seconds = time.perf_counter() - started
    return result


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"


def fuzz_client(
    service: str,
    operations: Iterable[str] | None = None,
    *,
    examples: int = 10,
    seed: int = 0,
    source: SourceLike = "installed",
    deadline: float | None = None,
) -> ClientFuzzReport:
    """Fuzz every operation (or ``operations``) of ``service``; deterministic per ``seed``.

    ``deadline`` (a ``time.monotonic()`` value) skips the operations not reached in time.
    """
    model = _driven_for(service, source).client.meta.service_model
    names = operations_named(model, operations or ())
    report = ClientFuzzReport(seed=seed, examples=examples)
    for name in names:
        if deadline is not None and time.monotonic() > deadline:
            report.results.append(OperationResult(service, name, "skipped", "time limit reached"))
            continue
        report.results.append(fuzz_operation(service, name, examples=examples, seed=seed, source=source))
    return report


def fuzz_all(
    *,
    examples: int = 3,
    seed: int = 0,
    source: SourceLike = "installed",
    deadline: float | None = None,
    services: Iterable[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ClientFuzzReport:
    """:func:`fuzz_client` over every service of ``source``, in one report; ``progress`` is called as
    ``(done, total, service)`` after each service."""
    if services is None:
        if source_key(source) == "installed":
            services = botocore.session.get_session().get_available_services()
        else:
            from botocontract.specs import resolve_source

            services = resolve_source(source).service_names()
    services = list(services)
    report = ClientFuzzReport(seed=seed, examples=examples)
    for done, name in enumerate(services, 1):
        if deadline is not None and time.monotonic() > deadline:
            report.results.append(OperationResult(name, "*", "skipped", "time limit reached"))
            continue
        try:
            part = fuzz_client(name, examples=examples, seed=seed, source=source, deadline=deadline)
        except Exception as error:
            part = ClientFuzzReport(
                seed, examples, [OperationResult(name, "*", "skipped", f"no client: {error}")]
            )
        report.results.extend(part.results)
        if progress is not None:
            progress(done, len(services), name)
    return report
