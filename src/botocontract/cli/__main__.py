"""``python -m botocontract.cli``: the same as the ``botocontract`` script."""

from botocontract.cli import main

main()
