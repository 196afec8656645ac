"""Java regex -> Python ``re`` translation: meaning, status, and agreement with a real JVM when one exists."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from botocontract.specs.patterns import compile_pattern, model_patterns, pattern_stats, translate


def matches(java: str, text: str) -> bool:
    regex = compile_pattern(java)
    assert regex is not None, translate(java).reason
    return regex.search(text) is not None


@pytest.mark.parametrize(
    ("java", "yes", "no"),
    [
        (r"^\p{L}+$", ["héllo", "Ωmega", "日本"], ["abc1", "a b", ""]),
        (r"^\p{N}+$", ["123", "١٢٣", "Ⅻ"], ["12a"]),
        (r"^[\p{L}\p{Z}]+$", ["a b\u3000c"], ["a\tb"]),
        (r"^\P{C}*$", ["any text ✓"], ["bell\x07", "nul\x00"]),
        (r"^\p{ASCII}+$", ["~\x00"], ["é"]),
        (r"^\p{Alnum}+$", ["aZ9"], ["é", "_"]),
        (r"^\p{Print}+$", ["a b!~"], ["\t", "é"]),
        (r"^\p{Punct}+$", ["!-~"], ["a", "«"]),
        (r"^\p{XDigit}+$", ["0aF"], ["g"]),
        (r"^\p{IsWhitespace}$", ["\u2028", " "], ["x"]),
        (r"^\pL$", ["x"], ["1"]),
        # Java's \d, \w, \s and \b are ASCII.
        (r"^\d+$", ["0123456789"], ["١"]),
        (r"^\w+$", ["a_Z9"], ["é"]),
        (r"^\s$", [" ", "\x0b"], ["\xa0"]),
        (r"\bcat\b", ["a cat."], ["écatz", "bobcat"]),
        # Surrogate-pair ranges are the astral planes.
        (r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF]+$", ["text 😀 𝟘"], ["\x01"]),
        (r"^\uD83D\uDE00$", ["😀"], ["\ud83d"]),
        # '-' after a predefined class is a literal in Java (Python rejects these as bad ranges).
        (r"^[\w- ]+$", ["a- b"], ["a.b"]),
        (r"^[a-zA-Z0-9-_]+$", ["a-_"], ["a.b"]),
        # Anchors, line terminators and dot.
        (r"\Aab\z", ["ab"], ["ab\n"]),
        (r"^ab$", ["ab", "ab\n", "ab\r", "ab\r\n", "ab\u2028"], ["ab\n\n", "ab\rx"]),
        (r"^a.b$", ["a-b"], ["a\rb", "a\nb", "a\x85b"]),
        (r"(?s)^a.b$", ["a\rb", "a\nb"], ["ab"]),
        (r"(?m)^b$", ["a\nb\nc", "a\r\nb", "a\u2028b"], ["ab", "a\rbc"]),
        (r"(?m)^$", ["\n\nx"], ["", "x\n"]),
        # Flags in the middle of a pattern apply to the rest of the group, ASCII-only.
        (r"^(?i)(true|false)$", ["TRUE", "False"], ["yes"]),
        (r"(?i)^s$", ["S", "s"], ["ſ"]),
        (r"^a(?i:b)c$", ["aBc"], ["ABC", "abC"]),
        (r"^(?!x|(?i)y).+$", ["zz"], ["Yz", "xz"]),
        # Class algebra.
        (r"^[a-z&&[^aeiou]]+$", ["xyz"], ["abc"]),
        (r"^[a-c[x-z]]+$", ["axz"], ["m"]),
        (r"^[^/:|\000-\037]+$", ["ok"], ["a\x1fb", "a/b"]),
        (r"^[\x{60}\x41]+$", ["`A"], ["a"]),
        (r"^\Q*.?\E$", ["*.?"], ["a.b"]),
        # Java quirks: a repetition after a repetition (or an anchor) applies to an empty atom.
        (r"^[0-9]{2}{0,5}$", ["12"], ["1234"]),
        (r"^[-_a-z]*${2,64}$", ["ab-"], ["AB"]),
        # Backreferences and possessive quantifiers.
        (r"^(?!.*?(.)\1{3})[a-z]*$", ["aaab"], ["aaaab"]),
        (r"^(?<w>[a-z])\k<w>$", ["aa"], ["ab"]),
        pytest.param(
            r"^a*+a$",
            [],
            ["aaa"],
            marks=pytest.mark.skipif(
                sys.version_info < (3, 11), reason="possessive quantifiers need Python 3.11"
            ),
        ),
        (r"\d{2}(?!\d)\1", [], ["12"]),
    ],
)
def test_java_meaning(java: str, yes: list[str], no: list[str]) -> None:
    assert translate(java).status == "exact", translate(java).reason
    for text in yes:
        assert matches(java, text), text
    for text in no:
        assert not matches(java, text), text


def test_translation_needs_no_flags_and_is_cached() -> None:
    first = translate(r"(?i)all|[0-9]{12}")
    assert first is translate(r"(?i)all|[0-9]{12}")
    assert first.python is not None and not first.python.startswith("(?")
    assert compile_pattern(r"[a-z]+") is compile_pattern(r"[a-z]+")


@pytest.mark.parametrize(
    ("java", "fragment"),
    [
        (r"\p{IsLatin}", "IsLatin"),
        (r"\Gabc", "\\G"),
        (r"a**", "dangling"),
        (r"[z-a]", "range"),
        (r"(abc", "unclosed"),
        (r"\y", "escape"),
        (r"(?<=a+)b", "Python"),
    ],
)
def test_unsupported(java: str, fragment: str) -> None:
    result = translate(java)
    assert result.status == "unsupported"
    assert result.python is None
    assert fragment in result.reason
    assert compile_pattern(java) is None


def test_approximated_keeps_a_pattern_and_says_why() -> None:
    result = translate(r"^[\p{IsAlphabetic}]+$")
    assert result.status == "approximated"
    assert "Alphabetic" in result.reason
    assert matches(r"^[\p{IsAlphabetic}]+$", "Ⅻabc")


def test_pattern_stats_counts_distinct_patterns() -> None:
    stats = pattern_stats([r"\p{L}", r"\p{L}", r"\p{IsAlphabetic}", r"\p{IsLatin}", r"[a-z]"])
    assert stats == {"exact": 2, "approximated": 1, "unsupported": 1}


def test_plain_re_disagrees_where_translation_does_not() -> None:
    """The reason to translate at all: Python reads these Java patterns differently."""
    for java, text in [(r"^\d+$", "١٢"), (r"^\w+$", "é"), (r"^a$", "a\r"), (r"^a.b$", "a\rb")]:
        assert (re.search(java, text) is not None) != matches(java, text)


_JAVA_SOURCE = """
import java.util.Base64; import java.util.regex.Pattern; import java.io.*;
public class Find { public static void main(String[] a) throws Exception {
  BufferedReader r = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
  String line; Base64.Decoder d = Base64.getDecoder();
  while ((line = r.readLine()) != null) { String[] f = line.split("\\t", -1);
    String p = new String(d.decode(f[0]), "UTF-8"), s = new String(d.decode(f[1]), "UTF-8");
    System.out.println(Pattern.compile(p).matcher(s).find() ? "1" : "0"); } } }
"""

_SAMPLES = [
    "",
    "a",
    "Z9",
    "é",
    "١",
    "😀",
    "a b",
    "a\r",
    "a\n",
    "a\r\n",
    "\u2028",
    "TRUE",
    "ſ",
    "x-_y",
    "abc.def",
    "arn:aws:s3:::bucket",
    "\x00",
    "\t",
    "日本",
    "A1-b2_c3",
    "12345678901234567890",
]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.skipif(shutil.which("java") is None or shutil.which("javac") is None, reason="needs a JDK")
def test_agrees_with_java(tmp_path: Path) -> None:
    """The same patterns and strings through java.util.regex and through the translation."""
    from botocontract.specs import load_service

    names = ("sagemaker", "iam", "glue", "lexv2-models", "dynamodb", "connect")
    patterns = sorted(set().union(*(model_patterns(load_service(name).raw) for name in names)))
    patterns = [p for p in patterns if translate(p).status == "exact"]
    (tmp_path / "Find.java").write_text(_JAVA_SOURCE)
    subprocess.run(["javac", "Find.java"], cwd=tmp_path, check=True, capture_output=True)
    cases = [(p, s) for p in patterns for s in _SAMPLES]
    lines = "".join(f"{_b64(p)}\t{_b64(s)}\n" for p, s in cases)
    out = (
        subprocess.run(
            ["java", "-cp", str(tmp_path), "Find"],
            input=lines.encode(),
            check=True,
            capture_output=True,
            timeout=120,
        )
        .stdout.decode()
        .split()
    )
    assert len(out) == len(cases)
    disagreements = [case for case, java in zip(cases, out, strict=True) if matches(*case) != (java == "1")]
    assert disagreements == [], disagreements[:10]
