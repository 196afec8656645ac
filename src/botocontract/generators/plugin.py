"""pytest plugin: fuzz your own code with schema-valid AWS responses.

    def test_summary_survives_any_model(botocontract_responses):
        botocontract_responses("sagemaker", "DescribeModel").check(
            lambda client, response: summarize(client, "my-model"))

``check`` runs the function under Hypothesis with a real botocore client whose call answers with each
generated response (encoded to the wire and parsed by botocore), shrinks a failure to a minimal response
and re-raises it with that response attached. The ``botocontract_fake`` fixture gives the bare fake
client for hand-written cases.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike

__all__ = [
    "BotocoreCrash",
    "ResponseFuzzer",
    "botocontract_fake",
    "botocontract_responses",
    "botocore_crash_site",
]


@dataclass
class ResponseFuzzer:
    """Generated responses of one operation, fed to user code through a real client."""

    service: str
    operation: str
    source: SourceLike = "installed"

    def check(
        self, fn: Callable[[Any, dict[str, Any]], object], *, max_examples: int = 50, seed: int = 0
    ) -> None:
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import seed as hseed

        from botocontract.generators.fake import fake_client
        from botocontract.generators.strategies import responses

        fake = fake_client(self.service, source=self.source)

        # The explain phase re-runs the failing case once per choice to annotate it; on responses of
        # thousands of choices that costs far more than finding and shrinking the failure.
        @hseed(seed)
        @settings(
            max_examples=max_examples,
            deadline=None,
            database=None,
            phases=[p for p in Phase if p is not Phase.explain],
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(responses(self.service, self.operation, self.source))
        def run(response: dict[str, Any]) -> None:
            fake.reset()  # nothing of an earlier example answers this one
            fake.add_response(self.operation, response)
            try:
                fn(fake.client, response)
            except Exception as exc:
                where = botocore_crash_site(exc)
                error: Exception = exc
                if where is not None:
                    error = BotocoreCrash(
                        f"botocore's own code crashed on a generated {self.service} {self.operation} "
                        f"response, inside the client call ({where}: {type(exc).__name__}: {exc}); "
                        "not a bug in the function under test"
                    )
                if sys.version_info >= (3, 11):  # notes are 3.11+; on 3.10 the error goes out as it is
                    error.add_note(f"botocontract: {self.service} {self.operation} response: {response!r}")
                    error.add_note(f"botocontract: replay with seed={seed}, max_examples={max_examples}")
                if error is exc:
                    raise
                raise error from exc

        run()


class BotocoreCrash(Exception):
    """An unexpected exception raised by botocore's own code (a response handler or parser) during a
    client call: the generated response met a botocore bug, the function under test is not to blame."""


def botocore_crash_site(exc: BaseException) -> str | None:
    """``handlers.py:123 in parse_get_bucket_location`` when ``exc`` was raised inside botocore during
    a client call and is not one of botocore's deliberate errors (``ClientError``, validation...)."""
    import botocore
    import botocore.exceptions

    if isinstance(exc, (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError)):
        return None
    frames = traceback.extract_tb(exc.__traceback__)
    root = os.path.dirname(botocore.__file__) + os.sep
    in_call = any(f.filename.startswith(root) and f.name == "_make_api_call" for f in frames)
    if not frames or not in_call or not frames[-1].filename.startswith(root):
        return None
    last = frames[-1]
    return f"botocore/{last.filename[len(root) :]}:{last.lineno} in {last.name}"


@pytest.fixture
def botocontract_responses() -> Callable[..., ResponseFuzzer]:
    """``botocontract_responses(service, operation, source="installed")`` -> a :class:`ResponseFuzzer`."""
    return ResponseFuzzer


@pytest.fixture
def botocontract_fake() -> Callable[..., Any]:
    """``botocontract_fake(service)`` -> a FakeAWS whose ``.client`` answers queued responses."""
    from botocontract.generators.fake import fake_client

    return fake_client


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "botocontract: tests that fuzz code with botocontract's generated data"
    )
