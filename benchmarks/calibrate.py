"""Calibrate severities on real history: findings per rule and severity over 110 consecutive release pairs.

Ten runs of eleven consecutive botocore release pairs, spread evenly from 1.13 to 1.43, every service
diffed. The report (``docs/calibration.md``) counts findings per rule and severity and quotes samples of
every rule that raised ``error``, next to the review of each such rule (``REVIEWS`` below): a rule that
raises ``error`` without a review fails the run, so no unreviewed verdict reaches the report.

    python benchmarks/calibrate.py [--runs 10] [--pairs 11] [--out docs/calibration.md]

Releases come through the project's cached source; pair diffs are cached under the rule set's key.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

from botocontract.changes.model import Finding, ReleaseDiff, Severity
from botocontract.changes.walk import walk
from botocontract.specs import index

ROOT = Path(__file__).resolve().parents[1]

#: The review of every rule (full id, variant included) that raised ``error`` in the report's range: why
#: each such finding is a real break for a boto3 user. Written after reading the quoted samples and the
#: models they come from.
REVIEWS: dict[str, str] = {
    "RemovedOperation": (
        "Real breaks: the client method is gone (`AttributeError` on the client). In the sampled range "
        "these are withdrawals of operations AWS had released and pulled again (preview APIs, reverts of "
        "a premature release), exactly the rare case smithy-diff lets through."
    ),
    "RemovedService": ("Real break: `boto3.client(name)` raises `UnknownServiceError` after the upgrade."),
    "RemovedMember.Response": (
        "Real break for code that reads the member: the service no longer sends it and the parsed response "
        "has no such key. Mostly reverts of members released a release earlier."
    ),
    "RemovedMember.Request": (
        "Real break: botocore's ParamValidator rejects the unknown parameter before sending "
        "(`ParamValidationError: Unknown parameter`), so every call still passing it fails."
    ),
    "AddedRequiredMember": (
        "Real break: botocore rejects calls lacking a required member before sending "
        "(`Missing required parameter`); every existing call of the operation lacks the new member."
    ),
    "ChangedRequired.Required": (
        "Break: botocore rejects calls omitting a member that became required. Most samples state what "
        "the service needed anyway (a device filter's attribute, operator and values; a suite "
        "definition's name and role), but where the service had a default (devicefarm "
        "`PurchaseOffering` `quantity`) a call that worked now fails before it is sent. Kept as error: "
        "the rejection is botocore's own and certain for every call that omits the member."
    ),
    "ChangedEnum.Removed": (
        "Break for callers sending the value: botocore does not check enums, the service rejects the "
        "value it no longer knows (ec2 `security-group-rule`, withdrawn a release after it came; macie2 "
        "scope keys; lakeformation tag permissions). Only request-side removals are errors: a value no "
        "longer returned in a response is info."
    ),
    "ChangedShapeType": (
        "A shape changed type: botocore validates the Python type of request values and parses responses "
        "by the new type, so callers passing the old type are rejected."
    ),
    "ChangedMemberTarget.Type": (
        "A member now targets a shape of another type: as ChangedShapeType, requests with the old type "
        "are rejected by botocore and responses parse to another Python type."
    ),
    "ChangedMemberTarget.Input": ("The operation lost its input: calls with parameters are rejected."),
    "ChangedMemberTarget.Output": (
        "The operation lost its output shape: the response no longer carries the members it had."
    ),
    "ChangedHttpBinding.Operation": (
        "HTTP method or URI changed: requests go to another route (a real wire change; for a boto3 user "
        "botocore follows the model, for emulators and recorded traffic it breaks)."
    ),
    "ChangedHttpBinding.Member": ("A member moved on the wire (header, query, body, other name)."),
    "ChangedHttpBinding.Shape": ("The payload or wire name of a shape changed."),
    "ChangedTimestampFormat": ("A timestamp's wire format changed."),
    "ChangedStreaming": ("The body is streamed differently."),
    "RemovedPaginator": ("Real break: `client.get_paginator(name)` raises `OperationNotPageableError`."),
    "RemovedWaiter": ("Real break: `client.get_waiter(name)` raises `ValueError`."),
    "RemovedApiVersion": ("The client falls back to an older api-version: a different contract."),
}


#: Rules that raised ``error`` on this range before review, and what the review found. Kept in the report
#: so the reasoning behind each severity stays next to the numbers.
RECALIBRATED: list[tuple[str, str]] = [
    (
        "ChangedLengthTrait.Tightened, ChangedRangeTrait.Tightened (request)",
        "102 errors before review, now warnings. Every sampled case stated a limit the service already "
        "enforced: `min` 1 on ecr `imageManifest`, `min` 20 on an IAM role ARN, `min` 2 on an ISO country "
        "code, `min` 0 on `maxResults`. botocore now rejects such values before sending instead of the "
        "service rejecting them after: a call that failed still fails. A lowered `max` was never checked "
        "by botocore at all. A `min` of 0 on a string, list or map (548 of 549 errors of sagemaker "
        "1.17.43 -> 1.40.0) and a `max` equal to the type's limit are no change at all (`Restated`, info).",
    ),
    (
        "ChangedShapeType (integer <-> long, float <-> double)",
        "s3 `Size` integer -> long (1.31.52) raised 5 errors. botocore validates and parses both as one "
        "Python `int`, and the wire carries the same number: a wider type is info, a narrower one on the "
        "request a warning.",
    ),
    (
        "ChangedEnum.Removed (response)",
        "A value no longer returned in a response breaks no reader; only request-side removals stay errors.",
    ),
    (
        "RemovedMember.Request",
        "Was danger; botocore rejects unknown parameters before sending, so it is an error like its "
        "response twin.",
    ),
    (
        "ChangedPattern",
        "Was danger on any request pattern change. Decided by sampled strings now: most pattern findings "
        "on this range are equivalent rewrites or loosenings (see the table); a tightening is a warning "
        "because botocore never checks patterns. Sampling is evidence, not proof: a change that only "
        "touches strings the draws rarely reach (a new negative lookahead such as `(?!aws:)`) can pass "
        "as equivalent; an untranslatable pattern is reported as `Changed` (undecided), never guessed.",
    ),
    (
        "ChangedMetadata.jsonVersion / .protocols",
        "`jsonVersion` on a protocol other than `json` and a `protocols` list that botocore resolves to "
        "the protocol it already spoke change no request: info.",
    ),
]


def _pairs(runs: int, pairs: int) -> list[tuple[str, str]]:
    """(first, last) version of each run: ``runs`` runs of ``pairs`` consecutive pairs, evenly spaced from
    the first 1.13 release to the last 1.43 release."""
    versions = [r.version for r in index.releases()]
    first = next(i for i, v in enumerate(versions) if v.startswith("1.13."))
    last = max(i for i, v in enumerate(versions) if v.startswith("1.43."))
    span = last - pairs - first
    starts = [first + span * k // (runs - 1) for k in range(runs)]
    return [(versions[s], versions[s + pairs]) for s in starts]


def _key(pair: str) -> tuple[int, ...]:
    return tuple(int(p) for p in pair.split(" -> ")[0].split("."))


def _where(diff: ReleaseDiff, finding: Finding) -> str:
    return f"`{diff.old_version} -> {diff.new_version}` `{finding.location}`: {finding.message}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pairs", type=int, default=11)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "calibration.md")
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()

    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    samples: dict[str, list[str]] = collections.defaultdict(list)
    services_seen: dict[str, set[str]] = collections.defaultdict(set)
    #: (pair, service) -> error rules, for the table of where the errors are.
    where_errors: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    run_rows = []
    started = time.perf_counter()
    total_pairs = 0
    for first, last in _pairs(args.runs, args.pairs):
        n_pairs = n_services = n_findings = n_errors = 0
        for diff in walk(first, last):
            n_pairs += 1
            n_services += len(diff.services)
            for finding in diff.all_findings():
                n_findings += 1
                counts[finding.rule][finding.severity.label] += 1
                if finding.severity is Severity.ERROR:
                    n_errors += 1
                    pair = f"{diff.old_version} -> {diff.new_version}"
                    where_errors[(pair, finding.location.service)][finding.rule] += 1
                    # One sample per service and pair at most, so a sweeping change does not fill them.
                    key = f"{diff.new_version}/{finding.location.service}"
                    if key not in services_seen[finding.rule] and len(samples[finding.rule]) < args.samples:
                        services_seen[finding.rule].add(key)
                        samples[finding.rule].append(_where(diff, finding))
        total_pairs += n_pairs
        run_rows.append((first, last, n_pairs, n_services, n_findings, n_errors))
        print(f"{first} -> {last}: {n_pairs} pairs, {n_findings} findings, {n_errors} errors", flush=True)
    elapsed = time.perf_counter() - started

    error_rules = sorted(r for r, c in counts.items() if c["error"])
    unreviewed = [r for r in error_rules if r not in REVIEWS]
    levels = [s.label for s in sorted(Severity, reverse=True)]
    total = collections.Counter[str]()
    for c in counts.values():
        total.update(c)

    out = [
        "# Severity calibration on real history",
        "",
        f"Produced by `python benchmarks/calibrate.py` over {total_pairs} consecutive botocore release pairs "
        f"({args.runs} runs of {args.pairs} pairs, evenly spaced from 1.13 to 1.43; every service of "
        "every pair diffed). Regenerate it after changing a rule: the script fails when a rule raises "
        "`error` without a review below.",
        "",
        "## What a true error is",
        "",
        "An `error` must be a real break for code using boto3 after the upgrade: the same call or the "
        "same read that worked before fails. AWS runs smithy-diff on its models before every release, so "
        "between consecutive releases true breaks are rare: removals of preview operations and members "
        "(mostly reverts of a premature release a day earlier), newly required request members, removed "
        "enum values, removed paginators. A rule that raised hundreds of errors over a range of releases "
        "would be miscalibrated; this report is the check. What botocore itself enforces decides the rest "
        "(see the traits of each rule, `botocontract rules --format json`): it checks required members, "
        "types, the `min` of strings, lists and numbers, and unions before sending; it never checks "
        "`max`, patterns or enums, and validates no response. So a lowered `max` or a stricter pattern "
        "on a request is at most a warning (the service may reject what it most likely already rejected), "
        "a loosened response bound or a response `required` change is a warning or info, a bound equal "
        "to the type's own (`min` 0) restates nothing, and pattern rewrites are judged by sampled "
        "strings (`botocontract.specs.sampling`), not by their text.",
        "",
        "## Release pairs",
        "",
        "| first | last | pairs | service entries | findings | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for first, last, n_pairs, n_services, n_findings, n_errors in run_rows:
        out.append(f"| {first} | {last} | {n_pairs} | {n_services} | {n_findings} | {n_errors} |")
    out += [
        "",
        f"In all: {sum(total.values())} findings, "
        + ", ".join(f"{total[level]} {level}" for level in levels)
        + ".",
        "",
        "## Findings per rule and severity",
        "",
        "| rule | " + " | ".join(levels) + " | total |",
        "| --- | " + " | ".join("---:" for _ in levels) + " | ---: |",
    ]
    for rule_id in sorted(counts, key=lambda r: (-counts[r]["error"], -sum(counts[r].values()), r)):
        c = counts[rule_id]
        cells = " | ".join(str(c[level] or "") for level in levels)
        out.append(f"| `{rule_id}` | {cells} | {sum(c.values())} |")
    out += [
        "",
        "## Where the errors are",
        "",
        f"{len(where_errors)} service entries of {total_pairs} pairs carry an `error`:",
        "",
        "| pair | service | errors |",
        "| --- | --- | --- |",
    ]
    for (pair, service), rules_ in sorted(where_errors.items(), key=lambda kv: (_key(kv[0][0]), kv[0][1])):
        listed = ", ".join(f"{r} x{n}" for r, n in sorted(rules_.items()))
        out.append(f"| {pair} | {service} | {listed} |")
    biggest = max(where_errors.items(), key=lambda kv: sum(kv[1].values()), default=None)
    pairs_with_errors = len({pair for pair, _ in where_errors})
    out += [
        "",
        f"So {pairs_with_errors} of {total_pairs} consecutive pairs ({pairs_with_errors / total_pairs:.0%}) "
        "would fail a gate at `--fail-on error` without a contract, which is what AWS's own smithy-diff "
        "checks predict: breaks between consecutive releases are rare and deliberate. "
        + (
            f"The largest entry, {biggest[0][1]} {biggest[0][0]} ({sum(biggest[1].values())} errors), "
            "is the withdrawal of EC2 security-group-rule APIs released the day before; "
            if biggest
            else ""
        )
        + "the others are members, operations and enum values withdrawn after a premature release, whole "
        "services retired (finspace, tnb), and request members that became required. With a contract "
        "the gate counts only those the application uses.",
    ]
    out += ["", "## Rules recalibrated after review", ""]
    for rules_, why in RECALIBRATED:
        out += [f"- **{rules_}**: {why}"]
    out += ["", "## Every rule that raised `error`, reviewed", ""]
    if not error_rules:
        out.append("No rule raised `error` in this range.")
    for rule_id in error_rules:
        out += [
            f"### `{rule_id}` ({counts[rule_id]['error']} errors)",
            "",
            f"Review: {REVIEWS.get(rule_id, '**NOT REVIEWED**')}",
            "",
            "Samples:",
            "",
            *(f"- {_cell(s)}" for s in samples[rule_id]),
            "",
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".md.tmp")
    tmp.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"diffing took {elapsed:.0f} s (pair diffs are cached after the first run)")
    print(f"wrote {args.out}: {total_pairs} pairs, {total['error']} errors in {len(error_rules)} rules")
    if unreviewed:
        print(f"rules raising error without a review: {', '.join(unreviewed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
