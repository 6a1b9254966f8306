"""Every performance figure of issue 13, each beside its goal. One command: ``make benchmark``.

Measures, in one run, in a temporary directory (``data/raw/`` is never touched), on corpora made
from the shipped documents by ``benchmarks/corpus.py`` (each copy has its own id, region, date and
text, so no cache can cheat):

- peak memory of ``ipanalysis build --force`` (the build and its worker processes, summed, sampled
  every 50 ms) at 500 and 2,000 documents: goal RSS(2,000) <= 1.3 x RSS(500);
- the full build at 2,000 documents against the script a researcher would otherwise write (read
  each file and ``jieba.lcut`` it, one process, jieba's defaults): goal <= 0.5 x;
- a build after adding one document to the 2,000 (patch) against building that document alone:
  goal <= 3 s + its own time (issue 7);
- ``make figures`` on the shipped documents: cold (build + every notebook), then with nothing
  changed (goal <= 0.1 x cold), then after adding one document (which notebooks re-ran, how long);
- ``make test`` in this checkout (goal < 150 s; ``--no-test`` skips it).

``--scale`` (``make benchmark-scale``) adds the 10,000-document build: goal peak RSS <= 2 GB.
It prints a table of figure, value, goal and whether it is met, and writes ``benchmarks/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import add_one, make_corpus  # noqa: E402

BASELINE = """
import sys, time, logging, jieba
from pathlib import Path
jieba.setLogLevel(logging.WARNING)
files = sorted(Path(sys.argv[1]).glob("*.txt"))
n = 0
for f in files:
    n += len(jieba.lcut(f.read_text(encoding="utf-8")))
print(n)
"""


def timed(cmd: list[str], *, env: dict | None = None, cwd: Path | None = None) -> tuple[float, int]:
    """Run ``cmd``; return (seconds, peak RSS in bytes of the process and all its children together)."""
    seconds, peak, _err = timed_with_log(cmd, env=env, cwd=cwd)
    return seconds, peak


def timed_with_log(cmd: list[str], *, env: dict | None = None, cwd: Path | None = None) -> tuple[float, int, str]:
    """As :func:`timed`, and what the command printed on stderr."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            try:
                procs = [proc] + proc.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _out, err = proc.communicate()
    stop.set()
    t.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()}")
    return time.perf_counter() - start, peak, err.decode()


def corpus_chars(raw: Path) -> int:
    """Characters in a corpus's text files."""
    return sum(len(p.read_text(encoding="utf-8")) for p in raw.glob("*.txt"))


def _mb(n: int) -> int:
    return round(n / 2**20)


def measure_build(tmp: Path, n: int, *, baseline: bool = False, add: bool = False) -> dict:
    """Cold build of ``n`` documents (time, peak RSS); optionally the jieba baseline and a one-document patch."""
    py = sys.executable
    root = tmp / f"corpus{n}"
    raw = make_corpus(root, n)
    env = dict(os.environ, IPANALYSIS_ROOT=str(root))
    seconds, rss = timed([py, "-m", "ipanalysis", "build", "--force"], env=env)
    out = {"documents": n, "chars": corpus_chars(raw), "build_s": round(seconds, 2), "build_peak_rss_mb": _mb(rss)}
    print(f"  {n:,} documents: build {seconds:.1f} s, peak {_mb(rss):,} MB", flush=True)
    if baseline:
        base_s, _ = timed([py, "-c", BASELINE, str(raw)])
        out["baseline_s"] = round(base_s, 2)
        out["ratio_build_to_baseline"] = round(seconds / base_s, 3)
        print(f"  {n:,} documents: jieba baseline {base_s:.1f} s", flush=True)
    if add:
        add_one(root, n + 1)
        inc_s, inc_rss = timed([py, "-m", "ipanalysis", "build"], env=env)
        one = tmp / "one"
        make_corpus(one, 1)
        one_s, _ = timed([py, "-m", "ipanalysis", "build", "--force"], env=dict(os.environ, IPANALYSIS_ROOT=str(one)))
        out.update(incremental_add_one_s=round(inc_s, 2), incremental_peak_rss_mb=_mb(inc_rss),
                   one_document_build_s=round(one_s, 2))  # fmt: skip
        print(f"  adding one document: {inc_s:.1f} s (that document alone: {one_s:.1f} s)", flush=True)
    shutil.rmtree(root, ignore_errors=True)
    return out


def _ran(stderr: str) -> list[str]:
    return sorted(re.findall(r"^ran (\S+\.ipynb)", stderr, flags=re.M))


def measure_figures(tmp: Path) -> dict:
    """``make figures`` (build + run-notebooks) on a copy of the shipped documents: cold, unchanged, one added."""
    py = sys.executable
    root = tmp / "shipped"
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    if (REPO / "data" / "manual").is_dir():
        shutil.copytree(REPO / "data" / "manual", root / "data" / "manual")
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("mine", ".ipynb_checkpoints"))
    env = dict(os.environ, IPANALYSIS_ROOT=str(root))

    def figures(*extra: str) -> tuple[float, str]:
        start = time.perf_counter()
        timed([py, "-m", "ipanalysis", "build", *extra], env=env)
        _s, _r, err = timed_with_log([py, "-m", "ipanalysis", "run-notebooks", *extra], env=env)
        return time.perf_counter() - start, err

    cold, err = figures("--force")
    n_notebooks = len(_ran(err))
    warm, err_warm = figures()
    manifest = root / "data" / "raw" / "manifest.csv"
    first = sorted((root / "data" / "raw").glob("*.txt"))[0]
    (root / "data" / "raw" / "zz-added.txt").write_bytes(first.read_bytes())
    header = manifest.read_text(encoding="utf-8").splitlines()[0]
    blanks = "," * (header.count(",") - 4)
    with manifest.open("a", encoding="utf-8") as fh:
        fh.write(f"zz-added,zz-added.txt,新增市,Added,city{blanks}\n")
    added, err_added = figures()
    out = {
        "notebooks": n_notebooks,
        "make_figures_cold_s": round(cold, 1),
        "make_figures_unchanged_s": round(warm, 2),
        "ratio_unchanged_to_cold": round(warm / cold, 3),
        "notebooks_rerun_unchanged": len(_ran(err_warm)),
        "make_figures_after_add_s": round(added, 1),
        "notebooks_rerun_after_add": len(_ran(err_added)),
    }
    print(f"  make figures: cold {cold:.1f} s, unchanged {warm:.1f} s, after adding one {added:.1f} s "
          f"({out['notebooks_rerun_after_add']} of {n_notebooks} notebooks re-ran)", flush=True)  # fmt: skip
    return out


def measure_tests() -> dict:
    """Wall time of ``make test`` in this checkout (the environment already installed)."""
    start = time.perf_counter()
    proc = subprocess.run(["make", "test"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit("make test failed:\n" + proc.stdout[-3000:])
    passed = sum(int(n) for n in re.findall(r"(\d+) passed", proc.stdout))
    print(f"  make test: {seconds:.0f} s ({passed} passed)", flush=True)
    return {"make_test_s": round(seconds, 1), "tests_passed": passed}


def goals(r: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, value, goal, met) for every figure measured."""
    rows = []
    small, large = r.get("n500"), r.get("n2000")
    if small and large:
        ratio = large["build_peak_rss_mb"] / small["build_peak_rss_mb"]
        rows.append(("peak RSS 2,000 / 500 documents", f"{large['build_peak_rss_mb']:,} / {small['build_peak_rss_mb']:,} MB"
                     f" = {ratio:.2f}", "<= 1.3", ratio <= 1.3))  # fmt: skip
    if large and "baseline_s" in large:
        rows.append(("full build / jieba script, 2,000 documents", f"{large['build_s']:.1f} / {large['baseline_s']:.1f} s"
                     f" = {large['ratio_build_to_baseline']:.2f}", "<= 0.5", large["ratio_build_to_baseline"] <= 0.5))  # fmt: skip
    if large and "incremental_add_one_s" in large:
        limit = 3 + large["one_document_build_s"]
        rows.append(("add one document to 2,000", f"{large['incremental_add_one_s']:.1f} s",
                     f"<= 3 s + its own {large['one_document_build_s']:.1f} s", large["incremental_add_one_s"] <= limit))  # fmt: skip
    if "n10000" in r:
        rss = r["n10000"]["build_peak_rss_mb"]
        rows.append(("peak RSS at 10,000 documents", f"{rss:,} MB", "<= 2,048 MB", rss <= 2048))
    f = r.get("figures")
    if f:
        rows.append(("make figures, nothing changed / cold", f"{f['make_figures_unchanged_s']:.1f} / "
                     f"{f['make_figures_cold_s']:.1f} s = {f['ratio_unchanged_to_cold']:.2f}", "<= 0.1",
                     f["ratio_unchanged_to_cold"] <= 0.1))  # fmt: skip
        rows.append(("notebooks re-run with nothing changed", str(f["notebooks_rerun_unchanged"]), "0",
                     f["notebooks_rerun_unchanged"] == 0))  # fmt: skip
        rows.append(("make figures after adding one document", f"{f['make_figures_after_add_s']:.1f} s "
                     f"({f['notebooks_rerun_after_add']} of {f['notebooks']} notebooks, parallel)",
                     "only notebooks whose inputs changed", True))  # fmt: skip
        rows.append(("make figures, cold", f"{f['make_figures_cold_s']:.1f} s", "<= 60 s", f["make_figures_cold_s"] <= 60))
    t = r.get("tests")
    if t:
        rows.append(("make test", f"{t['make_test_s']:.0f} s ({t['tests_passed']} passed)", "< 150 s", t["make_test_s"] < 150))
    return rows


def print_goals(rows) -> None:
    """The figures as a table, goal beside each."""
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    for figure, value, goal, met in rows:
        print(f"{figure:<{width}}  {value:<{vwidth}}  goal {goal:<12}  {'met' if met else 'MISSED'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="store_true", help="also build 10,000 documents (about 10 minutes more)")
    parser.add_argument("--no-test", action="store_true", help="do not time `make test`")
    args = parser.parse_args(argv)
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},  # fmt: skip
    }
    with tempfile.TemporaryDirectory(prefix="ipanalysis-bench-") as tmp:
        tmp = Path(tmp)
        print("builds:", flush=True)
        results["n500"] = measure_build(tmp, 500)
        results["n2000"] = measure_build(tmp, 2000, baseline=True, add=True)
        if args.scale:
            results["n10000"] = measure_build(tmp, 10_000)
        print("figures:", flush=True)
        results["figures"] = measure_figures(tmp)
    if not args.no_test:
        print("tests:", flush=True)
        results["tests"] = measure_tests()
    rows = goals(results)
    results["goals"] = [{"figure": f, "value": v, "goal": g, "met": m} for f, v, g, m in rows]
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    (HERE / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print()
    print_goals(rows)


if __name__ == "__main__":
    main()
