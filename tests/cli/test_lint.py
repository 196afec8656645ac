"""``botocontract lint``: model defects of a real release, as text and JSON, with documented exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from botocontract.cli import main


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def test_lint_names_the_defect_and_what_it_makes_impossible() -> None:
    result = _run("lint", "apprunner")
    assert result.exit_code == 0, result.output
    assert "apprunner ServiceId: PatternLongerThanMax:" in result.stdout
    assert "apprunner DescribeService output: OperationUnsatisfiable" in result.stdout
    assert "1 shapes no value satisfies, 6 operation directions" in result.stderr


def test_lint_json_is_stable_and_strict_fails() -> None:
    first, second = _run("lint", "ec2", "--format", "json"), _run("lint", "ec2", "--format", "json")
    assert first.stdout == second.stdout
    assert [f["shape"] for f in json.loads(first.stdout)] == ["PlacementGroupArn"]
    assert _run("lint", "ec2", "--strict").exit_code == 1
    assert _run("lint", "sqs", "--strict").exit_code == 0


def test_lint_of_an_unknown_service_is_one_error_line() -> None:
    result = _run("lint", "nosuchservice")
    assert result.exit_code == 2
    assert result.stderr.startswith("botocontract: error: unknown service 'nosuchservice'")
    assert "Traceback" not in result.output
