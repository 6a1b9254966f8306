"""Shared fixtures: the real corpus built in memory, and throw-away project roots."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ipanalysis import build, config, reading

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def tables():
    """The tables for the shipped documents, computed in memory (nothing written)."""
    return build.build_tables(reading.read_manifest(REPO / "data" / "raw" / "manifest.csv"))


@pytest.fixture(scope="session")
def corpus(tables):
    from ipanalysis.corpus import Corpus

    return Corpus(tables)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the project's data/raw/ under a temporary root, set as IPANALYSIS_ROOT."""
    shutil.copytree(REPO / "data" / "raw", tmp_path / "data" / "raw")
    monkeypatch.setenv("IPANALYSIS_ROOT", str(tmp_path))
    assert config.project_root() == tmp_path.resolve()
    return tmp_path
