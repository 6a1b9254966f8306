"""A digest of every per-document stage's tables, to prove that an optimisation changed no output.

Runs :func:`ipanalysis.pipeline.run_stages` (no cache) on every document the
tests know: the five seeds (``data/raw``), the real openings
(``tests/data/realdocs``), the unseen pages (``tests/data/unseen`` and its
``round3``), the target passages (``tests/data/unseen_targets``, with the
manifest rows its test makes) and ``--corpus`` documents of
``benchmarks/corpus.py`` (60 by default). Prints one SHA-256 per document of
the JSON of its stage tables, then one over all of them::

    .venv/bin/python benchmarks/stage_digest.py            # per document, then "overall <sha>"
    .venv/bin/python benchmarks/stage_digest.py --quiet    # the overall digest only

Stage keys are left out of the hash: they hash the stages' source code, which
an optimisation changes by definition; the tables are what must not change.
Run it before and after a change and compare the overall line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.append(str(REPO))  # after the installed package, so PYTHONPATH can point at another checkout
sys.path.append(str(REPO / "tests"))  # test_unseen_targets imports its sibling by bare name

from corpus import make_corpus  # noqa: E402

from ipanalysis import pipeline, reading  # noqa: E402


def _added_row(path: Path) -> reading.ManifestRow:
    """The row ``ipanalysis add`` would make, no manifest values (as tests/test_realdocs.py reads a file)."""
    return reading.ManifestRow(1, path.stem, path, "", "", "", "", "", {})


def fixture_rows() -> list[tuple[str, reading.ManifestRow]]:
    """(label, row) of every test fixture document, built the way the tests build them."""
    from tests import test_realdocs, test_unseen, test_unseen_targets

    out = [(f"seed/{r.doc_id}", r) for r in reading.read_manifest(REPO / "data" / "raw" / "manifest.csv")]
    for path, _gold in test_realdocs.REAL + test_unseen.UNSEEN:
        out.append((str(path.relative_to(test_realdocs.DATA)), _added_row(path)))
    data = test_unseen_targets.DATA
    for n, doc in enumerate(test_unseen_targets._gold("documents.csv"), start=1):
        row = reading.ManifestRow(n, f"unseen-{n:02d}", data / doc["file"], doc["region"], "", doc["level"], "", "",
                                  test_unseen_targets._overrides(doc))  # fmt: skip
        out.append((f"unseen_targets/{doc['file']}", row))
    return out


def corpus_rows(root: Path, n: int) -> list[tuple[str, reading.ManifestRow]]:
    """(label, row) of ``n`` synthetic documents written under ``root``."""
    raw = make_corpus(root, n)
    return [(f"corpus/{r.doc_id}", r) for r in reading.read_manifest(raw / "manifest.csv")]


def tables_digest(results: dict) -> str:
    """SHA-256 of the JSON of each stage's tables, keys of the cache left out (they hash code)."""
    tables = {stage: frozen for stage, (_key, frozen) in results.items()}
    text = json.dumps(tables, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digests(rows: list[tuple[str, reading.ManifestRow]]) -> list[tuple[str, str]]:
    """(label, digest) of every row, all stages computed (empty cache)."""
    fingerprints = pipeline.stage_fingerprints()
    out = []
    for label, row in rows:
        results, _done = pipeline.run_stages(row, {}, fingerprints)
        out.append((label, tables_digest(results)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=int, default=60, help="synthetic documents to add (default 60)")
    parser.add_argument("--quiet", action="store_true", help="print the overall digest only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipanalysis-digest-") as tmp:
        rows = fixture_rows() + corpus_rows(Path(tmp), args.corpus)
        found = digests(rows)
    overall = hashlib.sha256("".join(f"{label}\t{d}\n" for label, d in found).encode()).hexdigest()
    if not args.quiet:
        for label, d in found:
            print(f"{d}  {label}")
        print(f"documents {len(found)}")
    print(f"overall {overall}")


if __name__ == "__main__":
    main()
