"""Golden gate cases on real releases: each folder holds a contract and a pair (``case.yaml``) and the
judged findings that touch the contract (``expected``): severity, rule, location and the note saying why.

Regenerate after an intended change with ``BOTOCONTRACT_REGEN=1 pytest tests/contracts/test_gate_cases.py``
and review the diff.
"""

import os
from pathlib import Path

import pytest
import yaml

from botocontract.contracts import Contract
from botocontract.contracts.gate import gate_sources

pytestmark = pytest.mark.network

CASES = sorted(p for p in (Path(__file__).parent / "gate_cases").iterdir() if p.is_dir())


def _lines(result) -> str:
    out = [result.summary().split(": ", 1)[0]]
    for item in result.items:
        if item.relevant:
            mark = "FAIL" if item.counted else "ok"
            f = item.finding
            out.append(f"{mark} {item.severity.label} {f.rule} {f.location}: {f.message}")
            if item.note:
                out.append(f"    {item.note}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_gate_case(case: Path) -> None:
    spec = yaml.safe_load((case / "case.yaml").read_text())
    contract = Contract.from_dict(spec["contract"])
    result = gate_sources(spec["from"], spec["to"], contract, profile=spec["profile"])
    got = _lines(result)
    expected = case / "expected"
    if os.environ.get("BOTOCONTRACT_REGEN"):
        expected.write_text(got)
    assert result.passed is spec["passes"], got
    assert got == expected.read_text()
