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
    """The source documents and ``manifest.csv``: input, never written by code (except ``ipanalysis add``)."""
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    """The processed tables (Parquet and CSV), written by the build only."""
    return project_root() / "data" / "processed"


FIGURES_ENV = "IPANALYSIS_FIGURES_DIR"


def figures_dir() -> Path:
    """Every chart, written by the notebooks through ``plotting.save_figure``.

    ``ipanalysis run-notebooks`` points ``$IPANALYSIS_FIGURES_DIR`` at a
    staging folder while a notebook runs, so its charts reach ``figures/`` only
    when every cell succeeded (:func:`ipanalysis.notebooks.execute_notebook`).
    """
    staged = os.environ.get(FIGURES_ENV)
    return Path(staged) if staged else project_root() / "figures"


def manual_dir() -> Path:
    """Researchers' manual codes (theme and instrument overrides): input, never written by code."""
    return project_root() / "data" / "manual"


def exports_dir() -> Path:
    """Where ``ipanalysis export`` writes by default: derived files a researcher opens, not tracked by git.

    Outside ``data/processed/`` on purpose: the build owns that folder and its
    files must match the code; a workbook is made on request and may be older.
    """
    return project_root() / "exports"


def export_path() -> Path:
    """The default Excel workbook: ``exports/ipanalysis.xlsx``."""
    return exports_dir() / "ipanalysis.xlsx"


def notebooks_dir() -> Path:
    """The project's numbered notebooks; researchers' own go in ``notebooks/mine/``."""
    return project_root() / "notebooks"


def cache_dir() -> Path:
    """Caches that are always safe to delete (``data/.cache/``, ignored by git)."""
    return project_root() / "data" / ".cache"


def data_dictionary_path() -> Path:
    """``docs/data_dictionary.md`` of the repository: the meaning of every column (copied into the workbook)."""
    return PACKAGE_DIR.parent / "docs" / "data_dictionary.md"


def manifest_path() -> Path:
    """``data/raw/manifest.csv``: one row per document."""
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
