"""Spreadsheet safety: text that a spreadsheet would run as a formula is neutralised.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage return can
smuggle one past the check; a formula can fetch URLs or, through DDE, start
programs. The processed CSV files (and any Excel export) therefore prefix such
a cell with a single quote, as OWASP's "CSV Injection" page recommends: the
spreadsheet shows the text, quote hidden, and runs nothing. Parquet files keep
the exact text; this is only for files meant to be opened in a spreadsheet.

One function decides, :func:`neutralise_cell`; :func:`neutralise_arrow` is the
same rule for a whole Arrow column (a tokens table has millions of cells), and
:func:`neutralise_table` / :func:`neutralise_frame` apply it to every text
column of an Arrow table / a pandas DataFrame.
"""

from __future__ import annotations

# Characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
_PATTERN = "^[=+\\-@\t\r]"


def neutralise_cell(value):
    """``value`` with a ``'`` in front when it is text a spreadsheet would run as a formula.

    Anything that is not a string (a number, a missing value) is returned as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return PREFIX + value
    return value


def neutralise_arrow(array):
    """:func:`neutralise_cell` applied to every cell of an Arrow string array (nulls stay null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    risky = pc.match_substring_regex(array, _PATTERN)
    if not pc.any(risky).as_py():
        return array
    prefixed = pc.binary_join_element_wise(pa.scalar(PREFIX, array.type), array, pa.scalar("", array.type))
    return pc.if_else(risky, prefixed, array)


def neutralise_table(table):
    """An Arrow table with every text column neutralised (other columns untouched)."""
    for i, field in enumerate(table.schema):
        table = table.set_column(i, field, neutralise_arrow(table.column(i).combine_chunks()))
    return table


def neutralise_frame(df):
    """A copy of a DataFrame with every text column neutralised, for writers that take pandas (Excel)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = df.copy()
    for col in out.columns:
        if is_string_dtype(out[col].dtype) or is_object_dtype(out[col].dtype):
            out[col] = out[col].map(neutralise_cell).astype(out[col].dtype)
    return out
