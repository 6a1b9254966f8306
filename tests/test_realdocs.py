"""The development set: real openings of documents the project has never seen, scored field by field.

``tests/data/realdocs/`` holds twelve openings of real local IP policy pages
(verbatim, chrome and defects included) with hand-made gold in
``documents.csv``; ``tests/data/seed_documents.csv`` states what the five
shipped documents really say. Each file is read the way ``ipanalysis add``
reads it: :func:`ipanalysis.pipeline.stage_parse` with no manifest values, and
region and level from :func:`ipanalysis.regions.infer_region`.

Every field must be right wherever the gold states it, and blank where the
gold is blank (a wrong value is worse than a missing one), except for the
explicit ``EXCEPTIONS`` below. Gold and output are compared after the
library's own punctuation normalisation (it writes full-width （） where a
page has ASCII brackets), nothing else. ``pytest -s`` prints the per-field
table; a failing run shows it too.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ipanalysis import cleaning, pipeline, reading, regions

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent
FIELDS = ("title", "issuer", "doc_number", "issued", "published", "period_start", "period_end", "region", "level")

# (file, field): why the library may differ from the gold there. Keep it short.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _gold(path: Path, folder: Path) -> list[tuple[Path, dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(folder / rec["file"], rec) for rec in csv.DictReader(fh)]


REAL = _gold(DATA / "realdocs" / "documents.csv", DATA / "realdocs")
SEEDS = _gold(DATA / "seed_documents.csv", REPO / "data" / "raw")
CASES = REAL + SEEDS


def read_as_added(path: Path) -> dict[str, str]:
    """What the library reads from a file with no manifest values: the fields of the documents table."""
    row = reading.ManifestRow(1, path.stem, path, "", "", "", "", "", {})
    doc = pipeline.stage_parse(row)["documents"][0]
    place = regions.infer_region(issuer=doc["issuer"], title=doc["title"])
    out = {f: "" if doc.get(f) is None else str(doc[f]) for f in FIELDS}
    out.update(region=place.region, level=place.level)
    return out


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, str]]:
    return {path.name: read_as_added(path) for path, _gold in CASES}


def verdict(got: str, want: str) -> str:
    """``right``, ``wrong`` or ``missing`` (a blank gold is stated too: it must stay blank)."""
    want = cleaning.normalise_punctuation(want)
    if got == want:
        return "right"
    return "missing" if not got else "wrong"


def score_table(results: dict[str, dict[str, str]], cases=CASES) -> str:
    """Per field: right / wrong / missing where the gold states a value, and blanks kept blank."""
    lines = [f"{'field':<13}{'right':>7}{'wrong':>7}{'missing':>9}   blank kept / blank gold"]
    for field in FIELDS:
        counts = {"right": 0, "wrong": 0, "missing": 0}
        blank, blank_kept = 0, 0
        for path, gold in cases:
            got = results[path.name][field]
            if gold[field]:
                counts[verdict(got, gold[field])] += 1
            else:
                blank += 1
                blank_kept += not got
        right, wrong, missing = counts["right"], counts["wrong"], counts["missing"]
        lines.append(f"{field:<13}{right:>7}{wrong:>7}{missing:>9}   {blank_kept} / {blank}")
    return "\n".join(lines)


def field_failures(results: dict, cases: list, exceptions: dict) -> list[str]:
    """Every (document, field) not right against its gold, outside the listed exceptions, as readable lines."""
    return [
        f"{path.name} {field}: got {results[path.name][field]!r}, gold {gold[field]!r}"
        for path, gold in cases
        for field in FIELDS
        if (path.name, field) not in exceptions and verdict(results[path.name][field], gold[field]) != "right"
    ]


def fixed_exceptions(results: dict, cases: list, exceptions: dict) -> list[tuple[str, str]]:
    """Exceptions the library now gets right: they must leave the list."""
    gold = {(p.name, f): g[f] for p, g in cases for f in FIELDS}
    return [key for key in exceptions if verdict(results[key[0]][key[1]], gold[key]) == "right"]


def test_score_table(results):
    table = (f"{len(REAL)} real openings\n{score_table(results, REAL)}\n"
             f"{len(SEEDS)} shipped documents\n{score_table(results, SEEDS)}")
    print(f"\nDevelopment set\n{table}")
    failures = field_failures(results, CASES, EXCEPTIONS)
    assert not failures, table + "\n" + "\n".join(failures)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("path", "gold"), CASES, ids=[p.name for p, _g in CASES])
def test_field(results, path, gold, field):
    if (path.name, field) in EXCEPTIONS:
        pytest.skip(EXCEPTIONS[(path.name, field)])
    assert results[path.name][field] == cleaning.normalise_punctuation(gold[field]), gold["notes"]


def test_exceptions_are_still_needed(results):
    """An exception the library has since fixed must be removed from the list."""
    assert not fixed_exceptions(results, CASES, EXCEPTIONS)
