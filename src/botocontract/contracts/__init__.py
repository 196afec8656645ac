"""Consumer contracts, suppressions and the upgrade gate, with its CI report formats.

The pytest recorder (``botocontract.contracts.plugin``) and the click commands (``.commands``) are imported
on their own so that importing this package stays cheap.
"""

from botocontract.contracts.check import CheckProblem, CheckResult, check_contract
from botocontract.contracts.contract import (
    Contract,
    ContractError,
    OperationUse,
    contract_json_schema,
    load_contract,
    save_contract,
)
from botocontract.contracts.gate import GateItem, GateResult, gate
from botocontract.contracts.outputs import OUTPUTS, RenderContext, render
from botocontract.contracts.record import Recorder
from botocontract.contracts.scan import ScanResult, scan_paths, scan_source
from botocontract.contracts.suppressions import (
    Suppression,
    SuppressionError,
    Suppressions,
    load_suppressions,
    suppressions_json_schema,
)

__all__ = [
    "OUTPUTS",
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
