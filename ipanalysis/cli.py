"""Command line: ``ipanalysis build`` (also ``python -m ipanalysis build``)."""

from __future__ import annotations

import argparse
import sys

from pathlib import Path

from .errors import InputError, OutputError


def _build(args) -> int:
    from . import build

    if not args.force and not build.is_stale():
        print("data/processed/ is up to date (use --force to rebuild anyway)", file=sys.stderr)
        return 0
    build.build(progress=True, force=args.force)
    return 0


def _add(args) -> int:
    from pathlib import Path

    from .adding import add_document, summary

    found = add_document(
        Path(args.path), region=args.region, region_en=args.region_en, level=args.level,
        province=args.province, province_en=args.province_en, doc_id=args.id,
    )  # fmt: skip
    print(summary(found))
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
    p.add_argument("--force", action="store_true", help="rebuild everything, ignoring the per-document cache")
    p.set_defaults(func=_build)
    p = sub.add_parser("add", help="copy a document into data/raw/ and add its manifest row")
    p.add_argument("path", help="a .txt, .docx, .html/.htm or .pdf file (left unchanged)")
    p.add_argument("--region", default="", help="region in Chinese (read from the issuer if not given)")
    p.add_argument("--region-en", default="", help="region in English")
    p.add_argument("--level", default="", help="national, province, city or county (read from the issuer if not given)")
    p.add_argument("--province", default="", help="province in Chinese")
    p.add_argument("--province-en", default="", help="province in English")
    p.add_argument("--id", default="", help="doc_id (default: region-en + first year of the plan)")
    p.set_defaults(func=_add)
    p = sub.add_parser("run-notebooks", help="execute notebooks in place, in order (writes figures/)")
    p.add_argument("paths", nargs="*", help="notebooks to run (default: every notebooks/*.ipynb)")
    p.set_defaults(func=_run_notebooks)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file system fault outside the build's own handling: still one line
        error = OutputError.from_os_error(exc, fallback=Path("."), kept="nothing was changed")
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
