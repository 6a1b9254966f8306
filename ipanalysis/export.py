"""The corpus as one Excel workbook: a sheet per table, headings in Chinese and English.

Why a workbook when every table already has a CSV: a researcher who lives in
Excel gets all tables in one file, with readable headings, filters, frozen
header rows and a first sheet that says what each column means (copied from
``docs/data_dictionary.md``, so the two never disagree).

What Excel would otherwise do to the data, and what stops it:

- text that looks like a number or a date (``2024-03-18``, ``12``) is written
  as a text cell, never converted;
- text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  a text cell *and* carries Excel's own quote-prefix flag, so re-editing the
  cell cannot turn it into a formula either, while the text itself is kept
  exactly (a leading apostrophe would change the data);
- a sheet holds at most 1,048,576 rows (one of them the heading): a larger
  table is left out, and the first sheet says so and where to find it;
- a cell holds at most 32,767 characters: a longer text is cut, and the first
  sheet counts the cut cells.

Written with xlsxwriter in constant-memory mode (rows streamed to disk, so a
million-row tokens sheet does not sit in memory) and with a fixed creation
date, so the same tables give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from . import __version__, cells, config

EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, the heading row included
EXCEL_MAX_CHARS = 32_767  # characters per cell
README_SHEET = "说明 README"
FIXED_CREATED = dt.datetime(2000, 1, 1)  # workbook property: a fixed date keeps the bytes reproducible
MAX_WIDTH = 60  # column width cap, in Excel character units



def _formula_like(text: str) -> bool:
    """True for text a spreadsheet could take as a formula (the rule of :mod:`ipanalysis.cells`)."""
    return text.startswith(cells.FORMULA_STARTS)


def column_labels() -> dict[tuple[str, str], tuple[str, str]]:
    """(table, column) -> (Chinese, English) heading, from ``resources/column_labels.csv``.

    A row with an empty ``table`` applies to every table; ``(“”, column)`` keys
    hold those. Use :func:`heading` to look one up with the fallback.
    Example: ``column_labels()[("", "doc_id")] == ("文件编号", "Document ID")``.
    """
    return {(r["table"], r["column"]): (r["zh"], r["en"]) for r in config.resource_csv("column_labels.csv")}


def heading(table: str, column: str, labels: Mapping[tuple[str, str], tuple[str, str]]) -> tuple[str, str]:
    """The (Chinese, English) heading of a column: the table's own label, else the shared one, else the name.

    Example: ``heading("references", "level", column_labels()) == ("引用文件层级", "Cited level")``.
    """
    return labels.get((table, column)) or labels.get(("", column)) or (column, column)


_SECTION = re.compile(r"^## (\w+) — (.*)$")
_ROW = re.compile(r"^\| (`[^|]+`) \| ([^|]*) \| (.*) \|$")


def dictionary(text: str) -> tuple[dict[str, str], dict[tuple[str, str], tuple[str, str]]]:
    """Parse ``docs/data_dictionary.md``: (table -> what a row is, (table, column) -> (type, meaning)).

    Reads the ``## table — one row per …`` headings and the ``| `col`, `col2` |
    type | meaning |`` rows under them; a row naming two columns gives both
    the same meaning. Markdown backquotes are dropped (a spreadsheet shows
    them literally). Everything else in the file is ignored.
    """
    about: dict[str, str] = {}
    columns: dict[tuple[str, str], tuple[str, str]] = {}
    table = None
    for line in text.splitlines():
        if m := _SECTION.match(line):
            table = m.group(1)
            about[table] = m.group(2).strip().replace("`", "")
        elif table and (m := _ROW.match(line.strip())):
            for col in re.findall(r"`(\w+)`", m.group(1)):
                columns[(table, col)] = (m.group(2).strip(), m.group(3).strip().replace("`", ""))
    return about, columns


def _read_dictionary() -> tuple[dict[str, str], dict[tuple[str, str], tuple[str, str]]]:
    path = config.data_dictionary_path()
    return dictionary(path.read_text(encoding="utf-8")) if path.exists() else ({}, {})


def _display_width(text: str) -> int:
    """Width in Excel character units: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _width(head: list[str], values: list) -> float:
    sample = [str(v) for v in values[:200] if v is not None]
    widest = max([_display_width(h) for h in head] + [_display_width(s) for s in sample] + [6])
    return min(widest + 2, MAX_WIDTH)


def _cells(series: pd.Series) -> tuple[str, list]:
    """A column as (kind, Python values with None for missing): kind is bool, number or text."""
    if pd.api.types.is_bool_dtype(series):
        kind = "bool"
    elif pd.api.types.is_numeric_dtype(series):
        kind = "number"
    else:
        kind = "text"
    values = series.astype(object).where(series.notna(), None).tolist()
    return kind, values


def _write_table(book, sheet, name: str, df: pd.DataFrame, labels, formats) -> int:
    """Write one table's sheet; return how many text cells had to be cut at 32,767 characters."""
    columns = [_cells(df[c]) for c in df.columns]
    heads = [heading(name, c, labels) for c in df.columns]
    for j, ((zh, en), (_kind, values)) in enumerate(zip(heads, columns)):
        sheet.set_column(j, j, _width([zh, en], values))
    sheet.set_row(0, 32)
    for j, (zh, en) in enumerate(heads):
        sheet.write_string(0, j, f"{zh}\n{en}", formats["head"])
    cut = 0
    for i in range(len(df)):
        row = i + 1
        for j, (kind, values) in enumerate(columns):
            v = values[i]
            if v is None or (kind == "text" and v == ""):
                continue  # an empty cell: "not found in the text"
            if kind == "bool":
                sheet.write_boolean(row, j, bool(v))
            elif kind == "number":
                sheet.write_number(row, j, float(v))
            else:
                text = str(v)
                if len(text) > EXCEL_MAX_CHARS:
                    text, cut = text[:EXCEL_MAX_CHARS], cut + 1
                if _formula_like(text):
                    sheet.write_string(row, j, text, formats["quoted"])
                else:
                    sheet.write_string(row, j, text)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(df), 1), max(len(df.columns) - 1, 0))
    return cut


def _write_readme(sheet, rows: list[list[str]], formats, *, header_rows: set[int]) -> None:
    widths = [24, 24, 22, 28, 16, 90]
    for j, w in enumerate(widths):
        sheet.set_column(j, j, w, formats["wrap"] if j == len(widths) - 1 else None)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value == "":
                continue
            fmt = formats["head"] if i in header_rows else (formats["quoted"] if _formula_like(value) else None)
            sheet.write_string(i, j, value, fmt) if fmt else sheet.write_string(i, j, value)


def write_workbook(tables: Mapping[str, pd.DataFrame | int], path: Path, *, max_rows: int = EXCEL_MAX_ROWS) -> dict:
    """Write ``tables`` (name -> DataFrame, in sheet order) to the workbook at ``path``.

    ``max_rows`` is the sheet limit, heading included (Excel's 1,048,576; a
    test lowers it). A table given as a row count instead of a frame (the
    caller knew it too large to load) is left out like any table past the
    limit. Returns what was done: ``{"sheets": [...], "left_out":
    {table: rows}, "cut_cells": {table: n}}``. The file is written in place;
    :func:`export` wraps this in an atomic write. Example:
    ``write_workbook({"targets": corpus.targets}, Path("targets.xlsx"))``.
    """
    import xlsxwriter

    labels = column_labels()
    about, meanings = _read_dictionary()
    book = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    book.set_properties({"title": "ipanalysis tables", "created": FIXED_CREATED, "comments": f"ipanalysis {__version__}"})
    formats = {
        "head": book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF4", "bottom": 1}),
        "quoted": book.add_format({"quote_prefix": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    readme = book.add_worksheet(README_SHEET)  # first sheet; filled last, once the notes are known
    done: dict = {"sheets": [README_SHEET], "left_out": {}, "cut_cells": {}}
    for name, df in tables.items():
        if isinstance(df, int) or len(df) + 1 > max_rows:
            done["left_out"][name] = df if isinstance(df, int) else len(df)
            continue
        sheet = book.add_worksheet(name)
        done["sheets"].append(name)
        cut = _write_table(book, sheet, name, df, labels, formats)
        if cut:
            done["cut_cells"][name] = cut
    rows, header_rows = _readme_rows(tables, done, about, meanings, labels, max_rows=max_rows)
    _write_readme(readme, rows, formats, header_rows=header_rows)
    book.close()
    return done


def _readme_rows(tables, done, about, meanings, labels, *, max_rows: int) -> tuple[list[list[str]], set[int]]:
    """The first sheet's rows: what the workbook is, one line per table (notes included), then every column."""
    rows = [
        [f"ipanalysis {__version__}: one sheet per table of data/processed/; columns explained below (from docs/data_dictionary.md)."],
        ["每个工作表对应 data/processed/ 中的一张表；各列含义见下（取自 docs/data_dictionary.md）。空单元格表示原文未说明。"],
        [],
    ]
    header_rows = {len(rows)}
    rows.append(["工作表 sheet", "行数 rows", "", "", "", "内容 what a row is / 备注 notes"])
    for name, df in tables.items():
        n = df if isinstance(df, int) else len(df)
        note = about.get(name, "")
        if name in done["left_out"]:
            note = (
                f"LEFT OUT: {n:,} rows, more than a sheet holds ({max_rows - 1:,}); "
                f"open data/processed/{name}.parquet or {name}.csv instead. 行数超出 Excel 上限，未收入本工作簿。"
            )
        elif name in done["cut_cells"]:
            note += f" NOTE: {done['cut_cells'][name]} text cells cut at {EXCEL_MAX_CHARS:,} characters (Excel's cell limit)."
        rows.append([name, f"{n:,}", "", "", "", note])
    rows.append([])
    header_rows.add(len(rows))
    rows.append(["工作表 sheet", "列 column", "中文列名", "English heading", "类型 type", "含义 meaning"])
    for name, df in tables.items():
        if isinstance(df, int):
            continue  # not loaded: its columns are in docs/data_dictionary.md
        for col in df.columns:
            zh, en = heading(name, col, labels)
            kind, meaning = meanings.get((name, col)) or meanings.get(("documents", col), ("", ""))
            rows.append([name, col, zh, en, kind, meaning])
    return rows, header_rows


def check_path(path: Path | str) -> Path:
    """``path`` as a Path if a workbook can go there; else :class:`~ipanalysis.errors.InputError` in one line.

    Checked before anything is built or written, so a typo costs nothing.
    """
    from .errors import InputError

    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a folder; give a file name ending in .xlsx")
    if path.suffix.lower() != ".xlsx":
        raise InputError(path, "an Excel workbook needs a name ending in .xlsx")
    return path


def export(tables: Mapping[str, pd.DataFrame | int], path: Path, *, max_rows: int = EXCEL_MAX_ROWS) -> dict:
    """Write the workbook atomically: a failed export leaves any previous file at ``path`` untouched.

    Raises :class:`ipanalysis.errors.InputError` (one line, naming the path)
    when ``path`` is not a ``.xlsx`` file name or cannot be written.
    Most callers want :meth:`ipanalysis.corpus.Corpus.to_excel`, which passes every table.
    """
    from .build import atomic_write
    from .errors import InputError

    path = check_path(path)
    done: dict = {}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda tmp: done.update(write_workbook(tables, tmp, max_rows=max_rows)))
    except OSError as exc:
        raise InputError(path, f"cannot be written ({exc.strerror or exc})") from None
    return done
