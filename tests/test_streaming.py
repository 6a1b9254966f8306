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


def _manual_codes(root: Path) -> None:
    """A theme added and an instrument removed on provisions of different batches."""
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
def built12(tmp_path_factory):
    """Twelve synthetic documents (copies of the shipped five, each with its own id, region, date and text),
    with manual codes, built once in batches of 5 (its stage cache kept, so copies rebuild quickly)."""
    root = tmp_path_factory.mktemp("built12")
    make_corpus(root, 12)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPANALYSIS_ROOT", str(root))
        mp.setattr(build, "DOCS_PER_BATCH", 5)
        mp.setattr(tablefiles, "ROW_GROUP_ROWS", 997)
        _manual_codes(root)
        build.build()
    return root


@pytest.fixture
def corpus12(built12, tmp_path, monkeypatch, small_batches):
    """A copy of the built twelve-document project (raw, manual codes, processed tables, cache)."""
    root = tmp_path / "project"
    shutil.copytree(built12, root)
    monkeypatch.setenv("IPANALYSIS_ROOT", str(root))
    return root


def test_streamed_tables_equal_the_in_memory_build(corpus12):
    streamed = build.ProcessedTables(corpus12 / "data" / "processed")
    reference = build.build_tables(reading.read_manifest())
    for name in build.TABLES:
        pd.testing.assert_frame_equal(streamed[name], reference[name], obj=name)
    assert streamed["provision_themes"]["source"].eq("manual").sum() == 1
    assert not build.is_stale()


def test_csv_files_equal_the_in_memory_writer(corpus12, tmp_path):
    build.write_tables(build.build_tables(reading.read_manifest()), tmp_path / "reference")
    got = _files(corpus12 / "data" / "processed")
    want = _files(tmp_path / "reference")
    csvs = [k for k in want if k.endswith(".csv")]
    assert len(csvs) == len(build.TABLES)
    assert {k: got[k] for k in csvs} == {k: want[k] for k in csvs}


def test_bytes_do_not_depend_on_the_batch_size(corpus12, monkeypatch):
    processed = corpus12 / "data" / "processed"
    five = _files(processed)
    for size in (1, 7):
        shutil.rmtree(processed)  # no previous build: every document's rows come from the cache
        monkeypatch.setattr(build, "DOCS_PER_BATCH", size)
        build.build()
        assert _files(processed) == five, size
    assert pq.ParquetFile(processed / "tokens.parquet").num_row_groups > 2


@pytest.mark.parametrize("change", ["edit first", "edit middle", "remove", "remove first row", "add last"])
def test_patch_across_batches_equals_a_full_build(corpus12, change):
    from ipanalysis import pipeline

    raw = corpus12 / "data" / "raw"
    manifest = raw / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    files = sorted(raw.glob("*.txt"))
    if change.startswith("edit"):
        target = files[0] if change == "edit first" else files[len(files) // 2]
        target.write_text(target.read_text(encoding="utf-8") + "\n（四）新增一项：到2026年，专利质押融资达到9亿元。\n", encoding="utf-8")
    elif change.startswith("remove"):
        # the last manifest row (a middle one in doc_id order), or the first, which renumbers every other row
        doomed = lines.pop(1 if change == "remove first row" else -1)
        (raw / doomed.split(",")[1]).unlink()
    else:
        (raw / "zz-added.txt").write_bytes(files[1].read_bytes())
        lines.append("zz-added,zz-added.txt,新增市,Added,city,,,,,,,,,,")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    recomputed = []
    original = pipeline.process_iter

    def spy(rows, **kw):
        for row, results, done in original(rows, **kw):
            recomputed.extend(row.doc_id for _stage in done)
            yield row, results, done

    pipeline.process_iter = spy
    try:
        build.build()
    finally:
        pipeline.process_iter = original
    # the patch processes only what changed; a renumbered row is read back from the cache, not processed
    assert len(set(recomputed)) == (0 if change.startswith("remove") else 1)
    processed = corpus12 / "data" / "processed"
    patched = _files(processed)
    shutil.rmtree(processed)
    build.build()  # in full, from the cache
    assert _files(processed) == patched


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


# -- the network files -----------------------------------------------------------------------------


def test_streamed_network_files_equal_the_in_memory_graphs(corpus12, monkeypatch):
    """The agency network written document by document is byte for byte the one networkx's graph gives."""
    from ipanalysis import cowords

    monkeypatch.setattr(tablefiles, "ROW_GROUP_ROWS", 37)  # documents split across row groups
    shutil.rmtree(corpus12 / "data" / "processed")
    built = build.build()
    networks = corpus12 / "data" / "processed" / "networks"
    want = cowords.network_files({"cowords": built["cowords"], "agencies": built["agencies"]})
    got = {p.name: p.read_bytes() for p in sorted(networks.iterdir())}
    assert got == want
    assert got["agencies.graphml"].count(b"<edge ") > 50


def test_a_corpus_without_agencies_gets_empty_network_files(tmp_path):
    from ipanalysis import cowords, network_files

    tablefiles.write_whole("agencies", tablefiles.empty("agencies"), tmp_path)
    (tmp_path / "networks").mkdir()
    network_files.write_agency_network(tmp_path / "agencies.parquet", tmp_path / "networks")
    want = cowords.graph_files(cowords.agency_graph(pd.read_parquet(tmp_path / "agencies.parquet")))
    assert (tmp_path / "networks" / "agencies.graphml").read_bytes() == want["graphml"]
    assert (tmp_path / "networks" / "agencies.gexf").read_bytes() == want["gexf"]


def test_a_bad_file_stops_the_build_at_once_and_keeps_the_outputs(corpus12):
    """Queued documents are cancelled: the error comes without processing the rest of the corpus first."""
    from ipanalysis import pipeline
    from ipanalysis.errors import InputError

    processed = corpus12 / "data" / "processed"
    before = _files(processed)
    shutil.rmtree(pipeline.cache_dir())
    raw = corpus12 / "data" / "raw"
    (raw / "aaa-bad.docx").write_bytes(b"this is not a zip file" * 100)
    manifest = raw / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "aaa-bad,aaa-bad.docx,坏市,Bad,city,,,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="aaa-bad.docx"):
        build.build()
    assert _files(processed) == before
    assert len(list(pipeline.cache_dir().glob("*.json"))) < 12  # not every document was processed first
