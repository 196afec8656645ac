import datetime as dt

import pytest

from botocontract.contracts.suppressions import (
    Suppression,
    SuppressionError,
    Suppressions,
    load_suppressions,
)
from tests.contracts.factory import finding

TODAY = dt.date(2026, 6, 1)


def write(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


def test_load_and_match_by_fingerprint_and_rule(tmp_path):
    target = finding()
    path = write(
        tmp_path,
        f"""version: 1
suppressions:
  - fingerprint: {target.fingerprint}
    reason: we never read ImageConfig
    expires: 2026-12-31
  - rule: ChangedEnum
    location: "sagemaker:*:response:*"
    reason: our parser tolerates unknown values
""",
    )
    s = load_suppressions(path)
    assert [e.index for e in s.entries] == [1, 2]
    assert s.entries[0].expires == dt.date(2026, 12, 31)
    assert s.match(target, TODAY) is s.entries[0]
    enum = finding("ChangedEnum.Added", "warning", path="PrimaryContainer.Mode")
    assert s.match(enum, TODAY) is s.entries[1]
    # The location glob keeps request-side enum changes out.
    assert s.match(finding("ChangedEnum.Added", "info", direction="request"), TODAY) is None
    # A rule id is not a prefix of an unrelated id.
    assert s.match(finding("ChangedEnumeration"), TODAY) is None


def test_rule_glob():
    s = Suppression(reason="fine", rule="Removed*", location="s3:*")
    assert s.matches(finding("RemovedOperation", service="s3", operation="ListBuckets", path=""))
    assert not s.matches(finding("RemovedOperation"))


def test_expiry_is_inclusive_of_the_last_day():
    s = Suppressions.of([Suppression(reason="until then", rule="RemovedMember", expires=dt.date(2026, 6, 1))])
    assert s.match(finding(), dt.date(2026, 6, 1)) is not None
    assert s.match(finding(), dt.date(2026, 6, 2)) is None
    assert s.expired(dt.date(2026, 6, 2)) == s.entries


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("  - rule: RemovedMember\n", "reason"),
        ("  - reason: no target given\n", "fingerprint"),
        ("  - rule: X\n    reason: ok then\n    expires: someday\n", "someday"),
        ("  - fingerprint: NOT-HEX\n    reason: whatever\n", "NOT-HEX"),
        ("  - rule: X\n    reason: fine\n    colour: red\n", "colour"),
    ],
)
def test_bad_entries_are_user_errors(tmp_path, body, needle):
    with pytest.raises(SuppressionError) as info:
        load_suppressions(write(tmp_path, "suppressions:\n" + body))
    assert needle in str(info.value)
    assert info.value.exit_code == 2


def test_not_yaml_and_missing(tmp_path):
    with pytest.raises(SuppressionError, match="YAML"):
        load_suppressions(write(tmp_path, "suppressions: [\n"))
    with pytest.raises(SuppressionError, match="cannot read"):
        load_suppressions(tmp_path / "nope.yaml")
