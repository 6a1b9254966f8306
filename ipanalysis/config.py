"""Where things live. Every path the library touches is defined here, once.

The project root can be moved with the ``IPANALYSIS_ROOT`` environment variable,
which the tests use to build a throw-away copy of the corpus without touching
the real ``data/``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"


def project_root() -> Path:
    """The project root: ``$IPANALYSIS_ROOT`` if set, else the repository holding this package."""
    env = os.environ.get("IPANALYSIS_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def figures_dir() -> Path:
    return project_root() / "figures"


def manual_dir() -> Path:
    """Researchers' manual codes (theme and instrument overrides): input, never written by code."""
    return project_root() / "data" / "manual"


def manifest_path() -> Path:
    return raw_dir() / "manifest.csv"


def resource(name: str) -> Path:
    """Path of an editable resource file shipped in ``ipanalysis/resources/``."""
    return RESOURCES_DIR / name


def resource_lines(name: str) -> list[str]:
    """The lines of a resource file, stripped, without blank lines and ``#`` comments."""
    lines = (ln.strip() for ln in resource(name).read_text(encoding="utf-8").splitlines())
    return [ln for ln in lines if ln and not ln.startswith("#")]


def resource_csv(name: str) -> list[dict[str, str]]:
    """The rows of a CSV resource file; ``#`` lines are comments."""
    import csv

    return list(csv.DictReader(resource_lines(name)))
