"""In-process memos are bounded, so a sweep over every service (or a whole test session) stays flat."""

from __future__ import annotations

from botocontract.specs.cache import Memo
from botocontract.specs.sources import MAX_PARSED_SERVICES, Source, resolve_source


def test_memo_drops_the_least_recently_used() -> None:
    memo: Memo[str, int] = Memo(2)
    memo["a"], memo["b"] = 1, 2
    assert memo.get("a") == 1  # now "b" is the oldest
    assert memo.setdefault("c", 3) == 3
    assert "b" not in memo and memo.get("a") == 1 and memo["c"] == 3 and len(memo) == 2
    assert memo.setdefault("a", 99) == 1


def test_a_source_keeps_a_bounded_number_of_parsed_models(installed: Source) -> None:
    fresh = Source(installed._files, label="installed, bounded")
    names = fresh.service_names()[: MAX_PARSED_SERVICES + 6]
    first = fresh.service(names[0])
    for name in names:
        fresh.service(name)
    assert len(fresh._services) == MAX_PARSED_SERVICES
    again = fresh.service(names[0])  # parsed again on demand, equal in content
    assert again is not first and again.raw == first.raw


def test_sources_resolved_by_name_are_bounded() -> None:
    from botocontract.specs import sources

    assert resolve_source("installed") is resolve_source("installed")
    assert sources._SOURCES.size <= 16
