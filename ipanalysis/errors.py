"""The one exception type for mistakes a user can fix."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input: names the file and the problem, in one line.

    The command line prints ``str(error)`` and exits non-zero, without a
    traceback, and before anything in ``data/processed/`` or ``figures/`` is
    touched.
    """

    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{_display(self.path)}: {problem}")

    def __reduce__(self):  # survive the trip back from a worker process
        return (InputError, (self.path, self.problem))


def _display(path: Path) -> str:
    try:
        from .config import project_root

        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)
