"""The package's public face stays equal to what it can load."""

from __future__ import annotations

import botocontract.generators as generators


def test_all_matches_the_lazy_table_and_every_name_loads() -> None:
    assert sorted(generators.__all__) == sorted(generators._WHERE)
    for name in generators.__all__:
        assert callable(getattr(generators, name)), name
