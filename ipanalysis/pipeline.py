"""Per-document processing in stages, cached, and run on every core.

Each document goes through seven stages. Each stage's result is cached under
a key made of the file's SHA-256, its manifest row, and the fingerprint of
the code and resource files the stage depends on (and of the stages it reads
from). Adding a document therefore processes only that document; editing
``resources/stopwords.txt`` re-runs only the ``tokens`` stage of every
document; editing ``themes.csv`` only ``themes``. The cache lives in
``data/.cache/`` (never committed) and ``ipanalysis build --force`` ignores it.
It is JSON with a checksum, never pickle: nothing read from ``data/`` can run
code, and an entry that is not exactly what this code wrote is recomputed.

Why processes rather than threads: segmentation is pure Python and holds the
GIL. Each worker process builds its jieba tokenizer once and keeps it for
every document it is given.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

from . import (agencies, anatomy, brands, cleaning, config, metadata, reading, regions, segmentation, structure,
               targets, themes, timeline)
from .errors import InputError
from .reading import ManifestRow

# stage: (modules, resource files, stages it reads)
STAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "parse": (
        ("pipeline.py", "tables.py", "config.py", "reading.py", "cleaning.py", "patterns.py", "structure.py",
         "metadata.py", "anatomy.py", "regions.py", "errors.py"),  # fmt: skip
        ("chrome_patterns.txt", "closing_patterns.txt", "divisions_supplement.csv"),
        (),
    ),
    "tokens": (("segmentation.py",), ("userdict.txt", "stopwords.txt"), ("parse",)),
    "targets": (("targets.py",), ("indicators.csv",), ("parse",)),
    "themes": (("themes.py",), ("themes.csv", "instruments.csv"), ("parse",)),
    "brands": (("brands.py",), ("brand_rules.txt",), ("parse",)),
    "timeline": (("timeline.py",), (), ("parse", "targets")),
    "agencies": (("agencies.py",), ("agency_aliases.csv", "agency_types.csv"), ("parse",)),
}
# Below this many documents to process, worker start-up costs more than it saves.
PARALLEL_MIN_DOCS = 8


@lru_cache(maxsize=1)
def stage_fingerprints() -> dict[str, str]:
    """Hash of each stage's code, resources and upstream stages."""
    out: dict[str, str] = {}
    for stage, (modules, resources, upstream) in STAGES.items():
        h = hashlib.sha256(stage.encode())
        for name in modules:
            h.update((config.PACKAGE_DIR / name).read_bytes())
        for name in resources:
            h.update(config.resource(name).read_bytes())
        for up in upstream:
            h.update(out[up].encode())
        if stage == "tokens":
            h.update(segmentation.backend().encode())
        out[stage] = h.hexdigest()
    return out


def document_state(row: ManifestRow) -> str:
    """One hash for everything a document's rows depend on: file, manifest row and its number, every stage's code."""
    h = hashlib.sha256(document_key(row).encode())
    h.update(str(row.row).encode())
    for fingerprint in stage_fingerprints().values():
        h.update(fingerprint.encode())
    return h.hexdigest()


def document_key(row: ManifestRow) -> str:
    """Hash of the file's content and its manifest row's fields.

    Not of the row's number: deleting a row above renumbers every later one,
    and that must not make their stages run again. The number is written into
    the documents row when results are used (:func:`with_row_number`).
    """
    h = hashlib.sha256(reading.sha256(row.path).encode())
    h.update(repr((row.doc_id, row.path.name, row.region, row.region_en, row.level, row.province,
                   row.province_en, sorted(row.overrides.items()))).encode())  # fmt: skip
    return h.hexdigest()


def stage_key(base: str, stage: str, fingerprints: dict[str, str]) -> str:
    """Cache key of one stage of one document: its document key and the stage's fingerprint."""
    return hashlib.sha256((base + fingerprints[stage]).encode()).hexdigest()


# -- the stages -----------------------------------------------------------------------------


def _provision_id(doc_id: str, unit: structure.Unit) -> str:
    return f"{doc_id}:" + ".".join(str(u.number) for u in unit.path())


def _heading_title(unit: structure.Unit) -> str:
    return structure.item_title(unit.heading, True) or unit.heading


def provisions_of(doc_id: str, leaves: list[structure.Unit]) -> list[dict]:
    """One record per leaf unit, in reading order."""
    records = []
    seen: set[str] = set()
    for seq, unit in enumerate(leaves, start=1):
        path = unit.path()
        texts = [ln.text for ln in unit.lines]
        table = structure.table_line_indices(texts)
        kept = [t for i, t in enumerate(texts) if i not in table]
        head_line = kept[0][len(kept[0]) - len(unit.heading) :] if kept else ""
        body, responsibility = structure.split_responsibility("\n".join([head_line, *kept[1:]]).strip())
        pid = _provision_id(doc_id, unit)
        while pid in seen:  # a document that repeats a number: keep ids unique and stable
            pid += "+"
        seen.add(pid)
        top = path[0]
        sub = path[1] if len(path) >= 3 else None
        records.append(
            {
                "doc_id": doc_id,
                "provision_id": pid,
                "seq": seq,
                "depth": len(path),
                "label": unit.label,
                "path": " / ".join(u.label for u in path),
                "section_no": top.number,
                "section_label": top.label,
                "section_title": _heading_title(top),
                "subsection_label": sub.label if sub else "",
                "subsection_title": _heading_title(sub) if sub else "",
                "item_title": structure.item_title(unit.heading, len(unit.lines) > 1),
                "text": "\n".join(kept),
                "body": body,
                "responsibility": responsibility,
                "has_table": bool(table),
                "n_chars": len(body.replace("\n", "")),
                "line_start": unit.lines[0].lineno,
                "line_end": max(max(ln.joined_from) for ln in unit.lines),
                "text_original": "\n".join(ln.original.strip() for ln in unit.lines),
            }
        )
    return records


def stage_parse(row: ManifestRow) -> dict:
    """Read, clean and parse: the document record, provisions, lines and removed lines."""
    raw, encoding = reading.read_text(row.path)
    script = row.overrides.get("script") or cleaning.detect_script(raw)
    kept, removed = cleaning.clean_lines(raw, script=script)
    parsed = structure.parse(kept)
    anat = anatomy.dissect(kept, removed, parsed)
    warnings = []
    leaves = parsed.leaves()
    if not leaves:
        # Only the policy's own prose becomes paragraphs: not the notice wrapper, not page chrome.
        parsed = structure.paragraphs_as_units(structure.ParsedDocument(anat.of("preamble"), [], parsed.closing))
        leaves = parsed.leaves()
        warnings.append("no numbered structure: paragraphs used as provisions")
    provisions = provisions_of(row.doc_id, leaves)
    extracted, period_source = metadata.read(anat)
    extracted["script"] = script
    values = {**extracted, **row.overrides}
    if {"period_start", "period_end"} & row.overrides.keys():
        period_source = "manifest"
    for field, problem in (("title", "no title found"), ("issued", "no issue date found"), ("period_end", "no plan period found")):
        if not values[field]:
            warnings.append(problem)
    if not provisions:
        warnings.append("no provisions found")
    place = regions.infer_region(issuer=values["issuer"], title=values["title"])
    warnings += regions.disagreements(place, region=row.region, level=row.level)
    document = {
        "doc_id": row.doc_id,
        "manifest_row": row.row,
        "region": row.region,
        "region_en": row.region_en,
        "level": row.level,
        "province": row.province or (place.province if place.region == row.region else ""),
        "province_en": row.province_en,
        "title": values["title"],
        "issuer": values["issuer"],
        "doc_number": values["doc_number"],
        "issued": values["issued"],
        "issued_precision": (metadata.parse_date(values["issued"]).precision if values["issued"] else ""),
        "published": values["published"],
        "period_start": int(values["period_start"]) if values["period_start"] else None,
        "period_end": int(values["period_end"]) if values["period_end"] else None,
        "period_source": period_source,
        "script": values["script"],
        "encoding": encoding,
        "n_provisions": len(provisions),
        "n_chars": sum(len(ln.text.replace(" ", "")) for ln in kept),
        "n_removed_lines": len(removed),
        "overridden": ",".join(sorted(row.overrides)),
        "warnings": "；".join(warnings),
        "source_file": row.path.name,
        "sha256": reading.sha256(row.path),
    }
    owner = {ln.lineno: p["provision_id"] for unit, p in zip(leaves, provisions) for ln in unit.lines}
    body_lines = {ln.lineno for u in parsed.units for ln in u.lines}
    part = anat.part_by_lineno()
    lines = [
        {
            "doc_id": row.doc_id,
            "line_no": ln.lineno,
            "part": "body" if ln.lineno in body_lines else part[ln.lineno],
            "provision_id": owner.get(ln.lineno, ""),
            "text": ln.text,
            "text_original": ln.original.strip(),
        }
        for ln in kept
    ]
    removed_rows = [
        {"doc_id": row.doc_id, "line_no": ln.lineno, "reason": ln.removed, "text": ln.text, "text_original": ln.original.strip()}
        for ln in removed
    ]
    return {"documents": [document], "provisions": provisions, "lines": lines, "removed_lines": removed_rows}


def stage_tokens(parse: dict) -> dict:
    """Tokens stage: every provision segmented, one row per token with its position and stopword flag."""
    stop = segmentation.stopwords()
    doc_ids, provision_ids, positions, starts, tokens = [], [], [], [], []
    for p in parse["provisions"]:
        found = segmentation.tokenize(p["body"])
        n = len(found)
        doc_ids += [p["doc_id"]] * n
        provision_ids += [p["provision_id"]] * n
        positions += range(n)
        starts += [start for start, _token in found]
        tokens += [token for _start, token in found]
    return {
        "tokens": {"doc_id": doc_ids, "provision_id": provision_ids, "position": positions, "start": starts,
                   "token": tokens, "is_stopword": [t in stop for t in tokens]}  # fmt: skip
    }


def stage_targets(parse: dict) -> dict:
    """Targets stage: targets and baselines of one parsed document, with the issue year and plan end as context."""
    doc = parse["documents"][0]
    issue_year = int(doc["issued"][:4]) if doc["issued"] else doc["period_start"]
    ctx = targets.Context(issue_year=issue_year, plan_end=doc["period_end"])
    rows = [{"doc_id": doc["doc_id"], **t} for t in targets.document_targets(parse["lines"], ctx)]
    rows.sort(key=lambda t: t["line_no"])  # stable: within a line, in the order the text states them
    return {"targets": rows}


def stage_themes(parse: dict) -> dict:
    """Theme and instrument codes, in provision order, then in the schemes' order (as the tables sort them)."""
    provisions = parse["provisions"]
    rank = {v: i for i, v in enumerate(themes.INSTRUMENT_ORDER)}
    instruments = []
    for p in provisions:
        rows = themes.code_instruments(p)
        rows.sort(key=lambda r: (rank.get(r["instrument"], len(rank)), r["instrument"], r["subtype"]))
        instruments += rows
    return {
        "provision_themes": [t for p in provisions for t in themes.code_themes(p)],  # already in THEME_ORDER
        "provision_instruments": instruments,
    }


def stage_brands(parse: dict) -> dict:
    """Brands stage: the named geographical indications and brands of one parsed document."""
    return {"brands": brands.document_brands(parse["provisions"])}


def stage_timeline(parse: dict, target_stage: dict) -> dict:
    """Timeline stage: dated events (issue, period, phases, target years) and cited plans of one document."""
    doc, lines = parse["documents"][0], parse["lines"]
    refs = timeline.references(timeline.citations(doc, lines))
    events = (
        timeline.date_events(doc, lines, parse["removed_lines"])
        + timeline.period_event(doc)
        + timeline.phase_events(doc["doc_id"], parse["provisions"])
        + timeline.target_year_events(doc["doc_id"], target_stage["targets"])
        + timeline.reference_events(refs)
    )
    kind = {k: i for i, k in enumerate(timeline.KIND_ORDER)}
    events.sort(key=lambda e: (kind[e["kind"]], e["start"], e["end"], e["label"]))
    refs.sort(key=lambda r: (r["line_no"], r["title"]))
    return {"events": events, "references": refs}


def stage_agencies(parse: dict) -> dict:
    """Agencies stage: one row per provision × agency named in a responsibility clause."""
    closing = [ln["text"] for ln in parse["lines"] if ln["part"] == "closing"]
    return {"agencies": agencies.document_agencies(parse["documents"][0], parse["provisions"], closing)}


# -- frozen stage results: one DataFrame per table -------------------------------------------------


def freeze(value: dict):
    """A stage's tables as columns (dict of lists): compact to cache, cheap to build.

    Converting each document's small tables to Arrow or pandas costs more than
    the stages themselves; columns are joined across documents and converted
    once per table, in :func:`ipanalysis.tables.assemble`.
    """
    from .tables import columns_of

    out = {}
    for name, rows in value.items():
        if isinstance(rows, dict):
            out[name] = rows
        else:
            cols = columns_of(name, rows)
            out[name] = {c: [r.get(c) for r in rows] for c in cols}
    return out


def thaw(frozen: dict) -> dict:
    """Back to lists of records, for a downstream stage to read."""
    return {name: [dict(zip(cols, vals)) for vals in zip(*cols.values())] for name, cols in frozen.items()}


STAGE_FUNCS = {
    "parse": lambda row, live: stage_parse(row),
    "tokens": lambda row, live: stage_tokens(live("parse")),
    "targets": lambda row, live: stage_targets(live("parse")),
    "themes": lambda row, live: stage_themes(live("parse")),
    "brands": lambda row, live: stage_brands(live("parse")),
    "timeline": lambda row, live: stage_timeline(live("parse"), live("targets")),
    "agencies": lambda row, live: stage_agencies(live("parse")),
}


def with_row_number(results: dict, row: ManifestRow) -> dict:
    """Stage results whose documents row carries the row's current manifest number (results kept as they are)."""
    key, frozen = results["parse"]
    documents = frozen["documents"]
    if documents.get("manifest_row") == [row.row]:
        return results
    fixed = {**frozen, "documents": {**documents, "manifest_row": [row.row]}}
    return {**results, "parse": (key, fixed)}


def run_stages(row: ManifestRow, cached: dict, fingerprints: dict[str, str]) -> tuple[dict, list[str]]:
    """Every stage of one document, reusing cached results whose key still matches.

    Returns ``(results, recomputed stage names)``; ``results`` maps stage ->
    (key, {table: columns}) and is what the cache stores.
    """
    base = document_key(row)
    results: dict[str, tuple[str, dict]] = {}
    values: dict[str, dict] = {}
    done: list[str] = []

    def live(stage: str) -> dict:
        if stage not in values:
            values[stage] = thaw(results[stage][1])
        return values[stage]

    try:
        for stage in STAGES:
            key = stage_key(base, stage, fingerprints)
            if stage in cached and cached[stage][0] == key:
                results[stage] = cached[stage]
                continue
            value = STAGE_FUNCS[stage](row, live)
            values[stage] = value
            results[stage] = (key, freeze(value))
            done.append(stage)
    except InputError:
        raise
    except Exception as exc:  # a defect in the code, met on this file: name the file, keep the cause
        raise InputError(row.path, f"could not be processed ({type(exc).__name__}: {exc}); please report this") from exc
    return with_row_number(results, row), done


# -- the cache -------------------------------------------------------------------------------------
#
# One JSON file per document: a header line, then the stage results. JSON, not pickle, so that
# nothing read from data/ can run code; the header's SHA-256 of the body and the shape check in
# :func:`_well_formed` make any damaged, truncated, foreign or hand-made entry a miss, which is
# simply recomputed. The cache is an optimisation: failing to read or write it never fails a build.

CACHE_FORMAT = "ipanalysis-stage-cache-2"
_SCALARS = frozenset((str, int, float, bool, type(None)))


def cache_dir():
    """The per-document stage cache, ``data/.cache/``: JSON only, always safe to delete."""
    return config.project_root() / "data" / ".cache"


def cache_path(doc_id: str):
    """The cache file of one document: ``data/.cache/<doc_id>.json``."""
    return cache_dir() / f"{doc_id}.json"


def encode_cached(doc_id: str, results: dict) -> bytes:
    """A cache entry: header line (format, document, stage keys, checksum of the body), then the body.

    The stage keys in the header let the build tell a complete entry from a
    stale one by reading one short line, without decoding the body.
    """
    body = json.dumps({stage: [key, frozen] for stage, (key, frozen) in results.items()},
                      ensure_ascii=False, separators=(",", ":")).encode()  # fmt: skip
    keys = {stage: key for stage, (key, _frozen) in results.items()}
    header = json.dumps({"format": CACHE_FORMAT, "doc_id": doc_id, "keys": keys,
                         "sha256": hashlib.sha256(body).hexdigest()})  # fmt: skip
    return header.encode() + b"\n" + body


def _header(doc_id: str, head: bytes) -> dict | None:
    """The header of a cache entry of this document and format, or None."""
    try:
        header = json.loads(head)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT or header.get("doc_id") != doc_id:
        return None
    if not isinstance(header.get("keys"), dict):
        return None
    return header


def decode_cached(doc_id: str, data: bytes) -> dict:
    """The stage results in a cache entry, or ``{}`` for anything that is not a sound entry of this document."""
    head, sep, body = data.partition(b"\n")
    header = _header(doc_id, head)
    if not sep or header is None or header.get("sha256") != hashlib.sha256(body).hexdigest():
        return {}
    try:
        stored = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    if not _well_formed(stored):
        return {}
    if header["keys"] != {stage: entry[0] for stage, entry in stored.items()}:
        return {}
    return {stage: (key, frozen) for stage, (key, frozen) in stored.items()}


def cached_keys(doc_id: str) -> dict:
    """The stage keys a document's cache entry claims (its header only; ``{}`` when there is none).

    Cheap, and only a claim: the entry is verified in full when it is read.
    """
    try:
        with cache_path(doc_id).open("rb") as fh:
            head = fh.readline(1 << 16)
    except OSError:
        return {}
    header = _header(doc_id, head.rstrip(b"\n"))
    return header["keys"] if header else {}


def _well_formed(stored) -> bool:
    """Stages known, keys hex, each table a dict of equal-length lists of plain values."""
    if not isinstance(stored, dict):
        return False
    for stage, entry in stored.items():
        if stage not in STAGES or not isinstance(entry, list) or len(entry) != 2:
            return False
        key, frozen = entry
        if not isinstance(key, str) or len(key) != 64 or not isinstance(frozen, dict):
            return False
        for columns in frozen.values():
            if not isinstance(columns, dict):
                return False
            lengths = {len(v) if isinstance(v, list) else -1 for v in columns.values()}
            if -1 in lengths or len(lengths) > 1:
                return False
            if not all(set(map(type, v)) <= _SCALARS for v in columns.values()):  # exact types: no subclasses
                return False
    return True


def load_cached(doc_id: str) -> dict:
    """The cached stages of a document, or ``{}`` when the entry is missing, unreadable or not of the expected shape."""
    try:
        data = cache_path(doc_id).read_bytes()
    except OSError:  # missing, a folder, unreadable, or the cache deleted meanwhile
        return {}
    return decode_cached(doc_id, data)


def save_cached(doc_id: str, results: dict) -> bool:
    """Write a document's cache entry; False (and no error) when the cache cannot be written."""
    from .build import atomic_write

    data = encode_cached(doc_id, results)
    try:
        atomic_write(cache_path(doc_id), lambda p: p.write_bytes(data))
    except OSError:
        return False
    return True


def _complete(results: dict, key: str, fingerprints: dict[str, str]) -> bool:
    """Every stage present, under the key the current document and code give it."""
    return bool(results) and all(s in results and results[s][0] == stage_key(key, s, fingerprints)
                                 for s in fingerprints)  # fmt: skip


def expected_keys(row: ManifestRow, fingerprints: dict[str, str]) -> dict[str, str]:
    """The cache key every stage of this document must have under the current code."""
    base = document_key(row)
    return {stage: stage_key(base, stage, fingerprints) for stage in fingerprints}


def _worker(args):
    """Process one document and cache it; in a worker process, return only what was done.

    Sending a document's tables back through the pool's pipe costs more than
    the main process reading them from the cache file the worker just wrote.
    The worker reads the document's cache itself, so the main process never
    holds the entries of documents it has not reached yet.
    """
    row, cached, fingerprints, in_pool = args
    if cached is None:
        cached = load_cached(row.doc_id)
    results, done = run_stages(row, cached, fingerprints)
    saved = save_cached(row.doc_id, results) if done else False
    return (None if in_pool and saved else results), done


def process_iter(rows: list[ManifestRow], *, use_cache: bool = True, workers: int | None = None):
    """Yield ``(row, stage results, stages recomputed)`` for every row, in ``rows`` order, one document at a time.

    Documents whose cache header names the current keys of every stage are
    read from the cache when their turn comes; the others are sent to worker
    processes at once (in order), which process them, write their cache entry
    and return nothing more. Only the documents between the one being yielded
    and the workers' progress are in memory. ``use_cache=False`` recomputes
    everything (and refreshes the cache).
    """
    fingerprints = stage_fingerprints()
    expected = {r.doc_id: expected_keys(r, fingerprints) for r in rows}
    fresh = {r.doc_id for r in rows if not use_cache or cached_keys(r.doc_id) != expected[r.doc_id]}
    todo = [r for r in rows if r.doc_id in fresh]
    workers = workers or os.cpu_count() or 1

    def computed_here(r):
        return _worker((r, None if use_cache else {}, fingerprints, False))

    def settle(r, res, done):
        if not _complete(res, document_key(r), fingerprints):  # the entry went missing or bad meanwhile
            res, again = run_stages(r, {}, fingerprints)
            save_cached(r.doc_id, res)
            done = done or again
        return res, done

    if len(todo) >= PARALLEL_MIN_DOCS and workers > 1:
        pool = ProcessPoolExecutor(max_workers=workers)
        try:
            futures = {r.doc_id: pool.submit(_worker, (r, None if use_cache else {}, fingerprints, True)) for r in todo}
            for r in rows:
                if r.doc_id in futures:
                    sent, done = futures.pop(r.doc_id).result()
                    res, done = settle(r, sent or load_cached(r.doc_id), done)
                else:
                    res, done = settle(r, load_cached(r.doc_id), [])
                yield r, with_row_number(res, r), done
        finally:  # a bad file or a failed write stops the build now, not after every queued document
            pool.shutdown(wait=True, cancel_futures=True)
    else:
        for r in rows:
            if r.doc_id in fresh:
                res, done = computed_here(r)
            else:
                res, done = settle(r, load_cached(r.doc_id), [])
            yield r, with_row_number(res, r), done


def process_all(rows: list[ManifestRow], *, use_cache: bool = True, workers: int | None = None, progress=None):
    """Run every document through its stages; return a list of stage-result dicts in ``rows`` order.

    All in memory: for small corpora and tests. The build streams through
    :func:`process_iter` instead.
    """
    out = []
    for r, res, done in process_iter(rows, use_cache=use_cache, workers=workers):
        out.append(res)
        if progress:
            progress(r, done)
    return out
