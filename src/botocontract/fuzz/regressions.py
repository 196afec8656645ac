"""Failures of an endpoint fuzz kept as pytest regression tests.

Each exported test replays the shrunk request sequence of one failure (against a fresh moto server or
the endpoint URL the fuzz used) and asks the same named check from :data:`~botocontract.fuzz.checks.CHECKS`
to judge the last call, so it fails exactly while the endpoint still deviates and passes once it is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from pprint import pformat
from typing import Any

from botocontract.fuzz.checks import Call, select_checks
from botocontract.fuzz.moto_server import MotoServer
from botocontract.fuzz.report import EndpointReport, Failure
from botocontract.specs import load_service
from botocontract.specs.cache import atomic_write_text

__all__ = ["export_tests", "render_tests", "replay", "replayed_check"]


def replay(
    service: str,
    endpoint_url: str,
    calls: Sequence[tuple[str, dict[str, Any]]],
    *,
    kind: str = "positive",
    rule: str | None = None,
    path: str | None = None,
    server: MotoServer | None = None,
    source: str = "installed",
) -> Call:
    """Reset the emulator, make ``calls`` in order and return the last one as the checks see it.

    The earlier calls set up state (a create before a describe); only the last is judged.
    """
    from botocontract.fuzz.endpoint import _Target  # the fuzz's own client and wire capture
    from botocontract.fuzz.report import OperationResult

    spec = load_service(service, source)
    report = EndpointReport(
        spec.name, endpoint_url, server is not None, 0, [], spec.source_label, 1, 1.0,
        operations={op: OperationResult(op) for op, _ in calls},
    )  # fmt: skip
    target = _Target(spec, endpoint_url, [], report, source=source, server=server, data_path=None)
    target.reset()
    last = len(calls) - 1
    call = None
    for index, (operation, params) in enumerate(calls):
        if index < last:
            target.send(operation, params)
        else:
            call = target.send(operation, params, kind=kind, rule=rule, path=path)
    assert call is not None, "no calls to replay"
    return call


def replayed_check(
    check: str,
    service: str,
    endpoint_url: str,
    calls: Sequence[tuple[str, dict[str, Any]]],
    **options: Any,
) -> str | None:
    """Replay ``calls`` and judge the last with the named check: its failure message, or None."""
    (judge,) = select_checks([check])
    return judge(replay(service, endpoint_url, calls, **options))


def _identifier(text: str) -> str:
    return re.sub(r"\W+", "_", text).strip("_").lower() or "case"


def _test(failure: Failure, name: str, service: str, source: str) -> list[str]:
    calls = failure.calls or [(failure.operation, failure.params)]
    listed = pformat([(op, params) for op, params in calls], width=100, sort_dicts=False)
    options = [f"kind={failure.kind!r}"]
    if failure.kind == "negative":
        options += [f"rule={failure.rule!r}", f"path={failure.path!r}"]
    if source != "installed":
        options.append(f"source={source!r}")
    first_line = " ".join(failure.message.split())[:200]
    return [
        "",
        "",
        f"def {name}(endpoint: tuple[str, Any]) -> None:",
        f'    """{failure.operation} [{failure.check}] (seed {failure.seed}): {_docstring(first_line)}"""',
        "    url, server = endpoint",
        "    calls = " + listed.replace("\n", "\n    "),
        f"    message = replayed_check({failure.check!r}, {service!r}, url, calls, server=server, "
        + ", ".join(options)
        + ")",
        "    assert message is None, message",
    ]


def _docstring(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', "'''")


def render_tests(report: EndpointReport, *, source: str = "installed") -> str:
    """A pytest module with one test per failure of ``report``; the same report gives the same text."""
    if report.moto:
        fixture = [
            "@pytest.fixture(scope='module')",
            "def endpoint() -> Iterator[tuple[str, Any]]:",
            '    """A fresh moto server on a free loopback port (each test resets its state)."""',
            "    with MotoServer() as server:",
            "        yield server.url, server",
        ]
    else:
        fixture = [
            "@pytest.fixture(scope='module')",
            "def endpoint() -> tuple[str, Any]:",
            '    """The endpoint the fuzz ran against (override with BOTOCONTRACT_ENDPOINT_URL)."""',
            f"    return os.environ.get('BOTOCONTRACT_ENDPOINT_URL', {report.endpoint_url!r}), None",
        ]
    lines = [
        f'"""Regression tests exported by ``botocontract fuzz endpoint {report.service}`` '
        f"(seed {report.seed}).",
        "",
        "Each test replays the shrunk calls of one failure and asks the check that failed to judge the",
        'last answer again: it fails while the endpoint deviates from the model."""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime  # noqa: F401  (values of timestamp members)",
        "import os  # noqa: F401",
        "from collections.abc import Iterator  # noqa: F401",
        "from math import inf, nan  # noqa: F401  (values of float members)",
        "from typing import Any",
        "",
        "import pytest",
        "",
        "from botocontract.fuzz.moto_server import MotoServer  # noqa: F401",
        "from botocontract.fuzz.regressions import replayed_check",
        "",
        "",
        *fixture,
    ]
    used: set[str] = set()
    for failure in report.failures:
        base = f"test_{_identifier(report.service)}_{_identifier(failure.operation)}_{failure.check}"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name)
        lines += _test(failure, name, report.service, source)
    if not report.failures:
        lines += ["", "", "# the fuzz found no failures"]
    return "\n".join(lines) + "\n"


def export_tests(report: EndpointReport, path: str | Path, *, source: str = "installed") -> Path:
    """Write :func:`render_tests` to ``path`` atomically; returns the path."""
    return atomic_write_text(Path(path), render_tests(report, source=source))
