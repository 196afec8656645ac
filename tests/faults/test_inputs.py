"""Every command x every kind of bad input file: one line, exit 2, no traceback.

Files are made per test: missing, empty, not JSON/YAML, valid of the wrong shape, huge, nested 100,000
deep, a folder where a file belongs, binary. Each case names what the error line must mention.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.conftest import assert_one_line_error, cli

DEEP_JSON = "[" * 100_000 + "]" * 100_000
CONTRACT = (
    "version: 1\nservices:\n  sagemaker:\n    operations:\n      CreateModel:\n        request: [ModelName]\n"
)


_BODIES: dict[str, str | bytes] = {
    "empty": "",
    "not-json": "this is { not json",
    "not-yaml": "version: 1\nservices: [unclosed\n  - : :\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
    "deep-json": DEEP_JSON,
    "deep-yaml": "[" * 100_000 + "]" * 100_000,
    "list": "[1, 2, 3]\n",
    "scalar": "42\n",
}


def fault_file(tmp: Path, kind: str) -> Path:
    """A file (or folder, or nothing) of one fault kind."""
    if kind == "missing":
        return tmp / "no" / "such.file"
    if kind == "folder":
        (tmp / "a-folder").mkdir()
        return tmp / "a-folder"
    if kind == "huge":  # a well-formed contract far larger than any real one
        path = tmp / "huge.yaml"
        entry = "  svc{0}:\n    operations:\n      Op{0}:\n        request: [" + "A" * 40 + "]\n"
        path.write_text("version: 1\nservices:\n" + "".join(entry.format(i) for i in range(120_000)))
        return path
    path = tmp / f"{kind}.txt"
    body = _BODIES[kind]
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body)
    return path


# (command, fault) -> words the error line must contain. {f} is the faulty path.
YAML_COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "contract check": lambda f: ["contract", "check", f],
    "gate --contract": lambda f: ["gate", "--from", "installed", "--to", "installed", "--contract", f],
    "gate --suppressions": lambda f: [
        "gate",
        "--from",
        "installed",
        "--to",
        "installed",
        "--service",
        "sqs",
        "--suppressions",
        f,
    ],
    "contract merge": lambda f: ["contract", "merge", str(Path(f).parent / "merged.yaml"), f],
}
YAML_FAULTS = {
    "missing": ["such.file"],
    "not-yaml": ["not valid YAML"],
    "binary": ["not"],
    "deep-yaml": ["nested too deeply"],
    "list": ["must be a mapping"],
    "scalar": ["must be a mapping"],
    "folder": ["a-folder"],
    "huge": ["MB"],
}


@pytest.mark.parametrize("fault", sorted(YAML_FAULTS))
@pytest.mark.parametrize("command", sorted(YAML_COMMANDS))
def test_yaml_documents(tmp_path: Path, command: str, fault: str) -> None:
    path = fault_file(tmp_path, fault)
    result = cli(*YAML_COMMANDS[command](str(path)))
    assert_one_line_error(result, *YAML_FAULTS[fault])
    assert not (tmp_path / "merged.yaml").exists()


@pytest.mark.parametrize(
    "body",
    [
        "version: 1\nsuppressions:\n  - rule: AddedMember\n    reason: fine by us\n    expires: 2020-13-45\n",
        "version: 1\nsuppressions:\n  - rule: AddedMember\n    reason: fine by us\n    expires: 2021-02-29\n",
        "version: 1\nsuppressions:\n  - rule: AddedMember\n    reason: fine by us\n    expires: tomorrow\n",
    ],
    ids=["month-13", "feb-29-2021", "word"],
)
def test_impossible_expiry_date_is_one_line(tmp_path: Path, body: str) -> None:
    path = tmp_path / "suppressions.yaml"
    path.write_text(body)
    args = ("gate", "--from", "installed", "--to", "installed", "--service", "sqs", "--suppressions", path)
    assert_one_line_error(cli(*args), "expires", "YYYY-MM-DD")


def test_impossible_api_version_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "contract.yaml"
    path.write_text(CONTRACT.replace("  sagemaker:\n", "  sagemaker:\n    api_version: 2017-13-45\n"))
    assert_one_line_error(cli("contract", "check", path), "api_version", "2017-13-45", "YYYY-MM-DD")


def test_unquoted_api_version_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "contract.yaml"
    path.write_text(CONTRACT.replace("  sagemaker:\n", "  sagemaker:\n    api_version: 2017-07-24\n"))
    result = cli("contract", "check", path)
    assert result.code == 0, result.err
    assert "ok: checked 1 path(s)" in result.err
    merged = tmp_path / "merged.yaml"
    assert cli("contract", "merge", merged, path).code == 0
    assert "api_version: '2017-07-24'" in merged.read_text()  # quoted on the way out, so it stays text


def test_non_text_keys_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "contract.yaml"
    path.write_text(CONTRACT.replace("CreateModel:", "12:"))
    assert_one_line_error(cli("contract", "check", path), "12", "quote it")


def test_empty_contract_lists_no_services(tmp_path: Path) -> None:
    path = tmp_path / "contract.yaml"
    path.write_text("")
    result = cli("gate", "--from", "installed", "--to", "installed", "--contract", path)
    assert_one_line_error(result, "lists no services")


# -- JSON documents: validate ---------------------------------------------------------------------------
VALIDATE_FAULTS = {
    "missing": ["such.file"],
    "empty": ["not valid JSON"],
    "not-json": ["not valid JSON"],
    "binary": ["JSON"],
    "deep-json": ["nested too deeply"],
    "folder": ["a-folder"],
}


@pytest.mark.parametrize("direction", ["--input", "--output"])
@pytest.mark.parametrize("fault", sorted(VALIDATE_FAULTS))
def test_validate_documents(tmp_path: Path, fault: str, direction: str) -> None:
    path = fault_file(tmp_path, fault)
    result = cli("validate", "sqs", "SendMessage", direction, path)
    assert_one_line_error(result, *VALIDATE_FAULTS[fault])


def test_validate_wrong_shape_is_a_violation_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2, 3]")
    result = cli("validate", "sqs", "SendMessage", "--input", path)
    assert result.code == 1 and "expected a dict, got list" in result.out


def _dynamodb_request(levels: int) -> str:
    """A PutItem request whose item nests ``levels`` maps, as JSON text (json.dumps would recurse)."""
    item = '{"M": {"a": ' * levels + '{"S": "leaf"}' + "}}" * levels
    return '{"TableName": "t", "Item": {"k": ' + item + "}}"


def test_validate_dynamodb_item_nested_480_levels(tmp_path: Path) -> None:
    path = tmp_path / "item.json"
    path.write_text(_dynamodb_request(480))
    assert_one_line_error(cli("validate", "dynamodb", "PutItem", "--input", path), "nested", "200 levels")


def test_validate_dynamodb_item_as_deep_as_dynamodb_allows(tmp_path: Path) -> None:
    path = tmp_path / "item.json"
    path.write_text(_dynamodb_request(32))
    result = cli("validate", "dynamodb", "PutItem", "--input", path)
    assert result.code == 0 and "0 violations" in result.err


def test_validate_huge_document(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    body = {"QueueUrl": "q", "MessageBody": "x" * 30_000_000}
    path.write_text(json.dumps(body))
    result = cli("validate", "sqs", "SendMessage", "--input", path)
    assert result.code == 0 and result.err_lines == ["0 violations in sqs SendMessage input"]


# -- model files as sources ------------------------------------------------------------------------------
SOURCE_FAULTS = {
    "missing": ["no such file", "such.file"],
    "empty": ["not a botocore service model"],
    "not-json": ["not a botocore service model"],
    "list": ["not a botocore service model"],
    "deep-json": ["not a botocore service model"],
    "folder": ["holds no botocore models"],
}
SOURCE_COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "services": lambda f: ["services", "--source", f],
    "shapes": lambda f: ["shapes", "sqs", "--source", f],
    "diff": lambda f: ["diff", f, "installed", "--service", "sqs"],
    "validate": lambda f: ["validate", "sqs", "SendMessage", "--input", f, "--source", f],
    "contract check": lambda f: ["contract", "check", "{contract}", "--source", f],
    "fuzz client": lambda f: ["fuzz", "client", "sqs", "SendMessage", "--examples", "1", "--source", f],
    "fuzz endpoint": lambda f: [
        "fuzz",
        "endpoint",
        "sqs",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--source",
        f,
    ],
    "generators stats": lambda f: ["generators", "stats", "--service", "sqs", "--source", f],
}


@pytest.mark.parametrize("fault", sorted(SOURCE_FAULTS))
@pytest.mark.parametrize("command", sorted(SOURCE_COMMANDS))
def test_model_sources(tmp_path: Path, command: str, fault: str) -> None:
    path = fault_file(tmp_path, fault)
    if fault in ("empty", "not-json", "list", "deep-json"):  # a model file is named *.json
        path = path.rename(path.with_suffix(".json"))
    contract = tmp_path / "contract.yaml"
    contract.write_text(
        CONTRACT.replace("sagemaker", "sqs")
        .replace("CreateModel", "SendMessage")
        .replace("ModelName", "QueueUrl")
    )
    args = [a.replace("{contract}", str(contract)) for a in SOURCE_COMMANDS[command](str(path))]
    if command == "validate":
        good = tmp_path / "good.json"
        good.write_text('{"QueueUrl": "q", "MessageBody": "b"}')
        args[args.index("--input") + 1] = str(good)
    assert_one_line_error(cli(*args), *SOURCE_FAULTS[fault])


def test_a_json_model_nested_deeply_inside_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "service-2.json"
    path.write_text(
        '{"version": "2.0", "metadata": {"apiVersion": "2012-11-05", "serviceId": "SQS"},'
        ' "operations": {}, "shapes": {"S": ' + DEEP_JSON + "}}"
    )
    assert_one_line_error(cli("shapes", "sqs", "--source", path), "not a valid model file")


def test_paginators_file_is_not_zero_services(tmp_path: Path) -> None:
    import botocore

    data = Path(botocore.__file__).parent / "data" / "sqs" / "2012-11-05"
    pages = next(data.glob("paginators-1.json*"))
    target = tmp_path / pages.name
    target.write_bytes(pages.read_bytes())
    assert_one_line_error(cli("services", "--source", target), "not a botocore service model")


def test_a_wheel_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "botocore-1.2.3-py3-none-any.whl"
    path.write_bytes(b"PK\x03\x04 truncated")
    assert_one_line_error(cli("services", "--source", path), "not a readable wheel")


@pytest.mark.parametrize(
    ("body", "note"),
    [
        ("x = " + "+".join(["a"] * 100_000) + "\n", "nested too deeply"),
        ("x = " + "(" * 5000 + ")" * 5000 + "\n", "not Python"),
        ("\x00\x01 binary", "not Python"),
    ],
    ids=["deep-expression", "deep-parentheses", "binary"],
)
def test_contract_scan_skips_unreadable_python_with_a_note(tmp_path: Path, body: str, note: str) -> None:
    bad, good = tmp_path / "bad.py", tmp_path / "good.py"
    bad.write_text(body)
    good.write_text("import boto3\nboto3.client('sqs').send_message(QueueUrl='q', MessageBody='b')\n")
    result = cli("contract", "scan", tmp_path)
    assert result.code == 0 and "Traceback" not in result.err
    assert any(line.startswith(f"note: {bad}") and note in line for line in result.err_lines), result.err
    assert "SendMessage" in result.out
