"""Property: whatever a contract or suppressions file holds, reading it gives a result or one
:class:`BotocontractError` line, never another exception.

Documents are drawn near the real formats (their own keys, dates, wrong types, non-text keys) and as raw
YAML-ish text. The ``ci`` Hypothesis profile makes the draws the same on every run.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from botocontract.contracts.contract import Contract, ContractError, load_contract
from botocontract.contracts.suppressions import SuppressionError, Suppressions, load_suppressions
from tests.faults.conftest import assert_one_line_error, cli

KEYS = [
    "version",
    "services",
    "operations",
    "request",
    "response",
    "api_version",
    "paginators",
    "waiters",
    "sqs",
    "sagemaker",
    "SendMessage",
    "CreateModel",
    "suppressions",
    "rule",
    "reason",
    "fingerprint",
    "expires",
    "location",
    "*",
    "QueueUrl",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.sampled_from(KEYS),
    st.text(max_size=12),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["2017-07-24", "2017-13-45", "2026-02-30", "0000-00-00", "3f1c0a9e5b7d2c41", "1"]),
)
keys = st.one_of(st.sampled_from(KEYS), st.integers(0, 3), st.booleans(), st.none(), st.text(max_size=6))
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=24,
)
near_contracts = st.fixed_dictionaries(
    {
        "version": st.one_of(st.just(1), scalars),
        "services": st.dictionaries(
            st.sampled_from(["sqs", "sagemaker", "Bad Name", "1"]), trees, max_size=3
        ),
    }
)
near_suppressions = st.fixed_dictionaries(
    {
        "version": st.one_of(st.just(1), scalars),
        "suppressions": st.lists(st.dictionaries(st.sampled_from(KEYS), scalars, max_size=5), max_size=4),
    }
)
raw_text = st.text(alphabet=st.sampled_from(list("ab1-: \n\t[]{},'\"&*!|>#%@`?\\2017-0724")), max_size=80)


def _documents(near: st.SearchStrategy[Any]) -> st.SearchStrategy[str]:
    dumped = st.one_of(near, trees).map(lambda d: yaml.safe_dump(d, allow_unicode=True))
    return st.one_of(dumped, raw_text)


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(text: str, loader: Any) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.yaml"
        path.write_text(text, encoding="utf-8")
        return loader(path)


@SETTINGS
@given(_documents(near_contracts))
def test_contract_documents(text: str) -> None:
    try:
        contract = _read(text, load_contract)
    except ContractError as exc:
        assert "\n" not in exc.one_line() and exc.exit_code == 2
        return
    assert isinstance(contract, Contract)
    for service, operation, use in contract.operations():  # a valid contract is usable as read
        assert isinstance(service, str) and isinstance(operation, str)
        assert all(isinstance(p, str) for p in use.request | use.response)
    assert all(isinstance(v, str) for v in contract.api_versions.values())


@SETTINGS
@given(_documents(near_suppressions))
def test_suppression_documents(text: str) -> None:
    try:
        found = _read(text, load_suppressions)
    except SuppressionError as exc:
        assert "\n" not in exc.one_line() and exc.exit_code == 2
        return
    assert isinstance(found, Suppressions)
    for entry in found.entries:
        assert isinstance(entry.reason, str)
        assert entry.expires is None or isinstance(entry.expires, dt.date)
        entry.expired(dt.date(2026, 1, 1))


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(near_contracts.map(yaml.safe_dump), raw_text))
def test_the_command_line_says_it_in_one_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contract.yaml"
        path.write_text(text, encoding="utf-8")
        result = cli("contract", "check", path)
    if result.code != 2:
        assert result.code in (0, 1) and "Traceback" not in result.err
        return
    assert_one_line_error(result)
