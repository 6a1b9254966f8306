"""Time the corpus-level comparisons at 1,000 documents (``python benchmarks/compare.py [N]``).

``python benchmarks/compare.py --files N [N ...]`` times the build's path
instead: the replicated provisions and tokens are written to Parquet files
(sorted by doc_id, several row groups, as the streaming build stages them),
then :func:`ipanalysis.corpus_tables.from_files` runs on them in a fresh
process, which prints its CPU time, wall time and peak RSS above its own
baseline (after imports, before reading anything).

The comparisons (theme model, similarity, shared phrases, co-words, network
files) run on the assembled tables, after the per-document stages. To time
them alone, the five shipped documents' tables are built once in memory and
replicated to N documents under new ids, each copy with one sentence of its
own in its first provision (as ``corpus.py`` does for the build benchmark), so
no step can treat two copies as one. Prints one line per step; nothing is
written under the project.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ipanalysis import build, cowords, phrases, reading, similarity, theme_model  # noqa: E402


NAMES = ("documents", "provisions", "tokens", "provision_themes", "agencies")


def replicate(tables: dict[str, pd.DataFrame], n: int, *, copies=None, names=NAMES) -> dict[str, pd.DataFrame]:
    """The per-document tables for ``n`` documents: copy k of seed k mod 5, doc_id and provision ids renamed.

    ``copies``: only these k (default all of ``range(n)``), in that order.
    """
    seeds = sorted(tables["documents"]["doc_id"])
    out: dict[str, list] = {name: [] for name in names}
    for k in range(n) if copies is None else copies:
        seed = seeds[k % len(seeds)]
        new = f"{seed.split('-')[0]}-{k:05d}"
        for name in out:
            df = tables[name][tables[name]["doc_id"] == seed].copy()
            df["doc_id"] = new
            if "provision_id" in df:
                df["provision_id"] = df["provision_id"].str.replace(f"{seed}:", f"{new}:", regex=False)
            if name == "provisions":
                first = df.index[0]
                df.loc[first, "body"] = df.loc[first, "body"] + f"推动第{k}批知识产权试点项目落地见效。"
            if name == "documents":
                df["region"] = df["region"] + str(k)
            out[name].append(df)
    return {name: pd.concat(parts, ignore_index=True) for name, parts in out.items()}


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:<34} {time.perf_counter() - start:7.2f} s", flush=True)
    return result


def write_files(base: dict[str, pd.DataFrame], n: int, folder: Path, *, chunk: int = 250) -> pd.DataFrame:
    """Write the replicated ``provisions.parquet`` and ``tokens.parquet`` of ``n`` documents; return the documents.

    Written ``chunk`` copies at a time in doc_id order (copies of the first
    seed first: their ids sort so), so the files are sorted by doc_id and
    reading order with many row groups, and the full tables are never held.
    """
    import pyarrow.parquet as pq

    from ipanalysis import tablefiles

    n_seeds = base["documents"]["doc_id"].nunique()
    order = [k for s in range(n_seeds) for k in range(s, n, n_seeds)]
    writers = {name: pq.ParquetWriter(folder / f"{name}.parquet", tablefiles.arrow_schema(name))
               for name in ("provisions", "tokens")}  # fmt: skip
    docs = []
    for at in range(0, len(order), chunk):
        part = replicate(base, n, copies=order[at : at + chunk], names=("documents", "provisions", "tokens"))
        for name, writer in writers.items():
            writer.write_table(tablefiles.from_pandas(name, part[name]), row_group_size=tablefiles.row_group_rows(name))
        docs.append(part["documents"])
    for writer in writers.values():
        writer.close()
    return pd.concat(docs, ignore_index=True).sort_values("doc_id", ignore_index=True)


def measure_from_files(folder: Path) -> None:
    """Run from_files on ``folder`` (documents.pkl beside the Parquet files); print CPU, wall and peak RSS."""
    import resource

    from ipanalysis import corpus_tables
    import sklearn.linear_model, sklearn.feature_extraction.text, scipy.sparse, networkx, jieba  # noqa: E401, F401

    documents = pd.read_pickle(folder / "documents.pkl")
    base_rss = _rss_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    out = corpus_tables.from_files(folder, documents)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = ", ".join(f"{k} {len(v):,}" for k, v in out.items())
    print(f"from_files: {cpu:.2f} s CPU, {wall:.2f} s wall, peak RSS {peak:,.0f} MB = baseline {base_rss:,.0f} MB "
          f"+ {peak - base_rss:,.0f} MB   ({sizes})", flush=True)  # fmt: skip


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main_files(sizes: list[int]) -> None:
    """For each N: write the files, then time from_files on them in a fresh process."""
    import subprocess

    base = build.build_tables(reading.read_manifest(REPO / "data" / "raw" / "manifest.csv"), manual=False)
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            documents = write_files(base, n, folder)
            documents.to_pickle(folder / "documents.pkl")
            mb = sum(p.stat().st_size for p in folder.glob("*.parquet")) / 1e6
            print(f"{n} documents: provisions + tokens Parquet {mb:,.0f} MB", flush=True)
            subprocess.run([sys.executable, __file__, "--measure", str(folder)], check=True)


def main(n: int = 1000) -> None:
    base = build.build_tables(reading.read_manifest(REPO / "data" / "raw" / "manifest.csv"), manual=False)
    t = replicate(base, n)
    chars = int(t["provisions"]["body"].str.len().sum())
    print(f"{n} documents, {len(t['provisions']):,} provisions, {len(t['tokens']):,} tokens, {chars:,} body characters")
    total = time.perf_counter()
    timed("theme model (train + code)", lambda: theme_model.add_model_codes(t["provision_themes"], t["provisions"]))
    timed("document similarity", lambda: similarity.similarity_table(t["tokens"], t["documents"]))
    shared = timed("shared phrases", lambda: phrases.shared_phrases_table(t["provisions"], t["documents"]))
    edges = timed("co-word network", lambda: cowords.cowords_table(t["tokens"], t["documents"]))
    with tempfile.TemporaryDirectory() as tmp:
        timed("GraphML + GEXF files", lambda: cowords.write_networks({"cowords": edges, "agencies": t["agencies"]}, Path(tmp)))
    print(f"{'all comparisons':<34} {time.perf_counter() - total:7.2f} s   ({len(shared):,} shared passages)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure_from_files(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--files"]:
        main_files([int(a) for a in sys.argv[2:]] or [2000])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
