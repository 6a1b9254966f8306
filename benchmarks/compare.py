"""Time the corpus-level comparisons at 1,000 documents (``python benchmarks/compare.py [N]``).

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


def replicate(tables: dict[str, pd.DataFrame], n: int) -> dict[str, pd.DataFrame]:
    """The per-document tables for ``n`` documents: copy k of seed k mod 5, doc_id and provision ids renamed."""
    seeds = sorted(tables["documents"]["doc_id"])
    out: dict[str, list] = {name: [] for name in ("documents", "provisions", "tokens", "provision_themes", "agencies")}
    for k in range(n):
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
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
