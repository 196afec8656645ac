"""Pattern relations decided by drawn strings: equivalent rewrites, tightenings, loosenings, witnesses."""

from __future__ import annotations

import random

import pytest

from botocontract.specs.patterns import compile_pattern
from botocontract.specs.sampling import compare_patterns, sample_pattern


@pytest.mark.parametrize(
    ("old", "new", "relation"),
    [
        ("[a-z]+", "^[a-z]+$", "equivalent"),  # services match the whole value: anchors restate it
        ("a|b", "b|a", "equivalent"),
        (r"\d+", "[0-9]+", "equivalent"),  # Java's \d is ASCII
        (r"[\s\S]*", None, "equivalent"),  # accepts everything, like no pattern at all
        ("^[a-zA-Z0-9-]+$", "^[a-zA-Z0-9]+$", "tightened"),
        ("^[a-zA-Z0-9]+$", "^[a-zA-Z0-9-]+$", "loosened"),
        ("[a-z]{1,5}", "[a-z]{1,6}", "loosened"),
        (None, "^[a-z]+$", "tightened"),
        ("^[a-z]+$", None, "loosened"),
        (r"\p{L}+", r"[\p{L}\p{N}]+", "loosened"),
        ("[ab]+", "[bc]+", "changed"),
    ],
)
def test_relations(old: str | None, new: str | None, relation: str) -> None:
    found = compare_patterns(old, new)
    assert found.relation == relation
    # Witnesses are real: the old pattern accepts what the new one now rejects, and the other way round.
    for text in found.rejected_now:
        assert old is None or compile_pattern(old).fullmatch(text)  # type: ignore[union-attr]
        assert new is not None and not compile_pattern(new).fullmatch(text)  # type: ignore[union-attr]
    for text in found.accepted_now:
        assert new is None or compile_pattern(new).fullmatch(text)  # type: ignore[union-attr]
        assert old is not None and not compile_pattern(old).fullmatch(text)  # type: ignore[union-attr]
    if relation in ("tightened", "changed"):
        assert found.rejected_now
    if relation in ("loosened", "changed"):
        assert found.accepted_now


def test_samples_match_and_are_deterministic() -> None:
    pattern = r"^arn:aws[a-z\-]*:iam::\d{12}:role/[\w+=,.@-]{1,64}$"
    first = sample_pattern(pattern, random.Random("seed"), 50)
    again = sample_pattern(pattern, random.Random("seed"), 50)
    assert first is not None and first == again and len(first) == 50
    compiled = compile_pattern(pattern)
    assert compiled is not None and all(compiled.fullmatch(s) for s in first)
    assert len(set(first)) > 40
    # The verdict itself is seeded from the two patterns, not from global state.
    random.seed(1)
    a = compare_patterns.__wrapped__(pattern, pattern.replace("{1,64}", "{1,32}"))
    random.seed(2)
    b = compare_patterns.__wrapped__(pattern, pattern.replace("{1,64}", "{1,32}"))
    assert a == b and a.relation == "tightened"


def test_untranslatable_patterns_are_undecided_not_guessed() -> None:
    assert compare_patterns("[a-z]+", "(?<name>a)\\k<name>+(").relation == "undecided"
