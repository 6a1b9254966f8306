"""Cleaning: from raw text to clean, Simplified lines, keeping the original.

Each step is a small pure function on a string or a list of :class:`Line`.
A :class:`Line` carries the original text beside the cleaned one, so every
provision can show exactly what the source file said (``text_original``).

Order matters and is fixed in :func:`clean_lines`:
1. split into lines;
2. per line: Traditional -> Simplified (only when the document is not already
   Simplified, so OpenCC never rewrites a Simplified word), whitespace and
   punctuation normalised;
3. web-page chrome and junk lines are flagged (kept, so metadata such as a
   header block's 发布日期 can still be read, and so the removal is auditable);
4. lines broken by page breaks are re-joined.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import patterns
from .config import resource_lines

SIMPLIFIED = "simplified"
TRADITIONAL = "traditional"
MIXED = "mixed"


@dataclass(frozen=True)
class Line:
    """One line of a document: cleaned ``text`` beside its ``original``.

    ``lineno`` is the 1-based line number in the raw file (the first one, for
    re-joined lines). ``removed`` names why a line is not document text
    (``"chrome"``, ``"junk"``), or is empty.
    """

    lineno: int
    original: str
    text: str
    removed: str = ""
    joined_from: tuple[int, ...] = field(default=())


# -- step 1 -----------------------------------------------------------------


def split_lines(raw: str) -> list[str]:
    """Split text into lines, whatever the newline convention."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# A notice heading that runs on into the rest of the page: "关于印发《…》的通知 衢政办发〔2022〕14号各县…：".
_RUN_ON_HEADING = re.compile(r"^\s*(\S.{0,118}?的通知)\s*(?=.{200})")
_RUN_ON_ADDRESSEE = re.compile(r"^各[^。；：:]{1,200}[：:]")
_RUN_ON_SIGNATURE = re.compile(
    r"^([^。，；：:《》\s]{2,40}?(?:办公室|办公厅|人民政府|局|厅|委员会))\s*((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)"
)
_RUN_ON_SENTENCE_END = re.compile(r"。")


def split_run_on(raw: str, *, simplify: bool = False) -> list[str]:
    """:func:`run_on_parts` of ``raw``, read on its Simplified form when ``simplify`` (a Traditional
    page), the parts cut from ``raw`` itself; a line whose conversion changes its length is left whole."""
    text = to_simplified(raw) if simplify else raw
    if len(text) != len(raw):
        return [raw]
    parts, cursor = [], 0
    for part in run_on_parts(text):
        start = text.index(part, cursor)
        parts.append(raw[start : start + len(part)])
        cursor = start + len(part)
    return parts


def run_on_parts(raw: str) -> list[str]:
    """A repost page that lost its line breaks, one line for heading, number, addressee, transmittal,
    signature, date, policy title and body, broken back into those lines; any other line unchanged.

    Only a long line that opens with a notice heading (关于印发…的通知) followed, after an optional
    文号, by an addressee (各…：) is split, and only at those parts, in that order; whatever part is
    not found ends the splitting, the rest staying one line.
    """
    if "的通知" not in raw:  # the heading _RUN_ON_HEADING needs: most lines lack it, skip its lazy scan
        return [raw]
    head = _RUN_ON_HEADING.match(raw)
    if not head or not patterns.NOTICE_START.search(head.group(1)):
        return [raw]
    parts, rest = [head.group(1)], raw[head.end() :].lstrip()
    number = patterns.DOC_NUMBER.match(rest)
    if number:
        parts.append(number.group(0))
        rest = rest[number.end() :].lstrip()
    addressee = _RUN_ON_ADDRESSEE.match(rest)
    if not addressee:
        return [raw]
    parts.append(addressee.group(0))
    rest = rest[addressee.end() :].lstrip()
    said = patterns.TRANSMITTAL.search(rest)
    end = _RUN_ON_SENTENCE_END.search(rest, said.end()) if said else None
    if not end:
        return [*parts, rest]
    parts.append(rest[: end.end()])
    rest = rest[end.end() :].lstrip()
    signature = _RUN_ON_SIGNATURE.match(rest)
    if not signature:
        return [*parts, rest]
    parts += [signature.group(1), signature.group(2)]
    rest = rest[signature.end() :].lstrip()
    named = re.search(r"《([^》]+)》", head.group(1)) or re.search(r"关于印发(.+)的通知", head.group(1))
    if named and rest.startswith(named.group(1)) and len(rest) > len(named.group(1)):
        parts.append(named.group(1))
        rest = rest[len(named.group(1)) :]
    return [*parts, rest]


# -- step 2: script -----------------------------------------------------------


@lru_cache(maxsize=2)
def _converter(config: str):
    # Imported lazily: building the converter is cheap, but importing the
    # library on ``import ipanalysis`` would slow every notebook kernel.
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional -> Simplified with OpenCC's ``t2s`` (character and phrase level)."""
    return _converter("t2s").convert(text)


def detect_script(text: str, *, threshold: float = 0.02, sample: int = 4000) -> str:
    """Say whether ``text`` is written in Simplified or Traditional characters.

    The share of CJK characters that OpenCC's t2s would change measures it.
    Simplified text scores near 0 (a few characters are ambiguous), Traditional
    text scores well above 10 %. Between ``threshold`` and four times it, the
    text is called ``mixed``. At most ``sample`` characters, spread evenly
    over the text, are converted: enough for a stable share, cheap for a
    long document.
    """
    cjk = patterns.CJK_RUN.findall(text)
    chars = "".join(cjk)
    if not chars:
        return SIMPLIFIED
    step = max(1, len(chars) // sample)
    sample_text = chars[::step]
    converted = to_simplified(sample_text)
    changed = sum(map(operator.ne, sample_text, converted)) / len(sample_text)
    if changed < threshold:
        return SIMPLIFIED
    if changed < 4 * threshold:
        return MIXED
    return TRADITIONAL


# -- step 2: whitespace and punctuation --------------------------------------

_SPACE_RUN = re.compile(r"[\s\u3000\u00a0\u2000-\u200b\ufeff]+")
_SPACE_NEAR_CJK = re.compile(
    rf"(?<=[{patterns.CJK_CHARS}{patterns.CJK_PUNCT}])\s+|\s+(?=[{patterns.CJK_CHARS}{patterns.CJK_PUNCT}])"
)


def normalise_whitespace(line: str) -> str:
    """Trim a line and drop the spaces that page layout leaves between Chinese characters.

    "知识产权 强市 2024—2026 年工作要点" -> "知识产权强市2024—2026年工作要点".
    Spaces between two Latin words or numbers stay, as one space.
    """
    line = _SPACE_RUN.sub(" ", line).strip()
    if " " not in line:  # every space left is a plain one now: none, nothing to drop
        return line
    return _SPACE_NEAR_CJK.sub("", line)


_PUNCT_TABLE = str.maketrans(
    {"(": "（", ")": "）", ";": "；", "!": "！", "?": "？", "．": ".",
     **{chr(c): chr(c - 0xFEE0) for c in range(ord("０"), ord("９") + 1)},
     **{chr(c): chr(c - 0xFEE0) for c in range(ord("Ａ"), ord("Ｚ") + 1)},
     **{chr(c): chr(c - 0xFEE0) for c in range(ord("ａ"), ord("ｚ") + 1)}}
)  # fmt: skip
_PUNCT_TO_TRANSLATE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_PUNCT_TABLE)) + "]")
_ASCII_COMMA = re.compile(r",(?!\d{3})|(?<!\d),")
_ASCII_COLON = re.compile(r":(?!\d)|(?<!\d):")


def normalise_punctuation(line: str) -> str:
    """Use full-width Chinese punctuation throughout.

    Some files (Gansu, Yinchuan) use ASCII ``, : ( ) ;``. Parsing rules then need
    one form only. A comma or colon between digits (``1,000``, ``10:30``) stays.
    Full-width letters and digits become ASCII.
    """
    if _PUNCT_TO_TRANSLATE.search(line):  # translate looks up every character: only when one is in the table
        line = line.translate(_PUNCT_TABLE)
    if "," in line:
        line = _ASCII_COMMA.sub("，", line)
    if ":" in line:
        line = _ASCII_COLON.sub("：", line)
    return line


def clean_text(line: str, *, simplify: bool) -> str:
    """All per-line cleaning of step 2, in order."""
    if simplify:
        line = to_simplified(line)
    return normalise_punctuation(normalise_whitespace(line))


# -- step 3: chrome and junk --------------------------------------------------


@lru_cache(maxsize=None)
def load_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    """Compile the regexes in an editable resource file (``#`` starts a comment)."""
    return tuple(re.compile(p) for p in resource_lines(name))


def anchored_at_start(pattern: re.Pattern[str]) -> bool:
    """True when ``pattern`` can only match at the start of a string: it opens with ``^`` outside any
    alternation, without MULTILINE. Then ``search`` and ``match`` find the same, and ``match`` does not
    try the pattern again at every later position of the line."""
    try:
        from re import _constants as sre_constants, _parser as sre_parse  # Python >= 3.11
    except ImportError:  # pragma: no cover - older Pythons
        import sre_constants
        import sre_parse
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if parsed.state.flags & re.MULTILINE or not len(parsed):
        return False
    return parsed[0] == (sre_constants.AT, sre_constants.AT_BEGINNING)


@lru_cache(maxsize=None)
def _combined(name: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """All patterns of a resource file as two alternations, one search per line instead of one per
    pattern: those anchored at the start (tried at position 0 only, with ``match``) and the others."""
    anchored = [p.pattern for p in load_patterns(name) if anchored_at_start(p)]
    floating = [p.pattern for p in load_patterns(name) if not anchored_at_start(p)]
    return tuple(re.compile("|".join(f"(?:{p})" for p in group)) if group else None for group in (anchored, floating))


def _any_pattern(name: str, text: str) -> bool:
    """True when any pattern of the resource file ``name`` is found in ``text``."""
    anchored, floating = _combined(name)
    return (anchored is not None and anchored.match(text) is not None) or (
        floating is not None and floating.search(text) is not None
    )


def is_closing(text: str) -> bool:
    """True for a line that starts a document's closing matter (附件, 抄送, 公开属性…)."""
    return _any_pattern("closing_patterns.txt", text)


def is_chrome(text: str) -> bool:
    """True for website furniture: breadcrumbs, index-number blocks, "扫一扫…"."""
    return _any_pattern("chrome_patterns.txt", text)


def bigrams(text: str) -> set[str]:
    """Pairs of adjacent CJK characters (within a run of CJK characters)."""
    return {run[i : i + 2] for run in patterns.CJK_RUN.findall(text) for i in range(len(run) - 1)}


def is_foreign(text: str, rest: str, *, max_shared: float = 0.2, min_bigrams: int = 4) -> bool:
    """Word salad that shares (almost) no vocabulary with the document around it (``rest``): at least
    ``min_bigrams`` CJK bigrams, no punctuation or digits, at most ``max_shared`` of them found in ``rest``.
    The test :func:`junk_lines` applies after the text; anatomy applies it around a title."""
    if not may_be_foreign(text, min_bigrams=min_bigrams):
        return False
    grams = bigrams(text)
    return sum(g in rest for g in grams) / len(grams) <= max_shared


def may_be_foreign(text: str, *, min_bigrams: int = 4) -> bool:
    """The tests of :func:`is_foreign` that need no ``rest``: at least ``min_bigrams`` CJK bigrams, no
    punctuation or digit. A caller checks them first, so as not to join the rest of a page for a line
    that cannot be foreign."""
    return not _HAS_PUNCT_OR_DIGIT.search(text) and len(bigrams(text)) >= min_bigrams


def junk_lines(texts: list[str], *, max_shared: float = 0.2, min_bigrams: int = 4) -> set[int]:
    """Indices of lines that do not belong to the document.

    Spam that a website inserts ("欧美…片sm") has two properties that no
    document line has together: it is bare word salad, with no punctuation or
    digit at all, and it shares almost no vocabulary with the text around it.
    A line with at least ``min_bigrams`` CJK character bigrams, no punctuation
    or digits, of whose bigrams at most ``max_shared`` occur in another line,
    is junk, provided it stands after the document's last finished sentence,
    where websites append such lines. A heading in the body is followed by
    sentences, and a title comes before them, so neither is a candidate; a
    numbered heading is never one, even as the last line of a page cut short.
    No string is hard-coded.
    """
    sentences = [i for i, t in enumerate(texts) if t and t.rstrip(_CLOSERS)[-1:] in tuple(_TERMINAL)]
    last = sentences[-1] if sentences else len(texts)
    junk = set()
    for i in range(last + 1, len(texts)):
        if patterns.parse_label(texts[i]) is not None:  # a numbered heading (第二节 面临形势) of an opening cut short
            continue
        if not may_be_foreign(texts[i], min_bigrams=min_bigrams):
            continue
        rest = "\n".join(texts[:i] + texts[i + 1 :])
        if is_foreign(texts[i], rest, max_shared=max_shared, min_bigrams=min_bigrams):
            junk.add(i)
    return junk


_HAS_PUNCT_OR_DIGIT = re.compile(rf"[\d{patterns.CJK_PUNCT}.,:;()!?、]")


# -- step 4: page breaks ------------------------------------------------------

_TERMINAL = "。；：！？…"
_CLOSERS = "）」』】〕》”’"


def ends_sentence(text: str) -> bool:
    """True when a line ends where a paragraph may end (。 ； ： or a closing bracket after one)."""
    stripped = text.rstrip(_CLOSERS)
    if stripped and stripped[-1] in _TERMINAL:
        return True
    # A responsibility clause or a bracketed note closes a paragraph too.
    return text.endswith(("）", "〕", ")")) and patterns.RESPONSIBILITY_HINT.search(text[-40:]) is not None


def is_heading_line(text: str) -> bool:
    """A numbered line that is only a heading: short, no sentence punctuation."""
    m = patterns.match_label(text)
    if not m:
        return False
    rest = text[m.end() :]
    return len(rest) <= patterns.MAX_HEADING_CHARS and not re.search(r"[，；。]", rest)


def should_join(prev: str, nxt: str) -> bool:
    """Decide whether ``nxt`` continues ``prev`` across a page or line break.

    A page break leaves the first half of a sentence without final punctuation
    ("…中小企业知识产权推进工" / "程，支持…"). A real paragraph break follows a
    finished sentence, a heading, a title or signature line, or comes before a
    new numbered item, a date or a ``牵头单位：`` line.
    """
    if not prev or not nxt:
        return False
    if ends_sentence(prev) or is_heading_line(prev) or patterns.is_date_line(prev):
        return False
    if patterns.match_label(nxt) or patterns.FIELD_LINE.match(nxt) or patterns.is_date_line(nxt):
        return False
    if patterns.FIELD_LINE.match(prev) or is_closing(prev) or is_closing(nxt):
        return False
    if is_metadata_line(prev) or is_metadata_line(nxt):
        return False
    if is_unit_line(prev) or is_unit_line(nxt):
        return False
    # Titles, signatures and "（此件公开发布）" are short units with no
    # sentence-internal punctuation; a sentence cut by a page break has some,
    # or starts with an item label.
    return bool(_INNER_PUNCT.search(prev)) or bool(patterns.match_label(prev))


_INNER_PUNCT = re.compile(r"[，、；：]")


def is_unit_line(text: str) -> bool:
    """A line that is a unit of its own, which no page break runs through: a contents entry
    ("第一章 规划背景……3") or a document number alone ("渝北府办发〔2022〕56号"). A bracketed number
    ("（国发〔2021〕20号）") may end a citation broken over two lines, so it is not one.

    Without this, a heading that ends in no punctuation swallows the number under it, and a
    contents page runs into the preamble.
    """
    return bool(patterns.CONTENTS_LEADER.search(text) or patterns.DOC_NUMBER.fullmatch(text))


def is_metadata_line(text: str) -> bool:
    """A line of "label：value" fields from a page's metadata block (索引号：… 发布机构：…).

    Such a line is a unit of its own: a page break never runs through it.
    """
    return bool(patterns.METADATA_LINE.match(text)) or len(patterns.METADATA_FIELD.findall(text)) >= 2


def _table_cells(original: str) -> str:
    """A table row "| 发文机关 | 某市政府办公室 | 成文日期 | 2023-04-07 |" with its cell rules turned into
    spaces, so that its labels read like those of a row copied without colons; other lines unchanged."""
    if not original.strip().startswith("|"):
        return original
    return re.sub(r"\s*\|\s*", " ", original)


@lru_cache(maxsize=4096)
def spaced_fields(original: str) -> str:
    """A metadata line copied without colons, with them put back: "发布机构 省政府办公厅 发文日期 2021-08-10"
    -> "发布机构：省政府办公厅 发文日期：2021-08-10"; empty when ``original`` is no such line.

    Only a line that starts with a label and has two labels, or one of the
    labels specific to the block (索引号, 发布机构, 文号, 成文日期…), or a
    table row (``| 标题 | … |``) whose first cell is a label, counts.

    Cached: a pure function of the line, asked of each line twice while page breaks are
    re-joined and again by anatomy and metadata, and it may run OpenCC.
    """
    text = normalise_punctuation(_SPACE_RUN.sub(" ", _table_cells(original)).strip())
    found = list(patterns.METADATA_SPACED.finditer(text))
    if not found or found[0].start() != 0:  # a Traditional page's labels (發文機關, 標題)
        text = to_simplified(text)
        found = list(patterns.METADATA_SPACED.finditer(text))
    if not found or found[0].start() != 0:
        return ""
    first = re.sub(r"\s", "", found[0].group(1))
    table_row = original.strip().startswith("|")  # a cell holding a label is label enough
    if len(found) < 2 and first not in patterns.STRONG_METADATA_LABELS and not table_row:
        return ""
    return patterns.METADATA_SPACED.sub(lambda m: m.group(1) + "：", text)


def _is_spaced_metadata(prev: Line, line: Line) -> bool:
    """Either line is a metadata line copied without colons (its text alone cannot tell)."""
    return bool(spaced_fields(prev.original) or spaced_fields(line.original))


def join_page_breaks(lines: list[Line]) -> list[Line]:
    """Re-join lines split by page breaks; blank lines between them vanish."""
    out: list[Line] = []
    for line in lines:
        if not line.text:
            continue
        if out and should_join(out[-1].text, line.text) and not _is_spaced_metadata(out[-1], line):
            prev = out[-1]
            out[-1] = replace(
                prev,
                text=prev.text + line.text,
                original=prev.original.rstrip() + line.original.strip(),
                joined_from=prev.joined_from + (line.lineno,),
            )
        else:
            out.append(line)
    return out


# -- all steps ------------------------------------------------------------------


def clean_lines(raw: str, *, script: str | None = None) -> tuple[list[Line], list[Line]]:
    """Clean a raw document. Return ``(kept, removed)`` lines.

    ``kept`` are document lines, page breaks re-joined; ``removed`` are chrome
    and junk lines with the reason in ``Line.removed``. ``script`` is the
    detected script (detected here when not given).
    """
    script = script or detect_script(raw)
    simplify = script != SIMPLIFIED
    raw_lines = [part for line in split_lines(raw) for part in split_run_on(line, simplify=simplify)]
    lines = [
        Line(lineno=i + 1, original=r, text=clean_text(r, simplify=simplify), joined_from=(i + 1,))
        for i, r in enumerate(raw_lines)
    ]
    texts = [ln.text for ln in lines]
    junk = junk_lines(texts)
    flagged = []
    for i, ln in enumerate(lines):
        if ln.text and is_chrome(ln.text):
            flagged.append(replace(ln, removed="chrome"))
        elif i in junk:
            flagged.append(replace(ln, removed="junk"))
        else:
            flagged.append(ln)
    kept = join_page_breaks([ln for ln in flagged if not ln.removed])
    removed = [ln for ln in flagged if ln.removed]
    return kept, removed
