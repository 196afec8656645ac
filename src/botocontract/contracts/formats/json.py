"""The gate result as JSON (``GateResult.as_dict``), for scripts."""

from __future__ import annotations

import json

from botocontract.contracts.formats import RenderContext
from botocontract.contracts.gate import GateResult


def render(result: GateResult, context: RenderContext) -> str:
    return json.dumps(result.as_dict(), indent=2, default=str) + "\n"
