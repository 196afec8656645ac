"""How faithfully a release's models compile to strategies: patterns, recursion, operations.

A pattern that could not be translated, or that contradicts its own length limits, means generated
values there honour only the lengths; these numbers say how often that happens in a release.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from botocontract.generators.strategies import compiler_for
from botocontract.specs.lookup import service_model

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike

__all__ = ["GeneratorStats", "stats"]


@dataclass
class GeneratorStats:
    """Counts over every service (or the chosen ones) of one source."""

    source: str
    services: int = 0
    operations: int = 0  # operations whose request and response strategies both compiled
    string_shapes_with_pattern: int = 0
    patterns: dict[str, int] = field(default_factory=dict)  # exact / approximated / unsupported
    pattern_length_conflicts: int = 0
    pattern_lookarounds: int = 0  # generated without lookarounds: some values may miss the pattern
    recursive_shapes: int = 0
    failures: list[str] = field(default_factory=list)  # "service.Operation: error"
    #: "service.Operation direction: why" for operations no valid value exists for (model lint)
    model_defects: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(self.patterns.items()))
        return [
            f"source: {self.source}",
            f"services: {self.services}",
            f"operations compiled: {self.operations} ({len(self.failures)} failed)",
            f"string shapes with a pattern: {self.string_shapes_with_pattern} ({statuses})",
            f"patterns contradicting their length limits: {self.pattern_length_conflicts}",
            f"patterns generated without their lookarounds: {self.pattern_lookarounds}",
            f"recursive shapes: {self.recursive_shapes}",
            f"operation directions skipped for model defects: {len(self.model_defects)}",
            f"took {self.seconds:.1f}s",
            *(f"failed: {f}" for f in self.failures),
            *(f"model defect: {d}" for d in self.model_defects),
        ]


def stats(source: SourceLike = "installed", services: list[str] | None = None) -> GeneratorStats:
    """Compile every operation of every service in ``source`` (both directions) and count."""
    started = time.perf_counter()
    label = source if isinstance(source, str) else str(getattr(source, "label", source))
    result = GeneratorStats(source=label)
    patterns: Counter[str] = Counter()
    for name in services or _service_names(source):
        compiler = compiler_for(name, source)
        model = service_model(name, source)
        result.services += 1
        result.recursive_shapes += len(compiler.recursive)
        for operation in model.operation_names:
            try:
                for direction in ("request", "response"):
                    defect = compiler.lint.operation_reason(
                        operation, "input" if direction == "request" else "output"
                    )
                    if defect is not None:
                        result.model_defects.append(defect)
                    else:
                        compiler.operation(operation, direction)
            except Exception as exc:  # a model the compiler cannot handle is a finding, not a crash
                result.failures.append(f"{name}.{operation}: {type(exc).__name__}: {exc}")
                continue
            result.operations += 1
        for shape_name in model.shape_names:
            shape = model.shape_for(shape_name)
            if shape.type_name == "string" and "pattern" in shape.metadata and not shape.metadata.get("enum"):
                plan = compiler.string_plan(shape)
                result.string_shapes_with_pattern += 1
                patterns[plan.pattern_status or "none"] += 1
                result.pattern_length_conflicts += plan.conflict
                result.pattern_lookarounds += plan.lookarounds
    result.patterns = dict(patterns)
    result.seconds = time.perf_counter() - started
    return result


def _service_names(source: SourceLike) -> list[str]:
    from botocontract.specs import resolve_source

    return [info.name for info in resolve_source(source).services()]
