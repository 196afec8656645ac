"""Meaning lives in one place: only the ``changes/rules/`` package may look inside a rule id.

Everything else reads the traits a finding carries. This scans every module of the package for code that
derives meaning from rule-id text: string methods or slicing on a ``.rule`` value, comparing it with
literal ids, or matching it with ``re``/``fnmatch``. Using the id as an opaque key (printing it, sorting
by it, indexing a table of seen ids) is fine.
"""

from __future__ import annotations

import ast
from pathlib import Path

import botocontract

ROOT = Path(botocontract.__file__).parent
ALLOWED = set((ROOT / "changes" / "rules").glob("*.py"))
#: Floors where ``.rule`` names a validation keyword of ``specs.validate`` (``"required"``), not a diff rule.
OTHER_RULES = {"specs", "generators", "fuzz"}
RULE_NAMES = {"rule", "rule_id"}
TEXT_MATCHERS = {"re", "fnmatch"}


def _is_rule(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in RULE_NAMES
    return isinstance(node, ast.Name) and node.id in RULE_NAMES


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
        return any(_is_literal(e) for e in node.elts)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"frozenset", "set"}
    ):
        return any(_is_literal(a) for a in node.args)
    # A module constant (``_ADDITIONS``) is a table of literal ids.
    return isinstance(node, ast.Name) and node.id.lstrip("_").isupper()


def offences(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _is_rule(node.value) and node.attr not in RULE_NAMES:
            found.append((node.lineno, f"string method .{node.attr} on a rule id"))
        elif isinstance(node, ast.Subscript) and _is_rule(node.value):
            found.append((node.lineno, "slicing a rule id"))
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_rule(o) for o in operands) and any(_is_literal(o) for o in operands):
                found.append((node.lineno, "comparing a rule id with literal ids"))
        elif isinstance(node, ast.Call):
            func = node.func
            owner = func.value if isinstance(func, ast.Attribute) else None
            if (
                isinstance(owner, ast.Name)
                and owner.id in TEXT_MATCHERS
                and any(_is_rule(a) for a in node.args)
            ):
                found.append((node.lineno, f"{owner.id}.{func.attr} on a rule id"))  # type: ignore[union-attr]
    return found


def test_the_scan_catches_the_old_ways() -> None:
    assert offences('r = rule.lower()\nok = "removed" in r') == [(1, "string method .lower on a rule id")]
    assert offences("x = f.rule.startswith('ChangedMemberTarget')")
    assert offences("x = f.rule in _ADDITIONS")
    assert offences("x = f.rule == 'ChangedRequired.Required'")
    assert offences("x = RULES.get(f.rule.split('.')[0])")
    assert offences("x = fnmatch.fnmatchcase(finding.rule, pattern)")
    assert not offences("x = sorted(items, key=lambda f: (str(f.location), f.rule))")
    assert not offences("if f.rule not in seen: seen.append(f.rule)")


def test_no_module_outside_rules_inspects_rule_ids() -> None:
    bad = {}
    for path in sorted(ROOT.rglob("*.py")):
        if path in ALLOWED or path.relative_to(ROOT).parts[0] in OTHER_RULES:
            continue
        hits = offences(path.read_text(encoding="utf-8"))
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    assert not bad, f"read the finding's traits instead of its rule id: {bad}"
