"""pytest plugin: ``--botocontract-record contracts.yaml`` records the contract the test run exercises.

Loaded for every pytest run once botocontract is installed, so it imports nothing heavy until asked to
record. The recorded operations and member paths are merged into the file (created when missing).
Response paths are the members the code reads; calls made while fixtures set up or tear down are
marked ``setup`` (the gate ignores them). A run that saw no botocore call says so and writes nothing:
tests that replace the client with a mock never reach botocore.
"""

from __future__ import annotations

from typing import Any

import pytest

_RECORDER = pytest.StashKey[Any]()
_PATH = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("botocontract")
    group.addoption(
        "--botocontract-record",
        metavar="PATH",
        default=None,
        help="record the AWS operations and member paths the tests use into this contract file (merged)",
    )


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("botocontract_record", None)
    if not path:
        return
    from botocontract.contracts.record import Recorder

    config.stash[_RECORDER] = Recorder().install()
    config.stash[_PATH] = str(path)


def _phase(item: pytest.Item, phase: str) -> Any:
    recorder = item.config.stash.get(_RECORDER, None)
    if recorder is not None:
        recorder.phase = phase
    return recorder


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Any:
    _phase(item, "setup")
    yield
    _phase(item, "call")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Any:
    _phase(item, "teardown")
    yield
    _phase(item, "call")


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    recorder = config.stash.get(_RECORDER, None)
    if recorder is None:
        return
    from botocontract.contracts.contract import save_contract

    recorder.uninstall()
    path = config.stash[_PATH]
    if recorder.calls == 0:
        config.stash[_PATH] = (
            f"no botocore call was seen in this run, so {path} was not written: tests that replace the "
            "client with a mock never reach botocore (use botocore's Stubber, moto or botocontract_fake)"
        )
        return
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        # Under pytest-xdist each worker writes its own part; merge them with `contract merge` afterwards.
        path = f"{path}.{workerinput['workerid']}"
    save_contract(recorder.contract, path, merge=True)
    ops = sum(1 for *_, use in recorder.contract.operations() if not use.setup)
    setup = sum(1 for *_, use in recorder.contract.operations() if use.setup)
    config.stash[_PATH] = (
        f"recorded contract to {path} ({ops} operation(s) from {recorder.calls - recorder.setup_calls} "
        f"call(s) in tests; {setup} operation(s) only from fixtures/setup, marked setup)"
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if config.stash.get(_RECORDER, None) is not None:
        terminalreporter.write_line(f"botocontract: {config.stash[_PATH]}")
