"""Hypothesis strategies for every request and response, wire encoders, and fuzz runners.

Importing this package is cheap: names load on first use, so ``pytest`` with the plugin stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocontract.lazy import lazy_exports

if TYPE_CHECKING:
    from botocontract.generators.client import fuzz_client, roundtrip
    from botocontract.generators.fake import FakeAWS, fake_client
    from botocontract.generators.invalid import InvalidRequest, invalid_requests
    from botocontract.generators.overrides import clear_overrides, register_strategy
    from botocontract.generators.stats import stats as strategy_stats
    from botocontract.generators.strategies import requests, responses
    from botocontract.generators.wire import encode_error, encode_response

_WHERE = {
    "requests": "strategies",
    "responses": "strategies",
    "invalid_requests": "invalid",
    "InvalidRequest": "invalid",
    "register_strategy": "overrides",
    "clear_overrides": "overrides",
    "strategy_stats": "stats",
    "encode_response": "wire",
    "encode_error": "wire",
    "fake_client": "fake",
    "FakeAWS": "fake",
    "fuzz_client": "client",
    "roundtrip": "client",
}

__all__ = [
    "FakeAWS",
    "InvalidRequest",
    "clear_overrides",
    "encode_error",
    "encode_response",
    "fake_client",
    "fuzz_client",
    "invalid_requests",
    "register_strategy",
    "requests",
    "responses",
    "roundtrip",
    "strategy_stats",
]

# Functions whose submodule shares their name are exported under another name.
__getattr__ = lazy_exports(__name__, _WHERE, {"strategy_stats": "stats"})
