"""Conformance fuzzing of an emulator (moto, LocalStack, ...) through a real boto3 client.

Four phases share one time budget: one valid call per operation (which finds the operations the
emulator has not implemented), stateful sequences that create resources before using and deleting them
(:mod:`~botocontract.fuzz.stateful`), more single calls with valid requests, and single calls with
invalid requests sent past botocore's client-side validation. Every call is judged by the selected checks
(:mod:`~botocontract.fuzz.checks`); a failing check raises inside the Hypothesis test, so the
failure is shrunk before it is reported with a runnable reproduction.
"""

from __future__ import annotations

import math
import re
import shutil
import socket
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    HTTPClientError,
    ParamValidationError,
    ReadTimeoutError,
)
from botocore.model import ServiceModel, Shape
from botocore.parsers import ResponseParserError
from hypothesis import HealthCheck, Phase, Verbosity, given, reject, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import HypothesisWarning
from hypothesis.stateful import get_state_machine_test
from hypothesis.strategies import SearchStrategy

from botocontract.errors import BotocontractError
from botocontract.fuzz.checks import Call, Check, CheckFailed, failure_type, select_checks
from botocontract.fuzz.moto_server import MotoServer, moto_implements, reset_state
from botocontract.fuzz.report import (
    EndpointReport,
    Failure,
    OperationResult,
    reproduction,
)
from botocontract.fuzz.scope import Scope
from botocontract.fuzz.stateful import build_machine, infer_families
from botocontract.generators import strategies
from botocontract.generators.invalid import invalid_requests
from botocontract.generators.session import isolated_session, model_folder
from botocontract.specs import ServiceSpec, load_service
from botocontract.specs.lookup import operations_named

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "DEFAULT_TIME_BUDGET",
    "RealAwsError",
    "check_endpoint",
    "fuzz_endpoint",
]

DEFAULT_MAX_EXAMPLES = 10
#: Seconds; with start-up and shrinking a whole-service run stays under two minutes.
DEFAULT_TIME_BUDGET = 75.0
REGION = "us-east-1"
#: Hosts that are real AWS: never fuzzed without an explicit opt-in.
_AWS_HOST = re.compile(r"(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)\.?$", re.IGNORECASE)
#: Share of the budget at which each phase must end: one call per operation (finds what is not
#: implemented), sequences, valid single calls, invalid single calls.
_PHASE_ENDS = (0.3, 0.6, 0.8, 1.0)
_NOT_IMPLEMENTED_TEXT = re.compile(r"not (yet )?implemented|has not been implemented", re.IGNORECASE)
#: The page moto's server (Werkzeug) sends for an exception it did not turn into an AWS error.
_WERKZEUG_500 = b"<title>500 Internal Server Error</title>"
_TRANSPORT_ERRORS = (EndpointConnectionError, ConnectionClosedError, ReadTimeoutError, HTTPClientError)


class RealAwsError(BotocontractError):
    """The endpoint is (or defaults to) real AWS and the user did not opt in."""


def check_endpoint(endpoint_url: str | None, *, moto: bool = False, allow_real_aws: bool = False) -> None:
    """Refuse to fuzz real AWS unless asked to: fuzzing creates and deletes resources at random."""
    if moto and endpoint_url:
        raise BotocontractError("--moto and --endpoint-url both given", hint="pass one of them")
    if moto or allow_real_aws:
        return
    if not endpoint_url:
        raise RealAwsError(
            "no endpoint given: that would fuzz real AWS",
            hint="pass --moto, --endpoint-url URL, or --i-know-this-calls-real-aws",
        )
    host = urlsplit(endpoint_url).hostname or ""
    if not urlsplit(endpoint_url).scheme or not host:
        raise BotocontractError(
            f"endpoint URL {endpoint_url!r} has no scheme or host",
            hint="use a URL such as http://127.0.0.1:4566",
        )
    if _AWS_HOST.search(host):
        raise RealAwsError(
            f"endpoint {endpoint_url} is real AWS",
            hint="point at an emulator, or pass --i-know-this-calls-real-aws",
        )


def check_reachable(endpoint_url: str, timeout: float = 5.0) -> None:
    """Fail in one line when nothing answers at ``endpoint_url``, rather than failing every operation."""

    parts = urlsplit(endpoint_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            pass
    except OSError as exc:
        raise BotocontractError(
            f"cannot connect to {endpoint_url}: {exc.strerror or exc}",
            hint="start the emulator there first, or pass --moto",
        ) from None


def _client(service: ServiceSpec, endpoint_url: str | None, data_path: str | None) -> Any:
    import boto3

    session = boto3.session.Session(botocore_session=isolated_session(data_path))
    config = Config(
        parameter_validation=False,  # invalid requests must reach the endpoint
        retries={"total_max_attempts": 1},
        inject_host_prefix=False,  # ``data.127.0.0.1`` would not resolve
        connect_timeout=5,
        read_timeout=30,
        s3={"addressing_style": "path"},
    )
    return session.client(
        service.name,
        region_name=REGION,
        endpoint_url=endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="testing",
        config=config,
        api_version=service.api_version,
    )


class _Stop(BaseException):
    """Ends one Hypothesis run at once (out of time, or the operation is not implemented).

    A ``BaseException`` so Hypothesis neither shrinks it nor treats it as a failure.
    """


class _Target:
    """The endpoint under test: sends calls, records what came back, runs the checks."""

    def __init__(
        self,
        service: ServiceSpec,
        endpoint_url: str | None,
        checks: list[Check],
        report: EndpointReport,
        *,
        source: SourceLike,
        server: MotoServer | None,
        data_path: str | None,
    ) -> None:
        self.service = service
        self.model: ServiceModel = service.model
        self.endpoint_url = endpoint_url
        self.checks = checks
        self.report = report
        self.source = source
        self.server = server
        self.client = _client(service, endpoint_url, data_path)
        self.client.meta.events.register("before-parse", self._capture)
        self.unavailable: set[str] = set()
        # Only emulators offer a reset; never knock on AWS's door with one.
        host = urlsplit(endpoint_url or "").hostname or ""
        self.can_reset = bool(endpoint_url) and not _AWS_HOST.search(host)
        self.deadline = float("inf")
        #: Past the deadline, shrinking a found failure may go on until this much later.
        self.grace = 0.0
        #: The smallest failure seen per (operation, first failing check) in the current test: kept in
        #: case the time budget ends the test before Hypothesis finishes shrinking.
        self.found: dict[tuple[str, str], CheckFailed] = {}
        #: Examples started by the current test: the first always runs to its end, whatever the clock
        #: says (so a create is always followed by its read-back).
        self.examples = 0
        self._response: Any = None
        #: False while sequences run: failures are kept in :attr:`found`, not raised (see ``stateful``).
        self.raise_failures = True
        #: The first (simplest) valid request drawn per operation, see :meth:`minimal_request`.
        self.simplest: dict[str, dict[str, Any]] = {}
        #: Only what an application uses (``fuzz endpoint --contract``), or everything when None.
        self.scope: Scope | None = report.scope

    # -- what the state machine needs ----------------------------------------------------------------
    def request_strategy(self, operation: str) -> SearchStrategy[dict[str, Any]]:
        strategy = strategies.requests(self.service.name, operation, self.source)
        return self.scope.requests(self.model, operation, strategy) if self.scope else strategy

    def minimal_request(self, operation: str) -> dict[str, Any] | None:
        """The simplest valid request: Hypothesis's first draw for the operation (its all-zero choice
        sequence), remembered from the first valid single call; None before that."""
        return self.simplest.get(operation)

    def available(self, operation: str) -> bool:
        return operation not in self.unavailable

    def reset(self) -> None:
        """Called at the start of every example."""
        self.examples += 1
        if self.can_reset and self.endpoint_url:
            self.can_reset = reset_state(self.endpoint_url)

    def execute(
        self,
        operation: str,
        params: dict[str, Any],
        *,
        kind: str = "positive",
        history: list[Call] | None = None,
        rule: str | None = None,
        path: str | None = None,
    ) -> Call:
        """Send one call and judge it; raises a :class:`CheckFailed` subclass when a check fails."""
        now = time.monotonic()
        if self.examples > 1 and now > self.deadline and (not self.found or now > self.deadline + self.grace):
            raise _Stop("time budget spent")
        try:
            call = self.send(operation, params, kind=kind, rule=rule, path=path)
        except _Unsendable:
            reject()  # botocore cannot serialize it: not the endpoint's doing, draw another

        result = self.report.operations[operation]
        result.exercised += 1
        if call.not_implemented:
            result.not_implemented += 1
            self.unavailable.add(operation)
            return call
        messages = {c.name: m for c in self.checks if (m := c(call)) is not None}
        if not messages:
            result.passed += 1
            return call
        result.failed.update(messages.keys())
        first = next(iter(messages))
        failed = failure_type(first)(call, messages, list(history) if history is not None else None)
        key = (operation, first)
        best = self.found.get(key)
        if best is None or _size(failed) < _size(best):
            self.found[key] = failed
        if not self.raise_failures:
            return call
        raise failed

    # -- the wire ------------------------------------------------------------------------------------
    def _capture(self, response_dict: dict[str, Any], **_: Any) -> None:
        """The raw answer, before botocore's parser can forgive or choke on it."""
        self._response = response_dict

    def send(
        self,
        operation: str,
        params: dict[str, Any],
        *,
        kind: str = "positive",
        rule: str | None = None,
        path: str | None = None,
    ) -> Call:
        op_model = self.model.operation_model(operation)
        call = Call(self.service.name, operation, params, op_model, kind=kind, rule=rule, path=path)
        call.judged = self.scope.reads(operation) if self.scope else None
        method = getattr(self.client, xform_name(operation))
        self._response = None
        if self.server is not None:
            self.server.take_server_exception()
        try:
            parsed = method(**params)
            parsed.pop("ResponseMetadata", None)
            call.parsed = parsed
        except ClientError as exc:
            error = exc.response.get("Error", {})
            # awsQueryCompatible services answer the legacy query code (AWS.SimpleQueueService...) in
            # Code and the modelled one in QueryErrorCode: judge the modelled one.
            call.error_code = error.get("QueryErrorCode") or error.get("Code") or None
            call.error_message = error.get("Message", "")
        except _TRANSPORT_ERRORS as exc:
            call.transport_error = f"{type(exc).__name__}: {exc}"
        except (
            ResponseParserError,
            ParamValidationError,
            TypeError,
            ValueError,
            AttributeError,
            OverflowError,
        ) as exc:
            if self._response is None:  # botocore could not even serialize the request
                raise _Unsendable(f"{type(exc).__name__}: {exc}") from None
            call.parse_error = f"{type(exc).__name__}: {exc}"
        response = self._response
        if response is not None:
            call.status = response["status_code"]
            call.headers = dict(response["headers"])
            body = response["body"]
            call.body = body if isinstance(body, bytes) else None  # streaming bodies stay unread
        if self.server is not None:
            failed = call.status is not None and call.status >= 500
            logged = self.server.take_server_exception(wait=0.5 if failed else 0.0)
            if logged is not None:
                call.server_exception = logged
                call.not_implemented = logged.startswith("NotImplementedError")
        call.not_implemented = call.not_implemented or _looks_not_implemented(call)
        return call


def _size(failed: CheckFailed) -> tuple[int, int]:
    return len([c for c in failed.history if c.ok]), len(repr(failed.call.params))


class _Unsendable(Exception):
    """The generated request cannot be serialized by botocore."""


def _looks_not_implemented(call: Call) -> bool:
    """Emulator ways of saying "no such operation here": 501, a bare 404, the words themselves, or moto's
    bare HTML 500 for an action its dispatch table does not have."""
    if call.status == 501:
        return True
    if (
        call.status == 500
        and _WERKZEUG_500 in (call.body or b"")
        and call.error_code in (None, "500")
        and moto_implements(call.service, call.operation) is False
    ):
        return True
    if call.status == 404 and call.error_code in (None, "404"):  # botocore's code for "no code"
        return True
    if call.status is not None and call.status >= 400:
        text = f"{call.error_code or ''} {call.error_message} {(call.body or b'')[:2000]!r}"
        return bool(_NOT_IMPLEMENTED_TEXT.search(text))
    return False


# ------------------------------------------------------------------------------------------ the runs


def _settings(max_examples: int, **extra: Any) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        print_blob=False,
        **extra,
    )


def _leaves(exc: BaseException) -> Iterator[BaseException]:
    inner = getattr(exc, "exceptions", None)
    if not inner:
        yield exc
    for each in inner or ():
        yield from _leaves(each)


def _check_failures(exc: BaseException) -> Iterator[CheckFailed]:
    if isinstance(exc, CheckFailed):
        yield exc
    for inner in getattr(exc, "exceptions", ()) or ():
        yield from _check_failures(inner)


@dataclass
class _Run:
    target: _Target
    report: EndpointReport
    seed: int
    moto: bool

    def record(self, found: Iterable[CheckFailed]) -> None:
        seen = {(f.operation, f.check) for f in self.report.failures}
        for failed in found:
            call = failed.call
            check = next(iter(failed.messages))
            key = (call.operation, check)
            if key in seen:
                continue
            seen.add(key)
            steps = [c for c in failed.history if c.ok and c is not call]
            calls = [(c.operation, c.params) for c in steps] + [(call.operation, call.params)]
            self.report.failures.append(
                Failure(
                    operation=call.operation,
                    check=check,
                    message=failed.messages[check],
                    kind=call.kind,
                    params=call.params,
                    status=call.status,
                    error_code=call.error_code,
                    seed=self.seed,
                    reproduction=reproduction(
                        self.report.service, self.report.endpoint_url, calls, seed=self.seed, moto=self.moto
                    ),
                    messages=dict(failed.messages),
                    rule=call.rule,
                    path=call.path,
                    steps=[c.operation for c in steps],
                    calls=calls,
                )
            )

    def guarded(self, label: str, test: Callable[[], None]) -> None:
        """Run one Hypothesis test, turning its outcome into report entries.

        A test that breaks for another reason (an emulator answering the same sequence differently
        on replay, a request that cannot be generated) becomes a note, not a crash of the whole run.
        """
        self.target.found = {}
        self.target.examples = 0
        try:
            with warnings.catch_warnings():
                # repr of big generated values and of the strategies themselves: noise here
                warnings.simplefilter("ignore", HypothesisWarning)
                test()
        except _Stop:
            pass
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # also a group of several failures, perhaps with a _Stop among them
            shrunk = list(_check_failures(exc))
            if shrunk:  # Hypothesis's final, shrunk replays come first
                self.record(shrunk)
            elif not all(isinstance(e, _Stop) for e in _leaves(exc)):
                first_line = (str(exc).strip().splitlines() or [""])[0]
                note = f"{label} stopped: {type(exc).__name__}: {first_line}"[:300]
                self.report.notes.append(note)
                if label in self.report.operations:
                    self.report.operations[label].note = note
        self.record(self.target.found.values())

    def single(self, operation: str, max_examples: int, *, negative: bool) -> None:
        target = self.target
        strategy: SearchStrategy[Any]
        if negative:
            strategy = invalid_requests(target.service.name, operation, target.source)
            if target.scope:
                strategy = target.scope.invalid(target.model, operation, strategy)
        else:
            strategy = target.request_strategy(operation)

        @hypothesis_seed(self.seed)
        @_settings(max_examples)
        @given(strategy)
        def test(example: Any) -> None:
            if not target.available(operation):
                raise _Stop("not implemented")
            target.reset()
            if negative:
                params, kind, rule, path = example.params, "negative", example.rule, example.path
            else:
                params, kind, rule, path = example, "positive", None, None
                target.simplest.setdefault(operation, dict(params))
            target.execute(operation, params, kind=kind, rule=rule, path=path)

        self.guarded(operation, test)

    def stateful(self, operations: list[str], max_examples: int, steps: int) -> None:
        """Sequences record their failures (the smallest per operation and check) without raising them.

        A raised failure would make Hypothesis replay the sequence to shrink it, and an emulator that
        answers a replay differently (ids, clocks, state a reset misses) changes what the sequence draws
        next: ``FlakyStrategyDefinition``, and the failure lost. Not raising keeps every draw independent
        of the answers; sequences are short and drawn simplest first, so the smallest one found is small.
        """
        machine = build_machine(self.target, self.target.model, operations, name=self.report.service)
        test = get_state_machine_test(machine, settings=_settings(max_examples, stateful_step_count=steps))
        self.target.raise_failures = False
        try:
            self.guarded(f"sequences of {operations[0]}...", hypothesis_seed(self.seed)(test))
        finally:
            self.target.raise_failures = True


def _family_operations(model: ServiceModel, operations: list[str]) -> list[tuple[str, list[str]]]:
    """For each family whose create is among ``operations``: the create, the creates it depends on, and
    every selected operation that requires its identifiers."""
    families = infer_families(model, operations)
    owner = {ident: f for f in families for ident in f.identifiers}
    needs: dict[str, set[str]] = {}
    for op in operations:
        shape = model.operation_model(op).input_shape
        required = set(shape.required_members) if shape is not None else set()
        needs[op] = {owner[m].create for m in required if m in owner}
    groups = []
    for family in families:
        group = [
            op
            for op in operations
            if op == family.create
            or any(owner[i].create == family.create for i in _required_ids(model, op, owner))
        ]
        pending = list(group)
        while pending:
            for create in needs.get(pending.pop(), set()):
                if create not in group:
                    group.append(create)
                    pending.append(create)
        # The family's own create first: the simplest example (Hypothesis tries it first, and a short
        # time slice may allow no other) is then "create, read it back".
        rest = sorted((op for op in group if op != family.create), key=operations.index)
        groups.append((family.create, [family.create, *rest]))
    return groups


def _required_ids(model: ServiceModel, op: str, owner: dict[str, Any]) -> list[str]:
    shape = model.operation_model(op).input_shape
    return [m for m in (shape.required_members if shape is not None else ()) if m in owner]


T = TypeVar("T")


def _slices(items: list[T], phase_end: float, target: _Target, *, every: bool = False) -> Iterator[T]:
    """Each item in turn, with an equal share of the time left in the phase as its deadline (and half
    as much again to finish shrinking a failure it found). With ``every``, items past the end of the
    phase still get their first example (a family's create and read-back)."""
    for index, item in enumerate(items):
        now = time.monotonic()
        if now >= phase_end and not every:
            return
        share = max(0.0, phase_end - now) / (len(items) - index)
        target.deadline, target.grace = now + share, share / 2
        if target.available(item if isinstance(item, str) else item[0]):  # type: ignore[index]
            yield item


def fuzz_endpoint(
    service: str,
    *,
    endpoint_url: str | None = None,
    moto: bool = False,
    operations: Iterable[str] | None = None,
    checks: Iterable[str] | None = None,
    exclude_checks: Iterable[str] | None = None,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    seed: int = 0,
    source: SourceLike = "installed",
    allow_real_aws: bool = False,
    stateful: bool = True,
    negative: bool = True,
    stateful_steps: int = 8,
    scope: Scope | None = None,
) -> EndpointReport:
    """Fuzz ``service`` at ``endpoint_url`` (or a fresh moto server) and report per operation.

    ``time_budget=None`` bounds the run by ``max_examples`` alone: reproducible for a ``seed``.
    With a ``scope``, only its operations and members (see :mod:`~botocontract.fuzz.scope`).
    """
    check_endpoint(endpoint_url, moto=moto, allow_real_aws=allow_real_aws)
    if max_examples < 1 or (time_budget is not None and time_budget <= 0):
        raise BotocontractError(
            f"max_examples={max_examples}, time_budget={time_budget}: both must be positive",
            hint="e.g. --max-examples 10 --time-budget 60",
        )
    spec = load_service(service, source)
    names = [n for op in operations or () for n in op.split(",") if n]
    chosen = operations_named(spec.model, names or (list(scope.operations) if scope else []))
    selected = select_checks(list(checks or ()), list(exclude_checks or ()))
    if endpoint_url and not moto:  # after the names: a typo is reported before the endpoint is tried
        check_reachable(endpoint_url)
    started = time.monotonic()
    server = MotoServer().start() if moto else None
    data_path = None if source == "installed" else str(model_folder(spec.name, spec.api_version, spec.raw))
    try:
        url = server.url if server is not None else (endpoint_url or "")
        report = EndpointReport(
            spec.name,
            url or "(real AWS)",
            moto,
            seed,
            [c.name for c in selected],
            spec.source_label,
            max_examples,
            time_budget,
            operations={op: OperationResult(op) for op in chosen},
            scope=scope,
        )
        target = _Target(
            spec,
            url or None,
            selected,
            report,
            source=source,
            server=server,
            data_path=data_path,
        )
        run = _Run(target, report, seed, moto)
        # No budget: every phase runs all its examples, so the same seed finds the same failures on
        # any machine; a budget trades that for a bounded wall time.
        budget = [math.inf if time_budget is None else started + time_budget * share for share in _PHASE_ENDS]
        chosen = _skip_model_defects(report, chosen, source)

        for op in _slices(chosen, budget[0], target, every=True):
            run.single(op, 1, negative=False)
        if stateful:
            groups = [(c, g) for c, g in _family_operations(spec.model, chosen) if target.available(c)]
            for _create, group in _slices(groups, budget[1], target, every=True):
                usable = [op for op in group if target.available(op)]
                run.stateful(usable, max_examples, stateful_steps)
        if max_examples > 1:
            for op in _slices([op for op in chosen if target.available(op)], budget[2], target):
                run.single(op, max_examples - 1, negative=False)
        if negative:
            takes_input = [
                op
                for op in chosen
                if target.available(op)
                and _has_members(spec.model.operation_model(op).input_shape)
                and (scope is None or scope.breakable(spec.model, op))
            ]
            for op in _slices(takes_input, budget[3], target):
                run.single(op, max(1, max_examples // 2), negative=True)
        for result in report.operations.values():
            if not result.exercised and not result.note:
                result.note = "time budget spent before this operation"
    finally:
        if server is not None:
            server.stop()
        if data_path is not None:
            shutil.rmtree(data_path, ignore_errors=True)
    report.duration = time.monotonic() - started
    return report


def _has_members(shape: Shape | None) -> bool:
    """Only a request with members can be made invalid."""
    return shape is not None and bool(shape.members)


def _skip_model_defects(report: EndpointReport, chosen: list[str], source: SourceLike) -> list[str]:
    """Leave out operations no valid request exists for, and say which responses cannot be judged fully.

    Those are the model's own contradictions (``botocontract lint``), not the endpoint's failures.
    """
    kept = []
    for op in chosen:
        request = strategies.model_defect(report.service, op, "request", source)
        if request is not None:
            report.operations[op].skipped = f"model defect: {request}"
            continue
        response = strategies.model_defect(report.service, op, "response", source)
        if response is not None:
            report.notes.append(f"{op}: members no value satisfies are not judged ({response})")
        kept.append(op)
    return kept
