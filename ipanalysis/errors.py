"""The exception types for problems a user can fix, each shown as one line."""

from __future__ import annotations

import os
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
        super().__init__(f"{display_path(self.path)}: {problem}")

    def __reduce__(self):  # survive the trip back from a worker process
        return (type(self), (self.path, self.problem))


class OutputError(InputError):
    """The outputs could not be written (read-only folder, full disk, no permission).

    Also one line, naming the file and the system's reason; the previous
    outputs are left complete, because they are replaced as a whole folder
    only once the new one is written.
    """

    @classmethod
    def from_os_error(
        cls, exc: OSError, *, fallback: Path, kept: str = "the previous outputs are unchanged", verb: str = ""
    ) -> "OutputError":
        """One line from an ``OSError``: the file, whether it was being read or written, the system's reason.

        Without ``verb``, a file in data/raw/ or data/manual/ was being read (the build only reads
        there), any other was being written.
        """
        from .config import project_root

        path = Path(os.fsdecode(exc.filename)) if exc.filename not in (None, "") else fallback
        reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc)) or type(exc).__name__
        inputs = [project_root() / "data" / "raw", project_root() / "data" / "manual"]
        verb = verb or ("read" if any(path.absolute().is_relative_to(d) for d in inputs) else "write")
        return cls(path, f"cannot {verb} ({reason}); {kept}")


def display_path(path: Path) -> str:
    """``path`` relative to the project root when inside it, as given otherwise."""
    try:
        from .config import project_root

        return str(path.resolve().relative_to(project_root()))
    except (ValueError, OSError, RuntimeError):
        return str(path)
