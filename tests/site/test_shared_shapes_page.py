"""A finding on a shared shape lists the operations using it on the service page."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from botocontract.changes.diff import SHARED_SHAPE_OPERATIONS
from botocontract.changes.engine import diff_services
from botocontract.changes.model import ReleaseDiff
from botocontract.site import write_site
from tests.changes.test_shared_shapes import model, spec, with_value


def test_the_site_lists_the_operations_of_a_shared_shape_finding(tmp_path: Path) -> None:
    old = model(SHARED_SHAPE_OPERATIONS)
    entry = diff_services(spec(old), spec(with_value(old, "C")))
    assert entry is not None
    diff = ReleaseDiff(
        "a", "b", "1.0.0", "1.0.1", released=datetime(2020, 8, 14, tzinfo=timezone.utc), services=[entry]
    )
    write_site([diff], tmp_path, docs=lambda *_: {})
    page = "".join(p.read_text() for p in tmp_path.rglob("things.html"))
    assert f"<summary>shared by {SHARED_SHAPE_OPERATIONS} operations</summary>Put00, Put01" in page
