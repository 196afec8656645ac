"""A real botocore client that answers from queued responses, through the wire.

Unlike botocore's ``Stubber`` (which hands the dict straight back), every queued response is encoded to
the service's wire protocol and parsed by botocore's own parser and handlers, so user code sees exactly
what it would see from AWS: ``StreamingBody`` objects, parsed timestamps, modeled exceptions.
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.config import Config

from botocontract.errors import BotocontractError
from botocontract.generators.session import model_client
from botocontract.generators.wire import encode_error, encode_response
from botocontract.generators.wire.compare import RawBody
from botocontract.specs.lookup import find_operation

if TYPE_CHECKING:
    from botocontract.specs.model import ServiceSpec
    from botocontract.specs.sources import SourceLike

__all__ = ["FakeAWS", "fake_client"]


_EXAMPLES = itertools.count(1)


def _example_id() -> int | None:
    """The running Hypothesis example (its build context), or None outside one.

    Responses queued in one example must not answer the next: an example that ends (or fails) before its
    code calls AWS would otherwise hand its response to a later example, and a report would show the
    wrong one.
    """
    import sys

    control = sys.modules.get("hypothesis.control")
    if control is None:
        return None
    try:
        context = control.current_build_context()
    except Exception:  # InvalidArgument outside a test run
        return None
    # A token of our own: id() of a finished context can be reused by the next one.
    token = getattr(context, "_botocontract_example", None)
    if token is None:
        token = next(_EXAMPLES)
        context._botocontract_example = token
    return int(token)


@dataclass
class FakeAWS:
    """The queue behind a fake client: ``add_response``/``add_error`` per operation, ``calls`` made."""

    client: BaseClient
    _queues: dict[str, deque[tuple[int | None, Callable[[], dict[str, Any]]]]] = field(
        default_factory=lambda: defaultdict(deque)
    )
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def add_response(self, operation: str, value: Mapping[str, Any], *, status: int | None = None) -> None:
        op = self._operation(operation)
        self._enqueue(operation, lambda: dict(encode_response(op, dict(value), status=status)))

    def add_error(self, operation: str, code: str, message: str = "", *, status: int = 400) -> None:
        op = self._operation(operation)
        self._enqueue(operation, lambda: dict(encode_error(op, code, message, status)))

    def reset(self) -> None:
        """Forget every queued response and recorded call."""
        self._queues.clear()
        self.calls.clear()

    def pending(self) -> dict[str, int]:
        self._drop_stale()
        return {name: len(q) for name, q in self._queues.items() if q}

    def _enqueue(self, operation: str, answer: Callable[[], dict[str, Any]]) -> None:
        self._drop_stale()
        self._queues[operation].append((_example_id(), answer))

    def _drop_stale(self) -> None:
        """Inside a Hypothesis example, drop what earlier examples queued and never used."""
        current = _example_id()
        if current is None:
            return
        for queue in self._queues.values():
            while queue and queue[0][0] is not None and queue[0][0] != current:
                queue.popleft()

    def _operation(self, name: str) -> Any:
        return find_operation(self.client.meta.service_model, name)[1]

    def _answer(self, request: Any, event_name: str = "", **_: Any) -> AWSResponse:
        operation = event_name.rsplit(".", 1)[-1]
        self.calls.append((operation, request))
        self._drop_stale()
        queue = self._queues.get(operation)
        if not queue:
            raise BotocontractError(
                f"the fake client got a {operation} call with no queued response",
                hint=f"call fake.add_response({operation!r}, ...) first",
            )
        wire = queue.popleft()[1]()
        return AWSResponse(request.url, wire["status_code"], wire["headers"], RawBody(wire["body"]))


def fake_client(
    service: str, *, source: SourceLike | ServiceSpec = "installed", region: str = "us-east-1"
) -> FakeAWS:
    """A fake for ``service``: ``fake.client`` is a real botocore client that never touches the network
    and never reads the user's credentials."""
    client = model_client(service, source, config=Config(retries={"total_max_attempts": 1}), region=region)
    fake = FakeAWS(client)
    client.meta.events.register("before-send", fake._answer)
    return fake
