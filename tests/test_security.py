"""The attacks of issue #12, one test per row: each failed on the code before the fix.

Every test builds a tiny project (two to four of the short real openings in
tests/data/realdocs/), so the whole file runs in seconds. Faults the machine
cannot produce on demand for root (read-only folders, a full disk, an
immutable file) are injected by making the system call fail with the errno
the kernel would give.
"""

from __future__ import annotations

import errno
import io
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ipanalysis import build, cli, config, pipeline, reading
from ipanalysis.errors import InputError
from tinyproject import DOCS, hashes, make_project, tables_of

TWO = ["01_jinan.txt", "07_jiangmen.txt"]
FOUR = ["01_jinan.txt", "05_shanxi.txt", "07_jiangmen.txt", "11_puyang.txt"]


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """A project of two short real documents, set as IPANALYSIS_ROOT, processed in this process."""
    make_project(tmp_path, TWO)
    monkeypatch.setenv("IPANALYSIS_ROOT", str(tmp_path))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_DOCS", 10**6)
    return tmp_path


def _raw(root):
    return root / "data" / "raw"


def _processed(root):
    return root / "data" / "processed"


def _run_cli(capsys, *argv):
    """``ipanalysis ARGV`` in this process: (exit code, stderr lines)."""
    code = cli.main(list(argv))
    err = capsys.readouterr().err
    return code, [ln for ln in err.splitlines() if ln.startswith(("error", "Traceback"))]


def _cli(root, *args, extra_env=None):
    env = dict(os.environ, IPANALYSIS_ROOT=str(root), **(extra_env or {}))
    return subprocess.run([sys.executable, "-m", "ipanalysis", *args], capture_output=True, text=True, env=env)


def _append_row(root, line):
    manifest = _raw(root) / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


# -- 1. code runs from the cache -------------------------------------------------------------------


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_a_crafted_pickle_in_the_cache_is_never_run(tiny):
    build.build()
    rows = reading.read_manifest()
    good = pipeline.process_all(rows, use_cache=False)
    marker = tiny / "pwned"
    cache = pipeline.cache_dir()
    entries = {p.name for p in cache.iterdir() if p.name.startswith(tuple(DOCS[f][0] for f in TWO))}
    names = entries | {f"{DOCS[f][0]}{ext}" for f in TWO for ext in (".pkl", ".json", ".arrow")}
    for name in names:
        (cache / name).write_bytes(pickle.dumps(_Payload(marker)))
    assert pipeline.process_all(rows) == good
    assert not marker.exists(), "unpickled a cache entry"


def _stage_results(rows):
    return pipeline.process_all(rows)


def test_random_byte_flips_in_the_cache_are_misses(tiny):
    """300 single-byte changes (fixed seed): each is a miss, recomputed to the same result."""
    rows = [r for r in reading.read_manifest() if r.doc_id == "jinan-2022"]
    good = _stage_results(rows)
    entry = next(p for p in pipeline.cache_dir().iterdir() if p.name.startswith("jinan-2022"))
    data = entry.read_bytes()
    rng = random.Random(12)
    for _ in range(300):
        flipped = bytearray(data)
        i = rng.randrange(len(flipped))
        flipped[i] = (flipped[i] + rng.randrange(1, 256)) % 256
        entry.write_bytes(bytes(flipped))
        assert _stage_results(rows) == good, f"byte {i}"


@pytest.mark.parametrize("damage", ["truncated", "empty", "foreign", "wrong shape", "directory"])
def test_damaged_cache_entries_are_misses(tiny, damage):
    rows = reading.read_manifest()
    good = _stage_results(rows)
    entries = {p.name.split(".")[0]: p for p in pipeline.cache_dir().iterdir() if not p.name.startswith("rules")}
    entry, other = entries["jinan-2022"], entries["jiangmen-2024"]
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "foreign":
        shutil.copyfile(other, entry)  # another document's entry under this name
    elif damage == "wrong shape":
        entry.write_bytes(b'{"parse": [1, 2, 3]}' if entry.suffix == ".json" else pickle.dumps({"parse": ("x", [1])}))
    else:
        entry.unlink()
        entry.mkdir()
    assert _stage_results(rows) == good


# -- 2. incremental builds: see tests/test_incremental.py ------------------------------------------

# -- 3. files outside the project ------------------------------------------------------------------


@pytest.mark.parametrize("where", ["../../secret.txt", "ABSOLUTE", "../raw/../../secret.txt", "SYMLINK"])
@pytest.mark.parametrize("exists", [True, False])
def test_manifest_cannot_reach_outside_data_raw(tiny, where, exists):
    secret = tiny / "secret.txt"
    if exists:
        secret.write_text("一、机密\n1.外部文件的内容。\n", encoding="utf-8")
    if where == "SYMLINK":
        (_raw(tiny) / "link.txt").symlink_to(secret)
        where = "link.txt"
    elif where == "ABSOLUTE":
        where = str(secret)
    manifest = _raw(tiny) / "manifest.csv"
    text = manifest.read_text(encoding="utf-8").replace("jiangmen-2024.txt", where)
    manifest.write_text(text, encoding="utf-8")
    (_raw(tiny) / "jiangmen-2024.txt").unlink()
    with pytest.raises(InputError) as err:
        build.build()
    message = str(err.value)
    assert message.endswith("must name a file inside data/raw/ (no folders, no links out of it)"), message
    assert "secret" not in message and "not found" not in message
    assert not _processed(tiny).exists()


def test_symlink_inside_data_raw_is_allowed(tiny):
    raw = _raw(tiny)
    (raw / "store").mkdir()
    (raw / "jiangmen-2024.txt").rename(raw / "store" / "real.txt")
    (raw / "jiangmen-2024.txt").symlink_to(raw / "store" / "real.txt")
    assert [r.doc_id for r in reading.read_manifest()] == ["jinan-2022", "jiangmen-2024"]


# -- 4. formula injection --------------------------------------------------------------------------


FORMULA_DOC = "某市知识产权工作方案\n一、总体要求\n=HYPERLINK(\"http://x\",\"点击\")知识产权。\n+1知识产权保护。\n-2加强运用。\n@SUM(A1)服务。\n"


def test_csv_cells_cannot_start_a_formula(tiny):
    from ipanalysis.tables import SCHEMAS

    (_raw(tiny) / "formula.txt").write_text(FORMULA_DOC, encoding="utf-8")
    _append_row(tiny, "formula-2024,formula.txt,某市,=cmd|' /C calc'!A0,city,,")
    build.build()
    out = _processed(tiny)
    for name in build.TABLES:
        csv = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
        for col in (c for c, dtype in SCHEMAS[name].items() if dtype == "str"):
            bad = csv[col][csv[col].str.match(r"^[=+\-@\t\r]")]
            assert bad.empty, (name, col, bad.tolist()[:3])
    parquet = pd.read_parquet(out / "lines.parquet")
    csv = pd.read_csv(out / "lines.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    risky = parquet["text"].str.match(r"^[=+\-@]")
    assert risky.sum() >= 4  # Parquet keeps the exact text
    assert (csv.loc[risky, "text"] == "'" + parquet.loc[risky, "text"]).all()
    assert (csv.loc[~risky, "text"] == parquet.loc[~risky, "text"]).all()
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", keep_default_na=False)
    assert "'=cmd|' /C calc'!A0" in set(docs["region_en"])


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86 931", "'+86 931"),
        ("-5%", "'-5%"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("知识产权=1", "知识产权=1"),
        ("", ""),
        ("'quoted", "'quoted"),
        (None, None),
        (3.5, 3.5),
    ],
)
def test_neutralise_cell(cell, safe):
    import pyarrow as pa

    from ipanalysis.cells import neutralise_arrow, neutralise_cell, neutralise_frame

    assert neutralise_cell(cell) == safe
    if cell is None or isinstance(cell, str):
        assert neutralise_arrow(pa.array([cell], pa.string())).to_pylist() == [safe]
        frame = pd.DataFrame({"text": pd.Series([cell], dtype="str"), "n": [1]})
        got = neutralise_frame(frame)
        assert got["text"].isna().tolist() == [cell is None] and got["n"].tolist() == [1]
        if cell is not None:
            assert got["text"].tolist() == [safe] and frame["text"].tolist() == [cell]  # the input is kept


# -- 5. add ----------------------------------------------------------------------------------------


def _malformed_docx(path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", "<w:document><unclosed>")
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("malformed docx", "is not a readable .docx file"),
        ("id with slash", "--id 'a/b' must be lower-case letters, digits, '-' or '_'"),
        ("id with dots", "--id '../x' must be lower-case letters, digits, '-' or '_'"),
        ("unsupported", "unsupported file type .csv"),
    ],
)
def test_add_fails_in_one_line_and_leaves_nothing(tiny, capsys, case, message):
    src_dir = tiny / "downloads"
    src_dir.mkdir()
    args = ["--region-en", "Jinan"]
    if case == "malformed docx":
        src = _malformed_docx(src_dir / "plan.docx")
    elif case == "unsupported":
        src = src_dir / "plan.csv"
        src.write_text("a,b\n", encoding="utf-8")
    else:
        src = src_dir / "plan.txt"
        shutil.copyfile(Path(__file__).parent / "data" / "realdocs" / "01_jinan.txt", src)
        args += ["--id", "a/b" if case == "id with slash" else "../x"]
    before = hashes(_raw(tiny))
    code, errors = _run_cli(capsys, "add", str(src), *args)
    assert code == 2
    assert len(errors) == 1 and message in errors[0], errors
    assert hashes(_raw(tiny)) == before
    left = {p.relative_to(tiny).as_posix() for p in tiny.rglob("*") if p.is_file() and "downloads" not in p.parts}
    assert left == {f"data/raw/{name}" for name in before}, "a file was left behind"


def test_add_writes_manifest_fields_with_the_csv_module(tiny):
    src = tiny / "plan.txt"
    shutil.copyfile(Path(__file__).parent / "data" / "realdocs" / "01_jinan.txt", src)
    from ipanalysis.adding import add_document

    add_document(src, region_en='Lan "Zhou", City', province="山东", doc_id="lz")
    row = next(r for r in reading.read_manifest() if r.doc_id == "lz")
    assert row.region_en == 'Lan "Zhou", City'


def test_add_on_a_read_only_data_raw_is_one_line_and_leaves_nothing(tiny, capsys, monkeypatch):
    src = tiny / "plan.txt"
    shutil.copyfile(Path(__file__).parent / "data" / "realdocs" / "01_jinan.txt", src)
    before = hashes(_raw(tiny))
    _fail(monkeypatch, "replace", errno.EROFS, lambda args: True)
    code, errors = _run_cli(capsys, "add", str(src), "--region-en", "Jinan", "--id", "new")
    assert code == 2
    assert errors == ["error: data/raw/new.txt: cannot write (Read-only file system); nothing was added"]
    assert not [p for p in _raw(tiny).iterdir() if p.name.startswith(".")], "temporary files left in data/raw/"
    assert hashes(_raw(tiny)) == before


KILL_AT_FIRST_REPLACE = textwrap.dedent(
    """
    import os, signal, sys
    real = os.replace
    def replace(src, dst, *a, **k):
        os.kill(os.getpid(), signal.SIGKILL)
    os.replace = replace
    from ipanalysis import cli
    sys.exit(cli.main(sys.argv[1:]))
    """
)


def test_a_kill_during_add_leaves_the_project_buildable(tiny):
    src = tiny / "plan.txt"
    shutil.copyfile(Path(__file__).parent / "data" / "realdocs" / "01_jinan.txt", src)
    env = dict(os.environ, IPANALYSIS_ROOT=str(tiny))
    argv = [sys.executable, "-c", KILL_AT_FIRST_REPLACE, "add", str(src), "--region-en", "Jinan", "--id", "new"]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert proc.returncode == -signal.SIGKILL
    assert [r.doc_id for r in reading.read_manifest()] == ["jinan-2022", "jiangmen-2024"]
    proc = _cli(tiny, "add", str(src), "--region-en", "Jinan", "--id", "new")
    assert proc.returncode == 0, proc.stderr
    assert not [p for p in _raw(tiny).iterdir() if p.name.startswith(".")], "temporary files left in data/raw/"


# -- 6. filesystem faults --------------------------------------------------------------------------


def _fail(monkeypatch, name, err, when):
    """Make ``os.<name>`` fail with ``err`` when ``when(args)`` is true."""
    real = getattr(os, name)

    def fake(*args, **kwargs):
        if when(args):
            raise OSError(err, os.strerror(err), str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, fake)


def _in_processed(root):
    processed = str(_processed(root))
    return lambda args: any(str(a).startswith(processed) for a in args)


def _inject(monkeypatch, root, fault):
    if fault == "read-only":
        for name in ("replace", "rename", "mkdir", "unlink", "rmdir"):
            _fail(monkeypatch, name, errno.EROFS, _in_processed(root))
    elif fault == "disk full":
        import pyarrow.parquet as pq

        real = pq.ParquetWriter.write_table
        calls = []

        def full(self, *a, **k):  # the third row group written: the disk is full
            calls.append(1)
            if len(calls) == 3:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(self, *a, **k)

        monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    elif fault == "permission":
        data = str(root / "data")
        for name in ("replace", "rename", "mkdir"):
            _fail(monkeypatch, name, errno.EACCES, lambda args: any(str(a).startswith(data) for a in args))
    else:
        table = str(_processed(root) / "provisions.csv")
        for name in ("replace", "rename", "unlink"):
            _fail(monkeypatch, name, errno.EPERM, lambda args: any(str(a) == table for a in args))


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("read-only", "Read-only file system"),
        ("disk full", "No space left on device"),
        ("permission", "Permission denied"),
        ("immutable table", "Operation not permitted"),
    ],
)
def test_filesystem_faults_give_one_line_and_keep_the_outputs(tiny, capsys, fault, message):
    build.build()
    before = hashes(_processed(tiny))
    _append_row(tiny, "")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _inject(monkeypatch, tiny, fault)
        code, errors = _run_cli(capsys, "build")
    if fault == "immutable table" and code == 0:  # the swap of the whole folder does not touch the file
        assert not build.is_stale() and not errors
        return
    assert code == 2
    assert len(errors) == 1 and message in errors[0] and "Traceback" not in errors[0], errors
    assert hashes(_processed(tiny)) == before


def test_cache_folder_deleted_mid_build(tmp_path, monkeypatch):
    """The cache vanishes while worker processes fill it: the build still gives the full tables."""
    make_project(tmp_path, FOUR)
    monkeypatch.setenv("IPANALYSIS_ROOT", str(tmp_path))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_DOCS", 2)
    real = pipeline.save_cached

    def save_then_delete(doc_id, results):
        real(doc_id, results)
        shutil.rmtree(pipeline.cache_dir(), ignore_errors=True)

    monkeypatch.setattr(pipeline, "save_cached", save_then_delete)
    got = build.build_tables(reading.read_manifest())
    monkeypatch.setattr(pipeline, "save_cached", real)
    want = build.build_tables(reading.read_manifest(), use_cache=False)
    for name in build.TABLES:
        pd.testing.assert_frame_equal(got[name], want[name])


# -- 7. limits -------------------------------------------------------------------------------------


def test_deeply_nested_html_is_refused_quickly(tmp_path):
    import time

    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 20000 + "知识产权" + "</div>" * 20000 + "</body></html>", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(InputError, match="nested more than"):
        reading.read_text(path)
    assert time.perf_counter() - start < 10


def test_huge_html_is_refused(tmp_path):
    path = tmp_path / "huge.html"
    path.write_bytes(b"<html><body><p>" + "知识产权".encode() * (reading.MAX_HTML_BYTES // 12 + 1) + b"</p></body></html>")
    with pytest.raises(InputError, match="larger than"):
        reading.read_text(path)


def test_docx_zip_bomb_is_refused(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、加强保护")
    plain = tmp_path / "plain.docx"
    d.save(plain)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b" " * (reading.MAX_DOCX_XML_BYTES + 1) + b"</w:body>")
            dst.writestr(item.filename, data)
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(InputError, match="expands to more than"):
        reading.read_text(bomb)


def test_pdf_with_too_many_pages_is_refused(tmp_path):
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(reading.MAX_PDF_PAGES + 1):
        w.add_blank_page(width=72, height=72)
    path = tmp_path / "long.pdf"
    with path.open("wb") as fh:
        w.write(fh)
    with pytest.raises(InputError, match=f"more than {reading.MAX_PDF_PAGES} pages"):
        reading.read_text(path)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path, codec):
    text = "某市知识产权工作方案\n一、总体要求\n1.到2025年，专利达到100件。\n"
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(codec))
    got, encoding = reading.read_text(path)
    assert (got, encoding) == (text, codec)


# -- 8. two rows, one file -------------------------------------------------------------------------


@pytest.mark.parametrize("second", ["jinan-2022.txt", "SYMLINK"])
def test_two_manifest_rows_for_one_file_are_refused(tiny, second):
    if second == "SYMLINK":
        (_raw(tiny) / "alias.txt").symlink_to(_raw(tiny) / "jinan-2022.txt")
        second = "alias.txt"
    _append_row(tiny, f"again-2022,{second},济南,Jinan,city,,")
    with pytest.raises(InputError, match=r"line 4: file .* is the same file as line 2's"):
        reading.read_manifest()


def test_concurrent_builds_both_finish_with_complete_outputs(tiny):
    """The whole-folder swap is serialised by a lock: two builds at once give one complete folder."""
    env = dict(os.environ, IPANALYSIS_ROOT=str(tiny))
    procs = [subprocess.Popen([sys.executable, "-m", "ipanalysis", "build", "--force"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert not build.is_stale()
    assert not list((tiny / "data").glob(".processed.old-*")) and not list((tiny / "data").glob(".staging-*"))


def test_an_unreadable_input_is_one_line_saying_read(tiny, capsys, monkeypatch):
    real = Path.read_bytes
    doc = _raw(tiny) / "jiangmen-2024.txt"

    def denied(self):
        if self == doc:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    code, errors = _run_cli(capsys, "build")
    assert code == 2
    assert errors == ["error: data/raw/jiangmen-2024.txt: cannot read (Permission denied); the previous outputs are unchanged"]
    assert not _processed(tiny).exists()
