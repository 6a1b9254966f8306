import hashlib
import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from ipanalysis import build, config, reading
from ipanalysis.errors import InputError, OutputError


def _hashes(directory):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


def test_build_writes_every_table_in_both_formats(project):
    build.build()
    out = project / "data" / "processed"
    for name in build.TABLES:
        parquet = pd.read_parquet(out / f"{name}.parquet")
        csv = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False)
        assert len(parquet) == len(csv) > 0
        assert (out / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not build.is_stale()


def test_second_build_is_byte_identical_and_raw_untouched(project):
    raw_before = _hashes(project / "data" / "raw")
    build.build()
    first = _hashes(project / "data" / "processed")
    build.build()
    assert _hashes(project / "data" / "processed") == first
    assert _hashes(project / "data" / "raw") == raw_before


def test_outputs_hold_no_absolute_paths_or_timestamps(project):
    build.build()
    out = project / "data" / "processed"
    for path in out.glob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        assert str(project) not in text
    info = json.loads((out / "build_info.json").read_text())
    assert set(info) == {"inputs", "code", "tables", "documents", "outputs", "rules"}
    assert info["outputs"] == build.output_hashes(out)
    assert all(len(v) == 64 for v in info["documents"].values())


def test_bad_input_leaves_previous_outputs_exactly(project):
    build.build()
    before = _hashes(project / "data" / "processed")
    manifest = project / "data" / "raw" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(",city,", ",town,", 1), encoding="utf-8")
    with pytest.raises(InputError, match="unknown level 'town'"):
        build.build()
    assert _hashes(project / "data" / "processed") == before


@pytest.mark.parametrize("fail_on", ["lines", "provision_themes", "cowords"])  # streamed; after the model; at the end
def test_failure_while_writing_leaves_previous_outputs(project, monkeypatch, fail_on):
    from ipanalysis import tablefiles

    build.build()
    before = _hashes(project / "data" / "processed")
    calls = []
    original = tablefiles.TableWriter.write

    def failing(self, piece):
        calls.append(self.name)
        if self.name == fail_on:
            raise OSError("disk full")
        return original(self, piece)

    monkeypatch.setattr(tablefiles.TableWriter, "write", failing)
    (project / "data" / "raw" / "manifest.csv").touch()
    with pytest.raises(OutputError, match="data/processed: cannot write \\(disk full\\); the previous outputs are unchanged"):
        build.build()
    assert calls[-1] == fail_on
    assert _hashes(project / "data" / "processed") == before
    assert not list((project / "data").glob(".staging-*"))
    assert not list((project / "data").glob(".rules-*"))


def test_staleness_follows_inputs(project):
    assert build.is_stale()
    build.build()
    assert not build.is_stale()
    manifest = project / "data" / "raw" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build.is_stale()


def test_load_corpus_builds_when_missing(project):
    from ipanalysis import load_corpus

    corpus = load_corpus()
    assert (project / "data" / "processed" / "provisions.parquet").exists()
    assert len(corpus.documents) == 5


def test_cli_build_shows_progress(project):
    env = dict(os.environ, IPANALYSIS_ROOT=str(project))
    proc = subprocess.run([sys.executable, "-m", "ipanalysis", "build"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "[5/5]" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "ipanalysis", "build"], capture_output=True, text=True, env=env)
    assert "up to date" in proc.stderr


def test_committed_tables_match_a_fresh_build(tmp_path):
    """data/processed/ in the repository is what the code produces from data/raw/."""
    committed = config.PACKAGE_DIR.parent / "data" / "processed"
    fresh = build.build_tables(reading.read_manifest(config.PACKAGE_DIR.parent / "data" / "raw" / "manifest.csv"))
    build.write_tables(fresh, tmp_path / "processed")
    for name in build.TABLES:
        got = (tmp_path / "processed" / f"{name}.csv").read_bytes()
        assert got == (committed / f"{name}.csv").read_bytes(), f"{name}.csv is out of date: run `make figures`"
    info = json.loads((committed / build.BUILD_INFO).read_text(encoding="utf-8"))
    assert info["code"] == build.code_fingerprint(), "data/processed/ was built by other code: run `make figures`"


def _snapshot(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.suffix in (".csv", ".parquet")}


@pytest.mark.parametrize("change", ["add", "remove"])
def test_patched_build_equals_a_full_build(project, change):
    """Adding or removing a document patches the tables to exactly what a full build gives."""
    from ipanalysis import pipeline

    build.build()
    raw = project / "data" / "raw"
    manifest = raw / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    if change == "add":
        (raw / "copy.txt").write_bytes((raw / "wuwei-2024.txt").read_bytes().replace("2024年6月11日".encode(), "2024年7月1日".encode()))
        lines.append("copy-2024,copy.txt,复制,Copy,city,,,,,,,,,,")
    else:
        assert lines[-1].startswith("yuncheng-2024")
        lines.pop()
        (raw / "yuncheng-2024.txt").unlink()
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    processed = []
    original = pipeline.process_iter

    def spy(rows, **kw):
        processed.extend(r.doc_id for r in rows)
        return original(rows, **kw)

    pipeline.process_iter = spy
    try:
        build.build()
    finally:
        pipeline.process_iter = original
    assert processed == (["copy-2024"] if change == "add" else [])  # only the new document is processed
    patched = _snapshot(project / "data" / "processed")
    assert (("copy-2024" in patched["documents.csv"].decode("utf-8-sig")) == (change == "add"))
    build.build(force=True)
    assert _snapshot(project / "data" / "processed") == patched


def test_manual_codes_win_in_the_build(project):
    manual = project / "data" / "manual"
    manual.mkdir(parents=True)
    (manual / "theme_codes.csv").write_text(
        "doc_id,provision_id,code,action,note\n"
        "wuwei-2024,wuwei-2024:1.1,rural,add,coded by hand\n"
        "wuwei-2024,wuwei-2024:2.4,protection,remove,\n",
        encoding="utf-8",
    )
    t = build.build()["provision_themes"]
    first = t[t["provision_id"] == "wuwei-2024:1.1"]
    assert first.loc[first["theme"] == "rural", "source"].tolist() == ["manual"]
    assert "protection" not in set(t.loc[t["provision_id"] == "wuwei-2024:2.4", "theme"])
    # rows stay in provision order, then theme order
    seq = dict(zip(build.build_tables(reading.read_manifest())["provisions"]["provision_id"], range(10**6)))
    keys = [(d, seq[p]) for d, p in zip(t["doc_id"], t["provision_id"])]
    assert keys == sorted(keys)
    # a changed manual file makes the tables stale
    (manual / "theme_codes.csv").write_text("doc_id,provision_id,code,action,note\n", encoding="utf-8")
    assert build.is_stale()


def test_a_table_too_long_for_a_spreadsheet_gets_parquet_only(project, monkeypatch, capsys):
    """tokens.csv only while it fits a sheet; the folder stays sound, and a stale CSV beside it makes it stale."""
    out = project / "data" / "processed"
    tables = build.build()
    full_csv = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    longest_other = max(len(df) for name, df in tables.items() if name != "tokens")
    assert len(tables["tokens"]) > longest_other  # so a limit between them leaves out tokens.csv alone
    monkeypatch.setattr(build, "SPREADSHEET_MAX_ROWS", longest_other)
    capsys.readouterr()
    build.build(force=True)
    said = [line for line in capsys.readouterr().err.splitlines() if "not written" in line]
    assert said == [f"tokens.csv not written: {len(tables['tokens']):,} rows, more than a spreadsheet sheet holds "
                    f"({longest_other:,}); tokens.parquet has every row"]  # fmt: skip
    assert not (out / "tokens.csv").exists()
    assert len(pd.read_parquet(out / "tokens.parquet")) == len(tables["tokens"])
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == {k: v for k, v in full_csv.items() if k != "tokens.csv"}
    info = json.loads((out / "build_info.json").read_text(encoding="utf-8"))
    assert "tokens.csv" not in info["outputs"] and "tokens.parquet" in info["outputs"]
    assert not build.is_stale()
    (out / "tokens.csv").write_bytes(full_csv["tokens.csv"])  # an old CSV copied back in
    assert build.is_stale()
    (out / "tokens.csv").unlink()
    monkeypatch.setattr(build, "SPREADSHEET_MAX_ROWS", len(tables["tokens"]))  # it fits again: the CSV is missing
    assert build.is_stale()
    build.build()
    assert (out / "tokens.csv").read_bytes() == full_csv["tokens.csv"]


@pytest.mark.parametrize(
    "rows, fits",
    [(0, True), (1_048_575, True), (1_048_576, False)],  # Excel: 1,048,576 rows a sheet, one of them the header
)
def test_csv_fits_a_sheet_with_its_header(rows, fits):
    assert build.csv_fits(rows) is fits


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _report(stream, n=3):
    from types import SimpleNamespace

    report = build.ProgressReport(n, stream=stream)
    for k in range(n):
        report(SimpleNamespace(doc_id=f"doc-{k}"), ["parse", "tokens"] if k else [])
    report.close()
    return stream.getvalue()


def test_progress_is_a_bar_on_a_terminal(monkeypatch):
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.setattr(build, "_terminal_size", lambda stream: (80, 24))
    text = _report(_Terminal())
    assert "3/3" in text and "documents" in text and "\r" in text
    assert "[1/3]" not in text


@pytest.mark.parametrize("where", ["pipe", "notebook", "terminal without a size"])
def test_progress_is_one_line_per_document_elsewhere(monkeypatch, where):
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.setattr(build, "_terminal_size", lambda stream: (0, 0) if where == "terminal without a size" else (80, 24))
    if where == "notebook":  # a Jupyter kernel: its output is saved with the notebook, so never a bar
        monkeypatch.setitem(sys.modules, "ipykernel", sys)
    stream = io.StringIO() if where == "pipe" else _Terminal()
    assert _report(stream).splitlines() == ["[1/3] doc-0: cached", "[2/3] doc-1: parse, tokens", "[3/3] doc-2: parse, tokens"]


def test_a_stream_without_a_terminal_has_no_size():
    assert build._terminal_size(io.StringIO()) == (0, 0)
