"""The build: data/raw/ -> data/processed/, atomically, incrementally and streaming.

Documents are processed by :mod:`ipanalysis.pipeline` (cached, in worker
processes) and arrive in ``doc_id`` order; their rows are appended to each
table's file a batch at a time (:mod:`ipanalysis.tablefiles`), so no table is
ever whole in memory. The corpus tables are then computed from those files
(:mod:`ipanalysis.corpus_tables`), the learned and manual theme codes merged,
and the network files written. Everything goes, with ``build_info.json``,
into a staging folder that replaces ``data/processed/`` as a whole (see
:func:`swap_in`): a bad input, a full disk or a kill leaves the previous
outputs complete. ``build_info.json`` records the hashes of the inputs, of the
code, of each document's state and of every file written with it, so
:func:`is_stale` can tell whether the tables on disk are exactly the ones
built from ``data/raw/``, and a build after a change to a few documents copies
the other documents' rows from the previous files instead of processing them.
:func:`build_tables` is the in-memory equivalent, for small corpora and tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from . import config, pipeline, reading, tables, themes
from .errors import InputError, OutputError, display_path
from .reading import ManifestRow

TABLES = tables.TABLES
BUILD_INFO = "build_info.json"


# -- the corpus ------------------------------------------------------------------------


def build_tables(
    rows: list[ManifestRow], *, progress: bool = False, use_cache: bool = True, manual: bool = True
) -> dict[str, pd.DataFrame]:
    """Process every document (cached stages reused); return the tables, sorted, without writing anything.

    Each document arrives as columns of each table, already in reading
    order; the tables are their concatenation in ``doc_id`` order, with the
    schema of :mod:`ipanalysis.tables` enforced and, unless ``manual=False``,
    the manual codes applied.
    """
    report = ProgressReport(len(rows)) if progress else None
    try:
        staged = pipeline.process_all(rows, use_cache=use_cache, progress=report)
    finally:
        if report is not None:
            report.close()
    order = sorted(range(len(rows)), key=lambda i: rows[i].doc_id)
    pieces: dict[str, list] = {name: [] for name in tables.DOCUMENT_TABLES}
    for i in order:
        for _stage, (_key, frozen) in staged[i].items():
            for name, piece in frozen.items():
                pieces[name].append(piece)
    out = {name: tables.assemble(name, pieces[name]) for name in tables.DOCUMENT_TABLES}
    if progress:
        for rec in out["documents"].itertuples():
            if rec.warnings:
                print(f"warning: {rec.source_file}: {rec.warnings}", file=sys.stderr)
    return apply_manual_codes(out) if manual else out


def wants_bar(stream) -> bool:
    """Whether progress is drawn as a bar: only on a terminal that has a size, never in a notebook.

    A log file, a pipe or a CI job gets one line per document instead (a bar
    there is a wall of carriage returns); so does a Jupyter kernel, whose
    output is saved with the notebook, and a pseudo-terminal without a size
    (``script`` run without one, for instance), where tqdm draws nothing.
    """
    if "ipykernel" in sys.modules:
        return False
    try:
        if not stream.isatty():
            return False
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
    columns, lines = _terminal_size(stream)
    return columns > 0 and lines > 0


def _terminal_size(stream) -> tuple[int, int]:
    """(columns, lines) of the terminal behind ``stream``; (0, 0) when it reports none."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return 0, 0
    return size.columns, size.lines


class ProgressReport:
    """Reports each processed document on stderr: a tqdm bar on a terminal, else one line per document.

    Called as ``report(row, stages_done)`` by :func:`pipeline.process_all`;
    ``close()`` ends the bar. The line form is what logs and tests read:
    ``[3/5] wuwei-2024: parse, tokens, ...`` or ``[3/5] wuwei-2024: cached``.
    """

    def __init__(self, total: int, *, stream=None):
        self.total, self.seen = total, 0
        self.stream = stream or sys.stderr
        self.bar = None
        if wants_bar(self.stream):
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", desc="documents", file=self.stream, dynamic_ncols=True)

    def __call__(self, row, done) -> None:
        self.seen += 1
        if self.bar is not None:
            self.bar.set_postfix_str(row.doc_id, refresh=False)
            self.bar.update(1)
        else:
            what = ", ".join(done) if done else "cached"
            print(f"[{self.seen}/{self.total}] {row.doc_id}: {what}", file=self.stream, flush=True)

    def close(self) -> None:
        """End the bar (if one is drawn), so the next line printed starts on a line of its own."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def apply_manual_codes(rule_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The corpus tables added (:mod:`ipanalysis.corpus_tables`), then the researcher's codes in data/manual/ applied.

    A new dict; the input is kept.
    """
    from .corpus_tables import add_corpus_tables

    out = add_corpus_tables(rule_tables)
    out["provision_themes"] = _with_manual_codes(out, "provision_themes", "theme", themes.THEME_ORDER, "theme_codes.csv")
    out["provision_instruments"] = _with_manual_codes(
        out, "provision_instruments", "instrument", themes.INSTRUMENT_ORDER, "instrument_codes.csv", "subtype"
    )
    return out


def _with_manual_codes(out, name, key, order, filename, *extra) -> pd.DataFrame:
    """Apply a researcher's codes to a whole table (see :func:`manual_applied`)."""
    path = config.manual_dir() / filename
    manual = themes.read_manual_codes(path)
    if not manual:
        return out[name]
    known = set(zip(out["provisions"]["doc_id"], out["provisions"]["provision_id"]))
    seq = dict(zip(out["provisions"]["provision_id"], out["provisions"]["seq"]))
    return manual_applied(out[name], manual, name=name, key=key, order=order, known=known, seq=seq, path=path,
                          extra=extra)  # fmt: skip


def manual_applied(df, manual, *, name, key, order, known, seq, path, extra=()) -> pd.DataFrame:
    """Apply a researcher's codes, then sort by document, provision order, code order.

    ``known``: the (doc_id, provision_id) pairs of the documents in ``df``; a
    code naming any other provision is an error (the streaming build passes
    only the codes of the documents at hand). The stages already emit codes in
    that order, so without manual codes the table is returned as it is.
    """
    if not manual:
        return df
    rows = themes.apply_manual(df.to_dict("records"), manual, key=key, known=known, path=path)
    df = tables.enforce(name, pd.DataFrame.from_records(rows, columns=list(tables.SCHEMAS[name])))
    rank = {v: i for i, v in enumerate(order)}
    df = df.assign(_seq=df["provision_id"].map(seq), _order=df[key].map(lambda v: rank.get(v, len(order))))
    df = df.sort_values(["doc_id", "_seq", "_order", key, *extra], kind="stable").drop(columns=["_seq", "_order"])
    return df.reset_index(drop=True)


# -- fingerprints and staleness --------------------------------------------------------------


def code_fingerprint() -> str:
    """Hash of the package's source and resource files: a change to either invalidates the build.

    Resources are read from ``config.RESOURCES_DIR``, where the stages read them.
    """
    h = hashlib.sha256()
    sources = (p for p in sorted(config.PACKAGE_DIR.rglob("*.py")) if "__pycache__" not in p.parts)
    files = [(p.relative_to(config.PACKAGE_DIR).as_posix(), p) for p in sources if config.RESOURCES_DIR not in p.parents]
    files += [(f"resources/{p.name}", p) for p in sorted(config.RESOURCES_DIR.iterdir()) if p.is_file()]
    for name, path in files:
        h.update(name.encode())
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


def build_info(rows: list[ManifestRow] | None = None) -> dict:
    """What the tables are built from: input and code hashes, and each document's state.

    The written ``build_info.json`` adds ``outputs``, the SHA-256 of every
    table file written with it (see :func:`output_hashes`).
    """
    if rows is None:
        try:
            rows = reading.read_manifest()
        except InputError:  # a broken manifest: the tables are stale, the build will say why
            rows = []
    return {
        "inputs": input_fingerprint(),
        "code": code_fingerprint(),
        "tables": list(TABLES),
        "documents": {r.doc_id: pipeline.document_state(r) for r in sorted(rows, key=lambda r: r.doc_id)},
    }


def output_hashes(out_dir: Path) -> dict[str, str]:
    """SHA-256 of every table file and network file in a processed folder (missing files are left out)."""
    tables_present = {
        f"{t}{suffix}": reading.sha256(out_dir / f"{t}{suffix}")
        for t in TABLES
        for suffix in (".parquet", ".csv")
        if (out_dir / f"{t}{suffix}").is_file()
    }
    networks = out_dir / "networks"
    graphs = {
        f"networks/{p.name}": reading.sha256(p)
        for p in sorted(networks.glob("*")) if p.suffix in (".graphml", ".gexf") and p.is_file()
    } if networks.is_dir() else {}
    return {**tables_present, **graphs}


def read_build_info(out_dir: Path | None = None) -> dict | None:
    """The build_info.json of a processed folder, if it describes exactly the table files present.

    Staleness is decided from the outputs actually on disk, not from the
    stamp alone: a table restored from an older commit, edited or missing
    makes the stamp worthless, and the folder is treated as not built.
    """
    out_dir = out_dir or config.processed_dir()
    recover_outputs(out_dir)
    try:
        info = json.loads((out_dir / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or not all(isinstance(info.get(k), dict) for k in ("outputs", "documents")):
        return None
    try:
        present = output_hashes(out_dir)
    except OSError:
        return None
    try:
        expected = expected_table_files(out_dir)
    except (OSError, ValueError):  # a table missing or not Parquet: not a build's folder
        return None
    tables_present = {k for k in present if not k.startswith("networks/")}
    if tables_present != expected or present != info["outputs"]:
        return None
    return info


def expected_table_files(out_dir: Path) -> set[str]:
    """The table files a build writes into ``out_dir``: every Parquet file, and a CSV for each table that fits.

    Whether a CSV belongs is read from the row count in its Parquet file's
    footer (no data read), so a tokens.csv left beside a too-large tokens
    table, or one missing beside a small one, makes the folder unsound.
    """
    import pyarrow.parquet as pq

    out = set()
    for t in TABLES:
        out.add(f"{t}.parquet")
        if csv_fits(pq.read_metadata(out_dir / f"{t}.parquet").num_rows):
            out.add(f"{t}.csv")
    return out


def is_stale() -> bool:
    """True when the processed tables are missing, altered, or were built from other inputs or code."""
    stored = read_build_info()
    if stored is None:
        return True
    return {k: v for k, v in stored.items() if k not in ("outputs", "rules")} != build_info()


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


# Excel shows at most 1,048,576 rows per sheet; one is the header. A CSV longer than that opens cut
# off without a clear warning, so a table that long (in practice only tokens, from about 650
# documents on) is written as Parquet alone. The build passes this name's value to the writers,
# so that tests can lower it.
SPREADSHEET_MAX_ROWS = tables.SPREADSHEET_MAX_ROWS


def csv_fits(n_rows: int) -> bool:
    """Whether a table of ``n_rows`` rows, plus its header, fits one spreadsheet sheet (and so gets a CSV)."""
    return n_rows <= SPREADSHEET_MAX_ROWS


def write_table(df: pd.DataFrame, name: str, out_dir: Path) -> bool:
    """Write ``name.parquet`` and, while the table fits a spreadsheet, ``name.csv``; return whether the CSV was written.

    Through the streaming build's writer (:class:`ipanalysis.tablefiles.TableWriter`), so a
    table written whole has exactly the bytes of the same table streamed.
    """
    from .tablefiles import from_pandas, write_whole

    return write_whole(name, from_pandas(name, df), out_dir, max_csv_rows=SPREADSHEET_MAX_ROWS)


def _say_no_csv(name: str, n_rows: int) -> None:
    print(f"{name}.csv not written: {n_rows:,} rows, more than a spreadsheet sheet holds "
          f"({SPREADSHEET_MAX_ROWS:,}); {name}.parquet has every row", file=sys.stderr)  # fmt: skip


def _new_staging(out_dir: Path) -> Path:
    """A fresh staging folder beside ``out_dir`` (``data/.staging-…``), readable by everyone."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir.parent))
    os.chmod(staging, 0o755)  # mkdtemp makes folders private; outputs are for everyone
    return staging


def _seal(staging: Path, rows, rules: dict | None) -> dict:
    """Write build_info.json (inputs, code, documents, every output's hash, ``rules``) into ``staging``; return it."""
    info = {**build_info(rows), "outputs": output_hashes(staging)}
    if rules:
        info["rules"] = dict(sorted(rules.items()))
    text = json.dumps(info, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (staging / BUILD_INFO).write_text(text, encoding="utf-8")
    for p in staging.rglob("*"):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return info


CORPUS_NETWORK_INPUTS = ("cowords", "agencies")  # the tables the network files are drawn from
RULE_TABLES = ("provision_themes", "provision_instruments")  # before model and manual codes: kept for patching


# The rule-level tables are kept in the cache under their own SHA-256, which build_info.json records
# (``rules``): a patch uses exactly the rule tables of the build whose outputs are on disk, and a
# damaged, stale or foreign file is never mistaken for them.


def _rules_path(name: str, sha: str) -> Path:
    return pipeline.cache_dir() / f"rules_{name}.{sha}.parquet"


def _previous_rules(recorded) -> dict[str, Path] | None:
    """The rule-level table files a build recorded, if every one is there with exactly that content."""
    if not isinstance(recorded, dict):
        return None
    out = {}
    for name in RULE_TABLES:
        sha = recorded.get(name)
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            return None
        path = _rules_path(name, sha)
        try:
            if reading.sha256(path) != sha:
                return None
        except OSError:
            return None
        out[name] = path
    return out


def _keep_rules(files: dict[str, Path]) -> dict[str, str]:
    """Move this build's rule-level files into the cache under their SHA-256; return the hashes.

    Failing to keep them (an unwritable cache) only means the next build cannot patch.
    """
    shas = {name: reading.sha256(path) for name, path in files.items()}
    for name, path in files.items():
        try:
            pipeline.cache_dir().mkdir(parents=True, exist_ok=True)
            os.replace(path, _rules_path(name, shas[name]))
        except OSError:
            pass
    return shas


def _forget_other_rules(keep: set[str]) -> None:
    """Delete other builds' rule tables, and pickled entries of older versions (never read)."""
    try:
        for p in pipeline.cache_dir().glob("rules_*.parquet"):
            if p.name.split(".")[-2] not in keep:
                p.unlink(missing_ok=True)
        for p in pipeline.cache_dir().glob("*.pkl"):
            p.unlink(missing_ok=True)
    except OSError:
        pass


# Documents handled together in the streaming build: each table's rows of this many documents are in
# memory at once (a few MB), then written.
DOCS_PER_BATCH = 64


class _Previous:
    """What a patch reads from the build on disk: its tables, its rule tables, its documents' states."""

    def __init__(self, info: dict, rules: dict[str, Path]):
        self.info, self.rules = info, rules

    def reader(self, name: str):
        from .tablefiles import SortedReader

        path = self.rules[name] if name in RULE_TABLES else config.processed_dir() / f"{name}.parquet"
        return SortedReader(path, name)


def _previous_build() -> _Previous | None:
    """The build on disk, when it can be patched: sound outputs, the same code, its rule tables kept."""
    info = read_build_info()
    if info is None or info.get("code") != code_fingerprint():
        return None
    rules = _previous_rules(info.get("rules"))
    return _Previous(info, rules) if rules else None


def _sorted_by_doc(piece):
    """Rows in doc_id order, each document's rows in the order they came (a stable sort)."""
    import pyarrow.compute as pc

    if piece.num_rows < 2:
        return piece
    return piece.take(pc.sort_indices(piece, sort_keys=[("doc_id", "ascending")]))


class _Manual:
    """A researcher's codes for one table, applied batch by batch; a code naming no provision is an error."""

    def __init__(self, name: str, key: str, order, filename: str, extra=()):
        self.name, self.key, self.order, self.extra = name, key, order, extra
        self.path = config.manual_dir() / filename
        self.codes = themes.read_manual_codes(self.path)
        self.found: set[tuple[str, str]] = set()

    def apply(self, df: pd.DataFrame, provisions: pd.DataFrame) -> pd.DataFrame:
        """``df``'s rows (some documents) with the codes of those documents applied."""
        if not self.codes:
            return df
        docs = set(provisions["doc_id"])
        codes = [m for m in self.codes if m["doc_id"] in docs]
        if not codes:
            return df
        known = set(zip(provisions["doc_id"], provisions["provision_id"]))
        codes = [m for m in codes if (m["doc_id"], m["provision_id"]) in known]
        self.found |= {(m["doc_id"], m["provision_id"]) for m in codes}
        seq = dict(zip(provisions["provision_id"], provisions["seq"]))
        return manual_applied(df, codes, name=self.name, key=self.key, order=self.order, known=known, seq=seq,
                              path=self.path, extra=self.extra)  # fmt: skip

    def check(self) -> None:
        """Raise for the first code (in file order) that named a provision the corpus does not have."""
        for m in self.codes:
            if (m["doc_id"], m["provision_id"]) not in self.found:
                raise InputError(self.path, f"unknown provision {m['provision_id']!r} of {m['doc_id']!r}")


def _stream_documents(rows, staging: Path, rules_dir: Path, *, previous: _Previous | None, force: bool,
                      progress: bool, manual_instruments: _Manual):  # fmt: skip
    """Process (or take from the previous build) every document, writing the per-document tables as they come.

    Documents go in ``doc_id`` order, :data:`DOCS_PER_BATCH` at a time; each
    table's rows of one batch are joined, ordered and appended to its file.
    Returns the documents table (small) and the provisions' (doc_id,
    provision_id, seq), which the corpus steps and the manual codes need.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from .tablefiles import TableWriter, conform

    rows = sorted(rows, key=lambda r: r.doc_id)
    states = {r.doc_id: pipeline.document_state(r) for r in rows}
    kept = {d for d, s in states.items() if previous and previous.info["documents"].get(d) == s}
    todo = [r for r in rows if r.doc_id not in kept]
    report = ProgressReport(len(todo)) if progress and todo else None
    writers = {}
    try:
        for name in tables.DOCUMENT_TABLES:
            if name in RULE_TABLES:
                writers[f"rules/{name}"] = TableWriter(name, rules_dir, csv=False)
            if name != "provision_themes":  # written after the theme model
                writers[name] = TableWriter(name, staging, max_csv_rows=SPREADSHEET_MAX_ROWS)
        readers = {name: previous.reader(name) for name in tables.DOCUMENT_TABLES} if kept else {}
        processed = pipeline.process_iter(todo, use_cache=not force)
        documents, provisions = [], []
        for at in range(0, len(rows), DOCS_PER_BATCH):
            batch = rows[at : at + DOCS_PER_BATCH]
            fresh: dict[str, list] = {name: [] for name in tables.DOCUMENT_TABLES}
            for r in batch:
                if r.doc_id in kept:
                    continue
                got, results, done = next(processed)
                if got.doc_id != r.doc_id:  # process_iter keeps the order it is given
                    raise RuntimeError(f"documents out of order: {got.doc_id} where {r.doc_id} was expected")
                for _stage, (_key, frozen) in results.items():
                    for name, piece in frozen.items():
                        fresh[name].append(piece)
                if report is not None:
                    report(r, done)
            last = batch[-1].doc_id
            keep_ids = pa.array(sorted(d.doc_id for d in batch if d.doc_id in kept), type=pa.string())
            for name in tables.DOCUMENT_TABLES:
                piece = tables.assemble_arrow(name, fresh[name])
                if name in readers:
                    old = readers[name].upto(last)
                    old = old.filter(pc.is_in(old.column("doc_id"), value_set=keep_ids))
                    piece = _sorted_by_doc(pa.concat_tables([old, conform(name, piece)]))
                if name in RULE_TABLES:
                    writers[f"rules/{name}"].write(piece)
                if name == "documents":
                    documents.append(piece)
                if name == "provisions":
                    provisions.append(piece.select(["doc_id", "provision_id", "seq"]))
                if name == "provision_instruments":
                    from .tablefiles import from_pandas

                    prov = provisions[-1].to_pandas()
                    piece = from_pandas(name, manual_instruments.apply(_to_pandas(name, piece), prov))
                if name in writers:
                    writers[name].write(piece)
        for name, writer in writers.items():
            if not writer.close() and not name.startswith("rules/"):
                _say_no_csv(name, writer.rows)
        writers = {}
    finally:
        if report is not None:
            report.close()
        for writer in writers.values():
            writer.abort()
    docs = _to_pandas("documents", pa.concat_tables(documents))
    if progress:
        for rec in docs.itertuples():
            if rec.warnings:
                print(f"warning: {rec.source_file}: {rec.warnings}", file=sys.stderr)
    return docs, pa.concat_tables(provisions).to_pandas()


def _to_pandas(name: str, piece) -> pd.DataFrame:
    """An Arrow piece of table ``name`` as the DataFrame :func:`tables.assemble` would give."""
    df = piece.select(list(tables.SCHEMAS[name])).to_pandas()
    for col, dtype in tables.SCHEMAS[name].items():
        if dtype == tables.NINT:
            df[col] = df[col].astype("Int64")
    return df


def _corpus_from_files(folder: Path, documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The corpus-level tables and the theme model's rows, from the per-document tables written to ``folder``."""
    from . import corpus_tables

    return corpus_tables.from_files(folder, documents)


def _write_themes(staging: Path, rules_file: Path, model_rows: pd.DataFrame, provisions: pd.DataFrame,
                  manual: _Manual) -> None:  # fmt: skip
    """provision_themes: the rule codes, the learned codes and the researcher's codes, a batch of documents at a time."""
    from .tablefiles import SortedReader, TableWriter, from_pandas
    from .theme_model import merge_model_rows

    name = "provision_themes"
    reader = SortedReader(rules_file, name)
    writer = TableWriter(name, staging, max_csv_rows=SPREADSHEET_MAX_ROWS)
    try:
        doc_ids = sorted(set(provisions["doc_id"]))
        model_by_doc = dict(tuple(model_rows.groupby("doc_id", sort=True))) if len(model_rows) else {}
        prov_by_doc = dict(tuple(provisions.groupby("doc_id", sort=True)))
        empty_model = model_rows.iloc[0:0]
        for at in range(0, len(doc_ids), DOCS_PER_BATCH):
            batch = doc_ids[at : at + DOCS_PER_BATCH]
            rules = _to_pandas(name, reader.upto(batch[-1]))
            prov = pd.concat([prov_by_doc[d] for d in batch], ignore_index=True)
            found = [model_by_doc[d] for d in batch if d in model_by_doc]
            model = pd.concat(found, ignore_index=True) if found else empty_model
            seq = dict(zip(prov["provision_id"], prov["seq"]))
            merged = merge_model_rows(rules, model, seq)
            writer.write(from_pandas(name, manual.apply(merged, prov)))
        rest = reader.upto("\U0010ffff")
        if rest.num_rows:  # rule rows of a document with no provisions cannot be: a defect, not an input
            raise RuntimeError(f"{rest.num_rows} theme rows of unknown documents")
        if not writer.close():
            _say_no_csv(name, writer.rows)
    except BaseException:
        writer.abort()
        raise


def stream_outputs(rows, out_dir: Path, *, force: bool, progress: bool) -> tuple[Path, dict, dict[str, Path]]:
    """Build every table into a new staging folder beside ``out_dir``, streaming, never holding a table whole.

    A patch (same code, a sound previous build) takes each unchanged
    document's rows from the previous files and processes only the others;
    a full build processes every document (from the cache unless ``force``).
    Both give the same bytes. Returns ``(staging, build info, rule-table
    files)``; on any failure the staging folder is removed and the error raised.
    """
    from .tablefiles import write_whole, from_pandas

    previous = None if force else _previous_build()
    staging = _new_staging(out_dir)
    rules_dir = Path(tempfile.mkdtemp(prefix=".rules-", dir=out_dir.parent))
    try:
        manual_themes = _Manual("provision_themes", "theme", themes.THEME_ORDER, "theme_codes.csv")
        manual_instruments = _Manual("provision_instruments", "instrument", themes.INSTRUMENT_ORDER,
                                     "instrument_codes.csv", ("subtype",))  # fmt: skip
        documents, provisions = _stream_documents(rows, staging, rules_dir, previous=previous, force=force,
                                                  progress=progress, manual_instruments=manual_instruments)  # fmt: skip
        corpus = _corpus_from_files(staging, documents)
        _write_themes(staging, rules_dir / "provision_themes.parquet", corpus["model_themes"], provisions, manual_themes)
        manual_themes.check()
        manual_instruments.check()
        for name in tables.CORPUS_TABLES:
            write_table(corpus[name], name, staging)
        from . import network_files

        network_files.write_all(corpus["cowords"], staging / "agencies.parquet", staging / "networks")
        rule_files = {name: rules_dir / f"{name}.parquet" for name in RULE_TABLES}
        info = _seal(staging, rows, {name: reading.sha256(path) for name, path in rule_files.items()})
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(rules_dir, ignore_errors=True)
        raise
    return staging, info, rule_files


class ProcessedTables(Mapping):
    """The tables of a processed folder, read from their Parquet files when first asked for."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._read: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        if name not in self._read:
            self._read[name] = pd.read_parquet(self.folder / f"{name}.parquet")
        return self._read[name]

    def __iter__(self):
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


# -- the output folder, swapped whole ------------------------------------------------------------
#
# Every table and build_info.json are written into a fresh folder next to data/processed/
# (data/.staging-XXXX); only when all are complete is that folder renamed into place, the old
# one first moved aside (data/.processed.old-XXXX) and then deleted. A failure or a kill before
# the swap leaves data/processed/ as it was; a kill between the two renames leaves the old folder
# aside, and the next build or staleness check puts it back (:func:`recover_outputs`).


def _aside_prefix(out_dir: Path) -> str:
    return f".{out_dir.name}.old-"


def recover_outputs(out_dir: Path) -> None:
    """Put back an output folder that a kill left moved aside (before its replacement arrived)."""
    if out_dir.exists() or not out_dir.parent.is_dir():
        return
    aside = sorted(out_dir.parent.glob(_aside_prefix(out_dir) + "*"), key=lambda p: p.stat().st_mtime)
    if aside:
        try:
            os.rename(aside[-1], out_dir)
        except OSError:
            pass


def stage_outputs(tables: dict[str, pd.DataFrame], out_dir: Path, *, rows=None, rules=None) -> tuple[Path, dict]:
    """Write every table and build_info.json into a new staging folder beside ``out_dir``.

    ``rules``: SHA-256 of the rule-level tables kept for the next patch, recorded in build_info.
    Returns ``(staging folder, build info)``. On any failure the staging
    folder is removed and the error raised; ``out_dir`` is never touched.
    """
    staging = _new_staging(out_dir)
    try:
        for name, df in tables.items():
            if not write_table(df, name, staging):
                _say_no_csv(name, len(df))
        if set(CORPUS_NETWORK_INPUTS) <= set(tables):
            from .cowords import write_networks

            write_networks(tables, staging / "networks")  # GraphML + GEXF of the co-word and agency networks
        info = _seal(staging, rows, rules)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, info


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by the complete ``staging`` folder: two renames, under a lock."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; concurrent builds are then the user's care
        fcntl = None

    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    try:
        with lock_path.open("a") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)  # two builds at once: one swap at a time
            recover_outputs(out_dir)
            _remove_abandoned_staging(out_dir.parent, keep=staging)
            aside = None
            if out_dir.exists():
                aside = Path(tempfile.mkdtemp(prefix=_aside_prefix(out_dir), dir=out_dir.parent))
                os.rmdir(aside)
                os.rename(out_dir, aside)
            try:
                os.rename(staging, out_dir)
            except BaseException:
                if aside is not None:
                    os.rename(aside, out_dir)
                raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if aside is not None:
        _remove_aside(aside)


STAGING_MAX_AGE = 3600  # seconds: a staging folder this old belongs to a build that was killed


def _remove_abandoned_staging(parent: Path, *, keep: Path) -> None:
    import time

    for p in parent.glob(".staging-*"):
        try:
            if p != keep and p.is_dir() and time.time() - p.stat().st_mtime > STAGING_MAX_AGE:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def _remove_aside(aside: Path) -> None:
    """Delete the previous outputs; if a file resists (immutable, permissions), say so and go on."""
    problems = []
    if sys.version_info >= (3, 12):
        shutil.rmtree(aside, onexc=lambda _func, path, exc: problems.append((path, exc)))
    else:
        shutil.rmtree(aside, onerror=lambda _func, path, info: problems.append((path, info[1])))
    if problems:
        path, exc = problems[0]
        reason = getattr(exc, "strerror", None) or exc
        print(f"warning: {display_path(Path(path))}: could not delete the previous outputs ({reason}); "
              f"delete {display_path(aside)} by hand", file=sys.stderr)  # fmt: skip


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path | None = None, *, rows=None) -> dict:
    """Write every table and build_info.json, replacing the whole output folder at once. Return the build info."""
    out_dir = out_dir or config.processed_dir()
    staging, info = stage_outputs(tables, out_dir, rows=rows)
    swap_in(staging, out_dir)
    return info


def build(*, progress: bool = False, force: bool = False) -> Mapping[str, pd.DataFrame]:
    """Validate the manifest, process every document, write every table. Return the tables (read lazily).

    The tables are streamed to their files a few documents at a time (see
    :func:`stream_outputs`), so memory does not grow with the corpus. When
    the code is unchanged since the last build, unchanged documents' rows
    are copied from the previous tables and only the others are processed,
    which gives the same bytes as a full build at a fraction of the cost.
    ``force`` ignores the cache and the previous tables and rebuilds everything.

    A file system fault while writing (read-only folder, full disk, missing
    permission) raises :class:`~ipanalysis.errors.OutputError`, one line, with
    the previous outputs complete and unchanged.
    """
    rows = reading.read_manifest()
    out_dir = config.processed_dir()
    try:
        staging, info, rule_files = stream_outputs(rows, out_dir, force=force, progress=progress)
        rules_dir = next(iter(rule_files.values())).parent
        try:
            shas = _keep_rules(rule_files)  # before the swap: a kill after it still finds this build's rules
            swap_in(staging, out_dir)
        finally:
            shutil.rmtree(rules_dir, ignore_errors=True)
    except OSError as exc:
        raise OutputError.from_os_error(exc, fallback=out_dir) from None
    _forget_other_rules(set(shas.values()))
    if progress:
        print(f"wrote {len(TABLES)} tables to {out_dir.relative_to(config.project_root())}/", file=sys.stderr)
    return ProcessedTables(out_dir)
