"""Call sequences that make resources exist before they are read, updated and deleted.

Everything is inferred from the model, with no per-service code: a *family* is a ``Create<Noun>`` (or
``Put<Noun>``) operation plus its *identifiers* — the members of the create's input or output that
reappear as required inputs of ``Describe<Noun>``/``Get<Noun>``/``Delete<Noun>`` (``ModelName``,
``TableName``, ``QueueUrl``). Every operation that requires an identifier draws it from the family's
Hypothesis bundle, ``Delete<Noun>`` consumes it, and a ``Describe<Noun>``/``Get<Noun>`` addressed only
by identifiers is called right after the create (read-after-create) and again after the delete, to check
the resource is gone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.model import OperationModel, ServiceModel, Shape
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, rule
from hypothesis.strategies import SearchStrategy

from botocontract.fuzz.checks import Call

__all__ = ["Family", "Runner", "build_machine", "infer_families", "split_verb"]

_CREATE = ("Create", "Put")
_READ = ("Describe", "Get", "List")
_UPDATE = ("Update",)
_DELETE = ("Delete",)
_VERB = re.compile(r"^(Create|Put|Describe|Get|List|Update|Delete)([A-Z].*)$")


def split_verb(operation: str) -> tuple[str, str]:
    """``("Create", "Model")`` for ``CreateModel``; ``("", operation)`` for other verbs."""
    match = _VERB.match(operation)
    return (match.group(1), match.group(2)) if match else ("", operation)


@dataclass(frozen=True)
class Family:
    """A resource kind: how it is created, named, read, updated and deleted."""

    noun: str
    create: str
    identifiers: tuple[str, ...]
    #: Identifiers whose value comes from the create's response (``QueueUrl``), not its request.
    from_output: frozenset[str]
    deletes: tuple[str, ...]
    #: Reads addressed by identifiers alone: after a delete they must answer 4xx.
    probes: tuple[str, ...]


def _required(op: OperationModel) -> set[str]:
    shape = op.input_shape
    return set(shape.required_members) if shape is not None else set()


def _members(shape: Shape | None) -> set[str]:
    return set(shape.members) if shape is not None else set()


def infer_families(model: ServiceModel, operations: Iterable[str] | None = None) -> list[Family]:
    """The resource families among ``operations`` (all of the service's when ``None``)."""
    names = list(operations) if operations is not None else list(model.operation_names)
    chosen = set(names)
    by_noun: dict[str, dict[str, str]] = {}
    for name in model.operation_names:
        verb, noun = split_verb(name)
        if verb:
            by_noun.setdefault(noun, {}).setdefault(verb, name)
    drafts: list[tuple[str, str, set[str], set[str]]] = []
    for noun, verbs in sorted(by_noun.items()):
        create = verbs.get("Create") or verbs.get("Put")
        if create is None or create not in chosen:
            continue
        probes = [verbs[v] for v in ("Describe", "Get", "Delete") if v in verbs]
        wanted = set().union(*(_required(model.operation_model(p)) for p in probes)) if probes else set()
        op = model.operation_model(create)
        inputs, outputs = _members(op.input_shape), _members(op.output_shape)
        ids = wanted & (inputs | outputs)
        if ids:
            drafts.append((noun, create, ids, (ids & outputs) - inputs))
    owners = _owners(drafts)
    families = []
    for noun, create, ids, out in drafts:
        own = tuple(sorted(i for i in ids if noun in owners.get(i, {noun})))
        if not own:
            continue
        verbs = by_noun[noun]
        deletes = tuple(verbs[v] for v in ("Delete",) if v in verbs and verbs[v] in chosen)
        reads = tuple(
            verbs[v]
            for v in ("Describe", "Get")
            if v in verbs and verbs[v] in chosen and _required(model.operation_model(verbs[v])) <= set(own)
        )
        families.append(Family(noun, create, own, frozenset(out) & set(own), deletes, reads))
    return families


def _owners(drafts: list[tuple[str, str, set[str], set[str]]]) -> dict[str, set[str]]:
    """For an identifier claimed by several families, the families whose noun starts its name
    (``TableName`` belongs to ``Table``, not to ``Item``); all claimants when none does."""
    claims: dict[str, list[str]] = {}
    for noun, _, ids, _ in drafts:
        for ident in ids:
            claims.setdefault(ident, []).append(noun)
    owners: dict[str, set[str]] = {}
    for ident, nouns in claims.items():
        named = [n for n in nouns if ident.startswith(n)]
        if named:
            longest = max(len(n) for n in named)
            owners[ident] = {n for n in named if len(n) == longest}
        else:
            owners[ident] = set(nouns)
    return owners


class Runner(Protocol):
    """What a state machine needs from the endpoint runner."""

    def request_strategy(self, operation: str) -> SearchStrategy[dict[str, Any]]: ...

    def minimal_request(self, operation: str) -> dict[str, Any] | None: ...

    def reset(self) -> None: ...

    def execute(
        self,
        operation: str,
        params: dict[str, Any],
        *,
        kind: str = "positive",
        history: list[Call] | None = None,
    ) -> Call: ...


def build_machine(
    runner: Runner, model: ServiceModel, operations: Iterable[str], name: str = "Endpoint"
) -> Callable[[], RuleBasedStateMachine]:
    """A ``RuleBasedStateMachine`` over ``operations`` with one bundle per inferred family.

    Every example starts from an empty emulator (``runner.reset()``); the machine keeps the calls it
    made, so a failure carries the sequence that led to it. Pass only operations known to be
    implemented: whether a step runs must not depend on what earlier examples found out.
    """
    ops = list(operations)
    families = infer_families(model, ops)
    bundles = {f.noun: Bundle(f.noun) for f in families}
    owner = {ident: f for f in families for ident in f.identifiers}
    body: dict[str, Any] = {}

    def users(op_name: str) -> list[Family]:
        needed = _required(model.operation_model(op_name))
        return sorted({owner[m].noun: owner[m] for m in needed if m in owner}.values(), key=lambda f: f.noun)

    creates = {f.create: f for f in families}
    deletes = {d: f for f in families for d in f.deletes}
    for index, op_name in enumerate(ops):
        uses = [f for f in users(op_name) if f.create != op_name]
        own = creates.get(op_name)
        deleted = deletes.get(op_name)
        kwargs: dict[str, Any] = {"params": runner.request_strategy(op_name)}
        for fam in uses:
            kwargs[f"r_{fam.noun}"] = consumes(bundles[fam.noun]) if fam is deleted else bundles[fam.noun]
        target: dict[str, Any] = {"target": bundles[own.noun]} if own is not None else {}
        # Zero-padded: Hypothesis orders rules by name, and the simplest example takes the first one.
        step = _step(runner, model, op_name, own, deleted, uses)
        body[f"call_{index:03d}_{op_name}"] = rule(**target, **kwargs)(step)
        minimal = runner.minimal_request(op_name) if own is not None and not uses else None
        if own is not None and minimal is not None:
            # Every example starts with the simplest create and its read-back: the commonest real
            # call, and the one random draws (optional members half the time) reach least reliably.
            body[f"init_{index:03d}_{op_name}"] = initialize(target=bundles[own.noun])(_first(step, minimal))

    def __init__(self: Any) -> None:
        RuleBasedStateMachine.__init__(self)
        runner.reset()
        self.history = []

    body["__init__"] = __init__
    return type(f"{name}Machine", (RuleBasedStateMachine,), body)


def _first(step: Callable[..., Any], params: dict[str, Any]) -> Callable[..., Any]:
    def first(self: Any) -> Any:
        return step(self, params=dict(params))

    first.__name__ = f"first_{step.__name__}"
    return first


def _step(
    runner: Runner,
    model: ServiceModel,
    op_name: str,
    own: Family | None,
    deleted: Family | None,
    uses: list[Family],
) -> Callable[..., Any]:
    accepts = _members(model.operation_model(op_name).input_shape)

    def step(self: Any, params: dict[str, Any], **resources: dict[str, Any]) -> Any:
        params = dict(params)
        if any(_NOT_CREATED in resources[f"r_{fam.noun}"] for fam in uses):
            # Its create failed: the draws stay as they were (so a replay sees the same choices),
            # only the call is left out.
            return dict(_NOT_CREATED_ENTRY) if own is not None else None
        for fam in uses:
            ids = resources[f"r_{fam.noun}"]
            for ident, value in ids.items():
                if ident in accepts:
                    params[ident] = value
        call = runner.execute(op_name, params, history=self.history)
        self.history.append(call)
        if own is not None:
            ids = _created(own, params, call)
            if _NOT_CREATED not in ids:  # read it back at once: the commonest sequence of all
                for probe in own.probes:
                    self.history.append(runner.execute(probe, dict(ids), history=self.history))
            return ids
        if deleted is not None and call.ok:
            ids = resources[f"r_{deleted.noun}"]
            for probe in deleted.probes:
                after = runner.execute(probe, dict(ids), kind="use_after_delete", history=self.history)
                self.history.append(after)
        return None

    step.__name__ = op_name
    return step


#: The bundle entry of a create the endpoint refused. Every create adds one entry whatever the answer:
#: were the bundle to stay empty, which rules Hypothesis can pick would depend on the emulator, and a
#: replay that got another answer would draw differently (``FlakyStrategyDefinition``).
_NOT_CREATED = "__botocontract_not_created__"
_NOT_CREATED_ENTRY: dict[str, Any] = {_NOT_CREATED: True}


def _created(family: Family, params: dict[str, Any], call: Call) -> dict[str, Any]:
    if not call.ok:
        return dict(_NOT_CREATED_ENTRY)
    ids: dict[str, Any] = {}
    for ident in family.identifiers:
        source = (call.parsed or {}) if ident in family.from_output else params
        if ident not in source:
            return dict(_NOT_CREATED_ENTRY)
        ids[ident] = source[ident]
    return ids
