"""Adding documents: real input formats, the add command, incremental builds, notebooks with 7 documents."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ipanalysis import build, pipeline, reading
from ipanalysis.errors import InputError

NEW = Path(__file__).parent / "data" / "new_docs"
REPO = Path(__file__).resolve().parent.parent


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _cli(project, *args):
    env = dict(os.environ, IPANALYSIS_ROOT=str(project))
    return subprocess.run([sys.executable, "-m", "ipanalysis", *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def seven_once(tmp_path_factory):
    """A copy of the project with a GBK .txt and an .html page added through the command line.

    Made once for the module (each ``add`` is a fresh interpreter); the tests using it only
    build and run notebooks on it, and a build of unchanged inputs gives the same tables.
    """
    project = tmp_path_factory.mktemp("seven")
    shutil.copytree(REPO / "data" / "raw", project / "data" / "raw")
    before = {p: _sha(p) for p in NEW.iterdir()}
    out1 = _cli(project, "add", str(NEW / "lanzhou-gbk.txt"), "--region-en", "Lanzhou", "--province", "甘肃", "--province-en", "Gansu")
    out2 = _cli(project, "add", str(NEW / "xining.html"), "--region-en", "Xining")
    assert out1.returncode == 0, out1.stderr
    assert out2.returncode == 0, out2.stderr
    assert {p: _sha(p) for p in NEW.iterdir()} == before, "the originals must not change"
    return project, out1.stdout, out2.stdout


@pytest.fixture
def seven(seven_once, monkeypatch):
    """The seven-document project, set as IPANALYSIS_ROOT for one test."""
    monkeypatch.setenv("IPANALYSIS_ROOT", str(seven_once[0]))
    return seven_once


def test_add_copies_and_registers(seven):
    project, out1, out2 = seven
    raw = project / "data" / "raw"
    assert _sha(raw / "lanzhou-2025.txt") == _sha(NEW / "lanzhou-gbk.txt")
    assert _sha(raw / "xining-2024.html") == _sha(NEW / "xining.html")
    rows = {r.doc_id: r for r in reading.read_manifest(raw / "manifest.csv")}
    assert len(rows) == 7
    assert (rows["xining-2024"].region, rows["xining-2024"].level) == ("西宁", "city")  # read from the issuer
    assert "title:       兰州市知识产权强市建设工作方案（2025—2027年）" in out1
    assert "provisions:  4   targets: 3" in out1
    assert "plan period: 2024–2024" in out2


def test_new_documents_reach_every_table(seven):
    project, *_ = seven
    tables = build.build()
    for doc_id in ("lanzhou-2025", "xining-2024"):
        for name in ("documents", "provisions", "tokens", "lines", "targets", "provision_themes",
                     "provision_instruments", "brands", "events", "references", "agencies"):  # fmt: skip
            assert (tables[name]["doc_id"] == doc_id).any(), (doc_id, name)
    docs = tables["documents"].set_index("doc_id")
    assert docs.loc["lanzhou-2025", "encoding"] == "gb18030"
    assert docs.loc["xining-2024", "encoding"] == "html:utf-8"
    assert (docs.loc["lanzhou-2025", "issued"], docs.loc["lanzhou-2025", "doc_number"]) == ("2025-03-18", "兰政办发〔2025〕12号")
    xining = tables["provisions"][tables["provisions"]["doc_id"] == "xining-2024"]
    text = "".join(xining["text"]) + "".join(tables["lines"].loc[tables["lines"]["doc_id"] == "xining-2024", "text"])
    for chrome in ("首页", "政务公开", "统计代码", "欢迎访问", "网站地图", "color"):
        assert chrome not in text
    brands = set(tables["brands"]["name"])
    assert {"兰州百合", "湟源陈醋"} <= brands
    t = tables["targets"]
    lz = t[t["doc_id"] == "lanzhou-2025"].set_index("indicator_id")
    assert lz.loc["ip_pledge_financing", "value"] == 15 and lz.loc["ip_pledge_financing", "basis"] == "三年累计"
    assert lz.loc["rights_aid_workstations", "year"] == 2027


def test_incremental_build_processes_only_the_new_document(project):
    build.build()
    shutil.copyfile(NEW / "lanzhou-gbk.txt", project / "data" / "raw" / "lanzhou-2025.txt")
    manifest = project / "data" / "raw" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "lanzhou-2025,lanzhou-2025.txt,兰州,Lanzhou,city,甘肃,Gansu,,,,,,,,\n", encoding="utf-8")
    done = {}
    pipeline.process_all(reading.read_manifest(), progress=lambda row, stages: done.__setitem__(row.doc_id, stages))
    assert done.pop("lanzhou-2025") == list(pipeline.STAGES)
    assert all(stages == [] for stages in done.values())


def test_a_resource_change_invalidates_exactly_its_stage(project, monkeypatch):
    build.build()
    fingerprints = dict(pipeline.stage_fingerprints())
    changed = dict(fingerprints, tokens="changed")  # as if stopwords.txt had been edited
    monkeypatch.setattr(pipeline, "stage_fingerprints", lambda: changed)
    done = {}
    pipeline.process_all(reading.read_manifest(), progress=lambda row, stages: done.__setitem__(row.doc_id, stages))
    assert set(map(tuple, done.values())) == {("tokens",)}


def test_force_ignores_the_cache(project):
    build.build()
    done = {}
    pipeline.process_all(reading.read_manifest(), use_cache=False, progress=lambda r, s: done.__setitem__(r.doc_id, s))
    assert all(stages == list(pipeline.STAGES) for stages in done.values())


def test_notebooks_take_in_new_documents(seven):
    """Every notebook re-executes, unedited, with a sixth and a seventh document."""
    from ipanalysis.notebooks import run_notebooks

    project, *_ = seven
    build.build()
    shutil.copytree(REPO / "notebooks", project / "notebooks")
    # One at a time in this process: under `make test` (pytest-xdist) the other core is busy with
    # other tests, and a pool's workers would each import nbclient again. The pool itself is
    # tested in tests/test_notebooks.py (test_real_kernels_run_in_parallel_and_write_outputs).
    run_notebooks(jobs=1)
    figures = {p.name for p in (project / "figures").iterdir()}
    assert {"01_document_overview.svg", "02_coverage.svg", "03_theme_profile.svg", "04_timeline.svg", "05_networks.svg"} <= figures
    overview = (project / "figures" / "01_document_overview.svg").read_text()
    committed = (REPO / "figures" / "01_document_overview.svg").read_text()
    assert overview != committed  # redrawn with seven documents


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "missing.txt", "--region-en", "X"], "missing.txt: file not found"),
        (["add", "{new}/lanzhou-gbk.txt"], "give --region-en, the English name of 兰州"),
        (["add", "{new}/../expected_targets.csv", "--region-en", "X"], "unsupported file type .csv"),
    ],
)
def test_add_refuses_bad_input_and_changes_nothing(project, args, message):
    before = {p.name: _sha(p) for p in (project / "data" / "raw").iterdir()}
    proc = _cli(project, *[a.replace("{new}", str(NEW)) for a in args])
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert {p.name: _sha(p) for p in (project / "data" / "raw").iterdir()} == before


def test_docx_is_read_with_its_tables(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、加强保护")
    d.add_paragraph("1.到2025年，有效发明专利达到500件。（市市场监管局负责）")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "2025年"
    table.cell(1, 0).text, table.cell(1, 1).text = "商标品牌指导站（家）", "3"
    path = tmp_path / "plan.docx"
    d.save(path)
    text, how = reading.read_text(path)
    assert how == "docx"
    assert text.splitlines() == ["一、加强保护", "1.到2025年，有效发明专利达到500件。（市市场监管局负责）", "指标", "2025年", "商标品牌指导站（家）", "3"]


def _pdf(path, lines):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ipanalysis import plotting

    plotting.set_style()
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig = plt.figure(figsize=(6, 3))
        for i, line in enumerate(lines):
            fig.text(0.05, 0.85 - 0.15 * i, line)
        if not lines:
            fig.figimage([[0, 1], [1, 0]])
        fig.savefig(path)
        plt.close(fig)


def test_text_pdf_is_read(tmp_path):
    _pdf(tmp_path / "plan.pdf", ["一、加强保护", "1.加强行政执法。（市市场监管局负责）"])
    text, how = reading.read_text(tmp_path / "plan.pdf")
    assert how == "pdf" and "1.加强行政执法。（市市场监管局负责）" in text


def test_scanned_pdf_gets_a_clear_message(tmp_path):
    _pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(InputError, match="scan.pdf: has no text layer"):
        reading.read_text(tmp_path / "scan.pdf")


def test_a_document_without_numbered_structure_loads_with_a_warning(project):
    raw = project / "data" / "raw"
    (raw / "notice.txt").write_text(
        "某市人民政府关于加强知识产权保护的通知\n\n为加强知识产权保护，现就有关事项通知如下。\n\n"
        "各地要严厉打击侵权假冒行为，加强行政执法。\n\n各部门要加强协作，形成工作合力。\n",
        encoding="utf-8",
    )
    manifest = raw / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "notice-2025,notice.txt,某市,Moushi,city,,,,,,,,,,\n", encoding="utf-8")
    tables = build.build()
    doc = tables["documents"].set_index("doc_id").loc["notice-2025"]
    assert "no numbered structure" in doc["warnings"] and "no issue date found" in doc["warnings"]
    prov = tables["provisions"][tables["provisions"]["doc_id"] == "notice-2025"]
    assert prov["label"].tolist() == ["¶1", "¶2", "¶3"]
    assert "protection" in set(tables["provision_themes"].loc[tables["provision_themes"]["doc_id"] == "notice-2025", "theme"])


def test_partial_document_loads(project):
    raw = project / "data" / "raw"
    excerpt = (raw / "yinchuan-2022.txt").read_text(encoding="utf-8")[:1500]  # the opening only
    (raw / "excerpt.txt").write_text(excerpt, encoding="utf-8")
    manifest = raw / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "excerpt-2022,excerpt.txt,银川,Yinchuan,city,,,,,,,,,,\n", encoding="utf-8")
    tables = build.build()
    doc = tables["documents"].set_index("doc_id").loc["excerpt-2022"]
    assert doc["issued"] == "2023-01-19" and doc["n_provisions"] >= 1


def test_a_region_en_without_latin_letters_is_refused_in_one_line(tmp_path, capsys):
    """--region-en 兰州 (the Chinese name by mistake) would make the doc_id the year alone."""
    from ipanalysis import cli

    import shutil

    root = tmp_path / "p"
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    before = sorted(p.name for p in (root / "data" / "raw").iterdir())
    manifest = (root / "data" / "raw" / "manifest.csv").read_bytes()
    src = tmp_path / "lanzhou.txt"
    src.write_text("兰州市知识产权强市建设工作方案（2025—2027年）\n一、加强保护\n（一）严格执法。\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPANALYSIS_ROOT", str(root))
        code = cli.main(["add", str(src), "--region", "兰州", "--level", "city", "--region-en", "兰州"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "--region-en" in err[0] and "--id" in err[0], err
    assert sorted(p.name for p in (root / "data" / "raw").iterdir()) == before
    assert (root / "data" / "raw" / "manifest.csv").read_bytes() == manifest
