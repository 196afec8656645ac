"""The campaign's one test per operation (run by pytest with ``-p botocontract.fuzz.campaign``).

Parametrized by the plugin from ``--campaign`` and its options; see :mod:`botocontract.fuzz.campaign`.
"""

from __future__ import annotations

import pytest

from botocontract.fuzz.campaign import CampaignCase, record


def test_operation(campaign_case: CampaignCase, request: pytest.FixtureRequest) -> None:
    result = campaign_case.run()
    record(request.node.user_properties, result)
    if result["status"] == "failed":
        pytest.fail(f"{campaign_case.id}: {result['reason']}\n{result['replay']}", pytrace=False)
    if result["status"] != "passed":
        pytest.skip(f"{result['status']}: {result['reason']}")
