"""pytest plugin: ``--botocontract-record contracts.yaml`` records the contract the test run exercises.

Loaded for every pytest run once botocontract is installed, so it imports nothing heavy until asked to
record. The recorded operations and member paths are merged into the file (created when missing).
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


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    recorder = config.stash.get(_RECORDER, None)
    if recorder is None:
        return
    from botocontract.contracts.contract import save_contract

    recorder.uninstall()
    path = config.stash[_PATH]
    if getattr(config, "workerinput", None) is not None:
        # Under pytest-xdist each worker writes its own part; merge them with `contract merge` afterwards.
        path = f"{path}.{config.workerinput['workerid']}"
    save_contract(recorder.contract, path, merge=True)
    ops = sum(len(o) for o in recorder.contract.services.values())
    config.stash[_PATH] = f"{path} ({ops} operation(s) from {recorder.calls} call(s))"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if config.stash.get(_RECORDER, None) is not None:
        terminalreporter.write_line(f"botocontract: recorded contract to {config.stash[_PATH]}")
