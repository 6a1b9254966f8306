"""Reading: the manifest and the raw documents, validated before anything is built."""

from __future__ import annotations

import csv
import hashlib
import re
from functools import lru_cache
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
SUPPORTED_SUFFIXES = (".txt", ".docx", ".html", ".htm", ".pdf")
# Files in data/raw/ that are not documents.
NOT_DOCUMENTS = ("manifest.csv", "README.md")

# Limits: far above any real policy document, low enough that a hostile or broken file is refused
# in seconds instead of running for minutes or filling the memory.
MAX_FILE_BYTES = 100_000_000  # any input file, as stored
MAX_HTML_BYTES = 5_000_000  # a saved web page (real ones: well under 1 MB)
MAX_HTML_DEPTH = 1000  # elements nested inside each other (unclosed tags nest too)
MAX_DOCX_XML_BYTES = 40_000_000  # the text parts of a .docx, uncompressed (a zip bomb expands far beyond)
MAX_DOCX_BYTES = 400_000_000  # every part of a .docx, uncompressed, pictures included
MAX_PDF_PAGES = 500

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


def valid_doc_id(doc_id: str) -> bool:
    """A doc_id names files in data/raw/: lower-case letters, digits, '-' and '_', no path."""
    return bool(_DOC_ID.fullmatch(doc_id))


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
    files_seen: dict[Path, int] = {}
    for n, rec in enumerate(records, start=2):  # line 1 is the header
        rec = {k: (v or "").strip() for k, v in rec.items() if k is not None}
        where = f"line {n}"
        for col in REQUIRED_COLUMNS:
            if not rec.get(col):
                raise InputError(path, f"{where}: empty {col}")
        doc_id = rec["doc_id"]
        if not valid_doc_id(doc_id):
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
        doc_path = confined_path(path.parent, rec["file"])
        if doc_path is None:
            raise InputError(path, f"{where}: file {OUTSIDE}")
        if not doc_path.is_file():
            raise InputError(path, f"{where}: file {rec['file']!r} not found in {path.parent.name}/")
        target = doc_path.resolve()
        if target in files_seen:
            raise InputError(path, f"{where}: file {rec['file']!r} is the same file as line {files_seen[target]}'s; "
                                   "give each document one row")  # fmt: skip
        files_seen[target] = n
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


# One message whatever the path: an error must not tell whether a file outside data/raw/ exists.
OUTSIDE = "must name a file inside data/raw/ (no folders, no links out of it)"


def confined_path(raw: Path, name: str) -> Path | None:
    """``raw / name`` when ``name`` is a plain file name whose real location is inside ``raw``; else None.

    Refused without looking at the file system outside ``raw``: absolute
    paths, folders (``a/b``, ``../x``), and a name that is a link (or inside a
    linked folder) leading out of ``raw``. A link to another file inside
    ``raw`` is accepted.
    """
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name or Path(name).is_absolute():
        return None
    candidate = raw / name
    try:
        real = candidate.resolve()
        root = raw.resolve()
    except (OSError, RuntimeError):  # a link loop
        return None
    if real.parent != root and root not in real.parents:
        return None
    return candidate


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
    """SHA-256 of a file. A build asks for each input's hash several times (staleness,
    cache keys, build_info); the file is read once while its inode, size and mtime stay the same."""
    st = path.stat()
    return _sha256(str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=4096)
def _sha256(path: str, inode: int, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_text(path: Path) -> tuple[str, str]:
    """Read a document file of any supported type; return ``(text, encoding)``.

    ``encoding`` records how the text was obtained: the detected character
    encoding of a ``.txt`` file, or ``docx`` / ``html:<encoding>`` / ``pdf``.
    Every problem a user can fix raises :class:`InputError` naming the file.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(path, f"unsupported file type {suffix or '(none)'}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(path, f"is larger than {MAX_FILE_BYTES // 1_000_000} MB; is it the right file?")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(path, "file is empty")
    if suffix == ".txt":
        text, encoding = decode_text(path, data)
    elif suffix == ".docx":
        text, encoding = _read_docx(path, data), "docx"
    elif suffix in (".html", ".htm"):
        if len(data) > MAX_HTML_BYTES:
            limit = MAX_HTML_BYTES // 1_000_000
            raise InputError(path, f"is larger than {limit} MB, too large for a web page; save its text as .txt")
        html, enc = decode_text(path, data)
        text, encoding = html_main_text(html, path=path), f"html:{enc}"
    else:
        text, encoding = _read_pdf(path, data), "pdf"
    if not _CJK.search(text):
        raise InputError(path, "contains no Chinese text; is it the right file?")
    return text, encoding


_CJK = re.compile("[\u4e00-\u9fff]")
# What a text file is made of: CJK and its punctuation, ASCII text, full-width forms, common symbols.
_PLAIN = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\u00a0-\u00ff\x20-\x7e\t\n\r]")
# Chinese government text comes as UTF-8, GB18030/GBK or Big5; limiting the
# detector to these keeps it from reading GBK as, say, Shift-JIS.
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16", "utf_32"]


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes: exact for a UTF-8/UTF-16 mark, else detected with charset-normalizer."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(path, "starts with a UTF-16 mark but cannot be decoded as UTF-16") from None
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError(path, "looks like a binary file (contains NUL bytes), not text")
        return utf16
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(path, f"has a UTF-8 mark but invalid UTF-8 at byte {exc.start + 3}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or best.chaos > 0.3:
        raise InputError(path, "cannot tell its character encoding (not UTF-8, GB18030/GBK or Big5); save it as UTF-8")
    encoding = best.encoding.replace("_", "-")
    return str(best), encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """``(text, "utf-16-le" | "utf-16-be")`` for UTF-16 text saved without a byte-order mark, else None.

    Windows tools write such files. ASCII characters (newlines, digits) put a
    NUL byte on every other position, which is how they differ from binary
    data; the reading is accepted only when the decoded text is almost all
    Chinese, ASCII text and punctuation, with no control characters.
    """
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if text and "\x00" not in text and len(_PLAIN.findall(text)) >= 0.95 * len(text) and _CJK.search(text):
            return text, codec
    return None


def _read_docx(path: Path, data: bytes) -> str:
    """Paragraphs and table cells in document order; each table cell on a line of its own."""
    import io
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(path, f"is not a readable .docx file ({exc})") from None
    # The sizes a zip declares are enforced when it is read (zipfile stops there), so checking
    # them before anything is expanded stops a zip bomb.
    xml = sum(p.file_size for p in parts if p.filename.endswith((".xml", ".rels")))
    if xml > MAX_DOCX_XML_BYTES or sum(p.file_size for p in parts) > MAX_DOCX_BYTES:
        limit = MAX_DOCX_XML_BYTES if xml > MAX_DOCX_XML_BYTES else MAX_DOCX_BYTES
        mb = limit // 1_000_000
        raise InputError(path, f"expands to more than {mb} MB when unzipped (a zip bomb?); save its text as .txt")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # lxml, zipfile and python-docx each raise their own types for a broken file
        raise InputError(path, f"is not a readable .docx file ({type(exc).__name__}: {_one_line(exc)})") from None
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line, shortened: it ends up in a one-line error."""
    text = " ".join(str(exc).split())
    return text if len(text) <= 160 else text[:157] + "..."


def _read_pdf(path: Path, data: bytes) -> str:
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # font warnings are not the user's business
    try:
        pages = PdfReader(io.BytesIO(data)).pages
        if len(pages) > MAX_PDF_PAGES:
            raise InputError(path, f"has more than {MAX_PDF_PAGES} pages ({len(pages)}); is it the right file?")
        text = "\n".join(page.extract_text() or "" for page in pages)
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types for a broken file
        raise InputError(path, f"is not a readable PDF ({type(exc).__name__}: {_one_line(exc)})") from None
    if not _CJK.search(text):
        raise InputError(path, "has no text layer (a scanned PDF?); run OCR on it first, or add the text as .txt")
    return text


_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "select")
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table")


def html_main_text(html: str, *, path: Path | str = "page.html") -> str:
    """The main text of a web page: scripts, styles and navigation dropped, the densest block kept.

    Parsed with BeautifulSoup's built-in parser; nothing on the page is run.
    The main block is the element whose Chinese text, less three times the
    Chinese text of its links, is largest: navigation is mostly links, the
    article is mostly prose. The scores are summed bottom-up in one pass, so
    the time grows with the page's size, not with size times depth; a page
    nested more than :data:`MAX_HTML_DEPTH` deep is refused.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    if _depth(soup) > MAX_HTML_DEPTH:
        problem = f"is nested more than {MAX_HTML_DEPTH} elements deep (broken or hostile HTML); save its text as .txt"
        raise InputError(path, problem)
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    scores = _block_scores(soup)
    best, best_score = soup.body or soup, -1.0
    for el in soup.find_all(("div", "article", "section", "td", "main", "body")):
        if scores[id(el)] > best_score:
            best, best_score = el, scores[id(el)]
    lines = [ln.strip() for ln in _text_with_breaks(best).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _text_with_breaks(element) -> str:
    """The element's visible text with a line break around every block element (one pass, no tree edits)."""
    from bs4 import CData, NavigableString, Tag

    out: list[str] = []
    stack = [(child, False) for child in reversed(list(element.children))]
    while stack:
        node, closing = stack.pop()
        if closing:
            out.append("\n")
        elif isinstance(node, Tag):
            block = node.name in _BLOCK_TAGS
            if block:
                out.append("\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(list(node.children)))
        elif type(node) in (NavigableString, CData):
            out.append(str(node))
    return "".join(out)


def _depth(soup) -> int:
    """How deeply the page's elements nest, in one pass over them."""
    from bs4 import Tag

    depth = {id(soup): 0}
    deepest = 0
    for el in soup.descendants:
        if isinstance(el, Tag):
            d = depth[id(el.parent)] + 1
            depth[id(el)] = d
            deepest = max(deepest, d)
    return deepest


def _block_scores(soup) -> dict[int, float]:
    """For every element (by id): Chinese characters of its text less three times those of its links.

    The same numbers as ``get_text()`` and ``find_all("a")`` per element
    (visible strings only, a link's own text counted once per enclosing
    link), summed from the leaves up.
    """
    from bs4 import CData, NavigableString, Tag

    text: dict[int, int] = {}
    links: dict[int, int] = {}
    elements = [soup, *(el for el in soup.descendants if isinstance(el, Tag))]
    for el in reversed(elements):  # children before their parents
        t = n = 0
        for child in el.children:
            if isinstance(child, Tag):
                t += text[id(child)]
                n += links[id(child)] + (text[id(child)] if child.name == "a" else 0)
            elif type(child) in (NavigableString, CData):
                t += len(_CJK.findall(child))
        text[id(el)], links[id(el)] = t, n
    return {key: text[key] - 3 * links[key] for key in text}
