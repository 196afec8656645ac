"""What a real botocore client checks before it sends a request, read from botocore itself.

A model-valid value is not always one boto3 sends. Measured with a real client
(:mod:`botocontract.generators.acceptance`), the refusals come from three places, each handled here from
botocore's own data rather than per-service rules:

- members bound to endpoint rule-set parameters (``contextParam``, with the operation's
  ``staticContextParams``): the rule set must resolve, e.g. kinesis ``StreamARN`` must parse as an ARN of
  the client's partition and a valid region. Values are drawn a few times until botocore's own
  ``EndpointProvider`` resolves the whole request (ARN patterns are first narrowed to the client's
  partition and region, so one draw almost always does);
- ``before-parameter-build`` handlers that validate a member against a regex botocore exports (S3's
  ``validate_bucket_name``: ``VALID_BUCKET``): the member is generated from that regex;
- the checksum algorithm member of ``httpChecksum``: only algorithms botocore can compute without the
  optional ``awscrt`` dependency (``botocore.httpchecksum``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from botocore.model import OperationModel, Shape
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from botocontract.specs.lookup import botocore_session
from botocontract.specs.patterns import translate

__all__ = ["REGION", "MemberRealism", "arn_pattern", "prefer", "realism_for", "request_check"]

#: The region clients are assumed to use (endpoint rules compare ARN regions and partitions with it).
REGION = "us-east-1"
#: Draws per value before the last one is kept anyway (as a lookaround pattern does).
_TRIES = 8


@dataclass(frozen=True)
class MemberRealism:
    """How one top-level request member must look for the client to send it."""

    #: a narrower pattern the member is generated from: botocore's own regex, or the model's ARN
    #: pattern with the client's partition and region
    pattern: str | None = None
    #: enum values the client can send (others fail before sending)
    enum: tuple[str, ...] | None = None
    why: str = ""


def realism_for(service: str, operation: OperationModel) -> dict[str, MemberRealism]:
    """Member name -> what the client requires of it, for one operation's input (empty when nothing)."""
    shape = operation.input_shape
    if shape is None:
        return {}
    out: dict[str, MemberRealism] = {}
    members: Mapping[str, Shape] = shape.members
    for name, member in members.items():
        param = member.metadata.get("contextParam", {}).get("name")
        pattern = member.metadata.get("pattern")
        if param and member.type_name == "string" and pattern:
            steered = arn_pattern(pattern)
            if steered is not None:
                out[name] = MemberRealism(pattern=steered, why=f"ARN bound to endpoint parameter {param}")
    for name, pattern, why in _handler_patterns(operation):
        if name in members and members[name].type_name == "string":
            out[name] = MemberRealism(pattern=pattern, why=why)
    algorithm = operation.http_checksum.get("requestAlgorithmMember")
    if algorithm in members and members[algorithm].enum:
        usable = _computable_checksums()
        values = tuple(v for v in members[algorithm].enum if v.lower() in usable)
        if values:
            out[algorithm] = MemberRealism(enum=values, why="checksums botocore computes without awscrt")
    return out


def prefer(strategy: SearchStrategy[Any], accepts: Callable[[Any], bool]) -> SearchStrategy[Any]:
    """A few draws for a value ``accepts`` takes, else the last one (never an unsatisfiable filter)."""

    @st.composite
    def draw_value(draw: st.DrawFn) -> Any:
        value = None
        for _ in range(_TRIES):
            value = draw(strategy)
            if accepts(value):
                break
        return value

    return draw_value()


# --------------------------------------------------------------------------------------------- ARNs


def arn_pattern(pattern: str) -> str | None:
    """An ARN pattern with its partition and region fixed to the client's, where the pattern allows them.

    Rule sets parse ARN members and compare the partition and region with the client's; a pattern such
    as ``arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+`` would almost never produce those by chance.
    """
    fields = _split_fields(pattern)
    if len(fields) < 6 or fields[0].lstrip("^").strip("()") != "arn":
        return None
    partition = _partition_of(REGION)
    changed = False
    if fields[5].startswith(".*"):
        # Rule sets read the resource type from the start of the resource (``stream/...``); a leading
        # ``.*`` may always be empty, so dropping it keeps every value inside the model's pattern.
        fields[5] = fields[5][2:]
        changed = True
    for index, literal in ((1, partition), (3, REGION)):
        translated = translate(fields[index])
        if translated.python is None:
            continue
        try:
            if re.fullmatch(translated.python, literal) and fields[index] != re.escape(literal):
                fields[index] = re.escape(literal)
                changed = True
        except re.error:
            continue
    return ":".join(fields) if changed else None


def _split_fields(pattern: str) -> list[str]:
    """Split a pattern at the colons outside groups and character classes."""
    fields, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == ":" and depth == 0:
            fields.append(pattern[start:i])
            start = i + 1
    fields.append(pattern[start:])
    return fields


@lru_cache(maxsize=8)
def _partition_of(region: str) -> str:
    loader = botocore_session().get_component("data_loader")
    for partition in loader.load_data("partitions").get("partitions", []):
        if region in partition.get("regions", {}):
            return str(partition["id"])
    return "aws"


# ----------------------------------------------------------------------------------------- handlers


def _handler_patterns(operation: OperationModel) -> list[tuple[str, str, str]]:
    """(member, regex text, why) for botocore handlers that reject a member not matching a regex."""
    import botocore.handlers as handlers

    service_id = operation.service_model.service_id.hyphenize()
    event = f"before-parameter-build.{service_id}.{operation.name}"
    found = []
    for registered, handler, *_ in handlers.BUILTIN_HANDLERS:
        if not (event == registered or event.startswith(f"{registered}.")):
            continue
        if handler is getattr(handlers, "validate_bucket_name", None):
            found.append(
                ("Bucket", handlers.VALID_BUCKET.pattern, "botocore's bucket-name check (VALID_BUCKET)")
            )
    return found


def _has_crt() -> bool:
    from botocore.compat import HAS_CRT

    return bool(HAS_CRT)


@lru_cache(maxsize=1)
def _computable_checksums() -> frozenset[str]:
    import botocore.httpchecksum as checksums

    return frozenset(getattr(checksums, "_CHECKSUM_CLS", {"crc32": None, "sha1": None, "sha256": None}))


# ------------------------------------------------------------------------------------ endpoint rules


@lru_cache(maxsize=64)
def _provider(service: str) -> tuple[Any, Mapping[str, Any]] | None:
    """botocore's ``EndpointProvider`` for the installed rule set of ``service`` and its parameters."""
    from botocore.endpoint_provider import EndpointProvider

    loader = botocore_session().get_component("data_loader")
    try:
        ruleset = loader.load_service_model(service, "endpoint-rule-set-1")
        partitions = loader.load_data("partitions")
    except Exception:  # a service without a rule set in this botocore: nothing to honour
        return None
    return EndpointProvider(ruleset, partitions), ruleset.get("parameters", {})


def request_check(service: str, operation: OperationModel) -> Callable[[dict[str, Any]], bool] | None:
    """Whether the rule set resolves for a whole request: every member bound by ``contextParam`` at once,
    with the operation's ``staticContextParams``, the parameters' defaults and the client's region.

    Members are judged together because rules combine them (s3control's ``OutpostId`` only with an
    ``AccountId``). None when the operation binds no member or there is no rule set.
    """
    from botocore.exceptions import EndpointResolutionError

    found = _provider(service)
    shape = operation.input_shape
    if found is None or shape is None:
        return None
    provider, parameters = found
    bound = {
        name: member.metadata["contextParam"]["name"]
        for name, member in shape.members.items()
        if member.metadata.get("contextParam", {}).get("name") in parameters
    }
    if not bound:
        return None
    base = {name: spec["default"] for name, spec in parameters.items() if "default" in spec}
    if "Region" in parameters:
        base["Region"] = REGION
    for static in operation.static_context_parameters:
        base[static.name] = static.value

    def accepts(params: dict[str, Any]) -> bool:
        values = {param: params[member] for member, param in bound.items() if member in params}
        try:
            endpoint = provider.resolve_endpoint(**{**base, **values})
        except (EndpointResolutionError, TypeError, ValueError):
            return False
        schemes = {s.get("name") for s in endpoint.properties.get("authSchemes", ())}
        # SigV4a (multi-region endpoints) needs awscrt; without it the client refuses to sign.
        return _has_crt() or not schemes or schemes != {"sigv4a"}

    return accepts
