"""Make a synthetic corpus of N documents from the shipped ones, in a temporary project root.

Every copy gets its own id, region, issue date and small text variations, so
no cache or deduplication can treat two copies as one: copy k of a seed has
its signature date moved by k days, one sentence numbered with k appended to
its first provision, and the numbers of one target changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _vary(text: str, k: int) -> str:
    # move the signature date (first "YYYY年M月D日"), keep it valid
    m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if m:
        d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) + dt.timedelta(days=k % 300)
        text = text[: m.start()] + f"{d.year}年{d.month}月{d.day}日" + text[m.end() :]
    # a sentence of its own in the first numbered item
    text = re.sub(r"(\n1[.．]\s*[^\n]*?。)", lambda mm: mm.group(1) + f"推动第{k}批知识产权试点项目落地见效。", text, count=1)
    # one target's number
    text = re.sub(r"达到(\d+)件", lambda mm: f"达到{int(mm.group(1)) + k % 97}件", text, count=1)
    return text


def make_corpus(root: Path, n: int) -> Path:
    """Write ``n`` documents and their manifest under ``root/data/raw``; return the raw folder."""
    raw_src = REPO / "data" / "raw"
    with (raw_src / "manifest.csv").open(encoding="utf-8") as fh:
        seeds = list(csv.DictReader(fh))
    raw = root / "data" / "raw"
    if raw.exists():
        shutil.rmtree(raw)
    raw.mkdir(parents=True)
    rows = []
    for k in range(n):
        seed = seeds[k % len(seeds)]
        text = (raw_src / seed["file"]).read_text(encoding="utf-8")
        doc_id = f"{seed['doc_id'].split('-')[0]}-{k:05d}"
        (raw / f"{doc_id}.txt").write_text(_vary(text, k), encoding="utf-8")
        rows.append({**seed, "doc_id": doc_id, "file": f"{doc_id}.txt",
                     "region": f"{seed['region']}{k}", "region_en": f"{seed['region_en']} {k}"})  # fmt: skip
    with (raw / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(seeds[0]))
        writer.writeheader()
        writer.writerows(rows)
    return raw


def add_one(root: Path, k: int) -> None:
    """Add one more document (copy ``k``) to an existing corpus, as a researcher would."""
    raw = root / "data" / "raw"
    with (REPO / "data" / "raw" / "manifest.csv").open(encoding="utf-8") as fh:
        seeds = list(csv.DictReader(fh))
    seed = seeds[k % len(seeds)]
    doc_id = f"added-{k:05d}"
    text = (REPO / "data" / "raw" / seed["file"]).read_text(encoding="utf-8")
    (raw / f"{doc_id}.txt").write_text(_vary(text, k), encoding="utf-8")
    with (raw / "manifest.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(seeds[0])).writerow(
            {**seed, "doc_id": doc_id, "file": f"{doc_id}.txt", "region": f"新增{k}", "region_en": f"Added {k}"}
        )
