"""Document anatomy: which part of a saved page each line belongs to.

A policy as researchers find it is wrapped twice: by the website (page chrome,
the 政府信息公开 metadata block, a repost page's header) and by the notice that
issues it (关于印发…的通知, the addressee line, 现印发给你们…, signature and
date). Only then come the policy's own title, its preamble, the numbered body,
the closing matter and the annexes. Metadata is read from the part it belongs
to: the document number and signature from the ``wrapper``, 发布日期 from the
``metadata`` block, the title from the ``title`` lines, so a number cited in
the preamble or a page-update time is never taken for the document's own.

Parts, in reading order: ``chrome``, ``metadata``, ``wrapper``, ``title``,
``contents`` (a contents page: 目录 and entries ending in page numbers),
``preamble``, ``body``, ``closing``, ``annex``. The rules describe kinds of
lines (a line of labelled fields, an addressee line ending in ：, a line that
is only a date), never one site's strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import metadata, patterns, regions
from .cleaning import Line, ends_sentence, is_foreign, is_metadata_line, may_be_foreign, spaced_fields
from .structure import ParsedDocument, is_contents_entry

PARTS = ("chrome", "metadata", "wrapper", "title", "contents", "preamble", "body", "closing", "annex")

_ANNEX_HEADING = re.compile(r"^附\s*件\s*\d*\s*$")
_DISTRIBUTION = re.compile(r"^(抄送|抄报|印发)[：:]|^\d{4}年\d{1,2}月\d{1,2}日?印发$")
_BRACKETED = re.compile(r"^[（(〔【][^（）()]*[）)〕】]$")
_INNER_PUNCT = re.compile(r"[，；：。]")
# A bracketed line that is part of a title: "（2024-2025年）", "（试行）".
# Not a note with a date under a title ("（2021年5月8日市人民政府第10次常务会议审议通过）").
_TITLE_BRACKET = re.compile(
    r"^[（(](?:试行|暂行|修订|修订版|征求意见稿|"
    r"(?:19|20)\d{2}\s*年?\s*(?:[—–\-－~～至到]+\s*(?:19|20)\d{2}\s*年?)?\s*(?:版|修订|修订版|度|试行)?)[）)]$"
)
# How a preamble opens; no title does.
_PREAMBLE_OPENING = re.compile(r"^(?:为(?:深入|全面|进一步|认真|切实|加快|贯彻|落实|推动|推进|促进|加强)|根据|按照|依据|近年来|当前，)")
_MAX_TITLE_LINE = 80  # longer lines are paragraphs (is_prose)


@dataclass(frozen=True)
class Anatomy:
    """Every line of a document (kept and removed, in file order) with its part."""

    lines: tuple[Line, ...]
    parts: tuple[str, ...]

    def of(self, *names: str, kept_only: bool = False) -> list[Line]:
        """The lines of the given parts, in file order (``kept_only``: without removed lines)."""
        return [ln for ln, p in zip(self.lines, self.parts) if p in names and not (kept_only and ln.removed)]

    def part_by_lineno(self) -> dict[int, str]:
        """Line number -> part, for stages that look a line's part up by its number."""
        return {ln.lineno: p for ln, p in zip(self.lines, self.parts)}


def is_notice_heading(text: str) -> bool:
    """The start of a wrapping notice's heading ("…关于印发…", "…关于转发…") or its red header ("某市人民政府文件").

    A notice that is itself the policy ("关于加强知识产权保护的通知") wraps
    nothing: its heading is its title.
    """
    if patterns.RED_HEADER.match(text):
        return True
    if ends_sentence(text) or len(text) > 100:
        return False  # a sentence citing "《国务院关于印发…的通知》" is prose, not a heading
    return bool(patterns.NOTICE_START.search(re.sub(r"《[^》]*》|〈[^〉]*〉", "", text)))


def is_wrapper_anchor(text: str) -> bool:
    """A line that only a notice wrapper has: its heading, its document number, its addressee line."""
    if is_notice_heading(text) or patterns.ADDRESSEE.match(text):
        return True
    return len(text) <= 40 and bool(metadata.find_doc_number(text))


def is_title_like(text: str) -> bool:
    """A line that can be (part of) a title: short, no sentence punctuation, not a date or a note."""
    text = metadata.strip_furniture(text)
    if patterns.YEAR_RANGE.fullmatch(text) or (_TITLE_BRACKET.match(text) and not metadata.bracketed_date(text)):
        return True  # "2021—2025年", "（2021—2025年）", "（2021年修订）" on a line of its own, under the title's name
    if not text or len(text) > _MAX_TITLE_LINE or ends_sentence(text) or _INNER_PUNCT.search(text):
        return False
    if metadata.date_only(text) or is_notice_heading(text) or metadata.find_doc_number(text):
        return False
    if _PREAMBLE_OPENING.match(text):
        return False  # "为深入贯彻落实《…》" broken before its comma: the preamble, not a title
    if _ANNEX_HEADING.match(text):
        return False
    if _BRACKETED.match(text) and (not _TITLE_BRACKET.match(text) or metadata.bracketed_date(text)):
        return False
    return len(patterns.CJK_RUN.findall(text)) > 0 and sum(map(len, patterns.CJK_RUN.findall(text))) >= 2


def is_prose(text: str) -> bool:
    """A paragraph: a finished sentence, or a line too long to be a heading."""
    return ends_sentence(text) or len(text) > 80


def _starts_new_title(text: str) -> bool:
    """A title line that begins a title: it starts with a place (a year may come first)."""
    return regions.starts_with_place(re.sub(r"^(?:19|20)\d{2}年", "", text))


def _is_value_cell(label_line: str, text: str) -> bool:
    """``text`` is the value of a field whose label ends the line before ("索引号：" / "000014349/2021-00066")."""
    if not re.search(r"[：:]\s*\|?\s*$", label_line) or not text or len(text) > 40:
        return False
    return not ends_sentence(text) and not _INNER_PUNCT.search(text) and not is_notice_heading(text)


def _others(head: list[Line], i: int) -> str:
    """The text of every line of ``head`` but the ``i``-th: what a spam line shares no word with.
    Joined only when asked, as a page's head has many lines and few are candidates."""
    return "\n".join(ln.text for j, ln in enumerate(head) if j != i)


def _may_be_spam(text: str) -> bool:
    """The tests of :func:`_is_spam` that need no rest of the page (it may be spam only if they pass)."""
    return not (metadata.BODY_SUFFIX.search(text) or regions.starts_with_place(text)) and may_be_foreign(text)


def _is_spam(text: str, rest: str) -> bool:
    """A line of word salad a mirror site inserts near a title: foreign to the document's vocabulary
    (:func:`ipanalysis.cleaning.is_foreign`) and naming neither a body nor a place."""
    if metadata.BODY_SUFFIX.search(text) or regions.starts_with_place(text):
        return False
    return is_foreign(text, rest)


def _continues_title(text: str, below: str, rest: str = "") -> bool:
    """Whether a line above a title line can be the title's first half.

    A title wrapped over lines has a substantial first half ("濮阳市国家知识产权
    试点城市建设"), starts with a place ("宿迁市" / "知识产权强市建设工作方案"), stands
    above the title's bracket ("工作方案" / "（2021—2023年）") or names the issuing body
    ("国家知识产权局" / "关于…的指导意见");
    site furniture above a title is short ("新闻动态") or not Chinese text ("xyz123娱乐"),
    and a spam line shares no word with the document (``rest``: the other lines' text) and names
    neither a body nor a place.
    """
    if re.search(r"[A-Za-z]", text):
        return False
    if rest and _is_spam(text, rest):
        return False
    if below.startswith("关于"):  # a title broken before 关于 has its issuer above: a column name is none
        return bool(metadata.BODY_SUFFIX.search(text))
    if _TITLE_BRACKET.match(below) or patterns.YEAR_RANGE.fullmatch(below):
        return True  # "（2021—2023年）" always closes the line above it
    if len(text) >= 8:
        return True
    # "宿迁市" / "知识产权强市建设工作方案"; but a site's own name ("某省人民政府") is no title's first half
    return regions.starts_with_place(text) and not metadata.BODY_SUFFIX.search(text)


def _wrapper_span(head: list[Line], kinds: list[str | None]) -> tuple[int, int] | None:
    """(first, last) index of the notice wrapper among the opening lines, or None.

    A notice that passes nothing on (no 印发 / 转发 / 现将… in it) is no wrapper:
    it is the document itself, signed at its end.
    """
    span = _notice_span(head, kinds)
    if span and any(_passes_on(head[i].text) for i in range(span[0], span[1] + 1) if kinds[i] is None):
        return span
    return None


def _passes_on(text: str) -> bool:
    """A notice's line that passes a document on: a verb of issuing outside what the line cites, a
    heading "…关于印发 / 关于转发…", or a transmittal sentence ("现将《…》转发给你们"), whose 转发
    is no citation."""
    if patterns.TRANSMITS.search(metadata.uncited(text)):
        return True
    bare = re.sub(r"《[^》]*》|〈[^〉]*〉", "", text)
    if patterns.TRANSMITTAL.search(bare):
        return True
    return is_notice_heading(text) and bool(patterns.NOTICE_START.search(bare))


def _notice_span(head: list[Line], kinds: list[str | None]) -> tuple[int, int] | None:
    """(first, last) index of a notice's opening: heading or number or addressee, to signature or transmittal."""
    free = [i for i, k in enumerate(kinds) if k is None]
    start = next((i for i in free if is_wrapper_anchor(head[i].text)), None)
    if start is None:
        return None
    prev = max((i for i in free if i < start), default=None)
    heading_tail = patterns.NOTICE_START.match(head[start].text) or head[start].text == "文件"
    if (prev is not None and heading_tail and is_title_like(head[prev].text)
            and metadata.BODY_SUFFIX.search(head[prev].text)):  # fmt: skip
        start = prev  # "濮阳市人民政府" / "关于印发…的通知"; "某市人民政府办公室" / "文件"
    later = [i for i in free if i > start]
    transmittal = next((i for i in later if patterns.TRANSMITTAL.search(head[i].text)), None)
    addressee = next((i for i in [start, *later] if patterns.ADDRESSEE.match(head[i].text)), None)
    # The signature date comes after what the notice says; a page date under its heading is not it.
    after = transmittal if transmittal is not None else addressee if addressee is not None else start
    sig = next((i for i in later if i > after and metadata.signature_date(head[i])), None)
    if sig is not None:
        end = sig
        for i in later:
            if i <= sig:
                continue
            text = head[i].text
            if _BRACKETED.match(text) or patterns.CONTACT.match(text):
                end = i
            else:
                break
        return start, end
    if transmittal is not None:
        return start, transmittal
    anchors = [i for i in [start, *later] if is_wrapper_anchor(head[i].text)]
    return start, anchors[-1]


def _title_span(head: list[Line], kinds: list[str | None], begin: int) -> tuple[int, int] | None:
    """(first, last) index of the title lines: the short lines just above the first paragraph after ``begin``."""
    prose = next((i for i in range(begin, len(head)) if kinds[i] is None and is_prose(head[i].text)
                  and not patterns.ADDRESSEE.match(head[i].text)), len(head))  # fmt: skip
    lines: list[int] = []
    for i in range(prose - 1, begin - 1, -1):
        if kinds[i] == "contents" and lines and not _starts_new_title(head[lines[-1]].text):
            lines = []  # "前言" under a contents page is a heading; the title is above the contents
            continue
        if kinds[i] is not None:
            if lines:
                break
            continue
        text = head[i].text
        if _may_be_spam(text) and _is_spam(text, _others(head, i)):
            continue  # a mirror site's spam line between title and text, or above the title
        if not lines and (metadata.bracketed_date(text) or metadata.number_only(text) or metadata.date_only(text)
                          or patterns.ADDRESSEE.match(text)
                          or (_BRACKETED.match(text) and not _TITLE_BRACKET.match(text))
                          or _PREAMBLE_OPENING.match(text)):  # fmt: skip
            continue  # "（2021年5月8日）", "（…常务会议审议通过）", the number or a page date under the title; an
            # addressee; the first half of a preamble sentence broken over lines
        if not is_title_like(text) or len(lines) >= 3:
            break
        below = head[lines[-1]].text if lines else ""
        if lines and (_starts_new_title(below) or not _continues_title(text, below, _others(head, i))):
            break
        lines.append(i)
    return (lines[-1], lines[0]) if lines else None


def head_parts(head: list[Line]) -> list[str]:
    """Parts of the lines before the numbered body: chrome, metadata, wrapper, title, preamble."""
    kinds: list[str | None] = []
    in_contents = False  # after a line that is only 目录, as structure.parse reads it
    for i, ln in enumerate(head):
        if patterns.CONTENTS_TITLE.match(ln.text) or is_contents_entry(ln.text, in_contents=in_contents):
            kinds.append("contents")  # "目录", "第一章 规划背景……1": neither title nor preamble
            in_contents = True
            continue
        in_contents = in_contents and patterns.parse_label(ln.text) is None and len(ln.text) <= 30
        if (is_metadata_line(ln.text) or (patterns.TABLE_RULE.match(ln.text) and kinds and kinds[-1] == "metadata")
                or (not patterns.METADATA_FIELD.search(ln.text) and spaced_fields(ln.original))):  # fmt: skip
            kinds.append("metadata")
        elif i and kinds[-1] == "metadata" and _is_value_cell(head[i - 1].text, ln.text):
            kinds.append("metadata")  # "发布日期：" / "2023-05-06": the value on a line of its own
        elif ln.removed:
            kinds.append("chrome")
        else:
            kinds.append(None)
    wrapper = _wrapper_span(head, kinds)
    begin = wrapper[1] + 1 if wrapper else 0
    title = _title_span(head, kinds, begin)
    parts = []
    for i, kind in enumerate(kinds):
        if kind:
            parts.append(kind)
        elif wrapper and wrapper[0] <= i <= wrapper[1]:
            parts.append("wrapper")
        elif title and title[0] <= i <= title[1]:
            parts.append("title")
        elif (title and i < title[0]) or (wrapper and i < wrapper[0]):
            parts.append("chrome")  # site furniture before the notice or the title
        else:
            parts.append("preamble")
    return parts


def closing_parts(closing: list[Line]) -> list[str]:
    """``closing`` or ``annex`` for each closing line: an annex starts at a line that is only 附件 / 附件2."""
    parts, in_annex = [], False
    for ln in closing:
        in_annex = in_annex or bool(_ANNEX_HEADING.match(ln.text))
        parts.append("annex" if in_annex and not _DISTRIBUTION.search(ln.text) else "closing")
    return parts


def dissect(kept: list[Line], removed: list[Line], parsed: ParsedDocument) -> Anatomy:
    """Label every line of a cleaned document with its part (see the module docstring)."""
    body = {ln.lineno for u in parsed.units for ln in u.lines}
    closing = dict(zip((ln.lineno for ln in parsed.closing), closing_parts(parsed.closing)))
    first_body = min(body | set(closing), default=None)
    everything = sorted(kept + removed, key=lambda ln: ln.lineno)
    head = [ln for ln in everything if first_body is None or ln.lineno < first_body]
    part = dict(zip((ln.lineno for ln in head), head_parts(head)))
    out = []
    for ln in everything:
        if ln.lineno in part:
            out.append(part[ln.lineno])
        elif ln.removed:
            out.append("chrome")
        elif ln.lineno in body:
            out.append("body")
        else:
            out.append(closing.get(ln.lineno, "closing"))
    return Anatomy(tuple(everything), tuple(out))
