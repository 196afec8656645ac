"""Conformance fuzzing of an emulator (moto, LocalStack, ...) against the models: single calls,
stateful create -> use -> delete sequences, named checks, reports with a reproduction per failure.

It sits above :mod:`botocontract.generators` (whose strategies it draws from); names load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocontract.lazy import lazy_exports

if TYPE_CHECKING:
    from botocontract.fuzz.checks import CHECKS, Call, CheckFailed, select_checks
    from botocontract.fuzz.endpoint import check_endpoint, fuzz_endpoint
    from botocontract.fuzz.moto_server import MotoServer
    from botocontract.fuzz.report import EndpointReport, print_report, write_report

_WHERE = {
    "CHECKS": "checks",
    "Call": "checks",
    "CheckFailed": "checks",
    "EndpointReport": "report",
    "MotoServer": "moto_server",
    "check_endpoint": "endpoint",
    "fuzz_endpoint": "endpoint",
    "print_report": "report",
    "select_checks": "checks",
    "write_report": "report",
}

__all__ = [
    "CHECKS",
    "Call",
    "CheckFailed",
    "EndpointReport",
    "MotoServer",
    "check_endpoint",
    "fuzz_endpoint",
    "print_report",
    "select_checks",
    "write_report",
]

__getattr__ = lazy_exports(__name__, _WHERE)
