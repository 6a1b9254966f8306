"""Execute the project's notebooks in place, reproducibly, and only when their inputs changed.

Why not ``jupyter nbconvert --execute``: it records per-cell timings in the
notebook metadata, so every run would change the committed files. nbclient
with ``record_timing=False`` writes only the outputs, which are deterministic.

Why stamps: a notebook's outputs are a function of the notebook itself, the
library code and resources, the installed versions and the processed tables.
After each successful run the hashes of those inputs are stored per notebook
in ``data/.cache/notebooks.json`` (never committed, always safe to delete);
the next run skips a notebook whose inputs hash the same and whose figures are
all still there. The tables are represented by ``build_info.json``, which
hashes every input and the code the tables were built from (the build is
deterministic, so equal build infos mean equal tables) and costs nothing to
read, even for a corpus of thousands of documents.

Why a process pool: each notebook runs its own kernel and the notebooks are
independent (they read ``data/processed/`` and write their own figures), so
on two cores two notebooks run at once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import config

STAMPS = "notebooks.json"
STAMP_VERSION = 1

# save_figure(fig, "02_coverage"…): the figures a notebook writes under a literal name.
_SAVED_FIGURE = re.compile(r"save_figure\(\s*[^,()]+,\s*[\"']([^\"']+)[\"']")

# Terminal colour and cursor codes (ESC [ … letter) that IPython puts in tracebacks.
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class NotebookError(Exception):
    """A notebook cell failed; the notebook file is left as it was (its stamp too)."""

    def __init__(self, path: Path, exc: Exception | str):
        lines = [ln for ln in ANSI_ESCAPE.sub("", str(exc)).strip().splitlines() if ln.strip()]
        self.path = Path(path)
        super().__init__(f"{self.path.name}: a cell failed: {lines[-1] if lines else exc}")


class NotebooksFailed(NotebookError):
    """One or more notebooks failed in a run; the message names each, with its failing line."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        Exception.__init__(self, "; ".join(self.messages))


def notebook_paths() -> list[Path]:
    """The project's numbered notebooks, ``notebooks/[0-9]*.ipynb``, in order; ``notebooks/mine/`` is not among them."""
    return sorted(config.notebooks_dir().glob("[0-9]*.ipynb"))


def _sha256(path: Path) -> str:
    """The file's SHA-256 (:func:`ipanalysis.reading.sha256`, read once per version), or "" when it is missing."""
    from .reading import sha256

    return sha256(path) if path.exists() else ""


def shared_inputs() -> dict[str, str]:
    """Hashes every notebook depends on: library code and resources, installed pins, processed tables.

    ``code`` is the build's own fingerprint of ``ipanalysis/`` (sources and
    resource files), ``lock`` the hash of ``requirements.lock`` (a new pandas
    prints tables differently), ``tables`` the hash of
    ``data/processed/build_info.json`` (empty when nothing is built).
    """
    from .build import BUILD_INFO, code_fingerprint

    return {
        "code": code_fingerprint(),
        "lock": _sha256(config.PACKAGE_DIR.parent / "requirements.lock"),
        "tables": _sha256(config.processed_dir() / BUILD_INFO),
    }


def notebook_stamp(path: Path, shared: dict[str, str]) -> dict[str, str]:
    """The inputs of one notebook: ``shared`` plus the hash of the notebook file as it is now."""
    return {**shared, "notebook": _sha256(path)}


def saved_figures(path: Path) -> list[str]:
    """Names of the figures a notebook saves under a literal name (``save_figure(fig, "01_x")``), sorted."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    code = "\n".join("".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "code")
    return sorted(set(_SAVED_FIGURE.findall(code)))


def missing_figures(path: Path) -> list[str]:
    """Figures the notebook saves that are no longer in ``figures/`` (in no format at all)."""
    out = config.figures_dir()
    return [name for name in saved_figures(path) if not any(out.glob(f"{glob_escape(name)}.*"))]


def glob_escape(name: str) -> str:
    """``name`` with glob metacharacters escaped, for ``Path.glob``."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _key(path: Path) -> str:
    """A notebook's key in the stamp file: its path relative to the project root where possible."""
    try:
        return path.resolve().relative_to(config.project_root()).as_posix()
    except ValueError:
        return str(path.resolve())


def stamps_path() -> Path:
    """``data/.cache/notebooks.json``."""
    return config.cache_dir() / STAMPS


def load_stamps() -> dict[str, dict[str, str]]:
    """The stamps of the last successful runs, by notebook key; empty when missing, unreadable or old."""
    try:
        data = json.loads(stamps_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != STAMP_VERSION:
        return {}
    return dict(data.get("notebooks", {}))


def save_stamps(stamps: dict[str, dict[str, str]]) -> None:
    """Write the stamp file atomically (sorted keys: the same stamps give the same bytes)."""
    from .build import atomic_write

    text = json.dumps({"version": STAMP_VERSION, "notebooks": stamps}, indent=2, sort_keys=True) + "\n"
    atomic_write(stamps_path(), lambda p: p.write_text(text, encoding="utf-8"))


def why_run(path: Path, stamps: dict[str, dict[str, str]], shared: dict[str, str]) -> str:
    """Why a notebook must run again (``"notebook changed"``, ``"tables changed"`` …), or ``""`` when up to date."""
    old = stamps.get(_key(path))
    if old is None:
        return "never run"
    new = notebook_stamp(path, shared)
    changed = [k for k in ("notebook", "code", "lock", "tables") if old.get(k) != new[k]]
    if changed:
        names = {"notebook": "notebook", "code": "library code or resources", "lock": "installed versions", "tables": "tables"}
        return " and ".join(names[k] for k in changed) + " changed"
    missing = missing_figures(path)
    if missing:
        return f"figure {missing[0]} missing"
    return ""


def execute_notebook(path: str | Path, *, timeout: int = 600) -> None:
    """Run every cell of one notebook in a fresh ``python3`` kernel and write it back in place.

    The file is replaced only after the last cell succeeded; a failing cell
    raises :class:`NotebookError` and leaves the file untouched. So are its
    charts: the kernel saves them into a staging folder (``figures/.staging-…``,
    through ``$IPANALYSIS_FIGURES_DIR``), moved into ``figures/`` file by file
    only on success, so a notebook that fails halfway leaves every previous
    figure as it was.
    """
    import shutil
    import tempfile

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    figures = config.figures_dir()
    figures.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=figures))
    before = os.environ.get(config.FIGURES_ENV)
    os.environ[config.FIGURES_ENV] = str(staging)  # the kernel inherits this process's environment
    try:
        try:
            # The kernel process's own stderr carries only its start-up banner
            # ("running over TCP…"); what cells print arrives through Jupyter.
            client.execute(stderr=subprocess.DEVNULL)
        except CellExecutionError as exc:
            raise NotebookError(path, exc) from None
        finally:
            if before is None:
                os.environ.pop(config.FIGURES_ENV, None)
            else:
                os.environ[config.FIGURES_ENV] = before
        for chart in sorted(p for p in staging.iterdir() if p.is_file() and not p.name.startswith(".")):
            os.replace(chart, figures / chart.name)
        text = nbformat.writes(nb) + "\n"
        tmp = path.with_suffix(".ipynb.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run_one(path: str, timeout: int) -> tuple[str, float, str]:
    """Worker: (path, seconds, error message or "")."""
    start = time.perf_counter()
    try:
        execute_notebook(path, timeout=timeout)
    except NotebookError as exc:
        return path, time.perf_counter() - start, str(exc)
    return path, time.perf_counter() - start, ""


def default_jobs() -> int:
    """Notebooks run at once by default: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_notebooks(
    paths: list[str] | None = None,
    *,
    force: bool = False,
    jobs: int | None = None,
    timeout: int = 600,
    build_first: bool = True,
    run: Callable[[str, int], tuple[str, float, str]] = _run_one,
    log=sys.stderr,
) -> list[Path]:
    """Execute the notebooks whose inputs changed since their last successful run; return those run.

    ``paths`` defaults to the numbered notebooks (:func:`notebook_paths`).
    ``force`` runs them all. ``jobs`` notebooks run at once, each in its own
    process and kernel (default: one per core). With ``build_first`` the
    tables are rebuilt first if stale, so parallel kernels never race to
    rebuild them. ``run`` executes one notebook (replaced in tests). Every
    notebook is tried; a failure raises :class:`NotebookError` at the end,
    naming each failed notebook, and keeps its old stamp off the record.
    Example: ``run_notebooks(["notebooks/mine/my.ipynb"], force=True)``.
    """
    todo_paths = [Path(p) for p in paths] if paths else notebook_paths()
    for path in todo_paths:  # before any build: a mistyped name costs nothing
        if path.suffix != ".ipynb" or not path.is_file():
            from .errors import InputError

            raise InputError(path, "no such notebook (give .ipynb files, e.g. notebooks/mine/my.ipynb)")
    if build_first:
        from . import build

        if build.is_stale():
            print("data/processed/ is out of date: building it first", file=log, flush=True)
            build.build(progress=True)
    shared = shared_inputs()
    stamps = load_stamps()
    todo = []
    for path in todo_paths:
        reason = "forced" if force else why_run(path, stamps, shared)
        if reason:
            todo.append(path)
            print(f"running {path.name} ({reason})", file=log, flush=True)
        else:
            print(f"up to date: {path.name}", file=log, flush=True)
    failures = []
    for name, seconds, error in _map(run, [str(p) for p in todo], timeout, jobs=jobs or default_jobs()):
        path = Path(name)
        if error:
            failures.append(error)
            stamps.pop(_key(path), None)
        else:
            stamps[_key(path)] = notebook_stamp(path, shared)
            print(f"ran {path.name} in {seconds:.1f} s", file=log, flush=True)
        save_stamps(stamps)  # after each notebook: a later failure keeps the earlier stamps
    if failures:
        raise NotebooksFailed(failures)
    return todo


def _map(run, paths: list[str], timeout: int, *, jobs: int):
    """``run(path, timeout)`` for each path, in a process pool when more than one can run at once."""
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield run(p, timeout)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn: a clean interpreter per worker, whatever threads the build left in this one
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(run, p, timeout) for p in paths]
        for future in as_completed(futures):
            yield future.result()
