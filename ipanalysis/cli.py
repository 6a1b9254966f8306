"""Command line: ``ipanalysis build|add|run-notebooks|export`` and ``ipanalysis --version``.

Also ``python -m ipanalysis …``. A mistake in the input prints one line,
``error: <file>: <problem>``, and exits with status 2.
"""

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
        run_notebooks(args.paths or None, force=args.force, jobs=args.jobs)
    except NotebookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _export(args) -> int:
    from . import config
    from .corpus import _shown, load_corpus
    from .export import check_path

    target = check_path(Path(args.path) if args.path else config.export_path())
    corpus = load_corpus()  # rebuilds first if data/raw/ or the code changed, and says so
    path = corpus.to_excel(target)
    print(f"wrote {_shown(path)}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command (``argv`` defaults to the command line); return the exit status.

    0 on success, 1 when a notebook failed, 2 for a mistake in the input (one
    line on stderr). Example: ``main(["export", "tables.xlsx"])``.
    """
    from . import __version__

    parser = argparse.ArgumentParser(prog="ipanalysis", description="Compare Chinese local IP policy documents.")
    parser.add_argument("--version", action="version", version=f"ipanalysis {__version__}")
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
    p = sub.add_parser(
        "run-notebooks", help="execute the notebooks whose inputs changed, in place and in parallel (writes figures/)"
    )
    p.add_argument("paths", nargs="*", help="notebooks to run (default: the numbered notebooks/[0-9]*.ipynb)")
    p.add_argument("--force", action="store_true", help="run every notebook, even those whose inputs did not change")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: one per core)")
    p.set_defaults(func=_run_notebooks)
    p = sub.add_parser("export", help="write every table to one Excel workbook (default exports/ipanalysis.xlsx)")
    p.add_argument("path", nargs="?", default="", help="where to write the .xlsx file (default: exports/ipanalysis.xlsx)")
    p.set_defaults(func=_export)
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
