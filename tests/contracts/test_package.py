import subprocess
import sys

import botocontract.contracts as contracts


def test_public_names_all_resolve():
    assert sorted(contracts.__all__) == sorted(contracts._MODULE_OF)
    for name in contracts.__all__:
        assert getattr(contracts, name) is not None
    assert set(contracts.__all__) <= set(dir(contracts))


def test_importing_the_package_imports_no_module():
    code = (
        "import sys, botocontract.contracts\n"
        "print(sorted(m for m in sys.modules if m.startswith('botocontract.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # only the package itself and the tiny shared lazy-export helper
    assert out.strip() == "['botocontract.contracts', 'botocontract.lazy']"
