"""Translate the Java regular expressions of botocore models into Python ``re`` patterns.

botocore's ``pattern`` traits are Java regexes: Python rejects ``\\p{L}``, ``\\P{C}``, surrogate-pair ranges,
``\\z`` and a dozen quirks Java accepts, and it silently reads ``\\d``, ``\\w``, ``.`` and ``$`` differently
(Unicode digits, no ``\\r`` line terminator). The translator parses the Java syntax and writes an explicit
Python pattern with Java's meaning: character classes become code-point sets (``&&``, nested classes and
Unicode categories included), flags are applied per atom so the result needs no global flags, and anchors are
spelled out. Like Java's ``Matcher.find`` (and JSON Schema's ``pattern``) the result is unanchored: use
``search``.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from botocontract.specs.ranges import (
    _ALL,
    _DIGIT,
    _HSPACE,
    _LINE_TERMINATORS,
    _POSIX,
    _SPACE,
    _VSPACE,
    _WHITE_SPACE,
    _WORD,
    Ranges,
    _ascii_case_closure,
    _chars,
    _complement,
    _intersect,
    _normalize,
)
from botocontract.specs.ranges import MAX_CODE_POINT as MAX_CODE_POINT
from botocontract.specs.ranges import complement_ranges as complement_ranges
from botocontract.specs.ranges import intersect_ranges as intersect_ranges
from botocontract.specs.ranges import normalize_ranges as normalize_ranges

__all__ = ["Translation", "compile_pattern", "model_patterns", "pattern_stats", "translate"]

Status = Literal["exact", "approximated", "unsupported"]

_POSSESSIVE = sys.version_info >= (3, 11)


@dataclass(frozen=True)
class Translation:
    """A Java pattern's Python form: ``python`` is None when ``status`` is ``"unsupported"``."""

    python: str | None
    status: Status
    reason: str = ""
    java: str = ""


class _Unsupported(Exception):
    """The pattern uses a construct with no Python equivalent (or is not a valid Java regex)."""


def _category_table() -> dict[str, Ranges]:
    """Ranges of every two-letter Unicode general category (built once, cached on disk)."""
    from botocontract.specs.unicode import categories

    return categories()


@functools.cache
def _category(name: str) -> Ranges:
    table = _category_table()
    if name in table:
        return table[name]
    if len(name) == 1 and name in "CLMNPSZ":
        return _normalize(r for cat, ranges in table.items() if cat[0] == name for r in ranges)
    if name == "LC":
        return _normalize((*table["Lu"], *table["Ll"], *table["Lt"]))
    if name == "LD":
        return _normalize((*_category("L"), *table["Nd"]))
    raise KeyError(name)


# fmt: off
_CATEGORY_NAMES = frozenset((
    "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "LC", "LD", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me",
    "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm",
    "So", "Z", "Zl", "Zp", "Zs",
))
# fmt: on


def _binary_property(name: str) -> tuple[Ranges, str]:
    """A Unicode binary property (``\\p{IsAlphabetic}``) as ranges and an approximation note ('' = exact)."""
    key = re.sub(r"[\s_-]", "", name).upper()
    if key in ("WHITESPACE",):
        return _WHITE_SPACE, ""
    if key == "LETTER":
        return _category("L"), ""
    if key == "DIGIT":
        return _category("Nd"), ""
    if key == "PUNCTUATION":
        return _category("P"), ""
    if key == "CONTROL":
        return _category("Cc"), ""
    if key == "ASSIGNED":
        return _complement(_category("Cn")), ""
    if key == "JOINCONTROL":
        return ((0x200C, 0x200D),), ""
    if key == "HEXDIGIT":
        return _normalize(
            ((48, 57), (65, 70), (97, 102), (0xFF10, 0xFF19), (0xFF21, 0xFF26), (0xFF41, 0xFF46))
        ), ""
    if key == "NONCHARACTERCODEPOINT":
        planes = [(p * 0x10000 + 0xFFFE, p * 0x10000 + 0xFFFF) for p in range(17)]
        return _normalize(((0xFDD0, 0xFDEF), *planes)), ""
    if key == "ALPHABETIC":
        note = "\\p{IsAlphabetic} read as letters and letter numbers (Other_Alphabetic marks left out)"
        return _normalize((*_category("L"), *_category("Nl"))), note
    if key == "LOWERCASE":
        return _category("Ll"), "\\p{IsLowercase} read as category Ll (Other_Lowercase left out)"
    if key == "UPPERCASE":
        return _category("Lu"), "\\p{IsUppercase} read as category Lu (Other_Uppercase left out)"
    raise _Unsupported(f"Unicode property \\p{{Is{name}}} (scripts and blocks are not in unicodedata)")


_JAVA_PROPERTIES = {
    "javaLowerCase": "Ll",
    "javaUpperCase": "Lu",
    "javaTitleCase": "Lt",
    "javaDigit": "Nd",
    "javaLetter": "L",
    "javaLetterOrDigit": "LD",
    "javaSpaceChar": "Z",
}


def _property(name: str) -> tuple[Ranges, str]:
    """Ranges for the body of ``\\p{...}`` and an approximation note."""
    if name in _POSIX:
        return _POSIX[name], ""
    for prefix in ("general_category=", "gc="):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    if name in _CATEGORY_NAMES:
        return _category(name), ""
    if name.startswith("Is"):
        rest = name[2:]
        if rest in _CATEGORY_NAMES:
            return _category(rest), ""
        return _binary_property(rest)
    if name in _JAVA_PROPERTIES:
        return _category(_JAVA_PROPERTIES[name]), ""
    if name == "javaISOControl":
        return ((0, 31), (127, 159)), ""
    if name == "javaWhitespace":
        spaces = _intersect(_category("Z"), _complement(_chars("\xa0\u2007\u202f")))
        return _normalize((*spaces, (9, 13), (0x1C, 0x1F))), ""
    raise _Unsupported(f"character property \\p{{{name}}}")


# --- emitting ------------------------------------------------------------------------------------------

_CLASS_SPECIAL = frozenset("\\]^-[&~|")
_OUTSIDE_SPECIAL = frozenset(".^$*+?{}[]\\|()")


def _char_escape(cp: int, *, in_class: bool) -> str:
    ch = chr(cp)
    if ch.isascii() and (ch.isalnum() or ch == "_"):
        return ch
    if 0x20 <= cp < 0x7F:
        return "\\" + ch if ch in (_CLASS_SPECIAL if in_class else _OUTSIDE_SPECIAL) else ch
    if cp > 0x7F and ch.isprintable():
        return ch
    if cp <= 0xFF:
        return f"\\x{cp:02x}"
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def _class_body(ranges: Ranges) -> str:
    parts = []
    for lo, hi in ranges:
        if lo == hi:
            parts.append(_char_escape(lo, in_class=True))
        elif hi == lo + 1:
            parts.append(_char_escape(lo, in_class=True) + _char_escape(hi, in_class=True))
        else:
            parts.append(f"{_char_escape(lo, in_class=True)}-{_char_escape(hi, in_class=True)}")
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def _emit_set(ranges: Ranges) -> str:
    """The shortest Python form of a code-point set."""
    if not ranges:
        return "(?!)"
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return _char_escape(ranges[0][0], in_class=False)
    if ranges == _ALL:
        return "[\\s\\S]"
    positive, negative = _class_body(ranges), _class_body(_complement(ranges))
    return f"[^{negative}]" if len(negative) < len(positive) else f"[{positive}]"


_WORD_CLASS = _emit_set(_WORD)
_WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?!{_WORD_CLASS})|(?<!{_WORD_CLASS})(?={_WORD_CLASS}))"
_NOT_WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?={_WORD_CLASS})|(?<!{_WORD_CLASS})(?!{_WORD_CLASS}))"
# Java's ``$`` (and ``\Z``): the end, or before one final line terminator (``\r\n`` counts as one).
_DOLLAR = "(?=\\r\\n\\Z|(?<!\\r)\\n\\Z|[\\r\\x85\\u2028\\u2029]?\\Z)"
_DOLLAR_MULTILINE = "(?=(?<!\\r)\\n|[\\r\\x85\\u2028\\u2029]|\\Z)"
# Java's multiline ``^``: after any line terminator except inside ``\r\n``, never at the very end.
_CARET_MULTILINE = "(?!\\Z)(?:\\A|(?<=[\\n\\r\\x85\\u2028\\u2029])(?!(?<=\\r)\\n))"
_LINEBREAK = "(?:\\r\\n|[\\n\\x0b\\f\\r\\x85\\u2028\\u2029])"


# --- parsing -------------------------------------------------------------------------------------------

_SET_ESCAPES: dict[str, Ranges] = {
    "d": _DIGIT,
    "w": _WORD,
    "s": _SPACE,
    "h": _HSPACE,
    "v": _VSPACE,
}
_CHAR_ESCAPES = {"t": 9, "n": 10, "r": 13, "f": 12, "a": 7, "e": 27}
_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}")


@dataclass
class _Atom:
    text: str
    zero_width: bool = False


class _Parser:
    """A recursive-descent reader of ``java.util.regex.Pattern`` syntax that writes Python syntax."""

    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0
        self.groups = 0
        self.flags: set[str] = set()
        self.notes: list[str] = []

    # helpers
    def peek(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.s[j] if j < len(self.s) else ""

    def take(self) -> str:
        ch = self.peek()
        if not ch:
            raise _Unsupported("pattern ends early (invalid in Java)")
        self.i += 1
        return ch

    def run(self) -> str:
        out = self.alternation()
        if self.i < len(self.s):
            raise _Unsupported(f"unmatched ')' at {self.i} (invalid in Java)")
        return out

    def alternation(self) -> str:
        parts = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            parts.append(self.sequence())
        return "|".join(parts)

    def sequence(self) -> str:
        out: list[str] = []
        while True:
            ch = self.peek()
            if ch in ("", "|", ")"):
                return "".join(out)
            if "x" in self.flags and self.skip_comment():
                continue
            if ch in "*+?":
                raise _Unsupported(f"dangling {ch!r} at {self.i} (invalid in Java)")
            atom = self.atom()
            out.append(self.quantified(atom))

    def skip_comment(self) -> bool:
        ch = self.peek()
        if ch.isspace():
            self.i += 1
            return True
        if ch == "#":
            while self.peek() not in ("", "\n"):
                self.i += 1
            return True
        return False

    def quantified(self, atom: _Atom) -> str:
        q = self.quantifier()
        if q is None:
            return atom.text
        text = f"(?:{atom.text})" if atom.zero_width or not atom.text else atom.text
        out = text + q
        # Java applies a quantifier right after a quantifier to an empty atom: a no-op.
        while self.peek() == "{":
            if self.quantifier() is None:
                raise _Unsupported(f"illegal repetition at {self.i} (invalid in Java)")
        return out

    def quantifier(self) -> str | None:
        ch = self.peek()
        if ch in ("*", "+", "?"):
            self.i += 1
            q = ch
        elif ch == "{":
            m = _QUANTIFIER.match(self.s, self.i)
            if not m:
                raise _Unsupported(f"illegal repetition at {self.i} (invalid in Java)")
            lo, comma, hi = m.group(1), m.group(2), m.group(3)
            if hi and int(hi) < int(lo):
                raise _Unsupported(f"bad repetition {m.group(0)} (invalid in Java)")
            self.i = m.end()
            q = "{" + lo + ("," + hi if comma else "") + "}"
        else:
            return None
        if self.peek() == "?":
            self.i += 1
            q += "?"
        elif self.peek() == "+":
            self.i += 1
            if _POSSESSIVE:
                q += "+"
            else:
                self.notes.append("possessive quantifier read as greedy (Python < 3.11)")
        return q

    def atom(self) -> _Atom:
        ch = self.take()
        if ch == "(":
            return self.group()
        if ch == "[":
            return _Atom(_emit_set(self.fold(self.char_class())))
        if ch == ".":
            if "s" in self.flags:
                return _Atom("[\\s\\S]")
            return _Atom("[^\\n]" if "d" in self.flags else _emit_set(_complement(_LINE_TERMINATORS)))
        if ch == "^":
            if "m" not in self.flags:
                return _Atom("^", zero_width=True)
            caret = "(?!\\Z)(?:\\A|(?<=\\n))" if "d" in self.flags else _CARET_MULTILINE
            return _Atom(caret, zero_width=True)
        if ch == "$":
            if "d" in self.flags:
                return _Atom("(?=\\n|\\Z)" if "m" in self.flags else "$", zero_width=True)
            return _Atom(_DOLLAR_MULTILINE if "m" in self.flags else _DOLLAR, zero_width=True)
        if ch == "\\":
            return self.escape_outside()
        if ch == "{":
            self.i -= 1  # Java reads an empty atom here and lets the repetition apply to it
            return _Atom("", zero_width=True)
        return _Atom(self.literal(ord(ch)))

    def literal(self, cp: int) -> str:
        return _emit_set(self.fold(((cp, cp),)))

    def fold(self, ranges: Ranges) -> Ranges:
        if "i" in self.flags:
            if "u" in self.flags:
                self.notes.append("(?iu) read with ASCII case folding only")
            return _ascii_case_closure(ranges)
        return ranges

    def group(self) -> _Atom:
        saved = set(self.flags)
        if self.peek() != "?":
            self.groups += 1
            body = self.alternation()
            self.close()
            self.flags = saved
            return _Atom(f"({body})")
        self.i += 1
        kind = self.take()
        zero_width = False
        if kind == ":":
            head = "(?:"
        elif kind in "=!":
            head, zero_width = f"(?{kind}", True
        elif kind == ">":
            if not _POSSESSIVE:
                raise _Unsupported("atomic group needs Python 3.11")
            head = "(?>"
        elif kind == "<":
            nxt = self.peek()
            if nxt in "=!":
                self.i += 1
                head, zero_width = f"(?<{nxt}", True
            else:
                end = self.s.find(">", self.i)
                name = self.s[self.i : end] if end > 0 else ""
                if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
                    raise _Unsupported(f"bad group name at {self.i} (invalid in Java)")
                self.i = end + 1
                self.groups += 1
                head = f"(?P<{name}>"
        else:
            self.i -= 1
            on, off, closer = self.flag_letters()
            if closer == ")":
                self.flags = (self.flags | on) - off  # applies to the rest of the enclosing group
                return _Atom("", zero_width=True)
            self.flags = (self.flags | on) - off
            head = "(?:"
        body = self.alternation()
        self.close()
        self.flags = saved
        return _Atom(f"{head}{body})", zero_width=zero_width)

    def flag_letters(self) -> tuple[set[str], set[str], str]:
        on: set[str] = set()
        off: set[str] = set()
        target = on
        while True:
            ch = self.take()
            if ch in "):":
                return on, off, ch
            if ch == "-":
                target = off
            elif ch in "imsdux":
                target.add(ch)
            elif ch == "U":
                raise _Unsupported("UNICODE_CHARACTER_CLASS flag (?U)")
            else:
                raise _Unsupported(f"unknown inline flag {ch!r} (invalid in Java)")

    def close(self) -> None:
        if self.peek() != ")":
            raise _Unsupported("unclosed group (invalid in Java)")
        self.i += 1

    # escapes
    def escape_outside(self) -> _Atom:
        ch = self.peek()
        if ch == "Q":
            self.i += 1
            end = self.s.find("\\E", self.i)
            end = len(self.s) if end < 0 else end
            text = "".join(self.literal(ord(c)) for c in self.s[self.i : end])
            self.i = min(end + 2, len(self.s))
            return _Atom(f"(?:{text})" if len(text) > 1 else text)
        simple = {"A": "\\A", "z": "\\Z", "b": _WORD_BOUNDARY, "B": _NOT_WORD_BOUNDARY}
        if ch in simple:
            self.i += 1
            return _Atom(simple[ch], zero_width=True)
        if ch == "Z":
            self.i += 1
            return _Atom("(?=\\n?\\Z)" if "d" in self.flags else _DOLLAR, zero_width=True)
        if ch == "G":
            raise _Unsupported("\\G (end of previous match) has no meaning for one match")
        if ch == "X":
            raise _Unsupported("\\X (grapheme cluster)")
        if ch == "R":
            self.i += 1
            return _Atom(_LINEBREAK)
        if ch.isdigit() and ch != "0":
            return _Atom(self.backref())
        if ch == "k":
            self.i += 1
            m = re.compile(r"<([A-Za-z][A-Za-z0-9]*)>").match(self.s, self.i)
            if not m:
                raise _Unsupported("bad \\k<name> (invalid in Java)")
            self.i = m.end()
            return _Atom(self.case_backref(f"(?P={m.group(1)})"))
        return _Atom(_emit_set(self.fold(self.escape_set())))

    def backref(self) -> str:
        num = int(self.take())
        while self.peek().isdigit() and num * 10 + int(self.peek()) <= self.groups:
            num = num * 10 + int(self.take())
        if num > self.groups:
            return "(?!)"  # Java: a reference to a group not (yet) defined never matches
        return self.case_backref(f"(?:\\{num})")

    def case_backref(self, text: str) -> str:
        if "i" in self.flags:
            return f"(?ai:{text})"
        return text

    def escape_set(self) -> Ranges:
        """The set an escape denotes (single characters included), after the backslash."""
        ch = self.take()
        lower = ch.lower()
        if lower in _SET_ESCAPES:
            ranges = _SET_ESCAPES[lower]
            return _complement(ranges) if ch.isupper() else ranges
        if ch in ("p", "P"):
            if self.peek() == "{":
                end = self.s.find("}", self.i)
                if end < 0:
                    raise _Unsupported("unclosed \\p{ (invalid in Java)")
                name = self.s[self.i + 1 : end]
                self.i = end + 1
            else:
                name = self.take()
            negate = name.startswith("^")
            ranges, note = _property(name.lstrip("^"))
            if note:
                self.notes.append(note)
            return _complement(ranges) if (ch == "P") != negate else ranges
        cp = self.escape_char(ch)
        return ((cp, cp),)

    def escape_char(self, ch: str) -> int:
        if ch in _CHAR_ESCAPES:
            return _CHAR_ESCAPES[ch]
        if ch == "0":
            digits = ""
            while self.peek() and self.peek() in "01234567" and len(digits) < 3:
                if len(digits) == 2 and digits[0] > "3":
                    break
                digits += self.take()
            if not digits:
                raise _Unsupported("\\0 needs octal digits (invalid in Java)")
            return int(digits, 8)
        if ch == "x":
            if self.peek() == "{":
                end = self.s.find("}", self.i)
                text = self.s[self.i + 1 : end] if end > 0 else ""
                self.i = end + 1
            else:
                text = self.s[self.i : self.i + 2]
                self.i += 2
            if not re.fullmatch(r"[0-9a-fA-F]{1,8}", text) or int(text, 16) > MAX_CODE_POINT:
                raise _Unsupported("bad \\x escape (invalid in Java)")
            return int(text, 16)
        if ch == "u":
            cp = self.hex4()
            if 0xD800 <= cp <= 0xDBFF and self.s.startswith("\\u", self.i):
                saved = self.i
                self.i += 2
                low = self.hex4()
                if 0xDC00 <= low <= 0xDFFF:
                    return 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
                self.i = saved
            return cp
        if ch == "c":
            return ord(self.take()) ^ 64
        if ch == "N":
            m = re.compile(r"\{([^}]*)\}").match(self.s, self.i)
            try:
                cp = ord(unicodedata.lookup(m.group(1))) if m else -1
            except KeyError:
                cp = -1
            if not m or cp < 0:
                raise _Unsupported("bad \\N{name} (invalid in Java)")
            self.i = m.end()
            return cp
        if ch.isascii() and ch.isalnum():
            raise _Unsupported(f"unknown escape \\{ch} (invalid in Java)")
        return ord(ch)

    def hex4(self) -> int:
        text = self.s[self.i : self.i + 4]
        if not re.fullmatch(r"[0-9a-fA-F]{4}", text):
            raise _Unsupported("bad \\u escape (invalid in Java)")
        self.i += 4
        return int(text, 16)

    # character classes
    def char_class(self) -> Ranges:
        """The set of a class whose ``[`` was just read; handles ``^``, nesting, ranges and ``&&``."""
        negate = False
        if self.peek() == "^":
            self.i += 1
            negate = True
        acc: list[tuple[int, int]] = []
        first = True
        while True:
            ch = self.peek()
            if not ch:
                raise _Unsupported("unclosed character class (invalid in Java)")
            if ch == "]" and not first:
                self.i += 1
                break
            if "x" in self.flags and ch.isspace():
                self.i += 1
                continue
            first = False
            if ch == "[":
                self.i += 1
                acc.extend(self.char_class())
                continue
            if ch == "&" and self.peek(1) == "&":
                self.i += 2
                right = self.class_rest()
                result = _intersect(_normalize(acc), right) if acc else right
                self.i += 1  # the closing bracket
                return _complement(result) if negate else result
            acc.extend(self.class_item())
        result = _normalize(acc)
        return _complement(result) if negate else result

    def class_rest(self) -> Ranges:
        """Everything up to (not including) the ``]`` that closes the current class, as one set."""
        acc: list[tuple[int, int]] = []
        while True:
            ch = self.peek()
            if not ch:
                raise _Unsupported("unclosed character class (invalid in Java)")
            if ch == "]":
                return _normalize(acc)
            if ch == "[":
                self.i += 1
                acc.extend(self.char_class())
            elif ch == "&" and self.peek(1) == "&":
                self.i += 2
                return _intersect(_normalize(acc), self.class_rest()) if acc else self.class_rest()
            else:
                acc.extend(self.class_item())

    def class_item(self) -> Ranges:
        start = self.class_single()
        if isinstance(start, tuple):
            return start  # a predefined class: a following '-' is a literal
        if self.peek() == "-" and self.peek(1) not in ("]", "[", ""):
            self.i += 1
            end = self.class_single()
            if isinstance(end, tuple):
                raise _Unsupported("character range ends in a class (invalid in Java)")
            if end < start:
                raise _Unsupported(f"illegal character range {chr(start)!r}-{chr(end)!r} (invalid in Java)")
            return ((start, end),)
        return ((start, start),)

    def class_single(self) -> int | Ranges:
        ch = self.take()
        if ch != "\\":
            if 0xD800 <= ord(ch) <= 0xDBFF and 0xDC00 <= ord(self.peek() or "\0") <= 0xDFFF:
                low = ord(self.take())
                return 0x10000 + ((ord(ch) - 0xD800) << 10) + (low - 0xDC00)
            return ord(ch)
        nxt = self.peek()
        if nxt == "Q":
            self.i += 1
            end = self.s.find("\\E", self.i)
            end = len(self.s) if end < 0 else end
            text = self.s[self.i : end]
            self.i = min(end + 2, len(self.s))
            return _chars(text)
        ranges = self.escape_set()
        if nxt.lower() in "dwshvp":
            return ranges
        return ranges[0][0]


@functools.lru_cache(maxsize=16384)
def _translated(java: str) -> tuple[Translation, re.Pattern[str] | None]:
    parser = _Parser(java)
    try:
        python = parser.run()
    except _Unsupported as exc:
        return Translation(None, "unsupported", str(exc), java), None
    except RecursionError:
        return Translation(None, "unsupported", "pattern nests too deeply", java), None
    try:
        regex = re.compile(python)
    except re.error as exc:
        return Translation(None, "unsupported", f"no Python equivalent: {exc}", java), None
    if parser.notes:
        return Translation(python, "approximated", "; ".join(dict.fromkeys(parser.notes)), java), regex
    return Translation(python, "exact", "", java), regex


def translate(java_pattern: str) -> Translation:
    """The Python form of a botocore (Java) pattern, with how faithful it is (cached)."""
    return _translated(java_pattern)[0]


def compile_pattern(java_pattern: str) -> re.Pattern[str] | None:
    """A compiled Python regex with Java's meaning (use ``.search``), or None when it cannot be expressed."""
    return _translated(java_pattern)[1]


def model_patterns(raw_model: Mapping[str, Any]) -> set[str]:
    """The distinct ``pattern`` traits of a raw ``service-2.json`` dict."""
    return {shape["pattern"] for shape in raw_model.get("shapes", {}).values() if "pattern" in shape}


def pattern_stats(patterns: Iterable[str]) -> Counter[str]:
    """How many distinct patterns translate exactly, approximately, or not at all."""
    return Counter(translate(p).status for p in set(patterns))
