"""Command line: ``ipanalysis build`` (also ``python -m ipanalysis build``)."""

from __future__ import annotations

import argparse
import sys

from .errors import InputError


def _build(args) -> int:
    from . import build

    if not args.force and not build.is_stale():
        print("data/processed/ is up to date (use --force to rebuild anyway)", file=sys.stderr)
        return 0
    build.build(progress=True)
    return 0


def _run_notebooks(args) -> int:
    from .notebooks import NotebookError, run_notebooks

    try:
        run_notebooks(args.paths or None)
    except NotebookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ipanalysis", description="Compare Chinese local IP policy documents.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="rebuild data/processed/ from data/raw/")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.set_defaults(func=_build)
    p = sub.add_parser("run-notebooks", help="execute notebooks in place, in order (writes figures/)")
    p.add_argument("paths", nargs="*", help="notebooks to run (default: every notebooks/*.ipynb)")
    p.set_defaults(func=_run_notebooks)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
