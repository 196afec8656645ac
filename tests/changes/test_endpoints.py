"""Endpoint rule sets diffed by what botocore resolves: the real releases whose only change was the rule
set, the matrix, compact labels, and the cache keyed by signatures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from botocontract.changes.endpoints import (
    EndpointDiff,
    compact_regions,
    configs_label,
    diff_endpoints,
    evaluation_key,
)
from botocontract.changes.engine import diff_sources
from botocontract.changes.render_json import render_json
from botocontract.changes.render_markdown import render_markdown
from botocontract.changes.render_text import render_text
from botocontract.specs import resolve_source

GOLDEN = Path(__file__).parent / "rules"


def _case(rule: str, case: str) -> tuple[dict, dict, dict]:
    old = json.loads((GOLDEN / rule / case / "old.json").read_text())
    new = json.loads((GOLDEN / rule / case / "new.json").read_text())
    return old["endpointRuleSet"], new["endpointRuleSet"], new["partitions"]


def test_labels_drop_axes_that_make_no_difference() -> None:
    fips, ds = ("UseFIPS", True), ("UseDualStack", True)
    assert configs_label([(fips, ds)]) == "FIPS+DualStack"
    assert configs_label([(fips,), (fips, ds)]) == "FIPS (with or without DualStack)"
    assert configs_label([(), (fips,), (ds,), (fips, ds)]) == "any FIPS/DualStack"
    assert configs_label([()]) == "default"
    assert configs_label([(("ForcePathStyle", True),)]) == "ForcePathStyle"
    outposts = (
        "Bucket",
        "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/bucket/mybucket",
    )
    label = configs_label([(outposts,), (outposts, ("UseArnRegion", True)), (outposts, ("Accelerate", True))])
    assert label == "Bucket=<Outposts bucket ARN>, alone or with Accelerate, UseArnRegion"


def test_regions_compact_by_partition() -> None:
    parts = {"a-1": "aws", "a-2": "aws", "a-3": "aws", "a-4": "aws", "a-5": "aws", "g-1": "gov"}
    assert compact_regions(["a-1", "a-2", "a-3", "a-4", "a-5", "g-1"], parts) == "every aws region (5), g-1"
    assert compact_regions(["a-1", "a-2", "a-4", "a-5"], parts) == "every aws region (5) but a-3"
    assert compact_regions(["a-1", "a-5"], parts) == "a-1, a-5"


def test_evaluation_is_cached_by_signatures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOTOCONTRACT_CACHE", str(tmp_path))
    old, new, parts = _case("ChangedEndpoint", "govcloud-fips-dualstack")
    key = evaluation_key("old-sig", "new-sig", "parts-sig")
    first = diff_endpoints(old, new, parts, cache_key=key)
    assert [c.regions for c in first.changes] == [("us-gov-east-1", "us-gov-west-1")]
    assert first.evaluated > 0
    cached = tmp_path / "endpoints" / f"{key}.json"
    assert cached.exists()
    # The cache answers without evaluating: a broken rule set under the same key gives the cached result.
    again = diff_endpoints({"parameters": {}, "rules": "broken"}, new, parts, cache_key=key)
    assert again.as_dict() == first.as_dict()
    assert EndpointDiff.from_dict(json.loads(json.dumps(first.as_dict()))) == first
    assert evaluation_key("old-sig", "new-sig", "parts-sig") != evaluation_key(
        "new-sig", "old-sig", "parts-sig"
    )


def test_same_rules_evaluate_nothing() -> None:
    old, _new, parts = _case("ChangedEndpoint", "local-http")
    assert diff_endpoints(old, old, parts).changes == []


def test_unloadable_rule_set_is_reported_not_raised() -> None:
    old, _new, parts = _case("ChangedEndpoint", "local-http")
    broken = {**old, "parameters": {**old["parameters"], "X": {"type": "NoSuchType"}}}
    result = diff_endpoints(old, broken, parts)
    assert result.unevaluated and "NoSuchType" in result.unevaluated


# -- real releases --------------------------------------------------------------------------------------


def _endpoint_findings(old: str, new: str, service: str) -> list:
    diff = diff_sources(old, new, [service])
    assert [s.service for s in diff.services] == [service]
    return [f for f in diff.all_findings() if "Endpoint" in f.rule]


@pytest.mark.network
def test_cloudwatch_govcloud_fips_dualstack_fix() -> None:
    found = _endpoint_findings("1.40.37", "1.40.38", "cloudwatch")
    urls = [f for f in found if f.rule == "ChangedEndpoint.Url"]
    assert len(urls) == 1
    (url,) = urls
    assert url.location.path == "endpoints[FIPS+DualStack]"
    assert "us-gov-east-1, us-gov-west-1 with FIPS+DualStack" in url.message
    assert (url.old, url.new) == (
        "https://monitoring-fips.{region}.api.aws",
        "https://monitoring.{region}.api.aws",
    )
    assert url.severity.label == "info"  # an opt-in configuration's host moved; nothing breaks


@pytest.mark.network
def test_dynamodb_local_region_now_http() -> None:
    found = _endpoint_findings("1.29.23", "1.29.24", "dynamodb")
    url = next(f for f in found if f.rule == "ChangedEndpoint.Url")
    assert url.message.startswith("local")
    assert (url.old, url.new) == ("https://localhost:8000", "http://localhost:8000")
    assert url.severity.label == "warning"  # a default client's endpoint


@pytest.mark.network
def test_iam_signing_region_and_dualstack_host() -> None:
    found = _endpoint_findings("1.43.63", "1.43.64", "iam")
    by_rule = {}
    for finding in found:
        by_rule.setdefault(finding.rule, []).append(finding)
    (auth,) = by_rule["ChangedEndpoint.AuthScheme"]
    assert "aws-cn-global, cn-north-1, cn-northwest-1 with FIPS (with or without DualStack)" in auth.message
    assert "signingRegion=cn-northwest-1 -> sigv4 signingRegion=cn-north-1" in auth.message
    (url,) = by_rule["ChangedEndpoint.Url"]
    assert "eusc-de-east-1 with DualStack" in url.message


@pytest.mark.network
def test_release_with_model_and_rule_set_changes_reports_both() -> None:
    """1.29.24 changed dynamodb's rule set and (among others) rds's model: both show, and the rule set
    of a service whose model also changed is not dropped."""
    diff = diff_sources("1.29.23", "1.29.24", ["dynamodb", "rds"])
    assert [s.service for s in diff.services] == ["dynamodb", "rds"]
    rules = {s.service: {f.rule for f in s.all_findings()} for s in diff.services}
    assert "ChangedEndpoint.Url" in rules["dynamodb"]
    assert any(not r.startswith(("ChangedEndpoint", "AddedEndpoint")) for r in rules["rds"])


@pytest.mark.network
def test_endpoint_findings_in_every_format() -> None:
    from botocontract.cli import main

    diff = diff_sources("1.40.37", "1.40.38", ["cloudwatch"])
    text = render_text(diff, include_docs=False)
    assert "ChangedEndpoint.Url" in text and "us-gov-west-1" in text
    assert "Amazon CloudWatch - endpoint changes only" in text
    markdown = render_markdown(diff)
    assert "ChangedEndpoint.Url" in markdown and "us-gov-west-1" in markdown
    data = json.loads(render_json(diff))
    (finding,) = [f for f in data["services"][0]["findings"] if f["rule"] == "ChangedEndpoint.Url"]
    assert finding["location"]["path"] == "endpoints[FIPS+DualStack]"
    result = CliRunner().invoke(main, ["diff", "1.40.37", "1.40.38", "--service", "cloudwatch"])
    assert result.exit_code == 0 and "No service changed" not in result.output
    assert "monitoring-fips.{region}.api.aws" in result.output


@pytest.mark.network
def test_s3_outposts_signing_found_through_bucket_arns() -> None:
    """1.34.62 "makes the default option for S3 on Outposts request signing to use SigV4A": only an
    Outposts ARN as the bucket reaches that branch of the rule set."""
    found = _endpoint_findings("1.34.61", "1.34.62", "s3")
    (auth,) = [f for f in found if f.rule == "ChangedEndpoint.AuthScheme"]
    assert auth.location.path.startswith("endpoints[Bucket=<Outposts access point ARN>")
    assert "-> sigv4a" in auth.message


@pytest.mark.network
def test_sources_read_rule_sets_and_partitions() -> None:
    old, new = resolve_source("1.40.37"), resolve_source("1.40.38")
    sig = "endpoint-rules"
    assert old.signature("cloudwatch", kind=sig) != new.signature("cloudwatch", kind=sig)
    assert old.signature("sqs", kind=sig) == new.signature("sqs", kind=sig)
    assert old.signature("sqs", kind="partitions") != "absent"
    rules = new.service("cloudwatch").endpoint_ruleset
    assert rules is not None and "UseFIPS" in rules["parameters"]
    partitions = new.release_json("partitions")
    assert any(p["id"] == "aws-us-gov" for p in partitions["partitions"])


@pytest.mark.network
def test_gate_and_site_show_endpoint_findings(tmp_path: Path) -> None:
    from botocontract.contracts.contract import Contract
    from botocontract.contracts.gate import gate
    from botocontract.site.builder import write_site

    diff = diff_sources("1.29.23", "1.29.24", ["dynamodb"])
    contract = Contract()
    contract.add("dynamodb", "GetItem", request=["TableName"])
    result = gate(diff, contract, fail_on="warning")
    counted = [i.finding.rule for i in result.failures]
    assert "ChangedEndpoint.Url" in counted and result.exit_code == 1
    other = Contract()
    other.add("sqs", "SendMessage", request=["QueueUrl"])
    assert gate(diff, other, fail_on="warning").exit_code == 0
    write_site([diff], tmp_path)
    html = (tmp_path / "1.29.24" / "dynamodb.html").read_text()
    assert "ChangedEndpoint.Url" in html and "http://localhost:8000" in html


def test_evaluation_is_the_same_under_any_hash_seed() -> None:
    import os
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from botocontract.changes.endpoints import diff_endpoints\n"
        "old, new = (json.load(open(p)) for p in sys.argv[1:3])\n"
        "d = diff_endpoints(old['endpointRuleSet'], new['endpointRuleSet'], new['partitions'])\n"
        "print(json.dumps(d.as_dict(), sort_keys=False))\n"
    )
    case = GOLDEN / "ChangedEndpoint" / "fips-signing-region"
    outputs = set()
    for seed in ("0", "1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", script, str(case / "old.json"), str(case / "new.json")],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1 and '"aspect": "auth"' in outputs.pop()
