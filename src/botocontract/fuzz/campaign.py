"""Fuzz campaigns as a pytest session: one test per operation, so pytest runs, spreads and splits them.

Load it with ``-p botocontract.fuzz.campaign`` and point pytest at :mod:`botocontract.fuzz.campaign_tests`
(``botocontract fuzz campaign`` does both). ``pytest -n auto`` (pytest-xdist) spreads the operations over
cores, ``--shard i/n`` keeps every n-th one for job i of a CI matrix, and the controlling process merges
every operation's result into one JSON report (``--campaign-report``). The plugin does nothing unless
``--campaign`` is given, so it is harmless in any other session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

__all__ = ["CampaignCase", "Shard", "cases", "merge_files", "merged_report"]

#: The key under which each test records its result (carried to the xdist controller with the report).
PROPERTY = "botocontract_campaign"
_KINDS = ("client", "endpoint")
#: Results seen by this process's session (on the xdist controller: every worker's).
_RESULTS: list[dict[str, Any]] = []


@dataclass(frozen=True)
class Shard:
    """Job ``index`` (1-based) of ``count``: keeps every ``count``-th case, starting at ``index``."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        try:
            index, count = (int(part) for part in text.split("/"))
        except ValueError:
            index = count = 0
        if not 1 <= index <= count:
            raise pytest.UsageError(f"--shard {text!r}: expected I/N with 1 <= I <= N, e.g. --shard 2/4")
        return cls(index, count)

    def keeps(self, position: int) -> bool:
        return position % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True)
class CampaignCase:
    """One operation of the campaign; :meth:`run` gives its JSON-ready result."""

    kind: str
    service: str
    operation: str
    examples: int
    seed: int
    source: str
    moto: bool = False
    endpoint_url: str | None = None
    #: None: bounded by examples alone (reproducible for the seed).
    time_budget: float | None = None

    @property
    def id(self) -> str:
        return f"{self.service}.{self.operation}"

    def run(self) -> dict[str, Any]:
        if self.kind == "client":
            from botocontract.generators.client import fuzz_operation

            found = fuzz_operation(
                self.service, self.operation, examples=self.examples, seed=self.seed, source=self.source
            )
            return self._result(found.status, found.reason, replay=found.replay)
        return self._endpoint()

    def _endpoint(self) -> dict[str, Any]:
        from botocontract.fuzz.endpoint import fuzz_endpoint
        from botocontract.fuzz.scope import OperationScope, Scope
        from botocontract.specs import load_service

        # The creates the operation needs run with it (as setup), so a describe has something to read.
        model = load_service(self.service, self.source).model
        scope = Scope(self.service, {self.operation: OperationScope()}).with_creates(model)
        report = fuzz_endpoint(
            self.service,
            endpoint_url=self.endpoint_url,
            moto=self.moto,
            operations=list(scope.operations),
            max_examples=self.examples,
            time_budget=self.time_budget,
            seed=self.seed,
            source=self.source,
            scope=scope,
        )
        own = report.operations[self.operation]
        failures = [f for f in report.failures if f.operation == self.operation]
        if failures:
            reason = " | ".join(f"{f.check}: {' '.join(f.message.split())[:300]}" for f in failures)
            replay = failures[0].reproduction
            if self.moto:  # the server's port is random: name a fixed one so reports compare equal
                replay = replay.replace(report.endpoint_url.rsplit(":", 1)[-1], "5000")
            return self._result("failed", reason, replay=replay)
        if own.status == "passed":
            return self._result("passed", "")
        reason = own.skipped or own.note
        return self._result("not implemented" if own.status == "not implemented" else "skipped", reason)

    def _result(self, status: str, reason: str, *, replay: str = "") -> dict[str, Any]:
        return {
            "service": self.service,
            "operation": self.operation,
            "status": status,
            "reason": reason,
            "replay": replay,
        }


def cases(config: pytest.Config) -> list[CampaignCase]:
    """Every operation of the chosen services, sorted, for the options in ``config``."""
    from botocontract.specs import load_service, resolve_source

    kind = config.getoption("campaign")
    source = config.getoption("campaign_source")
    names = [n for part in config.getoption("campaign_services") for n in part.split(",") if n]
    if not names or names == ["all"]:
        names = resolve_source(source).service_names()
    moto = config.getoption("campaign_moto")
    url = config.getoption("campaign_endpoint_url")
    if kind == "endpoint" and not (moto or url):
        raise pytest.UsageError("--campaign endpoint needs --campaign-moto or --campaign-endpoint-url URL")
    found = []
    only = {n for part in config.getoption("campaign_operations") for n in part.split(",") if n}
    for service in sorted(set(names)):
        for operation in sorted(load_service(service, source).model.operation_names):
            if only and operation not in only:
                continue
            found.append(
                CampaignCase(
                    kind,
                    service,
                    operation,
                    config.getoption("campaign_examples"),
                    config.getoption("campaign_seed"),
                    source,
                    moto=moto,
                    endpoint_url=url,
                    time_budget=config.getoption("campaign_time_budget"),
                )
            )
    return found


def merged_report(config: pytest.Config, results: list[dict[str, Any]]) -> dict[str, Any]:
    """One report for the whole campaign (or shard), the same for any worker count and order."""
    ordered = sorted(results, key=lambda r: (r["service"], r["operation"]))
    counts: dict[str, int] = {}
    for r in ordered:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return {
        "campaign": config.getoption("campaign"),
        "seed": config.getoption("campaign_seed"),
        "examples": config.getoption("campaign_examples"),
        "source": config.getoption("campaign_source"),
        "shard": config.getoption("shard") or "1/1",
        "summary": {"operations": len(ordered), **dict(sorted(counts.items()))},
        "results": ordered,
    }


def merge_files(paths: list[str]) -> dict[str, Any]:
    """The reports of a campaign's shards as one report; they must share kind, seed, examples and source."""
    from botocontract.errors import BotocontractError

    merged: dict[str, Any] | None = None
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            settings = {k: data[k] for k in ("campaign", "seed", "examples", "source")}
            found = list(data["results"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise BotocontractError(
                f"{path} is not a campaign report ({type(error).__name__}: {error})",
                hint="pass the files written by `botocontract fuzz campaign --report`",
            ) from None
        if merged is None:
            merged = settings
        elif settings != merged:
            raise BotocontractError(
                f"{path} is from another campaign ({settings} vs {merged})",
                hint="merge only the shards of one campaign (same kind, seed, examples and source)",
            )
        for result in found:
            results[(result["service"], result["operation"])] = result
    assert merged is not None
    ordered = [results[key] for key in sorted(results)]
    counts: dict[str, int] = {}
    for r in ordered:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    summary = {"operations": len(ordered), **dict(sorted(counts.items()))}
    return {**merged, "shard": f"{len(paths)} merged", "summary": summary, "results": ordered}


# ------------------------------------------------------------------------------------------- plugin


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("botocontract campaign", "fuzz campaigns, one test per operation")
    group.addoption("--campaign", choices=_KINDS, help="Run a fuzz campaign: client or endpoint.")
    group.addoption(
        "--campaign-services",
        action="append",
        default=[],
        metavar="NAME[,NAME]",
        help="Services to fuzz (repeatable; 'all' or none: every service of the source).",
    )
    group.addoption(
        "--campaign-operations", action="append", default=[], metavar="NAME[,NAME]", help="Only these."
    )
    group.addoption("--campaign-examples", type=int, default=3, help="Examples per operation (default 3).")
    group.addoption("--campaign-seed", type=int, default=0, help="Hypothesis seed (default 0).")
    group.addoption("--campaign-source", default="installed", help="Models: installed, a version or a path.")
    group.addoption(
        "--campaign-moto", action="store_true", help="Endpoint campaigns: a moto server per test."
    )
    group.addoption("--campaign-endpoint-url", default=None, help="Endpoint campaigns: the emulator's URL.")
    group.addoption(
        "--campaign-time-budget",
        type=float,
        default=None,
        help="Endpoint: seconds per operation (default: bounded by examples, reproducible).",
    )
    group.addoption("--campaign-report", default=None, metavar="PATH", help="Write the merged JSON report.")
    group.addoption("--shard", default=None, metavar="I/N", help="Keep every N-th operation, from the I-th.")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("shard"):
        Shard.parse(config.getoption("shard"))  # a bad value fails before collection
    _RESULTS.clear()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "campaign_case" not in metafunc.fixturenames:
        return
    if not metafunc.config.getoption("campaign"):
        raise pytest.UsageError("botocontract.fuzz.campaign_tests needs --campaign client|endpoint")
    found = cases(metafunc.config)
    metafunc.parametrize("campaign_case", found, ids=[c.id for c in found])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    text = config.getoption("shard")
    if not text:
        return
    shard = Shard.parse(text)
    campaign = [item for item in items if "campaign_case" in getattr(item, "fixturenames", ())]
    position = {item.nodeid: n for n, item in enumerate(sorted(campaign, key=lambda i: i.nodeid))}
    kept = [i for i in items if i.nodeid not in position or shard.keeps(position[i.nodeid])]
    dropped = [i for i in items if i.nodeid in position and not shard.keeps(position[i.nodeid])]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect each operation's result where the session is controlled (the xdist controller, or the
    only process): the test put it in the report's user properties, which xdist carries over."""
    if report.when != "call" and not (report.when == "setup" and report.skipped):
        return
    for name, value in report.user_properties:
        if name == PROPERTY:
            _RESULTS.append(json.loads(str(value)))


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workerinput"):  # an xdist worker: the controller writes the report
        return
    path = config.getoption("campaign_report")
    if not (config.getoption("campaign") and path):
        return
    from botocontract.specs.cache import atomic_write_json

    atomic_write_json(Path(path), merged_report(config, _RESULTS), indent=2)


def record(item_properties: list[tuple[str, object]], result: dict[str, Any]) -> None:
    """Put ``result`` where :func:`pytest_runtest_logreport` finds it."""
    item_properties.append((PROPERTY, json.dumps(result, sort_keys=True)))
