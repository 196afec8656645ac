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

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike

__all__ = ["ResponseFuzzer", "botocontract_fake", "botocontract_responses"]


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
                if sys.version_info >= (3, 11):  # notes are 3.11+; on 3.10 the error goes out as it is
                    exc.add_note(f"botocontract: {self.service} {self.operation} response: {response!r}")
                    exc.add_note(f"botocontract: replay with seed={seed}, max_examples={max_examples}")
                raise

        run()


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
