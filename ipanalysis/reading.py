"""Reading: the manifest and the raw documents, validated before anything is built."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from . import config
from .errors import InputError

REQUIRED_COLUMNS = ("doc_id", "file", "region", "region_en", "level")
OPTIONAL_COLUMNS = ("province", "province_en")
# Values read from the text that the manifest may override.
OVERRIDE_COLUMNS = (
    "title",
    "issuer",
    "doc_number",
    "issued",
    "published",
    "period_start",
    "period_end",
    "script",
)
LEVELS = ("national", "province", "city", "county")
SCRIPTS = ("simplified", "traditional", "mixed")
SUPPORTED_SUFFIXES = (".txt",)
# Files in data/raw/ that are not documents.
NOT_DOCUMENTS = ("manifest.csv", "README.md")

_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class ManifestRow:
    row: int  # 1-based position in the manifest: fixes each region's colour
    doc_id: str
    path: Path
    region: str
    region_en: str
    level: str
    province: str
    province_en: str
    overrides: dict[str, str]


def read_manifest(path: Path | None = None) -> list[ManifestRow]:
    """Read and validate ``data/raw/manifest.csv``.

    Raises :class:`InputError` for a missing or malformed manifest, a missing
    column, an unknown level, a bad date, a duplicate id, a row whose file is
    missing, and a document file with no row.
    """
    path = path or config.manifest_path()
    if not path.exists():
        raise InputError(path, "manifest not found; create it with one row per document (see README)")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = reader.fieldnames or []
            records = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(path, f"not a readable UTF-8 CSV file ({exc})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(path, f"missing column(s): {', '.join(missing)}")
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS + OVERRIDE_COLUMNS]
    if unknown:
        raise InputError(path, f"unknown column(s): {', '.join(unknown)}")
    if not records:
        raise InputError(path, "has no document rows")

    rows: list[ManifestRow] = []
    seen: dict[str, int] = {}
    for n, rec in enumerate(records, start=2):  # line 1 is the header
        rec = {k: (v or "").strip() for k, v in rec.items() if k is not None}
        where = f"line {n}"
        for col in REQUIRED_COLUMNS:
            if not rec.get(col):
                raise InputError(path, f"{where}: empty {col}")
        doc_id = rec["doc_id"]
        if not _DOC_ID.match(doc_id):
            raise InputError(path, f"{where}: doc_id {doc_id!r} must be lower-case letters, digits, '-' or '_'")
        if doc_id in seen:
            raise InputError(path, f"{where}: duplicate doc_id {doc_id!r} (first on line {seen[doc_id]})")
        seen[doc_id] = n
        if rec["level"] not in LEVELS:
            raise InputError(path, f"{where}: unknown level {rec['level']!r}; use one of {', '.join(LEVELS)}")
        overrides = {c: rec[c] for c in OVERRIDE_COLUMNS if rec.get(c)}
        for col in ("issued", "published"):
            if col in overrides and not _valid_date(overrides[col]):
                raise InputError(path, f"{where}: {col} {overrides[col]!r} is not a date (YYYY-MM-DD)")
        for col in ("period_start", "period_end"):
            if col in overrides and not re.fullmatch(r"(19|20)\d{2}", overrides[col]):
                raise InputError(path, f"{where}: {col} {overrides[col]!r} is not a year")
        if "script" in overrides and overrides["script"] not in SCRIPTS:
            raise InputError(path, f"{where}: script must be one of {', '.join(SCRIPTS)}")
        doc_path = path.parent / rec["file"]
        if not doc_path.is_file():
            raise InputError(path, f"{where}: file {rec['file']!r} not found in {path.parent.name}/")
        rows.append(
            ManifestRow(
                row=len(rows) + 1,
                doc_id=doc_id,
                path=doc_path,
                region=rec["region"],
                region_en=rec["region_en"],
                level=rec["level"],
                province=rec.get("province", ""),
                province_en=rec.get("province_en", ""),
                overrides=overrides,
            )
        )
    listed = {r.path.name for r in rows}
    for f in sorted(path.parent.iterdir()):
        if f.is_file() and not f.name.startswith(".") and f.name not in NOT_DOCUMENTS and f.name not in listed:
            raise InputError(f, "has no row in manifest.csv; add one (see README, 'Adding a document')")
    return rows


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    import datetime as dt

    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_text(path: Path) -> tuple[str, str]:
    """Read a document file; return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 with BOM are decoded exactly;
    otherwise GB18030, the superset of GBK used by Chinese government sites.
    Empty, binary and undecodable files raise :class:`InputError`.
    """
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InputError(path, f"unsupported file type {path.suffix or '(none)'}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(path, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(path, "starts with a UTF-16 mark but cannot be decoded as UTF-16") from None
    if b"\x00" in data:
        raise InputError(path, "looks like a binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(path, f"cannot decode the bytes as UTF-8 or GB18030 (byte {exc.start})") from None
