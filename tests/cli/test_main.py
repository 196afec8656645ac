"""The main group: cheap start-up, one error line with a documented exit code, shared option spellings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from botocontract.cli import main
from tests.cli.conftest import model_pair

#: Libraries a start-up or ``rules`` must not pay for (each costs 0.1-1 s of imports).
HEAVY = ("hypothesis", "pytest", "deepdiff", "jinja2", "botocore.docs", "docutils")


def invoke(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("args", [["--help"], ["rules"], ["rules", "--format", "json"], ["fuzz", "--help"]])
def test_help_and_rules_import_no_heavy_library(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from botocontract.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout[-500:]


@pytest.fixture(scope="module")
def sts_sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """old/ and new/ data folders: sts as installed, and with GetCallerIdentity's Account removed."""
    return model_pair(
        tmp_path_factory.mktemp("sts"),
        "sts",
        lambda model: model["shapes"]["GetCallerIdentityResponse"]["members"].pop("Account"),
    )


def test_usage_errors_are_one_line_with_exit_2() -> None:
    for args in (["diff", "--bogus"], ["diff", "1.17.42"], ["shapes", "sts", "-f", "yaml"], ["nosuch"]):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.output.count("\n") == 1 and result.output.startswith("botocontract: error: "), args
        assert "Traceback" not in result.output


def test_library_errors_are_one_line_with_a_hint(sts_sources: tuple[Path, Path]) -> None:
    old, _ = sts_sources
    result = invoke("shapes", "stz", "--source", old)
    assert result.exit_code == 2
    assert (
        result.output == "botocontract: error: unknown service 'stz' in " + result.output.split(" in ", 1)[1]
    )
    assert "did you mean sts?" in result.output and result.output.count("\n") == 1


def test_diff_writes_its_output_file_with_the_short_spellings(
    sts_sources: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = sts_sources
    out = tmp_path / "diff.json"
    result = invoke("diff", old, new, "-f", "json", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output == ""
    (service,) = json.loads(out.read_text())["services"]
    rules = {f["rule"] for op in service["operations"] for f in op["findings"]}
    assert any(rule.startswith("RemovedMember") for rule in rules), rules
    assert [p.name for p in tmp_path.iterdir()] == ["diff.json"]  # no temporary file left behind
    printed = invoke("diff", old, new, "--format", "json")
    assert json.loads(printed.output) == json.loads(out.read_text())


def test_shapes_and_services_share_source_and_format(sts_sources: tuple[Path, Path]) -> None:
    old, _ = sts_sources
    tree = invoke("shapes", "sts", "GetCallerIdentity", "-s", old, "-f", "json")
    assert tree.exit_code == 0, tree.output
    assert "Account" in json.dumps(json.loads(tree.output))
    listed = invoke("services", "--source", old, "--format", "json")
    assert [s["name"] for s in json.loads(listed.stdout)] == ["sts"]


def test_old_spellings_still_work(sts_sources: tuple[Path, Path]) -> None:
    result = invoke("site", "--help")
    assert "--output" in result.output and "--out " not in result.output  # hidden, still accepted
    missing = invoke("site", "--from", "1.17.42")
    assert missing.exit_code == 2 and "--output" in missing.output
    bad = invoke("fuzz", "endpoint", "sqs", "--report", "junit")
    assert bad.exit_code == 2 and "FORMAT=PATH" in bad.output
    unknown = invoke("fuzz", "endpoint", "sqs", "--report", "jnuit=out.xml")
    assert unknown.exit_code == 2 and "did you mean junit?" in unknown.output


def test_endpoint_defaults_match_the_library() -> None:
    from botocontract.cli import fuzz as cli_fuzz
    from botocontract.fuzz import endpoint
    from botocontract.fuzz.report import RENDERERS

    assert list(cli_fuzz.ENDPOINT_REPORTS) == RENDERERS.names()
    assert cli_fuzz.DEFAULT_MAX_EXAMPLES == endpoint.DEFAULT_MAX_EXAMPLES
    assert cli_fuzz.DEFAULT_TIME_BUDGET == endpoint.DEFAULT_TIME_BUDGET


def test_console_script_runs(sts_sources: tuple[Path, Path]) -> None:
    old, new = sts_sources
    done = subprocess.run(
        [sys.executable, "-m", "botocontract.cli", "diff", str(old), str(new)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "GetCallerIdentity" in done.stdout


def test_validate_reads_a_response_under_the_new_and_the_old_spelling(
    sts_sources: tuple[Path, Path], tmp_path: Path
) -> None:
    old, _ = sts_sources
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps({"UserId": "AIDA", "Account": "123456789012", "Arn": "arn:aws:iam::1:user/x"}))
    bad.write_text(json.dumps({"Account": 12, "Nope": True}))
    assert invoke("validate", "sts", "GetCallerIdentity", "-s", old, "--response", good).exit_code == 0
    failed = invoke("validate", "sts", "GetCallerIdentity", "-s", old, "--output", bad)
    assert failed.exit_code == 1 and "Nope" in failed.output
    neither = invoke("validate", "sts", "GetCallerIdentity", "-s", old)
    assert neither.exit_code == 2 and "--request FILE or --response FILE" in neither.output
