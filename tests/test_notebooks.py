"""run-notebooks re-runs a notebook only when its inputs changed, and runs independent ones in parallel."""

from __future__ import annotations

import io
import json

import pytest

from ipanalysis import notebooks as nbs


def _notebook(*sources: str) -> str:
    cells = [
        {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": s}
        for i, s in enumerate(sources)
    ]
    nb = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=1) + "\n"


@pytest.fixture
def books(project):
    """Two numbered notebooks and a personal one in a throw-away project root."""
    d = project / "notebooks"
    (d / "mine").mkdir(parents=True)
    (d / "01_a.ipynb").write_text(_notebook("x = 1"), encoding="utf-8")
    (d / "02_b.ipynb").write_text(_notebook('plotting.save_figure(fig, "02_chart")'), encoding="utf-8")
    (d / "mine" / "mine.ipynb").write_text(_notebook("y = 2"), encoding="utf-8")
    (project / "figures").mkdir()
    (project / "figures" / "02_chart.svg").write_text("<svg/>", encoding="utf-8")
    return project


class Recorder:
    """Stands in for a kernel: records what it was asked to run; fails on the names it is told to."""

    def __init__(self, fail=()):
        self.ran, self.fail = [], set(fail)

    def __call__(self, path, timeout):
        name = path.rsplit("/", 1)[-1]
        self.ran.append(name)
        return path, 0.0, f"{name}: a cell failed: boom" if name in self.fail else ""


def _run(**kw):
    rec = kw.pop("run", None) or Recorder()
    log = io.StringIO()
    nbs.run_notebooks(build_first=False, jobs=1, run=rec, log=log, **kw)
    return rec.ran, log.getvalue()


def test_only_numbered_notebooks_run_by_default(books):
    ran, log = _run()
    assert ran == ["01_a.ipynb", "02_b.ipynb"]
    assert "running 01_a.ipynb (never run)" in log


def test_nothing_changed_nothing_runs(books):
    _run()
    ran, log = _run()
    assert ran == []
    assert "up to date: 01_a.ipynb" in log and "up to date: 02_b.ipynb" in log


@pytest.mark.parametrize(
    "change, expected, reason",
    [
        ("notebook", ["01_a.ipynb"], "notebook changed"),
        ("tables", ["01_a.ipynb", "02_b.ipynb"], "tables changed"),
        ("figure", ["02_b.ipynb"], "figure 02_chart missing"),
    ],
)
def test_a_change_reruns_exactly_the_notebooks_it_touches(books, change, expected, reason):
    _run()
    if change == "notebook":
        (books / "notebooks" / "01_a.ipynb").write_text(_notebook("x = 2"), encoding="utf-8")
    elif change == "tables":
        (books / "data" / "processed").mkdir(parents=True)
        (books / "data" / "processed" / "build_info.json").write_text("{}\n", encoding="utf-8")
    else:
        (books / "figures" / "02_chart.svg").unlink()
    ran, log = _run()
    assert ran == expected
    assert f"({reason})" in log


def test_force_runs_all(books):
    _run()
    ran, _ = _run(force=True)
    assert ran == ["01_a.ipynb", "02_b.ipynb"]


def test_a_personal_notebook_runs_only_when_named(books):
    mine = str(books / "notebooks" / "mine" / "mine.ipynb")
    ran, _ = _run(paths=[mine])
    assert ran == ["mine.ipynb"]
    assert "notebooks/mine/mine.ipynb" in nbs.load_stamps()


@pytest.mark.parametrize("name", ["notebooks/nope.ipynb", "notebooks/mine"])
def test_a_wrong_path_is_one_line_before_anything_runs(books, name):
    from ipanalysis.errors import InputError

    with pytest.raises(InputError, match=rf"{name}: no such notebook"):
        _run(paths=[str(books / name)])
    assert nbs.load_stamps() == {}


def test_a_failed_notebook_is_named_and_runs_again(books):
    with pytest.raises(nbs.NotebookError, match=r"01_a\.ipynb: a cell failed: boom"):
        _run(run=Recorder(fail={"01_a.ipynb"}))
    assert set(nbs.load_stamps()) == {"notebooks/02_b.ipynb"}  # the other one still counts as run
    ran, _ = _run()
    assert ran == ["01_a.ipynb"]


def test_stamps_are_deterministic_and_hold_every_input(books):
    _run()
    first = nbs.stamps_path().read_bytes()
    _run(force=True)
    assert nbs.stamps_path().read_bytes() == first
    stamp = nbs.load_stamps()["notebooks/01_a.ipynb"]
    assert set(stamp) == {"notebook", "code", "lock", "tables"}


@pytest.mark.parametrize(
    "source, expected",
    [
        ('plotting.save_figure(fig, "01_top_terms")', ["01_top_terms"]),
        ("save_figure(fig, '04_timeline_en', dpi=150)", ["04_timeline_en"]),
        ('save_figure(fig, name)', []),  # not a literal: cannot be checked, never guessed
    ],
)
def test_saved_figures_reads_literal_names(tmp_path, source, expected):
    path = tmp_path / "n.ipynb"
    path.write_text(_notebook(source), encoding="utf-8")
    assert nbs.saved_figures(path) == expected


def test_real_kernels_run_in_parallel_and_write_outputs(books):
    """Two notebooks in two worker processes, each with its own kernel: outputs written, then skipped."""
    for name in ("01_a.ipynb", "02_b.ipynb"):
        (books / "notebooks" / name).write_text(_notebook(f"print({name[:2]!r} * 2)"), encoding="utf-8")
    log = io.StringIO()
    ran = nbs.run_notebooks(build_first=False, jobs=2, log=log)
    assert [p.name for p in ran] == ["01_a.ipynb", "02_b.ipynb"], log.getvalue()
    for name in ("01_a", "02_b"):
        cell = json.loads((books / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"][0]
        assert cell["execution_count"] == 1
        assert cell["outputs"][0]["text"] == [name[:2] * 2 + "\n"]
    assert nbs.run_notebooks(build_first=False, jobs=2, log=io.StringIO()) == []


_WRITES_CHART = (
    "from ipanalysis import config\n"
    "(config.figures_dir() / '01_chart.svg').write_text('<svg>new</svg>', encoding='utf-8')"
)


def test_a_failing_notebook_leaves_every_figure_as_it_was(books):
    """Charts saved before the failing cell are staged, then thrown away: figures/ keeps the old bytes."""
    chart = books / "figures" / "01_chart.svg"
    chart.write_text("<svg>old</svg>", encoding="utf-8")
    path = books / "notebooks" / "01_a.ipynb"
    path.write_text(_notebook(_WRITES_CHART, "raise ValueError('a broken cell')"), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(nbs.NotebookError, match="a broken cell"):
        nbs.execute_notebook(path, timeout=120)
    assert chart.read_text(encoding="utf-8") == "<svg>old</svg>"
    assert path.read_bytes() == before
    # no staging folder left behind
    assert sorted(p.name for p in (books / "figures").iterdir()) == ["01_chart.svg", "02_chart.svg"]


def test_a_notebook_that_succeeds_publishes_its_figures(books):
    chart = books / "figures" / "01_chart.svg"
    chart.write_text("<svg>old</svg>", encoding="utf-8")
    path = books / "notebooks" / "01_a.ipynb"
    path.write_text(_notebook(_WRITES_CHART), encoding="utf-8")
    nbs.execute_notebook(path, timeout=120)
    assert chart.read_text(encoding="utf-8") == "<svg>new</svg>"
    assert sorted(p.name for p in (books / "figures").iterdir()) == ["01_chart.svg", "02_chart.svg"]
