"""A third, held-out round: eight openings of kinds the first two rounds do not cover.

``tests/data/unseen/round3/`` holds openings written after the way pages look
(a district of a prefecture city issuing a 实施意见 itself, a joint provincial
notice with two numbers on one line, a page title with the site name after
“_”, a 人大常委会 决定 dated by its meeting, a 省直辖县级市, an 自治县 plan, a
``|`` metadata table dated only by 成文日期, a repost page that lost its line
breaks). The gold in ``documents.csv`` was written before the library was run
on them; ``notes`` name each trap. Scored like :mod:`tests.test_unseen`, and
read again under its ``PERTURBATIONS`` (Traditional characters, a page date
under the title, a spam line…): every field must come out the same.
"""

from __future__ import annotations

import pytest

from ipanalysis import cleaning
from tests.test_realdocs import DATA, FIELDS, _gold, read_as_added, score_table, verdict
from tests.test_unseen import PERTURBATIONS, SAVED_AS

ROUND3 = _gold(DATA / "unseen" / "round3" / "documents.csv", DATA / "unseen" / "round3")

# (file, field): why the library may differ from the gold there. Keep it short.
EXCEPTIONS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, str]]:
    return {path.name: read_as_added(path) for path, _gold in ROUND3}


def test_score_table(results):
    table = score_table(results, ROUND3)
    print(f"\nRound 3: {len(ROUND3)} openings\n{table}")
    failures = [
        f"{path.name} {field}: got {results[path.name][field]!r}, gold {gold[field]!r}"
        for path, gold in ROUND3
        for field in FIELDS
        if (path.name, field) not in EXCEPTIONS and verdict(results[path.name][field], gold[field]) != "right"
    ]
    assert not failures, table + "\n" + "\n".join(failures)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("path", "gold"), ROUND3, ids=[p.name for p, _g in ROUND3])
def test_field(results, path, gold, field):
    if (path.name, field) in EXCEPTIONS:
        pytest.skip(EXCEPTIONS[(path.name, field)])
    assert results[path.name][field] == cleaning.normalise_punctuation(gold[field]), gold["notes"]


def test_exceptions_are_still_needed(results):
    """An exception the library has since fixed must be removed from the list."""
    gold = {(p.name, f): g[f] for p, g in ROUND3 for f in FIELDS}
    assert not [key for key in EXCEPTIONS if verdict(results[key[0]][key[1]], gold[key]) == "right"]


@pytest.mark.parametrize("kind", [*PERTURBATIONS, *SAVED_AS])
def test_perturbed_pages_read_the_same(kind, tmp_path):
    suffix, encoding, perturb = SAVED_AS.get(kind, (".txt", "utf-8", PERTURBATIONS.get(kind)))
    wrong = []
    for path, gold in ROUND3:
        copy = tmp_path / (path.stem + suffix)
        copy.write_text(perturb(path.read_text(encoding="utf-8")), encoding=encoding)
        got = read_as_added(copy)
        wrong += [f"{path.name} {field}: got {got[field]!r}, gold {gold[field]!r}" for field in FIELDS
                  if (path.name, field) not in EXCEPTIONS and verdict(got[field], gold[field]) != "right"]  # fmt: skip
    assert not wrong, "\n".join(wrong)
