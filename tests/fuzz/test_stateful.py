"""Inferred sequences against an in-memory emulator: creates come first, deletes are checked."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test
from hypothesis.strategies import SearchStrategy

from botocontract.fuzz.checks import Call, CheckFailed, failure_type, select_checks
from botocontract.fuzz.stateful import build_machine

OPS = ["CreateModel", "DescribeModel", "DeleteModel", "ListModels"]


class MemoryModels:
    """A tiny SageMaker model store; ``forgetful`` keeps models after DeleteModel (a bug)."""

    def __init__(self, forgetful: bool = False) -> None:
        self.model = botocore.session.get_session().get_service_model("sagemaker")
        self.forgetful = forgetful
        self.store: dict[str, dict[str, Any]] = {}
        self.log: list[tuple[str, str, str, int]] = []
        self.resets = 0
        self.checks = select_checks()

    def request_strategy(self, operation: str) -> SearchStrategy[dict[str, Any]]:
        if operation == "ListModels":
            return st.just({})
        return st.fixed_dictionaries({"ModelName": st.text("abc", min_size=1, max_size=3)})

    def minimal_request(self, operation: str) -> dict[str, Any] | None:
        return {"ModelName": "a"} if operation == "CreateModel" else None

    def reset(self) -> None:
        self.store.clear()
        self.resets += 1

    def execute(
        self,
        operation: str,
        params: dict[str, Any],
        *,
        kind: str = "positive",
        history: list[Call] | None = None,
    ) -> Call:
        name = params.get("ModelName", "")
        status, parsed = 200, {}
        if operation == "CreateModel":
            if name in self.store:
                status = 400
            self.store[name] = {"ModelName": name}
            parsed = {"ModelArn": f"arn:aws:sagemaker:us-east-1:123456789012:model/{name}"}
        elif operation == "DescribeModel":
            if name in self.store:
                parsed = {
                    "ModelName": name,
                    "CreationTime": __import__("datetime").datetime(2020, 1, 1),
                    "ModelArn": f"arn:aws:sagemaker:us-east-1:123456789012:model/{name}",
                }
            else:
                status = 400
        elif operation == "DeleteModel":
            if name not in self.store:
                status = 400
            elif not self.forgetful:
                del self.store[name]
        elif operation == "ListModels":
            parsed = {"Models": []}
        call = Call(
            "sagemaker",
            operation,
            params,
            self.model.operation_model(operation),
            kind=kind,
            status=status,
            body=b"{}",
            parsed=parsed if status == 200 else None,
            error_code=None if status == 200 else "ValidationException",
        )
        self.log.append((operation, kind, name, status))
        messages = {c.name: m for c in self.checks if (m := c(call)) is not None}
        if messages:
            raise failure_type(next(iter(messages)))(call, messages, history)
        return call


SETTINGS = settings(
    max_examples=30,
    stateful_step_count=6,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_sequences_create_before_use_and_probe_after_delete() -> None:
    emulator = MemoryModels()
    machine = build_machine(emulator, emulator.model, OPS, name="Models")
    run_state_machine_as_test(machine, settings=SETTINGS)
    assert emulator.resets >= 30
    created = set()
    for operation, kind, name, _ in emulator.log:
        if operation == "CreateModel":
            created.add(name)
        elif operation in ("DescribeModel", "DeleteModel") and kind != "use_after_delete":
            assert name in created  # names come from the bundle, never made up
    kinds = {(op, kind) for op, kind, _, _ in emulator.log}
    assert ("DescribeModel", "use_after_delete") in kinds
    assert ("DescribeModel", "positive") in kinds  # read back right after the create
    index = next(i for i, entry in enumerate(emulator.log) if entry[1] == "use_after_delete")
    assert emulator.log[index - 1][0] == "DeleteModel" and emulator.log[index][3] == 400


def test_a_resource_that_survives_its_delete_is_caught_and_shrunk() -> None:
    emulator = MemoryModels(forgetful=True)
    machine = build_machine(emulator, emulator.model, OPS, name="Models")
    with pytest.raises(CheckFailed) as caught:
        run_state_machine_as_test(machine, settings=SETTINGS)
    failed = caught.value
    assert "use_after_delete" in failed.messages
    assert [c.operation for c in failed.history][-2:] == ["DescribeModel", "DeleteModel"]
    assert failed.call.params == {"ModelName": "a"}  # shrunk to the simplest name


class Moody(MemoryModels):
    """Refuses creates at random, unlike its own earlier answers: replays see other answers."""

    def __init__(self) -> None:
        super().__init__()
        self.rng = __import__("random").Random(0)

    def execute(self, operation: str, params: dict[str, Any], **kwargs: Any) -> Call:
        if operation == "CreateModel" and self.rng.random() < 0.5:
            call = Call(
                "sagemaker",
                operation,
                params,
                self.model.operation_model(operation),
                status=400,
                body=b"{}",
                error_code="ThrottlingException",
            )
            self.log.append((operation, "positive", params.get("ModelName", ""), 400))
            return call
        return super().execute(operation, params, **kwargs)


def test_sequences_do_not_depend_on_what_the_endpoint_answered() -> None:
    """Creates that fail on one run and succeed on its replay must not change what Hypothesis draws
    (that was ``FlakyStrategyDefinition``); uses of a resource whose create failed are left out."""
    emulator = Moody()
    machine = build_machine(emulator, emulator.model, OPS, name="Models")
    run_state_machine_as_test(machine, settings=SETTINGS)
    created: set[str] = set()
    for operation, kind, name, status in emulator.log:
        if operation == "CreateModel" and status == 200:
            created.add(name)
        elif operation in ("DescribeModel", "DeleteModel") and kind != "use_after_delete":
            assert name in created
