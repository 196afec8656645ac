"""The package's public face stays equal to what it can load."""

from __future__ import annotations

import botocontract.changes as changes


def test_all_matches_the_lazy_table_and_every_name_loads() -> None:
    assert sorted(changes.__all__) == sorted(changes._WHERE)
    for name in changes.__all__:
        assert getattr(changes, name) is not None, name
