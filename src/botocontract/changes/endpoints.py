"""Endpoint rule sets compared by what they resolve, not by their text.

A rule set (``endpoint-rule-set-1.json``) is a program: the same endpoints can be written many ways, and a
one-word edit can move every FIPS client of a partition. So both rule sets are run through botocore's own
resolver (:class:`botocore.endpoint_provider.EndpointProvider`) over one matrix of inputs:

* every region of the release's partitions (``partitions.json`` and ``endpoints.json``), plus every region
  literal the rule sets compare ``Region`` against (``local``, ``aws-global``, ...),
* x ``UseFIPS`` x ``UseDualStack``,
* and, one at a time, every other boolean parameter flipped from its default (S3's ``ForcePathStyle``,
  ``Accelerate``, ``UseGlobalEndpoint``, ...), every string literal a rule compares a parameter against
  (``AccountIdEndpointMode``), a custom ``Endpoint`` and, where the rule set takes one, a ``Bucket`` of
  every kind (plain, dotted, access point, Multi-Region, Object Lambda, Outposts, directory bucket),
  each on one region per partition plus every region a rule names (rule sets branch on the partition).

A cell counts as changed when the URL, the auth schemes (signing name, region, scheme), the headers or
other properties differ, or when it resolves on one side and raises on the other; two errors are the same
outcome for a client, whatever their wording.

Both sides are evaluated with the *new* release's partition data, so a change of the partitions themselves
(a new region, a new DNS suffix) is not mistaken for a change of one service's rules. Outcomes that differ
are grouped by configuration and by the change with the region written as ``{region}``, which keeps 30
regions moving the same way on one line. The result depends only on the two rule sets, the partition
data and botocore's resolver, and is cached on disk under those signatures.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "EVALUATION_VERSION",
    "EndpointChange",
    "EndpointDiff",
    "ParameterChange",
    "cached_endpoints",
    "compact_regions",
    "config_label",
    "configs_label",
    "diff_endpoints",
    "evaluation_key",
]

#: Bumped whenever the matrix or the comparison changes, so cached evaluations are recomputed.
EVALUATION_VERSION = 3

#: Parameters shown by a short name in configuration labels.
_SHORT = {"UseFIPS": "FIPS", "UseDualStack": "DualStack"}
#: Sample values for string parameters that change resolution whenever they are set.
_SAMPLES = {
    "Endpoint": "https://example.com",
    "AccountId": "111122223333",
}
#: Buckets of every kind S3 and S3 Control route differently: virtual-hosted, with dots, access point,
#: Multi-Region Access Point, Object Lambda, Outposts access point and bucket, directory bucket.
_BUCKETS = {
    "amzn-s3-demo-bucket": "bucket",
    "amzn.s3.demo.bucket": "dotted bucket",
    "arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint": "access point ARN",
    "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap": "Multi-Region Access Point ARN",
    "arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint/mybanner": "Object Lambda ARN",
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/accesspoint/reports": (
        "Outposts access point ARN"
    ),
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/bucket/mybucket": (
        "Outposts bucket ARN"
    ),
    "mybucket--usw2-az1--x-s3": "directory bucket",
}
#: The axes every configuration is crossed with.
_AXES = ("UseFIPS", "UseDualStack")
_REGION = "Region"


Config = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class EndpointChange:
    """One way resolution changed, for a set of regions under a set of configurations.

    ``aspect`` is ``url``, ``auth`` (auth schemes and signing properties), ``headers``, ``properties``
    (other endpoint properties), ``error`` (resolved before, raises now), ``resolves`` (raised before,
    resolves now). ``old``/``new`` are texts with the region written ``{region}``
    when more than one region shares them. A configuration lists the options set besides the region;
    ``()`` is a default client.
    """

    aspect: str
    configs: tuple[Config, ...]
    regions: tuple[str, ...]
    old: str
    new: str

    @property
    def label(self) -> str:
        """``FIPS+DualStack``, ``FIPS (with or without DualStack)``, ``ForcePathStyle``, ``default``."""
        return configs_label(self.configs)

    @property
    def default_config(self) -> bool:
        """True when a default client (no option set) is affected."""
        return () in self.configs


@dataclass(frozen=True)
class ParameterChange:
    """A rule-set parameter added, removed or changed (``old``/``new`` are its definitions)."""

    name: str
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None

    @property
    def set_by_clients(self) -> bool:
        """Built-ins are filled from client configuration (region, FIPS, S3 options); clients set them."""
        spec = self.old or self.new or {}
        return bool(spec.get("builtIn"))


@dataclass
class EndpointDiff:
    """Everything that differs between two rule sets of one service."""

    old_present: bool
    new_present: bool
    parameters: list[ParameterChange] = field(default_factory=list)
    changes: list[EndpointChange] = field(default_factory=list)
    #: Inputs evaluated per side (0 when one side has no rule set).
    evaluated: int = 0
    #: Set when botocore's resolver could not load a rule set (a function newer than the installed one).
    unevaluated: str | None = None
    #: Partition of each region in the matrix, for compact region lists.
    partitions: dict[str, str] = field(default_factory=dict)

    @property
    def reportable(self) -> bool:
        """Whether any endpoint rule can report something (a rewrite resolving the same is not)."""
        return bool(
            self.changes or self.parameters or self.unevaluated or self.old_present != self.new_present
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["changes"] = [
            {
                **asdict(c),
                "configs": [[list(kv) for kv in config] for config in c.configs],
                "regions": list(c.regions),
            }
            for c in self.changes
        ]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EndpointDiff:
        return cls(
            old_present=data["old_present"],
            new_present=data["new_present"],
            parameters=[ParameterChange(**p) for p in data["parameters"]],
            changes=[
                EndpointChange(
                    c["aspect"],
                    tuple(tuple(tuple(kv) for kv in config) for config in c["configs"]),
                    tuple(c["regions"]),
                    c["old"],
                    c["new"],
                )
                for c in data["changes"]
            ],
            evaluated=data["evaluated"],
            unevaluated=data.get("unevaluated"),
            partitions=dict(data.get("partitions") or {}),
        )

    def region_text(self, regions: Iterable[str]) -> str:
        """Regions listed compactly: a partition all of whose regions are affected is named once."""
        return compact_regions(regions, self.partitions)


def _value_label(name: str, value: Any) -> str:
    short = _SHORT.get(name, name)
    if value is True:
        return short
    if value is False:
        return f"{short}=false"
    return f"{short}=<{_BUCKETS[value]}>" if name == "Bucket" and value in _BUCKETS else f"{short}={value}"


def _order(item: tuple[str, Any]) -> tuple[int, str, str]:
    name, value = item
    rank = 0 if name == "Bucket" else 1 + _AXES.index(name) if name in _AXES else 9
    return rank, name, str(value)


def config_label(config: Iterable[tuple[str, Any]]) -> str:
    """``FIPS+DualStack``, ``Bucket=<access point ARN>+ForcePathStyle``, or ``default``."""
    return "+".join(_value_label(n, v) for n, v in sorted(config, key=_order)) or "default"


def configs_label(configs: Iterable[Config]) -> str:
    """Configurations named compactly: an on/off axis (FIPS, dual-stack) that makes no difference to the
    group is dropped and said once (``FIPS (with or without DualStack)``), and options tried one at a time
    on the same base are listed after it (``Bucket=<Outposts access point ARN>, alone or with
    ForcePathStyle, UseArnRegion``)."""
    group = {frozenset(c) for c in configs}
    free = []
    for axis in _AXES:
        flag = (axis, True)
        if any(flag in c for c in group) and all((c ^ {flag}) in group for c in group):
            free.append(_SHORT[axis])
            group = {c - {flag} for c in group}
    bases: dict[frozenset[tuple[str, Any]], list[str]] = {}
    for config in group:
        base = frozenset(kv for kv in config if kv[0] == "Bucket" or kv[0] in _AXES)
        extra = sorted(config - base, key=_order)
        bases.setdefault(base, []).append(config_label(extra) if extra else "")
    labels = []
    for base, extras in sorted(bases.items(), key=lambda item: config_label(item[0])):
        head = config_label(base)
        named = sorted(e for e in extras if e)
        if not named:
            labels.append(head)
        elif "" in extras:
            labels.append(f"{head}, alone or with {', '.join(named)}")
        else:
            labels.extend(f"{head}+{e}" if base else e for e in named)
    text = "; ".join(labels)
    if free:
        either = " or ".join(free)
        text = f"any {'/'.join(free)}" if labels == ["default"] else f"{text} (with or without {either})"
    return text


def compact_regions(regions: Iterable[str], partitions: Mapping[str, str]) -> str:
    """``every aws-us-gov region (3)``, ``us-gov-east-1, us-gov-west-1``, or ``every aws region (35) but
    us-east-1``: whole partitions by name, the rest one by one, in matrix order."""
    chosen = list(dict.fromkeys(regions))
    members: dict[str, list[str]] = {}
    for region, name in partitions.items():
        members.setdefault(name, []).append(region)
    picked = set(chosen)
    out: list[str] = []
    done: set[str] = set()
    for region in chosen:
        if region in done:
            continue
        partition = partitions.get(region)
        group = members.get(partition or "", [])
        inside = [r for r in group if r in picked]
        if partition and len(group) >= 4 and len(inside) >= len(group) - 2:
            missing = [r for r in group if r not in picked]
            text = f"every {partition} region ({len(group)})"
            out.append(f"{text} but {', '.join(missing)}" if missing else text)
            done.update(inside)
        else:
            out.append(region)
            done.add(region)
    return ", ".join(out)


# -- the matrix ---------------------------------------------------------------------------------------


def _literals(node: Any, found: dict[str, set[str]]) -> None:
    """String literals that a rule compares a parameter against (``stringEquals(Region, "local")``)."""
    if isinstance(node, dict):
        if node.get("fn") == "stringEquals":
            argv = node.get("argv") or []
            refs = [a["ref"] for a in argv if isinstance(a, dict) and isinstance(a.get("ref"), str)]
            texts = [a for a in argv if isinstance(a, str) and "{" not in a]
            for ref in refs:
                for text in texts:
                    found.setdefault(ref, set()).add(text)
        for value in node.values():
            _literals(value, found)
    elif isinstance(node, list):
        for value in node:
            _literals(value, found)


def _regions(partitions: Mapping[str, Any] | None, endpoints: Mapping[str, Any] | None) -> dict[str, str]:
    """Every region of the release, with its partition, in a fixed order (partition file order)."""
    out: dict[str, str] = {}
    for part in (partitions or {}).get("partitions") or ():
        for region in sorted(part.get("regions") or {}):
            out.setdefault(region, part.get("id") or "")
    for part in (endpoints or {}).get("partitions") or ():
        for region in sorted(part.get("regions") or {}):
            out.setdefault(region, part.get("partition") or "")
    return out


def _partition_of(region: str, partitions: Mapping[str, Any] | None) -> str:
    for part in (partitions or {}).get("partitions") or ():
        regex = part.get("regionRegex")
        if regex and re.match(regex, region):
            return str(part.get("id") or "")
    return ""


def _matrix(
    old_rules: Mapping[str, Any] | None,
    new_rules: Mapping[str, Any] | None,
    regions: Mapping[str, str],
) -> tuple[list[str], list[str], list[Config]]:
    """Regions and configurations to evaluate. A configuration lists the parameters set besides the
    region; ``()`` is a default client."""
    params: dict[str, Mapping[str, Any]] = {}
    literals: dict[str, set[str]] = {}
    for rules in (old_rules, new_rules):
        if rules:
            params.update(rules.get("parameters") or {})
            _literals(rules.get("rules") or [], literals)
    named = sorted(literals.get(_REGION, set()) - set(regions))
    region_axis = list(regions) + named
    axes = [name for name in _AXES if name in params]
    combos: list[Config] = [()]
    for name in axes:
        combos = [*combos, *((*c, (name, True)) for c in combos)]
    # One at a time: every other option a client can set, with its non-default value(s).
    extras: list[tuple[str, Any]] = []
    for name in sorted(params):
        spec = params[name]
        if name == _REGION or name in axes:
            continue
        kind = str(spec.get("type", "")).lower()
        if kind == "boolean":
            extras.append((name, not spec.get("default", False)))
        elif kind == "string":
            values = sorted(literals.get(name, set()))
            if name in _SAMPLES:
                values.append(_SAMPLES[name])
            extras.extend((name, v) for v in values)
    bases: list[Config] = [()]
    if "Bucket" in params:
        bases.extend((("Bucket", bucket),) for bucket in _BUCKETS)
    configs: list[Config] = []
    for base in bases:
        for combo in combos:
            configs.append((*base, *combo))
        for extra in extras:
            if extra[0] in dict(base):
                continue
            for combo in combos:
                configs.append((*base, extra, *combo))
    # Options other than FIPS and dual-stack are tried on one region per partition (and every region a
    # rule names): rule sets branch on the partition, not on each region, so the rest would repeat them.
    firsts: dict[str, str] = {}
    for region, partition in regions.items():
        firsts.setdefault(partition, region)
    sample = [r for r in region_axis if r in set(firsts.values()) | set(named) | {"us-east-1"}]
    return region_axis, sample, list(dict.fromkeys(configs))


# -- evaluation ---------------------------------------------------------------------------------------

_Outcome = tuple[str, ...]


def _provider(rules: Mapping[str, Any] | None, partitions: Mapping[str, Any]) -> Any:
    from botocore.endpoint_provider import EndpointProvider

    return EndpointProvider(ruleset_data=dict(rules), partition_data=partitions) if rules else None


def _outcome(provider: Any, region: str, config: Config) -> _Outcome:
    """(url, auth, headers, properties) of a resolved endpoint, or ("!", message) when it raises."""
    from botocore.exceptions import EndpointResolutionError

    params = dict(config)
    params[_REGION] = region
    try:
        endpoint = provider.resolve_endpoint(**params)
    except (EndpointResolutionError, ValueError, TypeError, KeyError, IndexError) as exc:
        return ("!", " ".join(str(getattr(exc, "kwargs", {}).get("msg") or exc).split()))
    props = dict(endpoint.properties or {})
    auth = props.pop("authSchemes", None)
    return (
        str(endpoint.url),
        _canonical(auth) if auth is not None else "",
        _canonical(endpoint.headers) if endpoint.headers else "",
        _canonical(props) if props else "",
    )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _aspects(old: _Outcome, new: _Outcome) -> Iterator[tuple[str, str, str]]:
    if old == new:
        return
    if old[0] == "!" and new[0] == "!":
        return  # the call fails either way; a reworded message is no change to a client
    if new[0] == "!":
        yield "error", old[0], new[1]
    elif old[0] == "!":
        yield "resolves", old[1], new[0]
    else:
        for index, aspect in enumerate(("url", "auth", "headers", "properties")):
            if old[index] != new[index]:
                yield aspect, old[index], new[index]


def _template(text: str, region: str) -> str:
    """``text`` with ``region`` written ``{region}`` where it stands as a whole DNS label or value."""
    if not region:
        return text
    return re.sub(rf"(?<![A-Za-z0-9-]){re.escape(region)}(?![A-Za-z0-9-])", "{region}", text)


def _evaluate(
    old_rules: Mapping[str, Any],
    new_rules: Mapping[str, Any],
    partitions: Mapping[str, Any],
    regions: Mapping[str, str],
) -> tuple[list[EndpointChange], int, dict[str, str]]:
    region_axis, sample, configs = _matrix(old_rules, new_rules, regions)
    where = {r: regions.get(r) or _partition_of(r, partitions) for r in region_axis}
    old_provider, new_provider = _provider(old_rules, partitions), _provider(new_rules, partitions)
    # 1. cells with the same change, by configuration: exact texts first, then texts with the region
    #    written {region}, so both "signingRegion cn-north-1 everywhere" and per-region hosts group.
    exact: dict[tuple[str, Config, str, str], list[str]] = {}
    evaluated = 0
    for config in configs:
        axis = region_axis if all(name in _AXES for name, _ in config) else sample
        evaluated += len(axis)
        for region in axis:
            old, new = _outcome(old_provider, region, config), _outcome(new_provider, region, config)
            for aspect, before, after in _aspects(old, new):
                exact.setdefault((aspect, config, before, after), []).append(region)
    templated: dict[tuple[str, Config, str, str], list[str]] = {}
    for (aspect, config, before, after), members in exact.items():
        if len(members) == 1:
            region = members[0]
            key = (aspect, config, _template(before, region), _template(after, region))
        else:
            key = (aspect, config, before, after)
        templated.setdefault(key, []).extend(members)
    # 2. configurations with the same change over the same regions make one entry.
    merged: dict[tuple[str, tuple[str, ...], str, str], list[Config]] = {}
    for (aspect, config, before, after), members in templated.items():
        ordered = tuple(r for r in region_axis if r in set(members))
        if len(ordered) == 1:
            before, after = _untemplate(before, ordered[0]), _untemplate(after, ordered[0])
        merged.setdefault((aspect, ordered, before, after), []).append(config)
    changes = [
        EndpointChange(aspect, tuple(cfgs), members, before, after)
        for (aspect, members, before, after), cfgs in merged.items()
    ]
    rank = {c: i for i, c in enumerate(configs)}
    aspects = list(_ASPECT_ORDER)
    changes.sort(
        key=lambda c: (
            min(rank[x] for x in c.configs),
            aspects.index(c.aspect),
            region_axis.index(c.regions[0]),
            c.old,
            c.new,
        )
    )
    return changes, evaluated, where


_ASPECT_ORDER = ("error", "url", "auth", "headers", "properties", "resolves")


def _untemplate(text: str, region: str) -> str:
    return text.replace("{region}", region)


def _parameters(
    old_rules: Mapping[str, Any] | None, new_rules: Mapping[str, Any] | None
) -> list[ParameterChange]:
    old = (old_rules or {}).get("parameters") or {}
    new = (new_rules or {}).get("parameters") or {}
    out = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before is None or after is None or _semantic(before) != _semantic(after):
            out.append(ParameterChange(name, before, after))
    return out


def _semantic(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A parameter definition without its prose."""
    return {k: v for k, v in spec.items() if k != "documentation"}


def evaluation_key(old_sig: str, new_sig: str, partitions_sig: str) -> str:
    """The cache key of one evaluation: the two rule-set signatures, the partition data's signature,
    botocore's version (its resolver does the work) and :data:`EVALUATION_VERSION`."""
    import botocore

    text = f"{EVALUATION_VERSION}:{botocore.__version__}:{old_sig}:{new_sig}:{partitions_sig}"
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


def cached_endpoints(cache_key: str) -> EndpointDiff | None:
    """The cached evaluation under ``cache_key`` (see :func:`evaluation_key`), or None."""
    from botocontract.specs.cache import cache_dir, read_json

    cached = read_json(cache_dir("endpoints") / f"{cache_key}.json")
    if isinstance(cached, dict) and cached.get("version") == EVALUATION_VERSION:
        try:
            return EndpointDiff.from_dict(cached["diff"])
        except (KeyError, TypeError, ValueError):
            return None
    return None


def diff_endpoints(
    old_rules: Mapping[str, Any] | None,
    new_rules: Mapping[str, Any] | None,
    partitions: Mapping[str, Any] | None,
    endpoints: Mapping[str, Any] | None = None,
    *,
    cache_key: str | None = None,
) -> EndpointDiff:
    """Compare two rule sets by evaluating both over the region x option matrix (see the module doc).

    ``partitions``/``endpoints`` are the new release's ``partitions.json``/``endpoints.json``. With a
    ``cache_key`` (see :func:`evaluation_key`) the result is read from and written to the cache.
    """
    from botocontract.specs.cache import atomic_write_json, cache_dir

    path = cache_dir("endpoints") / f"{cache_key}.json" if cache_key else None
    if cache_key is not None:
        cached = cached_endpoints(cache_key)
        if cached is not None:
            return cached
    result = EndpointDiff(old_present=old_rules is not None, new_present=new_rules is not None)
    if old_rules is not None and new_rules is not None:
        result.parameters = _parameters(old_rules, new_rules)
    if old_rules is not None and new_rules is not None and old_rules != new_rules:
        if partitions is None:  # a lone model file: the installed botocore's partitions stand in
            from botocore.loaders import create_loader

            loader = create_loader()
            partitions, endpoints = loader.load_data("partitions"), loader.load_data("endpoints")
        regions = _regions(partitions, endpoints)
        try:
            result.changes, result.evaluated, result.partitions = _evaluate(
                old_rules, new_rules, partitions, regions
            )
        except Exception as exc:  # a rule set the installed resolver cannot load
            from botocore.exceptions import EndpointResolutionError

            if not isinstance(
                exc, (EndpointResolutionError, ValueError, TypeError, KeyError, AttributeError)
            ):
                raise
            result.unevaluated = f"{type(exc).__name__}: {exc}"
    if path is not None:
        atomic_write_json(path, {"version": EVALUATION_VERSION, "diff": result.as_dict()})
    return result
