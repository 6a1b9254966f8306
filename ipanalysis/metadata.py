"""Document metadata read from the text: title, issuer, number, dates, period.

Each extractor is a small function on cleaned lines, and returns ``None`` (or
an empty string) rather than guessing. The manifest overrides any of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import patterns
from .cleaning import Line, ends_sentence
from .structure import ParsedDocument

_BRACKETED = re.compile(r"^[（(〔【][^（）()]*[）)〕】]$")
_NOTICE_TITLE = re.compile(r"关于印发(.+?)的通知")


@dataclass(frozen=True)
class Date:
    """A date as written: ``precision`` is ``day``, ``month`` or ``year``."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def isoformat(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


def parse_date(text: str) -> Date | None:
    """The first date in ``text``: "2024年6月11日", "2020年6月4" (no 日), "2023-01-20".

    Impossible dates (month 13, 31 June) are rejected rather than guessed.
    """
    for regex in (patterns.DATE_CN, patterns.DATE_ISO):
        m = regex.search(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            day = int(m.group(3)) if m.group(3) else None
            try:
                dt.date(year, month, day or 1)
            except ValueError:
                return None
            return Date(year, month, day)
    return None


def signature_index(lines: list[Line]) -> int | None:
    """Index of the first line that is only a date: the signature date."""
    for i, line in enumerate(lines):
        if patterns.is_date_line(line.text):
            return i
    return None


def issued_date(lines: list[Line]) -> Date | None:
    """The signature date under the issuing body (成文日期 as printed)."""
    i = signature_index(lines)
    return parse_date(lines[i].text) if i is not None else None


def header_date(texts, field: str) -> tuple[Date, str] | None:
    """(date, line) of a website header field in ``texts``, e.g. ``发布日期：2023-01-20`` or ``成文日期``."""
    regex = re.compile(rf"{field}[：:]\s*(\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{4}}年\d{{1,2}}月\d{{1,2}}日?)")
    for text in texts:
        m = regex.search(text)
        if m and (date := parse_date(m.group(1))):
            return date, text
    return None


def issuer(lines: list[Line]) -> str:
    """The issuing bodies signed above the signature date, "；"-separated, reading order.

    Bracketed lines such as "（此页无正文）" or "（…代章）" are skipped; the walk
    stops at the first line of prose.
    """
    i = signature_index(lines)
    if i is None:
        return ""
    found: list[str] = []
    for line in reversed(lines[:i]):
        text = line.text
        if _BRACKETED.match(text):
            if found:
                break
            continue
        if ends_sentence(text) or re.search("[，、：]", text) or len(text) > 40:
            break
        found.append(text)
    return "；".join(reversed(found))


def doc_number(lines: list[Line], *, head: int = 40) -> str:
    """The document number (发文字号) in the header, normalised to 武政办发〔2024〕30号.

    A line that is only a number wins; a number cited inside a sentence (for
    a higher-level notice) does not count.
    """
    for line in lines[:head]:
        m = patterns.DOC_NUMBER.fullmatch(line.text)
        if m:
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return ""


def title(parsed: ParsedDocument) -> str:
    """The plan's own title: the heading lines just above its opening paragraph.

    Walking back from the first numbered heading: skip the opening paragraph
    (it ends with 。 or ：), then take the consecutive short lines without
    punctuation (a title may wrap over two lines). Falls back to the name in
    "关于印发…的通知".
    """
    pre = parsed.preamble
    j = len(pre) - 1
    while j >= 0 and (ends_sentence(pre[j].text) or len(pre[j].text) > 80):
        j -= 1
    parts: list[str] = []
    while j >= 0 and len(parts) < 3:
        text = pre[j].text
        if ends_sentence(text) or _BRACKETED.match(text) or patterns.is_date_line(text) or re.search("[，、：]", text):
            break
        parts.append(text)
        j -= 1
    if parts:
        return "".join(reversed(parts))
    for line in pre:
        m = _NOTICE_TITLE.search(line.text)
        if m:
            return m.group(1).strip("《》")
    return ""


def _without_citations(text: str) -> str:
    """Drop 《…》 citations: a cited plan's period is not this plan's."""
    return re.sub(r"《[^》]*》", "", text)


def plan_period(doc_title: str, closing: list[Line]) -> tuple[int | None, int | None, str]:
    """(start, end, source) of the plan period.

    From a year range in the title (not inside a citation); else from an
    attachment title in the closing matter (an indicator annex "2021—2025年…");
    else from a single year in the title ("2020年甘肃省…", "西宁市2024年…要点"). Source says
    which: ``title``, ``annex`` or ``title_year``; empty when none is found.
    """
    own = _without_citations(doc_title)
    m = patterns.YEAR_RANGE.search(own)
    if m:
        return int(m.group(1)), int(m.group(2)), "title"
    for line in closing:
        if line.text.startswith("附件"):
            m = patterns.YEAR_RANGE.search(_without_citations(line.text))
            if m:
                return int(m.group(1)), int(m.group(2)), "annex"
    m = re.search(r"((?:19|20)\d{2})年(?!度)", own)
    if m:
        year = int(m.group(1))
        return year, year, "title_year"
    return None, None, ""
