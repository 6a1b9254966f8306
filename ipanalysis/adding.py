"""Adding a document: copy it into data/raw/, append its manifest row, show what was found.

The original file is only read. The copy and the manifest row are checked
(the file is parsed, the new manifest validated) before anything is kept;
on any problem both are rolled back and the error names the file.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from . import config, pipeline, reading, regions
from .errors import InputError

_ISSUER_REGION = re.compile(r"^(.{2,8}?)(市|省|自治区)(?:人民政府|委员会|市场监督管理局|知识产权)")


def guess_region(document: dict) -> tuple[str, str]:
    """(region, level) read from the issuer or title: '兰州市人民政府办公室' -> ('兰州', 'city')."""
    for text in (document["issuer"], document["title"]):
        for part in text.split("；"):
            m = _ISSUER_REGION.match(part)
            if m:
                return m.group(1), "city" if m.group(2) == "市" else "province"
    return "", ""


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
    """Copy ``src`` into data/raw/ and append a manifest row. Return what was found."""
    src = Path(src)
    if not src.is_file():
        raise InputError(src, "file not found")
    manifest = config.manifest_path()
    rows = reading.read_manifest(manifest)
    probe = reading.ManifestRow(len(rows) + 1, "new", src, region or "?", region_en or "?", level or "city",
                                province, province_en, {})  # fmt: skip
    parsed = pipeline.stage_parse(probe)
    document = parsed["documents"][0]
    place = regions.infer_region(issuer=document["issuer"], title=document["title"])
    if not region and len(place.candidates) > 1:  # never guess silently
        print(f"note: {src.name} names {' or '.join(place.candidates)}; "
              + (f"read as {place.region}, give --region if wrong" if place.region else "give --region and --level"))
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
    doc_id = doc_id or "-".join(p for p in (_slug(region_en), str(year)) if p)
    taken = {r.doc_id for r in rows}
    base, n = doc_id, 2
    while doc_id in taken:
        doc_id, n = f"{base}-{n}", n + 1
    dest = config.raw_dir() / f"{doc_id}{src.suffix.lower()}"
    if dest.exists():
        raise InputError(dest, "already exists; give another --id")

    old_manifest = manifest.read_bytes()
    shutil.copyfile(src, dest)
    try:
        text = old_manifest.decode("utf-8-sig")
        header = text.splitlines()[0].split(",")
        values = {"doc_id": doc_id, "file": dest.name, "region": region, "region_en": region_en, "level": level,
                  "province": province, "province_en": province_en}  # fmt: skip
        line = ",".join(_csv_field(values.get(col, "")) for col in header)
        new_text = text if text.endswith("\n") else text + "\n"
        from .build import atomic_write

        atomic_write(manifest, lambda p: p.write_text(new_text + line + "\n", encoding="utf-8"))
        reading.read_manifest(manifest)  # the new row must validate
    except BaseException:
        dest.unlink(missing_ok=True)
        manifest.write_bytes(old_manifest)
        raise
    row = next(r for r in reading.read_manifest(manifest) if r.doc_id == doc_id)
    found = pipeline.stage_parse(row)
    n_targets = len([t for t in pipeline.stage_targets(found)["targets"] if t["status"] == "target"])
    return {**found["documents"][0], "n_targets": n_targets}


def _csv_field(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ',"\n') else value


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
