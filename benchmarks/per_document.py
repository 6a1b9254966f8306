"""Per-document cost and peak memory of ``ipanalysis build --force``, and a profile of the build.

Used for "Past one machine" in ``benchmarks/README.md``: what one document costs
the per-document stage (``pipeline.process_all``) and how much memory the whole
build holds, at a few corpus sizes made by ``benchmarks/corpus.py`` in a
temporary directory (``data/raw/`` is never touched)::

    .venv/bin/python benchmarks/per_document.py 200 500          # ms/document and peak RSS
    .venv/bin/python benchmarks/per_document.py --profile 200    # cProfile, top 15 by cumulative time
    .venv/bin/python benchmarks/per_document.py --stages 300          # CPU ms/document of each stage, serial
    .venv/bin/python benchmarks/per_document.py --stages --fixtures 0 # the same over the tests' own documents

The synthetic copies repeat their seed's sentences, so whatever is cached per sentence is
cached across documents too; ``--fixtures`` times the 91 distinct documents of the tests
(seeds, real openings, unseen pages and passages), where it is not.

The profile runs the build in this process with worker processes switched off
(``PARALLEL_MIN_DOCS`` raised), so the per-document stages appear in it rather
than hidden in workers; its times are therefore one core's, not the wall time
of a parallel build.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import make_corpus  # noqa: E402
from run import corpus_chars, timed  # noqa: E402


def measure(n: int, tmp: Path) -> dict:
    """Build a corpus of ``n`` documents from cold in a subprocess: wall time, ms per document, peak RSS."""
    root = tmp / f"corpus{n}"
    raw = make_corpus(root, n)
    env = dict(os.environ, IPANALYSIS_ROOT=str(root))
    seconds, rss = timed([sys.executable, "-m", "ipanalysis", "build", "--force"], env=env)
    return {
        "documents": n,
        "chars": corpus_chars(raw),
        "build_s": round(seconds, 2),
        "ms_per_document": round(1000 * seconds / n, 1),
        "peak_rss_mb": round(rss / 2**20),
    }


def profile(n: int, tmp: Path, *, top: int = 15) -> str:
    """cProfile of a serial in-process ``build(force=True)`` of ``n`` documents.

    The ``top`` entries by cumulative time, then each stage and the writing on their own.
    """
    root = tmp / f"profile{n}"
    make_corpus(root, n)
    os.environ["IPANALYSIS_ROOT"] = str(root)
    from ipanalysis import build, pipeline

    pipeline.PARALLEL_MIN_DOCS = 10**9  # in this process, so the stages are profiled
    prof = cProfile.Profile()
    prof.runcall(build.build, force=True)
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
    stats.print_stats(top)
    stats.print_stats(r"pipeline.py:\d+\(stage_|build.py:\d+\((stage_outputs|write_table|swap_in)\)")  # each stage, writing
    return out.getvalue()


def stage_cpu(rows: list) -> dict:
    """CPU time (``time.process_time``) of each per-document stage, serial and in this process, over ``rows``.

    No build, no cache, no workers: each stage of :data:`ipanalysis.pipeline.STAGES` timed on its own, as
    :func:`ipanalysis.pipeline.run_stages` runs it (its result frozen, downstream stages reading it thawed),
    then ``run_stages`` itself over the same documents; milliseconds per document.
    """
    import time

    from ipanalysis import pipeline, segmentation

    segmentation.tokenize("预热")  # the dictionary loads once per process: not a per-document cost
    spent = dict.fromkeys(pipeline.STAGES, 0.0)
    for row in rows:
        frozen: dict[str, dict] = {}

        def live(stage: str) -> dict:
            return pipeline.thaw(frozen[stage])

        for stage in pipeline.STAGES:
            start = time.process_time()
            frozen[stage] = pipeline.freeze(pipeline.STAGE_FUNCS[stage](row, live))
            spent[stage] += time.process_time() - start
    fingerprints = pipeline.stage_fingerprints()
    start = time.process_time()
    for row in rows:
        pipeline.run_stages(row, {}, fingerprints)
    total = time.process_time() - start
    n = len(rows)
    return {
        "documents": n,
        "run_stages_ms_per_document": round(1000 * total / n, 2),
        "stage_ms_per_document": {s: round(1000 * t / n, 2) for s, t in spent.items()},
    }


def corpus_rows(n: int, tmp: Path) -> list:
    """The manifest rows of ``n`` synthetic documents written under ``tmp``."""
    from ipanalysis import reading

    return reading.read_manifest(make_corpus(tmp / f"stages{n}", n) / "manifest.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int, help="corpus sizes (documents)")
    parser.add_argument("--profile", action="store_true", help="profile one serial build of each size instead")
    parser.add_argument("--stages", action="store_true", help="CPU time of each stage, serial, in process, instead")
    parser.add_argument("--fixtures", action="store_true", help="with --stages: the tests' documents, not a corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipanalysis-perdoc-") as tmp:
        for n in args.sizes:
            if args.profile:
                print(profile(n, Path(tmp)), flush=True)
            elif args.stages and args.fixtures:
                from stage_digest import fixture_rows

                print(json.dumps(stage_cpu([row for _label, row in fixture_rows()])), flush=True)
            elif args.stages:
                print(json.dumps(stage_cpu(corpus_rows(n, Path(tmp)))), flush=True)
            else:
                print(json.dumps(measure(n, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
