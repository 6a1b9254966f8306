"""The pipeline: data/raw/ -> data/processed/, atomically.

Everything is computed in memory first; only when every document has been
read, cleaned and parsed are the tables written, each to a staging file that
then replaces the old one (``os.replace``, atomic on one file system). A bad
input therefore stops the build with nothing in ``data/processed/`` changed.
``build_info.json`` is written last and records the hashes of the inputs and
of the code and resources, so :func:`is_stale` can tell whether the tables on
disk still match what is in ``data/raw/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from . import agencies, brands, config, pipeline, reading, targets, themes, timeline
from .reading import ManifestRow

TABLES = (
    "documents", "provisions", "tokens", "lines", "removed_lines", "targets",
    "provision_themes", "provision_instruments", "brands", "events", "references", "agencies",
)  # fmt: skip
BUILD_INFO = "build_info.json"


# -- the corpus ------------------------------------------------------------------------


class _Result:
    """One document's stage results, under the names the tables use."""

    def __init__(self, staged: dict):
        value = {stage: v for stage, (_key, v) in staged.items()}
        parse = value["parse"]
        self.document = parse["document"]
        self.provisions = parse["provisions"]
        self.lines = parse["lines"]
        self.removed = parse["removed"]
        self.tokens = value["tokens"]
        self.targets = value["targets"]
        self.themes = value["themes"]["themes"]
        self.instruments = value["themes"]["instruments"]
        self.brands = value["brands"]
        self.events = value["timeline"]["events"]
        self.references = value["timeline"]["references"]
        self.agencies = value["agencies"]


def _frame(records: list[dict], columns: list[str] | None, sort: list[str]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=columns)
    return df.sort_values(sort, kind="stable").reset_index(drop=True)


def build_tables(rows: list[ManifestRow], *, progress: bool = False, use_cache: bool = True) -> dict[str, pd.DataFrame]:
    """Process every document (cached stages reused); return the tables, sorted, without writing anything."""
    n = len(rows)
    seen = []

    def report(row, done):
        seen.append(row.doc_id)
        if progress:
            what = ", ".join(done) if done else "cached"
            print(f"[{len(seen)}/{n}] {row.doc_id}: {what}", file=sys.stderr, flush=True)

    staged = pipeline.process_all(rows, use_cache=use_cache, progress=report)
    results = [_Result(s) for s in staged]
    if progress:
        for r in results:
            if r.document["warnings"]:
                print(f"warning: {r.document['source_file']}: {r.document['warnings']}", file=sys.stderr)
    known = {(p["doc_id"], p["provision_id"]) for r in results for p in r.provisions}
    theme_path = config.manual_dir() / "theme_codes.csv"
    instrument_path = config.manual_dir() / "instrument_codes.csv"
    theme_rows = themes.apply_manual(
        [t for r in results for t in r.themes], themes.read_manual_codes(theme_path), key="theme", known=known, path=theme_path
    )
    instrument_rows = themes.apply_manual(
        [t for r in results for t in r.instruments],
        themes.read_manual_codes(instrument_path),
        key="instrument",
        known=known,
        path=instrument_path,
    )
    seq = {(p["doc_id"], p["provision_id"]): p["seq"] for r in results for p in r.provisions}
    documents = _frame([r.document for r in results], None, ["doc_id"])
    documents["period_start"] = documents["period_start"].astype("Int64")
    documents["period_end"] = documents["period_end"].astype("Int64")
    return {
        "documents": documents,
        "provisions": _frame([p for r in results for p in r.provisions], PROVISION_COLUMNS, ["doc_id", "seq"]),
        # Tokens stay in reading order within a document (provision ids do not sort numerically).
        "tokens": _frame([t for r in results for t in r.tokens], TOKEN_COLUMNS, ["doc_id"]),
        "lines": _frame([x for r in results for x in r.lines], LINE_COLUMNS, ["doc_id", "line_no"]),
        "removed_lines": _frame([x for r in results for x in r.removed], REMOVED_COLUMNS, ["doc_id", "line_no"]),
        # Within a line, targets keep the order in which the text states them.
        "targets": _targets_frame([x for r in results for x in r.targets]),
        "provision_themes": _coded_frame(theme_rows, themes.THEME_COLUMNS, seq, "theme", themes.THEME_ORDER),
        "provision_instruments": _coded_frame(
            instrument_rows, themes.INSTRUMENT_COLUMNS, seq, "instrument", themes.INSTRUMENT_ORDER, "subtype"
        ),
        "brands": _frame([x for r in results for x in r.brands], brands.BRAND_COLUMNS, ["doc_id"]),
        "events": _events_frame([x for r in results for x in r.events]),
        "references": _references_frame([x for r in results for x in r.references]),
        "agencies": _frame([x for r in results for x in r.agencies], agencies.AGENCY_COLUMNS, ["doc_id"]),
    }


def _events_frame(records: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=timeline.EVENT_COLUMNS)
    df["_kind"] = [timeline.KIND_ORDER.index(k) for k in df["kind"]]
    df = df.sort_values(["doc_id", "_kind", "start", "end", "label"], kind="stable").drop(columns="_kind")
    return df.reset_index(drop=True)


def _references_frame(records: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=timeline.REFERENCE_COLUMNS)
    for col in ("period_start", "period_end", "count", "line_no"):
        df[col] = df[col].astype("Int64")
    return df.sort_values(["doc_id", "line_no", "title"], kind="stable").reset_index(drop=True)


def _coded_frame(rows, columns, seq, key, order, *extra) -> pd.DataFrame:
    """Codes sorted by document, provision reading order, then code order."""
    df = pd.DataFrame.from_records(rows, columns=columns)
    df["_seq"] = [seq[(d, p)] for d, p in zip(df["doc_id"], df["provision_id"])]
    df["_order"] = [order.index(v) if v in order else len(order) for v in df[key]]
    df = df.sort_values(["doc_id", "_seq", "_order", key, *extra], kind="stable").drop(columns=["_seq", "_order"])
    return df.reset_index(drop=True)


def _targets_frame(records: list[dict]) -> pd.DataFrame:
    df = _frame(records, targets.TARGET_COLUMNS, ["doc_id", "line_no"])
    for col in ("year", "line_no"):
        df[col] = df[col].astype("Int64")
    return df


PROVISION_COLUMNS = [
    "doc_id", "provision_id", "seq", "depth", "label", "path", "section_no", "section_label", "section_title",
    "subsection_label", "subsection_title", "item_title", "text", "body", "responsibility",
    "has_table", "n_chars", "line_start", "line_end", "text_original",
]  # fmt: skip
TOKEN_COLUMNS = ["doc_id", "provision_id", "position", "start", "token", "is_stopword"]
LINE_COLUMNS = ["doc_id", "line_no", "part", "provision_id", "text", "text_original"]
REMOVED_COLUMNS = ["doc_id", "line_no", "reason", "text_original"]


# -- fingerprints and staleness --------------------------------------------------------------


def code_fingerprint() -> str:
    """Hash of the package's source and resource files: a change to either invalidates the build."""
    h = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".txt", ".csv", ".json", ".yml", ".yaml"} and "__pycache__" not in path.parts:
            h.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def input_fingerprint() -> dict[str, str]:
    """SHA-256 of every input file: data/raw/ and the manual codes in data/manual/."""
    out = {}
    for folder in (config.raw_dir(), config.manual_dir()):
        if folder.exists():
            for p in sorted(folder.iterdir()):
                if p.is_file() and not p.name.startswith("."):
                    out[f"{folder.name}/{p.name}"] = reading.sha256(p)
    return out


def build_info() -> dict:
    return {"inputs": input_fingerprint(), "code": code_fingerprint(), "tables": list(TABLES)}


def is_stale() -> bool:
    """True when the processed tables are missing or were built from other inputs or code."""
    path = config.processed_dir() / BUILD_INFO
    if not path.exists():
        return True
    if any(not (config.processed_dir() / f"{t}.parquet").exists() for t in TABLES):
        return True
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return True
    return stored != build_info()


# -- writing -----------------------------------------------------------------------------


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)``, then move the result over ``path`` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes files private; outputs are for everyone
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(df: pd.DataFrame, name: str, out_dir: Path) -> None:
    """Write ``name.parquet`` and ``name.csv`` (UTF-8 with BOM, so Excel shows the Chinese)."""
    atomic_write(out_dir / f"{name}.parquet", lambda p: df.to_parquet(p, index=False))
    atomic_write(
        out_dir / f"{name}.csv",
        lambda p: df.to_csv(p, index=False, encoding="utf-8-sig", lineterminator="\n"),
    )


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path | None = None) -> None:
    out_dir = out_dir or config.processed_dir()
    # Stage every file first, so a failure (disk full, kill) leaves the old tables.
    with tempfile.TemporaryDirectory(prefix=".staging-", dir=out_dir.parent) as tmp:
        tmp = Path(tmp)
        for name, df in tables.items():
            write_table(df, name, tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in tables:
            for suffix in (".parquet", ".csv"):
                os.replace(tmp / f"{name}{suffix}", out_dir / f"{name}{suffix}")
    info = json.dumps(build_info(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write(out_dir / BUILD_INFO, lambda p: p.write_text(info, encoding="utf-8"))


def build(*, progress: bool = False, force: bool = False) -> dict[str, pd.DataFrame]:
    """Validate the manifest, process every document, write every table. Return the tables.

    ``force`` ignores the per-document cache and processes everything again.
    """
    rows = reading.read_manifest()
    tables = build_tables(rows, progress=progress, use_cache=not force)
    write_tables(tables)
    if progress:
        print(f"wrote {len(tables)} tables to {config.processed_dir().relative_to(config.project_root())}/", file=sys.stderr)
    return tables
