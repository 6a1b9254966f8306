"""Execute the project's notebooks in place, reproducibly.

Why not ``jupyter nbconvert --execute``: it records per-cell timings in the
notebook metadata, so every run would change the committed files. nbclient
with ``record_timing=False`` writes only the outputs, which are deterministic.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from . import config

# Terminal colour and cursor codes (ESC [ … letter) that IPython puts in tracebacks.
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class NotebookError(Exception):
    """A notebook cell failed; the notebook file is left as it was."""

    def __init__(self, path: Path, exc: Exception):
        lines = [ln for ln in ANSI_ESCAPE.sub("", str(exc)).strip().splitlines() if ln.strip()]
        super().__init__(f"{path.name}: a cell failed: {lines[-1] if lines else exc}")


def notebook_paths() -> list[Path]:
    return sorted((config.project_root() / "notebooks").glob("[0-9]*.ipynb"))


def run_notebooks(paths: list[str] | None = None, *, timeout: int = 600) -> None:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    for path in [Path(p) for p in paths] if paths else notebook_paths():
        print(f"running {path.name}", file=sys.stderr, flush=True)
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(path.parent)}},
        )
        try:
            # The kernel process's own stderr carries only its start-up banner
            # ("running over TCP…"); what cells print arrives through Jupyter.
            client.execute(stderr=subprocess.DEVNULL)
        except CellExecutionError as exc:
            raise NotebookError(path, exc) from None
        text = nbformat.writes(nb) + "\n"
        tmp = path.with_suffix(".ipynb.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
