"""No module grows past 700 lines: one concept per module, small enough to read in one sitting."""

from __future__ import annotations

from pathlib import Path

import botocontract

LIMIT = 700


def test_no_module_over_the_limit() -> None:
    root = Path(botocontract.__file__).parent
    sizes = {
        p.relative_to(root).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in root.rglob("*.py")
    }
    over = {name: n for name, n in sorted(sizes.items()) if n > LIMIT}
    assert len(sizes) > 50
    assert not over, f"modules over {LIMIT} lines (split them along a seam): {over}"
