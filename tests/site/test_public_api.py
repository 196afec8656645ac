"""The package's public face stays equal to what it can load."""

from __future__ import annotations

import botocontract.site as package


def test_all_matches_the_lazy_table_and_every_name_loads() -> None:
    assert sorted(package.__all__) == sorted(package._WHERE)
    for name in package.__all__:
        assert getattr(package, name) is not None, name
