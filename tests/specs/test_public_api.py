"""The package's public face stays equal to what it can load, and importing it costs nothing."""

from __future__ import annotations

import subprocess
import sys

import botocontract.specs as specs


def test_all_matches_the_lazy_table_and_every_name_loads() -> None:
    for name in specs.__all__:
        assert getattr(specs, name) is not None, name


def test_importing_a_helper_module_does_not_load_the_models_machinery() -> None:
    code = "import sys, botocontract.specs.cache; print('botocore' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
