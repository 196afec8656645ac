import datetime as dt

import pytest

from botocontract.changes.model import OperationChange, ReleaseDiff, ServiceChange, Severity
from botocontract.contracts.contract import Contract
from botocontract.contracts.gate import gate, touches
from botocontract.contracts.suppressions import Suppression, Suppressions
from tests.contracts.factory import finding

TODAY = dt.date(2026, 6, 1)


def app_contract(**extra_response) -> Contract:
    c = Contract()
    c.add("sagemaker", "CreateModel", request={"ModelName", "PrimaryContainer", "PrimaryContainer.Image"})
    c.add(
        "sagemaker",
        "DescribeModel",
        request={"ModelName"},
        response={"PrimaryContainer", "PrimaryContainer.Image", *extra_response.get("paths", ())},
    )
    return c


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("error", {"E"}), ("danger", {"E", "D"}), ("warning", {"E", "D", "W"}), ("info", {"E", "D", "W", "I"})],
)
def test_threshold_without_contract(fail_on, expected):
    findings = [
        finding(message=s, severity=sev)
        for s, sev in [("E", "error"), ("D", "danger"), ("W", "warning"), ("I", "info")]
    ]
    result = gate(findings, fail_on=fail_on, today=TODAY)
    assert {i.finding.message for i in result.failures} == expected
    assert result.exit_code == 1
    assert all(i.relevant for i in result.items)


def test_empty_passes():
    result = gate([], today=TODAY)
    assert result.passed and result.exit_code == 0
    assert result.summary().startswith("PASS")


def test_untouched_findings_become_info():
    result = gate(
        [
            finding("RemovedOperation", "error", operation="DeleteModel", path=""),
            finding("RemovedMember.Response", "error", path="PrimaryContainer.ImageConfig"),
            finding("RemovedService", "error", service="s3", operation=None, path="", direction="service"),
        ],
        app_contract(),
        today=TODAY,
    )
    assert result.passed
    assert {i.severity for i in result.items} == {Severity.INFO}
    assert all("lowered to info" in i.note for i in result.items)


def test_touching_findings_keep_their_severity():
    result = gate(
        [
            finding("RemovedOperation", "error", operation="DescribeModel", path=""),
            finding("RemovedMember.Response", "error", path="PrimaryContainer"),  # parent of a read member
            finding("ChangedMetadata", "warning", operation=None, path="", direction="service"),
        ],
        app_contract(),
        fail_on="warning",
        today=TODAY,
    )
    assert sorted(i.finding.rule for i in result.failures) == [
        "RemovedMember.Response",
        "RemovedOperation",
    ]
    # Metadata (names, ids) changes nothing the application does: kept, as info, with the reason.
    meta = next(i for i in result.items if i.finding.rule == "ChangedMetadata")
    assert meta.relevant and meta.severity.label == "info" and "nothing the application does" in meta.note
    # Worst first.
    assert [i.severity for i in result.failures] == sorted(
        (i.severity for i in result.failures), reverse=True
    )


def test_reader_raise_for_new_enum_value_on_a_read_member():
    enum = finding(
        "ChangedEnum.Added", "warning", path="PrimaryContainer.ImageConfig.RepositoryAccessMode", new=["Vpc"]
    )
    contract = app_contract(paths={"PrimaryContainer.ImageConfig.RepositoryAccessMode"})
    result = gate([enum], contract, fail_on="error", today=TODAY)
    [item] = result.failures
    assert item.severity is Severity.ERROR and item.finding.severity is Severity.WARNING
    assert "raised from warning to error" in item.note and "reads" in item.note
    # The same change on the request side is harmless to a sender: not raised.
    request_side = finding(
        "ChangedEnum.Added",
        "info",
        operation="CreateModel",
        direction="request",
        path="PrimaryContainer.Image",
    )
    assert gate([request_side], contract, today=TODAY).passed


def test_sender_raise_for_removed_member_it_sends():
    removed = finding(
        "RemovedMember.Request",
        "danger",
        operation="CreateModel",
        direction="request",
        path="PrimaryContainer.Image",
    )
    result = gate([removed], app_contract(), fail_on="error", today=TODAY)
    [item] = result.failures
    assert "sends" in item.note and item.severity is Severity.ERROR


def test_newly_required_member_touches_callers_of_its_parent():
    new_required = finding(
        "AddedRequiredMember",
        "error",
        operation="CreateModel",
        direction="request",
        path="PrimaryContainer.Mode",
    )
    nested_elsewhere = finding(
        "AddedRequiredMember", "error", operation="CreateModel", direction="request", path="VpcConfig.Subnets"
    )
    top = finding(
        "ChangedRequired.Required",
        "error",
        operation="CreateModel",
        direction="request",
        path="EnableNetworkIsolation",
    )
    result = gate([new_required, nested_elsewhere, top], app_contract(), today=TODAY)
    assert sorted(i.finding.location.path for i in result.failures) == [
        "EnableNetworkIsolation",
        "PrimaryContainer.Mode",
    ]


def test_both_direction_and_wildcards():
    c = Contract()
    c.add("sagemaker", "DescribeModel", response={"PrimaryContainer.*"})
    hit, side, used = touches(finding(direction="both", path="PrimaryContainer.ImageConfig"), c)
    assert (hit, side, used) == (True, "response", "PrimaryContainer.*")
    assert not touches(finding(direction="request", path="PrimaryContainer.ImageConfig"), c)[0]
    c.add("sagemaker", "ListModels", response={"*"})
    assert touches(finding(operation="ListModels", path="Models.ModelName"), c)[0]


def test_list_marks_do_not_matter_for_matching():
    c = Contract()
    c.add("sagemaker", "DescribeModel", response={"Containers[].ImageConfig.RepositoryAccessMode"})
    assert touches(finding(path="Containers.ImageConfig"), c)[0]
    assert not touches(finding(path="Containers.Image"), c)[0]


def test_suppressions_and_expiry():
    f = finding()
    live = Suppression(reason="we accept it", fingerprint=f.fingerprint, expires=dt.date(2026, 12, 31))
    result = gate([f], suppressions=Suppressions.of([live]), today=TODAY)
    assert result.passed
    assert result.suppressed[0].suppressed_by.reason == "we accept it"
    expired = Suppression(reason="we accepted it", fingerprint=f.fingerprint, expires=dt.date(2026, 1, 31))
    result = gate([f], suppressions=Suppressions.of([expired]), today=TODAY)
    assert not result.passed and result.exit_code == 1
    assert [i.finding for i in result.failures] == [f]  # an expired suppression hides nothing
    assert any("expired on 2026-01-31" in p for p in result.problems())


def test_unused_suppressions_are_reported_not_failed():
    stale = Suppression(reason="old news", rule="RemovedWaiter")
    result = gate([finding(severity="info")], suppressions=Suppressions.of([stale]), today=TODAY)
    assert result.passed
    assert result.unused[0].rule == "RemovedWaiter"


def test_accepts_a_release_diff():
    f = finding()
    diff = ReleaseDiff(
        old_label="botocore 1.17.43",
        new_label="botocore 1.17.42",
        services=[
            ServiceChange(
                "sagemaker",
                "Amazon SageMaker Service",
                "updated",
                operations=[OperationChange("DescribeModel", "updated", findings=[f])],
            )
        ],
    )
    result = gate(diff, today=TODAY)
    assert [i.finding for i in result.failures] == [f]
    assert "botocore 1.17.43 -> botocore 1.17.42" in result.summary()


def test_unknown_threshold_is_a_user_error():
    with pytest.raises(Exception, match="did you mean"):
        gate([], fail_on="errr")


def _rule_case(rule: str, case: str) -> list:
    """Findings the diff engine produces for one golden rule case (real rules, declared traits)."""
    from botocontract.changes.engine import diff_services
    from tests.changes.test_rules import GOLDEN, load_spec

    root = GOLDEN / rule / case
    entry = diff_services(load_spec(root / "old.json"), load_spec(root / "new.json"))
    return entry.all_findings() if entry is not None else []


def test_undeprecated_member_the_contract_reads_is_not_raised():
    findings = _rule_case("ChangedDeprecated", "member-reversed")
    assert {f.rule for f in findings} == {"ChangedDeprecated.Removed"}
    c = Contract()
    c.add("things", "GetThing", response={"Thing.Size"})
    c.add("things", "PutThing", request={"Thing.Size"})
    result = gate(findings, c, fail_on="error", today=TODAY)
    assert result.passed
    touched = [i for i in result.items if i.relevant]
    assert touched and all(i.severity is Severity.INFO and i.note is None for i in touched)


def test_idempotency_token_dropped_on_a_sent_member_is_not_an_error():
    findings = _rule_case("ChangedIdempotencyToken", "added-reversed")
    assert [f.rule for f in findings] == ["ChangedIdempotencyToken.Removed"]
    c = Contract()
    c.add("things", "PutThing", request={"ClientToken"})
    result = gate(findings, c, fail_on="error", today=TODAY)
    assert result.passed
    [item] = result.items
    assert item.relevant and item.severity is Severity.WARNING and item.note is None
    # Nothing claims the new model rejects it.
    assert result.as_dict()["findings"][0]["note"] is None


def test_traits_decide_raising_not_rule_ids():
    """A finding whose rule id says "Removed" but whose declared traits break nobody is never raised;
    one that breaks readers is, whatever its id."""
    from botocontract.changes.model import Audience, Enforcement, Kind, Subject, Traits

    c = app_contract(paths={"PrimaryContainer.ImageConfig"})
    harmless = finding("RemovedMember.Response", "warning", path="PrimaryContainer.ImageConfig")
    harmless = type(harmless)(
        **{
            **harmless.__dict__,
            "traits": Traits(Kind.METADATA, Subject.METADATA, Audience.NEITHER, Enforcement.NONE),
        }
    )
    assert gate([harmless], c, today=TODAY).passed
    reader = finding("ChangedSomething", "warning", path="PrimaryContainer.ImageConfig")
    reader = type(reader)(
        **{
            **reader.__dict__,
            "traits": Traits(Kind.CHANGE, Subject.TYPE, Audience.READERS, Enforcement.CLIENT),
        }
    )
    [item] = gate([reader], c, today=TODAY).failures
    assert "raised from warning to error" in item.note


# -- verdicts that trust the contract, and audience profiles --------------------------------------------


def _with_traits(f, kind, subject, breaks, enforced, requires=False):
    from botocontract.changes.model import Traits

    return type(f)(**{**f.__dict__, "traits": Traits(kind, subject, breaks, enforced, requires)})


def test_newly_required_member_the_app_already_sends_is_fine():
    from botocontract.contracts import Contract

    c = Contract()
    c.add("sqs", "SendMessage", request={"QueueUrl", "MessageBody"})
    sent = finding(
        "AddedRequiredMember",
        "error",
        service="sqs",
        operation="SendMessage",
        direction="request",
        path="MessageBody",
    )
    missing = finding(
        "AddedRequiredMember",
        "error",
        service="sqs",
        operation="SendMessage",
        direction="request",
        path="MessageGroupId",
    )
    result = gate([sent, missing], c, today=TODAY)
    [failure] = result.failures
    assert failure.finding.location.path == "MessageGroupId"
    ok = next(i for i in result.items if i.finding.location.path == "MessageBody")
    assert ok.severity.label == "info" and "already sends" in ok.note


def test_service_only_tightening_of_a_sent_member_is_a_warning_client_side_stays_an_error():
    from botocontract.changes.model import Audience, Enforcement, Kind, Subject

    c = app_contract()
    base = finding(
        "ChangedLengthTrait.Tightened",
        "error",
        operation="CreateModel",
        direction="request",
        path="ModelName",
    )
    service = _with_traits(base, Kind.TIGHTENING, Subject.CONSTRAINT, Audience.SENDERS, Enforcement.SERVICE)
    client = _with_traits(base, Kind.TIGHTENING, Subject.CONSTRAINT, Audience.SENDERS, Enforcement.CLIENT)
    [item] = gate([service], c, today=TODAY).items
    assert item.severity.label == "warning" and "only the service enforces" in item.note
    assert not gate([service], c, today=TODAY).failures
    assert gate([client], c, today=TODAY).failures


def test_loosening_never_fails_a_sender():
    from botocontract.changes.model import Audience, Enforcement, Kind, Subject

    c = app_contract()
    f = _with_traits(
        finding(
            "ChangedLengthTrait.Loosened",
            "error",
            operation="CreateModel",
            direction="request",
            path="ModelName",
        ),
        Kind.LOOSENING,
        Subject.CONSTRAINT,
        Audience.READERS,
        Enforcement.SERVICE,
    )
    assert gate([f], c, today=TODAY).items[0].severity.label == "info"


def test_waiter_findings_touch_only_apps_that_use_the_waiter():
    from botocontract.contracts import Contract

    waiter = finding(
        "ChangedWaiter",
        "error",
        service="s3",
        operation=None,
        direction="service",
        path="waiters.ObjectExists",
    )
    c = Contract()
    c.add("s3", "PutObject", request={"Bucket"})
    assert not gate([waiter], c, today=TODAY).failures
    c.add_waiter("s3", "ObjectExists", "HeadObject")
    assert gate([waiter], c, today=TODAY).failures


def test_profiles_split_wire_changes_from_app_changes():
    from botocontract.changes.model import Audience, Enforcement, Kind, Subject

    protocol = _with_traits(
        finding(
            "ChangedMetadata.protocol",
            "danger",
            service="sqs",
            operation=None,
            direction="service",
            path="metadata.protocol",
        ),
        Kind.CHANGE,
        Subject.ENCODING,
        Audience.BOTH,
        Enforcement.WIRE,
    )
    app = gate([protocol], None, today=TODAY)
    wire = gate([protocol], None, today=TODAY, profile="wire")
    assert app.passed and app.items[0].severity.label == "warning"
    assert not wire.passed and "--profile wire" in wire.items[0].note


def test_unknown_profile_is_a_user_error():
    from botocontract.errors import BotocontractError

    with pytest.raises(BotocontractError, match="unknown profile 'bytes'"):
        gate([], None, today=TODAY, profile="bytes")


def test_wire_profile_counts_endpoint_changes_app_code_does_not_see():
    from botocontract.changes.model import Audience, Enforcement, Kind, Subject

    endpoint = _with_traits(
        finding(
            "ChangedEndpoint", "warning", service="sqs", operation=None, direction="service", path="endpoint"
        ),
        Kind.CHANGE,
        Subject.ENDPOINT,
        Audience.NEITHER,
        Enforcement.WIRE,
    )
    assert gate([endpoint], None, today=TODAY).passed
    assert not gate([endpoint], None, today=TODAY, profile="wire").passed
