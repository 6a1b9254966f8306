import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from ipanalysis import reading
from ipanalysis.errors import InputError

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"


def test_raw_documents_are_byte_identical_to_the_seeds():
    want = {line.split()[0] for line in (Path(__file__).parent / "data" / "seed_sha256sums.txt").read_text().splitlines()}
    have = {hashlib.sha256(p.read_bytes()).hexdigest() for p in RAW.glob("*.txt")}
    assert want <= have


def test_manifest_lists_every_document():
    rows = reading.read_manifest(RAW / "manifest.csv")
    assert len(rows) == len(list(RAW.glob("*.txt")))
    assert {r.level for r in rows} <= set(reading.LEVELS)


def _write_manifest(tmp_path, text, files=("a.txt",)):
    for f in files:
        (tmp_path / f).write_text("一、总则\n1.内容。\n", encoding="utf-8")
    path = tmp_path / "manifest.csv"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEADER = "doc_id,file,region,region_en,level\n"


@pytest.mark.parametrize(
    ("body", "files", "message"),
    [
        ("doc_id,file,region,level\na,a.txt,甲,city\n", ("a.txt",), "missing column(s): region_en"),
        (GOOD_HEADER + "a,a.txt,甲,Jia,town\n", ("a.txt",), "unknown level 'town'"),
        (GOOD_HEADER + "a,a.txt,甲,Jia,city\na,b.txt,乙,Yi,city\n", ("a.txt", "b.txt"), "duplicate doc_id 'a'"),
        (GOOD_HEADER + "a,missing.txt,甲,Jia,city\n", ("a.txt",), "file 'missing.txt' not found"),
        (GOOD_HEADER + "a,a.txt,甲,Jia,city\n", ("a.txt", "extra.txt"), "has no row in manifest.csv"),
        (GOOD_HEADER.strip() + ",issued\na,a.txt,甲,Jia,city,2024-13-01\n", ("a.txt",), "is not a date"),
        (GOOD_HEADER.strip() + ",colour\na,a.txt,甲,Jia,city,red\n", ("a.txt",), "unknown column(s): colour"),
        (GOOD_HEADER + "A B,a.txt,甲,Jia,city\n", ("a.txt",), "must be lower-case"),
        (GOOD_HEADER, ("a.txt",), "has no document rows"),
    ],
)
def test_bad_manifest_names_file_and_problem(tmp_path, body, files, message):
    path = _write_manifest(tmp_path, body, files)
    with pytest.raises(InputError) as err:
        reading.read_manifest(path)
    assert message in str(err.value)
    assert str(err.value).count("\n") == 0


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("知识产权".encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + "知识产权".encode("utf-8"), "utf-8-sig"),
        ("知识产权".encode("utf-16"), "utf-16"),
        ("知识产权\n1.到2025年\n".encode("utf-16-le"), "utf-16-le"),  # no byte-order mark: NULs beside ASCII
        ("知识产权\n1.到2025年\n".encode("utf-16-be"), "utf-16-be"),
        ("知识产权强市".encode("gbk"), "gb18030"),
    ],
)
def test_read_text_decodes_common_encodings(tmp_path, data, encoding):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    text, used = reading.read_text(path)
    assert text.startswith("知识产权")
    assert used == encoding


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\n", "file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("doc.xlsx", b"PK\x03\x04", "unsupported file type .xlsx; supported: .txt, .docx, .html, .htm, .pdf"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "is not a readable .docx file"),
        ("broken.pdf", b"%PDF-1.4 garbage", "is not a readable PDF"),
        ("latin.txt", "Intellectual property plan".encode(), "contains no Chinese text"),
        ("garbage.txt", bytes(range(128, 256)) * 8, "cannot tell its character encoding|contains no Chinese text"),
    ],
)
def test_read_text_rejects_bad_files(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        reading.read_text(path)


def test_cli_reports_bad_input_in_one_line_and_exits_nonzero(project):
    (project / "data" / "raw" / "stray.txt").write_text("知识产权", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "ipanalysis", "build"], capture_output=True, text=True, env=_env(project)
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: data/raw/stray.txt: has no row in manifest.csv; add one (see README, 'Adding a document')"
    ]
    assert "Traceback" not in proc.stderr
    assert not (project / "data" / "processed").exists()


def _env(root):
    import os

    env = dict(os.environ)
    env["IPANALYSIS_ROOT"] = str(root)
    return env


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # the densest block wins over navigation made of links
        ("<body><div><a>首页</a><a>政务公开</a><a>办事服务</a></div><div><p>一、总体要求</p><p>加强知识产权保护。</p></div></body>",
         "一、总体要求\n加强知识产权保护。"),
        # block elements break lines, inline ones do not; scripts, styles and comments are dropped
        ("<body><div>一、<b>加强</b>保护<br>1.开展执法。<script>var 知识产权=1</script><!-- 注释 --><style>p{}</style></div></body>",
         "一、加强保护\n1.开展执法。"),
        # table cells each on a line
        ("<body><table><tr><td>指标</td><td>2025年</td></tr><tr><td>专利（件）</td><td>500</td></tr></table></body>",
         "指标\n2025年\n专利（件）\n500"),
        # unclosed paragraphs nest, and still read in order
        ("<body><div><p>第一段知识产权<p>第二段知识产权<p>第三段</div></body>", "第一段知识产权\n第二段知识产权\n第三段"),
    ],
)
def test_html_main_text(html, text):
    assert reading.html_main_text(html) == text
