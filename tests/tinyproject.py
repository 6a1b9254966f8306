"""Throw-away projects made of the 12 short real openings in tests/data/realdocs/ (about 2 KB each).

They build in a fraction of a second, so the safety and incremental-build tests can build
many times without slowing the suite.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

REALDOCS = Path(__file__).parent / "data" / "realdocs"
# file -> (doc_id, region, region_en, level)
DOCS = {
    "01_jinan.txt": ("jinan-2022", "济南", "Jinan", "city"),
    "02_huhehaote.txt": ("huhehaote-2019", "呼和浩特", "Hohhot", "city"),
    "03_eerduosi.txt": ("eerduosi-2022", "鄂尔多斯", "Ordos", "city"),
    "04_gansu.txt": ("gansu-2021", "甘肃", "Gansu", "province"),
    "05_shanxi.txt": ("shanxi-2022", "山西", "Shanxi", "province"),
    "06_ningxia.txt": ("ningxia-2022", "宁夏", "Ningxia", "province"),
    "07_jiangmen.txt": ("jiangmen-2024", "江门", "Jiangmen", "city"),
    "08_taicang.txt": ("taicang-2022", "太仓", "Taicang", "county"),
    "09_baotou.txt": ("baotou-2021", "包头", "Baotou", "city"),
    "10_tongzhou.txt": ("tongzhou-2023", "通州", "Tongzhou", "county"),
    "11_puyang.txt": ("puyang-2014", "濮阳", "Puyang", "city"),
    "12_jiangsu.txt": ("jiangsu-2009", "江苏", "Jiangsu", "province"),
}
HEADER = ("doc_id", "file", "region", "region_en", "level", "province", "province_en")


def manifest_text(files: list[str]) -> str:
    """A manifest for some of the openings, written with the csv module."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for f in files:
        doc_id, region, region_en, level = DOCS[f]
        w.writerow((doc_id, doc_id + ".txt", region, region_en, level, "", ""))
    return buf.getvalue()


def make_project(root: Path, files: list[str]) -> Path:
    """data/raw/ under ``root`` holding ``files`` (named by doc_id) and their manifest."""
    raw = root / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for f in files:
        (raw / (DOCS[f][0] + ".txt")).write_bytes((REALDOCS / f).read_bytes())
    (raw / "manifest.csv").write_text(manifest_text(files), encoding="utf-8")
    return root


def hashes(directory: Path) -> dict[str, str]:
    """SHA-256 of every file directly in ``directory`` (hidden files too)."""
    if not directory.exists():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


def tables_of(directory: Path) -> dict[str, bytes]:
    """The bytes of every table (CSV and Parquet) in a processed folder."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.suffix in (".csv", ".parquet")}
