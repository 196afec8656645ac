"""Two local model sources that differ in one member, so CLI tests run offline and fast."""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore


def model_pair(root: Path, service: str, edit: Callable[[dict[str, Any]], None]) -> tuple[Path, Path]:
    """``old/`` and ``new/`` data folders under ``root``: ``service`` as installed, and after ``edit``."""
    folder = Path(botocore.__file__).parent / "data" / service
    version = sorted(p.name for p in folder.iterdir() if p.is_dir())[-1]
    model = folder / version / "service-2.json"
    if not model.exists():
        model = model.with_suffix(".json.gz")
    raw = json.loads(gzip.decompress(model.read_bytes()) if model.suffix == ".gz" else model.read_text())
    newer = copy.deepcopy(raw)
    edit(newer)
    for name, data in (("old", raw), ("new", newer)):
        target = root / name / service / version
        target.mkdir(parents=True)
        (target / "service-2.json").write_text(json.dumps(data))
    return root / "old", root / "new"
