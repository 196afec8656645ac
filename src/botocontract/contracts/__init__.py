"""Consumer contracts, suppressions and the upgrade gate, with its CI report formats.

Names are imported on first use: pytest loads ``botocontract.contracts.plugin`` (and so this package) in
every test run of every project that has botocontract installed, and that must stay cheap.
"""

from __future__ import annotations

from botocontract.lazy import lazy_exports

__all__ = [
    "FORMATS",
    "CheckProblem",
    "CheckResult",
    "Contract",
    "ContractError",
    "GateItem",
    "GateResult",
    "OperationUse",
    "Recorder",
    "RenderContext",
    "ScanResult",
    "Suppression",
    "SuppressionError",
    "Suppressions",
    "check_contract",
    "contract_json_schema",
    "gate",
    "load_contract",
    "load_suppressions",
    "render",
    "save_contract",
    "scan_paths",
    "scan_source",
    "suppressions_json_schema",
]

_HOMES = {
    "check": ["CheckProblem", "CheckResult", "check_contract"],
    "contract": [
        "Contract",
        "ContractError",
        "OperationUse",
        "contract_json_schema",
        "load_contract",
        "save_contract",
    ],
    "gate": ["GateItem", "GateResult", "gate"],
    "formats": ["FORMATS", "RenderContext", "render"],
    "record": ["Recorder"],
    "scan": ["ScanResult", "scan_paths", "scan_source"],
    "suppressions": [
        "Suppression",
        "SuppressionError",
        "Suppressions",
        "load_suppressions",
        "suppressions_json_schema",
    ],
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


__getattr__ = lazy_exports(__name__, _MODULE_OF)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
