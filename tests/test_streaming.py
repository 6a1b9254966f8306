"""The streaming build: tables written a few documents at a time give what the in-memory build gives, byte for byte."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ipanalysis import build, reading, tablefiles, tables

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import make_corpus  # noqa: E402


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 5 documents and row groups of 997 rows: every seam (batch, row group, document) is crossed."""
    monkeypatch.setattr(build, "DOCS_PER_BATCH", 5)
    monkeypatch.setattr(tablefiles, "ROW_GROUP_ROWS", 997)


@pytest.fixture
def corpus12(tmp_path, monkeypatch):
    """Twelve synthetic documents (copies of the shipped five, each with its own id, region, date and text)."""
    make_corpus(tmp_path, 12)
    monkeypatch.setenv("IPANALYSIS_ROOT", str(tmp_path))
    return tmp_path


def _manual_codes(root: Path) -> None:
    """A theme added and an instrument removed on two provisions of two different batches."""
    reference = build.build_tables(reading.read_manifest(), manual=False)
    provisions = reference["provisions"]
    first = provisions.iloc[0]
    last = provisions.iloc[-1]
    instrument = reference["provision_instruments"].iloc[-1]
    manual = root / "data" / "manual"
    manual.mkdir(parents=True, exist_ok=True)
    (manual / "theme_codes.csv").write_text(
        f"doc_id,provision_id,code,action,note\n{first.doc_id},{first.provision_id},rural,add,checked by hand\n"
        f"{last.doc_id},{last.provision_id},protection,remove,\n",
        encoding="utf-8",
    )
    (manual / "instrument_codes.csv").write_text(
        f"doc_id,provision_id,code,subtype,action,note\n"
        f"{instrument.doc_id},{instrument.provision_id},{instrument.instrument},,remove,\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def coded12(tmp_path_factory):
    """corpus12 with its manual codes (:func:`_manual_codes`), made once for the module.

    Finding the provisions to code builds the tables once, which fills the stage
    cache in ``data/.cache/``; each test gets a copy of the whole folder, so its
    first build starts from that cache exactly as when it coded the corpus itself.
    """
    root = tmp_path_factory.mktemp("coded12")
    make_corpus(root, 12)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPANALYSIS_ROOT", str(root))
        _manual_codes(root)
    return root


@pytest.fixture
def coded_corpus12(coded12, tmp_path, monkeypatch):
    """A fresh copy of :func:`coded12` for one test, set as IPANALYSIS_ROOT."""
    shutil.copytree(coded12 / "data", tmp_path / "data")
    monkeypatch.setenv("IPANALYSIS_ROOT", str(tmp_path))
    return tmp_path


def test_streamed_tables_equal_the_in_memory_build(coded_corpus12, small_batches):
    streamed = build.build()
    reference = build.build_tables(reading.read_manifest())
    for name in build.TABLES:
        pd.testing.assert_frame_equal(streamed[name], reference[name], obj=name)
    assert streamed["provision_themes"]["source"].eq("manual").sum() == 1


def test_csv_files_equal_the_in_memory_writer(corpus12, small_batches, tmp_path_factory):
    build.build()
    reference = tmp_path_factory.mktemp("reference")
    build.write_tables(build.build_tables(reading.read_manifest()), reference / "processed")
    got = _files(corpus12 / "data" / "processed")
    want = _files(reference / "processed")
    csvs = [k for k in want if k.endswith(".csv")]
    assert len(csvs) == len(build.TABLES)
    assert {k: got[k] for k in csvs} == {k: want[k] for k in csvs}


def test_bytes_do_not_depend_on_the_batch_size(corpus12, monkeypatch):
    monkeypatch.setattr(tablefiles, "ROW_GROUP_ROWS", 997)
    monkeypatch.setattr(build, "DOCS_PER_BATCH", 1)
    build.build(force=True)
    one = _files(corpus12 / "data" / "processed")
    monkeypatch.setattr(build, "DOCS_PER_BATCH", 7)
    build.build(force=True)
    assert _files(corpus12 / "data" / "processed") == one
    assert pq.ParquetFile(corpus12 / "data" / "processed" / "tokens.parquet").num_row_groups > 2


@pytest.mark.parametrize("change", ["edit first", "edit middle", "remove", "add last"])
def test_patch_across_batches_equals_a_full_build(coded_corpus12, small_batches, change):
    from ipanalysis import pipeline

    corpus12 = coded_corpus12
    build.build()
    raw = corpus12 / "data" / "raw"
    manifest = raw / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    files = sorted(raw.glob("*.txt"))
    if change.startswith("edit"):
        target = files[0] if change == "edit first" else files[len(files) // 2]
        target.write_text(target.read_text(encoding="utf-8") + "\n（四）新增一项：到2026年，专利质押融资达到9亿元。\n", encoding="utf-8")
    elif change == "remove":
        doomed = lines.pop()  # the last manifest row (a middle one in doc_id order): no other row number changes
        (raw / doomed.split(",")[1]).unlink()
    else:
        (raw / "zz-added.txt").write_bytes(files[1].read_bytes())
        lines.append("zz-added,zz-added.txt,新增市,Added,city,,,,,,,,,,")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen = []
    original = pipeline.process_iter

    def spy(rows, **kw):
        seen.extend(r.doc_id for r in rows)
        return original(rows, **kw)

    pipeline.process_iter = spy
    try:
        build.build()
    finally:
        pipeline.process_iter = original
    assert len(seen) == (0 if change == "remove" else 1)  # the patch processes only what changed
    patched = _files(corpus12 / "data" / "processed")
    build.build(force=True)
    assert _files(corpus12 / "data" / "processed") == patched


# -- the writer and the reader ---------------------------------------------------------------------


def _tokens(n: int, start: int = 0) -> pa.Table:
    ids = [f"d{(start + i) // 10:04d}" for i in range(n)]
    return tablefiles.conform("tokens", pa.table({
        "doc_id": ids, "provision_id": [f"{d}:1" for d in ids], "position": list(range(start, start + n)),
        "start": list(range(start, start + n)), "token": ["=SUM(A1)" if start + i == 0 else "词" for i in range(n)],
        "is_stopword": [False] * n,
    }))  # fmt: skip


def test_row_groups_are_cut_at_a_fixed_size_whatever_the_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(tablefiles, "ROW_GROUP_ROWS", 100)
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    whole.mkdir(), parts.mkdir()
    tablefiles.write_whole("tokens", _tokens(250), whole)
    writer = tablefiles.TableWriter("tokens", parts)
    for at, n in ((0, 7), (7, 150), (157, 0), (157, 93)):
        writer.write(_tokens(n, at))
    assert writer.close()
    assert _files(whole) == _files(parts)
    meta = pq.ParquetFile(whole / "tokens.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [100, 100, 50]
    assert pd.read_parquet(whole / "tokens.parquet")["token"].iloc[0] == "=SUM(A1)"  # Parquet keeps the text
    assert "'=SUM(A1)" in (whole / "tokens.csv").read_text(encoding="utf-8-sig")  # the CSV cannot run it


def test_a_table_longer_than_a_sheet_gets_no_csv(tmp_path):
    writer = tablefiles.TableWriter("tokens", tmp_path, max_csv_rows=120)
    writer.write(_tokens(100))
    assert (tmp_path / "tokens.csv").exists()
    writer.write(_tokens(30, 100))
    assert not writer.close()
    assert not (tmp_path / "tokens.csv").exists()
    assert pq.read_metadata(tmp_path / "tokens.parquet").num_rows == 130


def test_empty_table_keeps_the_schema_and_pandas_types(tmp_path):
    tablefiles.write_whole("targets", tablefiles.empty("targets"), tmp_path)
    df = pd.read_parquet(tmp_path / "targets.parquet")
    assert list(df.columns) == list(tables.SCHEMAS["targets"]) and len(df) == 0
    assert str(df["year"].dtype) == "Int64"
    assert (tmp_path / "targets.csv").read_text(encoding="utf-8-sig").startswith('"doc_id","provision_id"')


def test_sorted_reader_gives_each_document_once_in_order(tmp_path):
    tablefiles.write_whole("tokens", _tokens(95), tmp_path)
    reader = tablefiles.SortedReader(tmp_path / "tokens.parquet", "tokens", batch_rows=8)
    first = reader.upto("d0002")
    assert set(first.column("doc_id").to_pylist()) == {"d0000", "d0001", "d0002"} and first.num_rows == 30
    assert reader.upto("d0002").num_rows == 0  # already given
    rest = reader.upto("d9999")
    assert rest.num_rows == 65 and rest.column("position").to_pylist() == list(range(30, 95))
    assert reader.upto("d9999").num_rows == 0
