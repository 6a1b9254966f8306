"""An incremental build gives the bytes of a full build, whatever happened before it.

The two bugs of issue #12 first, as they were reported; then a property test:
a seeded random sequence of what researchers do (add, remove or edit a
document, edit a word list, restore old outputs as ``git checkout`` would,
kill a build at a random write), after each of which every table is compared
with a ``--force`` build of the same inputs in a separate project.
"""

from __future__ import annotations

import functools
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ipanalysis import build, config, pipeline, reading
from tinyproject import DOCS, REALDOCS, manifest_text, make_project, tables_of

START = ["01_jinan.txt", "05_shanxi.txt", "07_jiangmen.txt"]


class Killed(BaseException):
    """A simulated kill: not an Exception, so no ``except Exception`` handler swallows it."""


@pytest.fixture
def roots(tmp_path, monkeypatch):
    """(work, mirror): the project under test, and an empty root for reference builds."""
    work, mirror = tmp_path / "work", tmp_path / "mirror"
    make_project(work, START)
    monkeypatch.setenv("IPANALYSIS_ROOT", str(work))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_DOCS", 10**6)  # no worker start-up in each of many builds
    return work, mirror


def _full_build_of(work: Path, mirror: Path, monkeypatch) -> dict[str, bytes]:
    """The tables a ``--force`` build gives for ``work``'s inputs, built in ``mirror``."""
    shutil.rmtree(mirror, ignore_errors=True)
    shutil.copytree(work / "data" / "raw", mirror / "data" / "raw", symlinks=True)
    with monkeypatch.context() as m:
        m.setenv("IPANALYSIS_ROOT", str(mirror))
        build.build(force=True)
    return tables_of(mirror / "data" / "processed")


def _snapshot(root: Path) -> dict[str, dict[str, bytes]]:
    """data/raw/ and data/processed/ as a commit would hold them."""
    return {
        part: {p.name: p.read_bytes() for p in (root / "data" / part).iterdir() if p.is_file()}
        for part in ("raw", "processed")
        if (root / "data" / part).exists()
    }


def _checkout(root: Path, snapshot: dict, parts=("raw", "processed")) -> None:
    """Put folders back as ``git checkout <commit> -- data/raw data/processed`` would: new mtimes, extra files gone."""
    for part in parts:
        folder = root / "data" / part
        shutil.rmtree(folder, ignore_errors=True)
        if part in snapshot:
            folder.mkdir(parents=True)
            for name, data in snapshot[part].items():
                (folder / name).write_bytes(data)


def _manifest_files(root: Path) -> list[str]:
    ids = [r.doc_id for r in reading.read_manifest(root / "data" / "raw" / "manifest.csv")]
    return [f for f, (doc_id, *_rest) in DOCS.items() if doc_id in ids]


def _set_docs(root: Path, files: list[str]) -> None:
    raw = root / "data" / "raw"
    keep = {DOCS[f][0] + ".txt" for f in files}
    for p in raw.glob("*.txt"):
        if p.name not in keep:
            p.unlink()
    for f in files:
        if not (raw / (DOCS[f][0] + ".txt")).exists():
            shutil.copyfile(REALDOCS / f, raw / (DOCS[f][0] + ".txt"))
    (raw / "manifest.csv").write_text(manifest_text(files), encoding="utf-8")


def _edit_byte(root: Path, doc_id: str, rng: random.Random) -> None:
    """Change one character of a document's text to another Chinese character."""
    path = root / "data" / "raw" / f"{doc_id}.txt"
    text = path.read_text(encoding="utf-8")
    spots = [i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff"]
    i = rng.choice(spots)
    path.write_text(text[:i] + rng.choice("保护运用服务专利商标乡村") + text[i + 1 :], encoding="utf-8")


def _append_text(root: Path, doc_id: str, text: str) -> None:
    """Add a sentence at the end of a document: its last provision's themes change."""
    path = root / "data" / "raw" / f"{doc_id}.txt"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


EXTRA = ("加强知识产权保护，严厉打击侵权假冒行为。", "推进专利转化运用，开展知识产权质押融资。", "建设商标品牌指导站，提升公共服务水平。")


def _incremental_build() -> None:
    """What ``ipanalysis build`` does: build only when the outputs are stale."""
    if build.is_stale():
        build.build()


def _kill_at(monkeypatch, k: int):
    """Make the k-th rename (os.replace / os.rename) of this build a kill, just before it happens."""
    calls = []
    for name in ("replace", "rename"):
        real = getattr(os, name)

        def fake(*args, _real=real, **kwargs):
            calls.append(args)
            if len(calls) == k:
                raise Killed(args)
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, fake)
    return calls


def _kill_in_write(monkeypatch, k: int) -> None:
    """Make the k-th Parquet write of this build die halfway: a partial file is left where it was going."""
    import pandas as pd

    real = pd.DataFrame.to_parquet
    calls = []

    def fake(self, path, *args, **kwargs):
        calls.append(path)
        if len(calls) == k:
            if isinstance(path, (str, os.PathLike)):
                Path(path).write_bytes(b"PAR1 half a table")
            raise Killed(path)
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fake)


# -- the two reported bugs -----------------------------------------------------------------------


def test_checkout_of_outputs_then_an_edit_leaves_no_stale_rows(roots, monkeypatch):
    work, mirror = roots
    build.build()
    committed = _snapshot(work)
    _set_docs(work, START + ["11_puyang.txt"])  # add a document and build
    build.build()
    _checkout(work, committed)  # git checkout data/raw data/processed
    _edit_byte(work, "jinan-2022", random.Random(1))  # edit one byte of another document
    _incremental_build()
    assert tables_of(work / "data" / "processed") == _full_build_of(work, mirror, monkeypatch)
    assert not build.is_stale()


def _renames_in_one_build(work, monkeypatch) -> int:
    with monkeypatch.context() as m:
        calls = _kill_at(m, 10**9)
        build.build()
    return len(calls)


def test_a_kill_at_any_rename_of_a_build_leaves_a_correct_next_build(roots, monkeypatch):
    """Including the one reported: right after build_info.json was written."""
    work, mirror = roots
    build.build()
    _edit_byte(work, "jiangmen-2024", random.Random(2))
    n = _renames_in_one_build(work, monkeypatch)
    before = _snapshot(work)
    assert n > 0
    for k in range(1, n + 1):
        _checkout(work, before)
        _append_text(work, "shanxi-2022", EXTRA[k % 3])
        with monkeypatch.context() as m:
            _kill_at(m, k)
            with pytest.raises(Killed):
                build.build()
        _incremental_build()
        _edit_byte(work, "jinan-2022", random.Random(k))  # and the next change after it
        _incremental_build()
        assert tables_of(work / "data" / "processed") == _full_build_of(work, mirror, monkeypatch), f"killed at rename {k}"


def test_a_changed_rules_file_in_the_cache_is_not_used(roots, monkeypatch):
    """The kept rule-level tables are checked by content: a valid Parquet file with other rows is ignored."""
    import pandas as pd

    work, mirror = roots
    build.build()
    for path in pipeline.cache_dir().glob("rules_provision_themes*.parquet"):
        table = pd.read_parquet(path)
        table.iloc[1:].to_parquet(path, index=False)  # one row fewer, still a readable table
    _edit_byte(work, "jinan-2022", random.Random(3))
    _incremental_build()
    assert tables_of(work / "data" / "processed") == _full_build_of(work, mirror, monkeypatch)


def test_random_byte_flips_in_the_outputs_make_them_stale(roots, monkeypatch):
    """Any changed byte in data/processed/ (a table or build_info.json) is seen, and the next build repairs it."""
    work, mirror = roots
    build.build()
    full = _full_build_of(work, mirror, monkeypatch)
    processed = work / "data" / "processed"
    rng = random.Random(7)
    for _ in range(25):
        path = rng.choice(sorted(p for p in processed.rglob("*") if p.is_file()))  # tables, build_info, networks
        data = bytearray(path.read_bytes())
        i = rng.randrange(len(data))
        data[i] = (data[i] + rng.randrange(1, 256)) % 256
        path.write_bytes(bytes(data))
        assert build.is_stale(), path.relative_to(processed)
        build.build()
        assert tables_of(processed) == full, path.name


# -- the property test ---------------------------------------------------------------------------


def _clear_caches() -> None:
    """Forget everything read from resource files, as a new process would."""
    for name, module in list(sys.modules.items()):
        if name.startswith("ipanalysis"):
            for value in vars(module).values():
                if isinstance(value, functools._lru_cache_wrapper):
                    value.cache_clear()


def _edit_resource(resources: Path, rng: random.Random) -> None:
    """Toggle a word in stopwords.txt (tokens) or a lexicon row in themes.csv (themes)."""
    if rng.random() < 0.5:
        path, line = resources / "stopwords.txt", "知识产权"
    else:
        path, line = resources / "themes.csv", "protection,term,专利,2,added by a test"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in lines if ln != line] if line in lines else lines + [line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _clear_caches()


OPERATIONS = ("add", "remove", "edit", "resource", "checkout", "checkout outputs", "kill")
STEPS = 30
SEED = 20261201


def test_random_operations_keep_incremental_equal_to_full(roots, monkeypatch, tmp_path):
    work, mirror = roots
    resources = tmp_path / "resources"
    shutil.copytree(config.RESOURCES_DIR, resources)
    monkeypatch.setattr(config, "RESOURCES_DIR", resources)
    _clear_caches()
    rng = random.Random(SEED)
    build.build()
    history = [_snapshot(work)]
    log = []
    for step in range(STEPS):
        op = rng.choice(OPERATIONS)
        files = _manifest_files(work)
        log.append(op)
        if op == "add" and len(files) < len(DOCS):
            _set_docs(work, files + [rng.choice([f for f in DOCS if f not in files])])
        elif op == "remove" and len(files) > 1:
            gone = rng.choice(files)
            _set_docs(work, [f for f in files if f != gone])
        elif op == "edit" and rng.random() < 0.5:
            _edit_byte(work, DOCS[rng.choice(files)][0], rng)
        elif op == "edit":
            _append_text(work, DOCS[rng.choice(files)][0], rng.choice(EXTRA))
        elif op == "resource":
            _edit_resource(resources, rng)
        elif op == "checkout":
            _checkout(work, rng.choice(history))
        elif op == "checkout outputs":
            _checkout(work, rng.choice(history), parts=("processed",))
        elif op == "kill":
            _append_text(work, DOCS[rng.choice(files)][0], rng.choice(EXTRA))
            with monkeypatch.context() as m:
                if rng.random() < 0.5:
                    _kill_at(m, rng.randint(1, 6))  # just before a rename
                else:
                    _kill_in_write(m, rng.randint(1, 2 * len(build.TABLES)))  # in the middle of writing a table
                try:
                    build.build()
                except Killed:
                    pass
        _incremental_build()
        assert tables_of(work / "data" / "processed") == _full_build_of(work, mirror, monkeypatch), (step, log)
        history.append(_snapshot(work))
    assert {"add", "remove", "edit", "resource", "checkout", "kill"} <= set(log)


KILL_AT_RENAME = """
import os, signal, sys
k, calls, real = int(sys.argv[1]), [], os.rename
def rename(*args, **kwargs):
    calls.append(args)
    if len(calls) == k:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
os.rename = rename
from ipanalysis import cli
sys.exit(cli.main(["build"]))
"""


@pytest.mark.parametrize("k", [1, 2])
def test_a_real_kill_during_the_folder_swap(roots, monkeypatch, k):
    """SIGKILL runs no clean-up: after the old folder was moved aside (k=2) it must come back."""
    work, mirror = roots
    build.build()
    old = tables_of(work / "data" / "processed")
    _append_text(work, "jinan-2022", EXTRA[0])
    env = dict(os.environ, IPANALYSIS_ROOT=str(work))
    proc = subprocess.run([sys.executable, "-c", KILL_AT_RENAME, str(k)], env=env, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert (work / "data" / "processed").exists() == (k == 1)  # k=2: killed between the two renames
    assert build.is_stale()
    assert tables_of(work / "data" / "processed") == old  # the previous outputs, complete
    _incremental_build()
    assert tables_of(work / "data" / "processed") == _full_build_of(work, mirror, monkeypatch)
