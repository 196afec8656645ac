"""Shared fixtures: releases come through the project's own cached source (downloaded once).

Hypothesis profiles: ``ci`` (chosen when ``CI`` is set) derives every example from the test itself, so a
run is reproducible and a red CI is never chance; ``dev`` (the default elsewhere) draws fresh examples;
``deep`` (``HYPOTHESIS_PROFILE=deep``) draws many more of them for a long local hunt.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from botocontract.specs import Source, resolve_source

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.register_profile("deep", max_examples=2000, deadline=None)
_IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _IN_CI else "dev"))


@pytest.fixture(scope="session")
def release_1_17_42() -> Source:
    return resolve_source("1.17.42")


@pytest.fixture(scope="session")
def release_1_17_43() -> Source:
    return resolve_source("1.17.43")


@pytest.fixture(scope="session")
def installed() -> Source:
    return resolve_source("installed")
