"""The registry types: names from a decorator, or from the files of a package (one format, one file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from botocontract.errors import UnknownNameError
from botocontract.registry import ModuleRegistry, Registry


def test_registry_selects_by_name_and_suggests() -> None:
    things: Registry[int] = Registry("thing")
    things.add("one", 1)
    things.add("two", 2)
    assert things.select() == [1, 2] and things.select(exclude=["one"]) == [2]
    with pytest.raises(UnknownNameError, match="did you mean one"):
        things.get("oen")


def test_a_module_registry_names_each_file_and_loads_it_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "shouting"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_common.py").write_text("raise RuntimeError('a helper is not a format')\n")
    (package / "plain.py").write_text("def render(text):\n    return text\n")
    (package / "loud.py").write_text("def render(text):\n    return text.upper()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    formats = ModuleRegistry("shout format", "shouting", first="plain")
    assert formats.names() == ["plain", "loud"]
    assert "loud" in formats and len(formats) == 2
    import sys

    assert "shouting.loud" not in sys.modules  # listing the names imported nothing
    assert formats.get("loud")("hi") == "HI"
    assert [f("a") for f in formats.select(exclude=["plain"])] == ["A"]
    with pytest.raises(UnknownNameError, match="did you mean loud"):
        formats.get("lound")
    with pytest.raises(TypeError, match="module of shouting"):
        formats.register("quiet")
