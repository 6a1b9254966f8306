"""The Excel workbook, read back with openpyxl as Excel would see it."""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest

from ipanalysis import cli, config, export
from ipanalysis import tables as tb
from ipanalysis.errors import InputError


@pytest.fixture(scope="module")
def workbook(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "ipanalysis.xlsx"
    corpus.to_excel(path)
    return path, openpyxl.load_workbook(path)


def test_a_sheet_per_table_after_the_readme(workbook):
    _, wb = workbook
    assert wb.sheetnames == [export.README_SHEET, *tb.TABLES]


@pytest.mark.parametrize("name", tb.TABLES)
def test_sheet_has_bilingual_headings_frozen_and_filtered(workbook, corpus, name):
    _, wb = workbook
    ws = wb[name]
    df = corpus.table(name)
    labels = export.column_labels()
    heads = [c.value for c in ws[1]]
    assert heads == ["\n".join(export.heading(name, c, labels)) for c in df.columns]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(df.columns))}{max(len(df), 1) + 1}"
    assert ws.max_row == len(df) + 1


def test_every_column_has_a_chinese_and_an_english_label():
    labels = export.column_labels()
    columns = {(t, c) for t, cols in tb.SCHEMAS.items() for c in cols}
    missing = [f"{t}.{c}" for t, c in sorted(columns) if export.heading(t, c, labels) == (c, c)]
    assert not missing, f"add them to ipanalysis/resources/column_labels.csv: {missing}"
    for zh, en in labels.values():
        assert zh and en


@pytest.mark.parametrize(
    "table, column, expected",
    [
        ("targets", "doc_id", ("文件编号", "Document ID")),
        ("references", "level", ("引用文件层级", "Cited level")),  # a table's own meaning wins
        ("agencies", "level", ("部门层级", "Agency level")),
        ("documents", "level", ("行政层级", "Level")),
    ],
)
def test_heading_prefers_the_tables_own_label(table, column, expected):
    assert export.heading(table, column, export.column_labels()) == expected


def test_cells_read_back_as_the_table(workbook, corpus):
    """Text stays text (ids, dates, 文号), numbers stay numbers, booleans stay booleans, empty stays empty."""
    _, wb = workbook
    for name in ("documents", "targets", "agencies"):
        df = corpus.table(name)
        rows = list(wb[name].iter_rows(min_row=2, values_only=True))
        for j, col in enumerate(df.columns):
            got = [r[j] for r in rows]
            want = [None if (pd.isna(v) or v == "") else v for v in df[col].astype(object)]
            assert got == want, f"{name}.{col}"


def test_dates_and_numbers_written_as_text_are_text_cells(workbook, corpus):
    _, wb = workbook
    ws = wb["documents"]
    col = list(corpus.documents.columns).index("issued") + 1
    cells = [ws.cell(row=i, column=col) for i in range(2, ws.max_row + 1)]
    assert all(c.data_type == "s" and isinstance(c.value, str) for c in cells)
    assert cells[0].value == corpus.documents["issued"].iloc[0]


def test_the_readme_sheet_explains_every_column(workbook, corpus):
    _, wb = workbook
    rows = list(wb[export.README_SHEET].iter_rows(values_only=True))
    described = {(r[0], r[1]): r[5] for r in rows if r[0] in tb.TABLES and r[1] and not str(r[1])[0].isdigit()}
    for name in tb.TABLES:
        for col in corpus.table(name).columns:
            assert described.get((name, col)), f"{name}.{col} has no meaning on the first sheet"
    assert described[("targets", "unit")] == "the unit as written (万件, 亿, 家, % …; empty when a table row gives none)"


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("=SUM(A1:A2)", True),
        ("+86 123", True),
        ("-1", True),
        ("@cmd", True),
        ("\tindent", True),
        ("\rx", True),
        ("知识产权=保护", False),
        ("2024-03-18", False),
        ("", False),
    ],
)
def test_formula_like_text(text, flagged):
    assert export._formula_like(text) is flagged


def test_formula_like_text_is_kept_as_text_with_quote_prefix(tmp_path):
    df = pd.DataFrame({"doc_id": ["a", "b", "c"], "evidence": ["=1+1", "@SUM(1)", "普通文本"], "value": [1.5, None, 3.0]})
    path = tmp_path / "t.xlsx"
    export.write_workbook({"targets": df}, path)
    ws = openpyxl.load_workbook(path)["targets"]
    cells = [ws.cell(row=i, column=2) for i in (2, 3, 4)]
    assert [c.value for c in cells] == ["=1+1", "@SUM(1)", "普通文本"]
    assert [c.data_type for c in cells] == ["s", "s", "s"]  # not "f": never a formula
    assert [c.quotePrefix for c in cells] == [True, True, False]
    assert [ws.cell(row=i, column=3).value for i in (2, 3, 4)] == [1.5, None, 3.0]


def test_a_table_past_the_row_limit_is_left_out_with_a_note(tmp_path, corpus):
    frames = {"documents": corpus.documents, "targets": corpus.targets, "tokens": 2_000_000}
    path = tmp_path / "t.xlsx"
    done = export.write_workbook(frames, path, max_rows=100)  # targets has 132 rows
    assert done["left_out"] == {"targets": len(corpus.targets), "tokens": 2_000_000}
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [export.README_SHEET, "documents"]
    notes: dict = {}
    for r in wb[export.README_SHEET].iter_rows(values_only=True):
        if r[0] in frames:
            notes.setdefault(r[0], r[5])  # the table list comes before the column list
    assert notes["targets"].startswith(f"LEFT OUT: {len(corpus.targets):,} rows, more than a sheet holds (99)")
    assert "data/processed/tokens.parquet" in notes["tokens"]


def test_long_text_is_cut_at_the_cell_limit_and_noted(tmp_path):
    df = pd.DataFrame({"doc_id": ["a"], "text": ["字" * (export.EXCEL_MAX_CHARS + 10)]})
    path = tmp_path / "t.xlsx"
    done = export.write_workbook({"lines": df}, path)
    assert done["cut_cells"] == {"lines": 1}
    assert len(openpyxl.load_workbook(path)["lines"]["B2"].value) == export.EXCEL_MAX_CHARS


def test_same_tables_same_bytes(corpus, tmp_path, workbook):
    path, _ = workbook
    again = corpus.to_excel(tmp_path / "again.xlsx")
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(path.read_bytes()).digest()


def test_subset_exports_only_its_documents(corpus, tmp_path):
    path = corpus.subset(level="province").to_excel(tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(path)["provisions"]
    assert {r[0] for r in ws.iter_rows(min_row=2, values_only=True)} == {"gansu-2020"}


@pytest.mark.parametrize(
    "name, problem",
    [
        ("tables.csv", "an Excel workbook needs a name ending in .xlsx"),
        ("folder.xlsx/", "is a folder; give a file name ending in .xlsx"),
    ],
)
def test_a_bad_path_is_one_line(tmp_path, name, problem):
    path = tmp_path / name
    if name.endswith("/"):
        path.mkdir()
    with pytest.raises(InputError, match=problem):
        export.check_path(path)


def test_cli_export_checks_the_path_before_building(project, capsys):
    assert cli.main(["export", str(project / "out.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: out.txt: an Excel workbook needs a name ending in .xlsx")
    assert not config.processed_dir().exists()  # nothing was built for a doomed export


def test_version(capsys):
    from ipanalysis import __version__

    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"ipanalysis {__version__}\n"


def test_version_agrees_with_pyproject():
    import tomllib
    from pathlib import Path

    from ipanalysis import __version__

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
    assert project["version"] == __version__
