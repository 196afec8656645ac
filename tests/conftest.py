"""Shared fixtures: releases come through the project's own cached source (downloaded once)."""

from __future__ import annotations

import pytest

from botocontract.specs import Source, resolve_source


@pytest.fixture(scope="session")
def release_1_17_42() -> Source:
    return resolve_source("1.17.42")


@pytest.fixture(scope="session")
def release_1_17_43() -> Source:
    return resolve_source("1.17.43")


@pytest.fixture(scope="session")
def installed() -> Source:
    return resolve_source("installed")
