"""Benchmark the build at corpus scale. One command: ``make benchmark`` (or ``python benchmarks/run.py``).

Measures, in one run, on corpora of 100 and 1,000 documents made from the
shipped ones (``benchmarks/corpus.py``; each copy has its own id, region,
date and text, so no cache can cheat), in a temporary directory:

(a) ``ipanalysis build --force`` from cold: every table;
(b) the baseline a researcher would otherwise write: read each file and
    ``jieba.lcut`` it in one process, default dictionary;
(c) an incremental build after adding one document to the built corpus;
(d) ``make figures`` on the shipped documents: a cold build and every notebook.

Reports throughput, (a)/(b), peak RSS of the build with its worker
processes, the 100 -> 1,000 scaling factor and the incremental time, prints
them and writes ``benchmarks/results.json``. ``data/raw/`` is never touched.
"""

from __future__ import annotations

import json
import os
import platform
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
    return time.perf_counter() - start, peak


def corpus_chars(raw: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8")) for p in raw.glob("*.txt"))


def main() -> None:
    py = sys.executable
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    with tempfile.TemporaryDirectory(prefix="ipanalysis-bench-") as tmp:
        tmp = Path(tmp)
        for n in (100, 1000):
            root = tmp / f"corpus{n}"
            raw = make_corpus(root, n)
            chars = corpus_chars(raw)
            env = dict(os.environ, IPANALYSIS_ROOT=str(root))
            build_s, build_rss = timed([py, "-m", "ipanalysis", "build", "--force"], env=env)
            base_s, base_rss = timed([py, "-c", BASELINE, str(raw)])
            entry = {
                "documents": n,
                "chars": chars,
                "build_s": round(build_s, 2),
                "build_chars_per_s": round(chars / build_s),
                "build_peak_rss_mb": round(build_rss / 2**20),
                "baseline_s": round(base_s, 2),
                "baseline_chars_per_s": round(chars / base_s),
                "ratio_build_to_baseline": round(build_s / base_s, 3),
            }
            if n == 1000:
                add_one(root, n + 1)
                inc_s, _ = timed([py, "-m", "ipanalysis", "build"], env=env)
                entry["incremental_add_one_s"] = round(inc_s, 2)
                # the new document's own processing: a cold build of a corpus of that one document
                one = tmp / "one"
                make_corpus(one, 1)
                one_s, _ = timed([py, "-m", "ipanalysis", "build", "--force"], env=dict(os.environ, IPANALYSIS_ROOT=str(one)))
                entry["one_document_build_s"] = round(one_s, 2)
            results[f"n{n}"] = entry
            print(json.dumps(entry, ensure_ascii=False), flush=True)
        results["scaling_100_to_1000"] = round(results["n1000"]["build_s"] / results["n100"]["build_s"], 2)

        # (d) make figures on the shipped documents, environment installed: cold build + every notebook
        root = tmp / "shipped"
        shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
        shutil.copytree(REPO / "notebooks", root / "notebooks")
        env = dict(os.environ, IPANALYSIS_ROOT=str(root))
        start = time.perf_counter()
        timed([py, "-m", "ipanalysis", "build", "--force"], env=env)
        timed([py, "-m", "ipanalysis", "run-notebooks"], env=env)
        results["make_figures_s"] = round(time.perf_counter() - start, 1)

    goals = {
        "ratio_build_to_baseline_at_1000 <= 0.75": results["n1000"]["ratio_build_to_baseline"] <= 0.75,
        "scaling_100_to_1000 <= 11": results["scaling_100_to_1000"] <= 11,
        "incremental_add_one_s <= 3 + one_document_build_s": results["n1000"]["incremental_add_one_s"]
        <= 3 + results["n1000"]["one_document_build_s"],
        "peak_rss_at_1000 <= 1536 MB": results["n1000"]["build_peak_rss_mb"] <= 1536,
        "make_figures_s <= 60": results["make_figures_s"] <= 60,
    }
    results["goals"] = goals
    (HERE / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k not in ("n100", "n1000")}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
