"""Adding a document: copy it into data/raw/, append its manifest row, show what was found.

The original file is only read. The copy and the manifest row are checked
(the file is parsed, the id and level validated) before anything is kept;
on any problem data/raw/ is left as it was and the error, one line, names
the file. The row is written by the csv module, so quotes and commas in a
name survive.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from . import config, pipeline, reading, regions
from .errors import InputError, OutputError

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def add_document(
    src: Path,
    *,
    region: str = "",
    region_en: str = "",
    level: str = "",
    province: str = "",
    province_en: str = "",
    doc_id: str = "",
) -> dict:
    """Copy ``src`` into data/raw/ and append a manifest row. Return what was found.

    Every problem raises :class:`InputError` (one line) with data/raw/ as it
    was: the copy and the new manifest are written as hidden temporary files
    inside data/raw/ and checked first, then renamed into place one after the
    other. A kill before the renames leaves only hidden files, which builds
    ignore and the next ``add`` deletes.
    """
    src = Path(src)
    if doc_id and not reading.valid_doc_id(doc_id):
        problem = f"--id {doc_id!r} must be lower-case letters, digits, '-' or '_' (it names the copy in data/raw/)"
        raise InputError(src, problem)
    if not src.is_file():
        raise InputError(src, "file not found")
    manifest = config.manifest_path()
    _remove_leftovers(config.raw_dir())
    rows = reading.read_manifest(manifest)
    probe = reading.ManifestRow(len(rows) + 1, "new", src, region or "?", region_en or "?", level or "city",
                                province, province_en, {})  # fmt: skip
    parsed = _parse(probe, src)
    document = parsed["documents"][0]
    place = regions.infer_region(issuer=document["issuer"], title=document["title"])
    if not region and len(place.candidates) > 1:  # never guess silently
        print(f"note: {src.name} names {' or '.join(place.candidates)}; "
              + (f"read as {place.region}, give --region if wrong" if place.region else "give --region and --level"),
              file=sys.stderr)
    region = region or place.region
    level = level or (place.level if region == place.region else "")
    province = province or (place.province if region == place.region else "")
    if not region:
        raise InputError(src, "cannot read the region from the text; give --region")
    if not region_en:
        raise InputError(src, f"give --region-en, the English name of {region}")
    if level not in reading.LEVELS:
        raise InputError(src, f"cannot tell the administrative level; give --level ({', '.join(reading.LEVELS)})")
    year = document["period_start"] or (document["issued"][:4] if document["issued"] else "")
    if not doc_id and not _slug(region_en):  # 兰州 typed for Lanzhou: the id would be the year alone
        raise InputError(src, f"--region-en {region_en!r} has no Latin letters to make a doc_id from; give --id")
    doc_id = doc_id or "-".join(p for p in (_slug(region_en), str(year)) if p)
    if not reading.valid_doc_id(doc_id):
        raise InputError(src, f"cannot make a doc_id from --region-en {region_en!r}; give --id")
    taken = {r.doc_id for r in rows}
    base, n = doc_id, 2
    while doc_id in taken:
        doc_id, n = f"{base}-{n}", n + 1
    dest = config.raw_dir() / f"{doc_id}{src.suffix.lower()}"
    if dest.exists() or dest.is_symlink():
        raise InputError(dest, "already exists; give another --id")
    values = {"doc_id": doc_id, "file": dest.name, "region": region, "region_en": region_en, "level": level,
              "province": province, "province_en": province_en}  # fmt: skip
    try:
        _commit(src, dest, manifest, values)
    except OSError as exc:
        if exc.filename and Path(os.fsdecode(exc.filename)).name.startswith(_TEMP_PREFIX):
            exc.filename = str(dest)  # name the file the user asked for, not our temporary one
        verb = "read" if exc.filename == str(src) else "write"
        raise OutputError.from_os_error(exc, fallback=config.raw_dir(), kept="nothing was added", verb=verb) from None
    row = next(r for r in reading.read_manifest(manifest) if r.doc_id == doc_id)
    found = _parse(row, src)
    n_targets = len([t for t in pipeline.stage_targets(found)["targets"] if t["status"] == "target"])
    return {**found["documents"][0], "n_targets": n_targets}


_TEMP_PREFIX = ".add-"


def _parse(row: reading.ManifestRow, src: Path) -> dict:
    """The parse stage on the file to add; a defect met on it is still one line naming the file."""
    try:
        return pipeline.stage_parse(row)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(src, f"could not be read ({type(exc).__name__}: {exc}); please report this") from None


def manifest_with_row(old: bytes, values: dict[str, str]) -> bytes:
    """The manifest's bytes with one row appended, in its header's column order, written by the csv module."""
    text = old.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    newline = "\r\n" if "\r\n" in text else "\n"
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow([values.get(col, "") for col in header])
    sep = b"" if not old or old.endswith(b"\n") else newline.encode()
    return old + sep + buf.getvalue().encode("utf-8")


def _commit(src: Path, dest: Path, manifest: Path, values: dict[str, str]) -> None:
    """Copy and manifest row, as two hidden temporary files renamed into place; undone on any failure."""
    raw = dest.parent
    old = manifest.read_bytes()
    temps = []
    try:
        for data in (None, manifest_with_row(old, values)):
            fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=raw)
            temps.append(Path(tmp))
            with os.fdopen(fd, "wb") as fh:
                if data is None:
                    with src.open("rb") as original:
                        shutil.copyfileobj(original, fh)
                else:
                    fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        copy_tmp, manifest_tmp = temps
        with _signals_held():  # Ctrl-C or a TERM between the two renames waits until both are done
            os.replace(copy_tmp, dest)
            try:
                os.replace(manifest_tmp, manifest)
            except BaseException:
                dest.unlink(missing_ok=True)
                raise
        try:
            reading.read_manifest(manifest)  # the new row must validate
        except BaseException:
            _restore(manifest, old)
            dest.unlink(missing_ok=True)
            raise
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)


def _restore(manifest: Path, old: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=manifest.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(old)
    os.chmod(tmp, 0o644)
    os.replace(tmp, manifest)


@contextlib.contextmanager
def _signals_held():
    """Delay SIGINT, SIGTERM and SIGHUP for a moment (main thread only; a KILL cannot be delayed)."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _remove_leftovers(raw: Path) -> None:
    """Delete the hidden temporary files of an ``add`` that was killed."""
    for p in raw.glob(_TEMP_PREFIX + "*"):
        if p.is_file() and not p.is_symlink():
            p.unlink(missing_ok=True)


def summary(found: dict) -> str:
    """What a researcher should check after adding a document."""
    period = f"{found['period_start']}–{found['period_end']}" if found["period_end"] else "(not found)"
    lines = [
        f"added {found['doc_id']} ({found['region']}, {found['region_en']}, {found['level']}) as data/raw/{found['source_file']}",
        f"  title:       {found['title'] or '(not found)'}",
        f"  issuer:      {found['issuer'] or '(not found)'}",
        f"  number:      {found['doc_number'] or '(none)'}",
        f"  issued:      {found['issued'] or '(not found)'}   published: {found['published'] or '(not stated)'}",
        f"  plan period: {period}",
        f"  script:      {found['script']}   read as: {found['encoding']}",
        f"  provisions:  {found['n_provisions']}   targets: {found['n_targets']}",
    ]
    if found["warnings"]:
        lines.append(f"  warnings:    {found['warnings']}")
    lines.append("Fix anything wrong by filling the matching column of data/raw/manifest.csv, then run `make figures`.")
    return "\n".join(lines)
