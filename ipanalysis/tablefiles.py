"""Table files written and read in pieces, so that no table of a large corpus is ever whole in memory.

The build streams each table to its Parquet file (and, while it fits a
spreadsheet, its CSV) a few documents at a time. Two rules keep the bytes
the same however the rows arrive:

- a Parquet row group always holds the same number of rows for a table
  (:func:`row_group_rows`; the last one the rest): the writer buffers and
  cuts, so the file depends only on the sequence of rows, not on how many
  documents each piece held. A patched build and a full one therefore write
  identical files;
- the schema, with the pandas metadata that makes ``pd.read_parquet`` give
  back nullable ``Int64`` columns, is made once per table from
  :mod:`ipanalysis.tables`, not from whichever rows come first.

:class:`SortedReader` reads a previous build's file back in ``doc_id`` order,
block by block, for the patch (see :func:`ipanalysis.build.build`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import tables

# Rows per Parquet row group: at most ROW_GROUP_ROWS, fewer for tables whose rows carry whole passages,
# so that a group (which the writer holds until it is full) stays near 10 MB: a provision with its
# text, body and original text is about 4.5 kB, a token row about 70 bytes.
ROW_GROUP_ROWS = 65_536
_TEXT_HEAVY_ROWS = {"provisions": 2_048, "lines": 16_384, "removed_lines": 16_384, "targets": 8_192,
                    "provision_themes": 16_384, "provision_instruments": 16_384, "brands": 16_384,
                    "events": 16_384, "references": 16_384, "documents": 4_096, "shared_phrases": 8_192}  # fmt: skip
SPREADSHEET_MAX_ROWS = tables.SPREADSHEET_MAX_ROWS


def row_group_rows(name: str) -> int:
    """Rows per Parquet row group of table ``name``: a fixed number, so the bytes do not depend on batching."""
    return min(ROW_GROUP_ROWS, _TEXT_HEAVY_ROWS.get(name, ROW_GROUP_ROWS))


@lru_cache(maxsize=None)
def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of table ``name``, with the pandas metadata a one-row frame of its types gives.

    Made from a fixed sample row, never from the data, so that two builds of
    different corpora (or of no rows at all) store the same metadata.
    """
    sample = {tables.STR: "x", tables.INT: 1, tables.NINT: 1, tables.FLOAT: 1.0, tables.BOOL: True}
    schema = tables.SCHEMAS[name]
    df = tables.assemble(name, [{col: [sample[dtype]] for col, dtype in schema.items()}])
    return pa.Schema.from_pandas(df, preserve_index=False)


def conform(name: str, table: pa.Table) -> pa.Table:
    """``table``'s columns in the schema's order and types, with the table's own metadata."""
    schema = arrow_schema(name)
    columns = [table.column(f.name).cast(f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def from_pandas(name: str, df) -> pa.Table:
    """A pandas piece of table ``name`` as Arrow, in the table's schema."""
    return pa.Table.from_pandas(df[list(tables.SCHEMAS[name])], schema=arrow_schema(name), preserve_index=False)


def empty(name: str) -> pa.Table:
    """No rows, the table's schema."""
    return arrow_schema(name).empty_table()


class TableWriter:
    """Writes one table to ``<name>.parquet`` and, while it fits a spreadsheet sheet, ``<name>.csv``.

    ``write(piece)`` appends Arrow rows in order; ``close()`` flushes and
    returns whether the CSV was kept. The CSV (UTF-8 with BOM, so Excel shows
    the Chinese; text quoted where needed; formula-like text neutralised by
    :mod:`ipanalysis.cells`) is dropped as soon as the table outgrows a sheet:
    a CSV that opens cut off without a warning is worse than none.
    """

    def __init__(self, name: str, folder: Path, *, max_csv_rows: int | None = None, csv: bool = True):
        from .cells import neutralise_table

        self.name, self.folder = name, folder
        self.schema = arrow_schema(name)
        self.max_csv_rows = SPREADSHEET_MAX_ROWS if max_csv_rows is None else max_csv_rows
        self._neutralise = neutralise_table
        self._parquet = pq.ParquetWriter(folder / f"{name}.parquet", self.schema)
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self.rows = 0
        self._csv_path = folder / f"{name}.csv"
        self._csv = self._csv_file = None
        if not csv:
            return
        self._csv_file = self._csv_path.open("wb")
        self._csv_file.write(b"\xef\xbb\xbf")
        self._csv = pacsv.CSVWriter(self._csv_file, self.schema.remove_metadata(),
                                    write_options=pacsv.WriteOptions(quoting_style="needed"))  # fmt: skip

    def write(self, piece: pa.Table) -> None:
        """Append rows (already in the table's order)."""
        if not piece.num_rows:
            return
        piece = conform(self.name, piece)
        self.rows += piece.num_rows
        if self._csv is not None:
            if self.rows > self.max_csv_rows:
                self._drop_csv()
            else:
                self._csv.write_table(self._neutralise(piece.replace_schema_metadata(None)))
        self._pending.append(piece)
        self._pending_rows += piece.num_rows
        group = row_group_rows(self.name)
        while self._pending_rows >= group:
            self._flush(group)

    def _flush(self, n: int) -> None:
        buffered = pa.concat_tables(self._pending)
        self._parquet.write_table(buffered.slice(0, n), row_group_size=n)
        rest = buffered.slice(n)  # references only the pieces after the cut
        self._pending = [rest] if rest.num_rows else []
        self._pending_rows = rest.num_rows

    def _drop_csv(self) -> None:
        self._csv.close()
        self._csv_file.close()
        self._csv_path.unlink(missing_ok=True)
        self._csv = self._csv_file = None

    def close(self) -> bool:
        """Write what is buffered and close both files; True when the CSV was kept."""
        if self._pending_rows:
            self._flush(self._pending_rows)
        self._parquet.close()
        if self._csv is None:
            return False
        self._csv.close()
        self._csv_file.close()
        return True

    def abort(self) -> None:
        """Close the files after a failure (the caller removes the folder)."""
        for closer in (self._parquet.close, getattr(self._csv, "close", None), getattr(self._csv_file, "close", None)):
            try:
                if closer:
                    closer()
            except Exception:  # already failing: the first error is the one to report
                pass


def write_whole(name: str, piece: pa.Table, folder: Path, *, max_csv_rows: int | None = None) -> bool:
    """Write a whole (small) table through a :class:`TableWriter`; True when the CSV was kept."""
    writer = TableWriter(name, folder, max_csv_rows=max_csv_rows)
    try:
        writer.write(piece)
        return writer.close()
    except BaseException:
        writer.abort()
        raise


class SortedReader:
    """A table file sorted by ``doc_id``, read forward: ``upto(doc_id)`` gives every row up to that document.

    Reads one record batch at a time, so a previous build's tokens can be
    patched without loading them.
    """

    def __init__(self, path: Path, name: str, *, batch_rows: int | None = None):
        self.name = name
        batch_rows = batch_rows or row_group_rows(name)
        self._batches = pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=list(tables.SCHEMAS[name]))
        self._buffer: pa.Table | None = None
        self._done = False

    def _more(self) -> bool:
        if self._done:
            return False
        try:
            batch = next(self._batches)
        except StopIteration:
            self._done = True
            return False
        piece = conform(self.name, pa.Table.from_batches([batch]))
        self._buffer = piece if self._buffer is None else pa.concat_tables([self._buffer, piece])
        return True

    def upto(self, doc_id: str) -> pa.Table:
        """Every row not yet returned whose ``doc_id`` is at most ``doc_id``."""
        while True:
            buf = self._buffer
            if buf is not None and buf.num_rows:
                last = buf.column("doc_id")[buf.num_rows - 1].as_py()
                if last > doc_id:
                    break
            if not self._more():
                break
        buf = self._buffer
        if buf is None or not buf.num_rows:
            return empty(self.name)
        ids = buf.column("doc_id")
        n = int(pc.sum(pc.less_equal(ids, doc_id)).as_py() or 0)  # sorted: the first n rows
        self._buffer = buf.slice(n)
        return buf.slice(0, n)
