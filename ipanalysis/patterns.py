"""Regular expressions and small text facts, kept in one place.

Everything here works on cleaned text: Simplified characters, full-width
Chinese punctuation (see :func:`ipanalysis.cleaning.normalise_punctuation`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


# -- Chinese numerals --------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千"


def cn_to_int(text: str) -> int:
    """Chinese numeral to int: 一 -> 1, 十 -> 10, 十一 -> 11, 二十三 -> 23, 一百零五 -> 105."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


# -- numbered headings and items ----------------------------------------------------


@dataclass(frozen=True)
class LabelStyle:
    """One way Chinese policy documents number their units."""

    name: str
    regex: re.Pattern[str]
    chinese: bool  # numeral written in Chinese characters


# Order is the conventional hierarchy; the structure parser still nests them by
# first appearance, so a document that skips a level parses too.
LABEL_STYLES: tuple[LabelStyle, ...] = (
    LabelStyle("chapter", re.compile(rf"^第([{CN_NUMERAL}]+)[章部分]\s*"), True),
    # 第一节 under 第一章: the usual layout of 十四五 plans.
    LabelStyle("section", re.compile(rf"^第([{CN_NUMERAL}]+)节\s*"), True),
    LabelStyle("cn_dun", re.compile(rf"^([{CN_NUMERAL}]+)、\s*"), True),
    LabelStyle("cn_paren", re.compile(rf"^[（(]\s*([{CN_NUMERAL}]+)\s*[）)]\s*"), True),
    LabelStyle("article", re.compile(rf"^第([{CN_NUMERAL}]+)条\s*"), True),
    # "1." "1．" "1、"; not "5.2" (a decimal) and not "2024年".
    LabelStyle("arabic_dot", re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*"), False),
    LabelStyle("arabic_paren", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*"), False),
    LabelStyle("circled", re.compile(r"^([\u2460-\u2473])\s*"), False),
)

# An arabic item whose dot was lost ("11开展…"); only trusted when the number is
# the one expected next, which the structure parser checks.
MISSING_DOT = re.compile(rf"^(\d{{1,3}})(?=[{CJK_CHARS}])")

# A numbered line at most this long (after its label), without sentence
# punctuation, is a heading or item title rather than a broken sentence.
MAX_HEADING_CHARS = 20


@dataclass(frozen=True)
class Label:
    style: str
    number: int
    text: str  # the label as written, e.g. "（一）"
    end: int  # where the label ends in the line


def label_number(style: LabelStyle, token: str) -> int:
    if style.name == "circled":
        return ord(token) - 0x2460 + 1
    return cn_to_int(token) if style.chinese else int(token)


def parse_label(line: str) -> Label | None:
    """The numbering label at the start of ``line``, or None."""
    for style in LABEL_STYLES:
        m = style.regex.match(line)
        if m:
            return Label(style.name, label_number(style, m.group(1)), m.group(0).strip(), m.end())
    return None


def match_label(line: str) -> re.Match[str] | None:
    """The regex match of a numbering label at the start of ``line`` (explicit labels only)."""
    for style in LABEL_STYLES:
        m = style.regex.match(line)
        if m:
            return m
    return None


# -- responsibility clauses ----------------------------------------------------------

RESPONSIBILITY_VERBS = "负责|牵头|配合|参与|协助|落实"
RESPONSIBILITY_HINT = re.compile(f"(?:{RESPONSIBILITY_VERBS}|责任单位|责任部门)")
# "牵头单位：…", "责任单位：…", "配合单位：…" on lines of their own.
FIELD_NAMES = "牵头单位|责任单位|配合单位|参与单位|主责单位|责任部门|牵头部门|配合部门|参与部门|协办单位"
# "牵头单位：…", "【责任单位】…" on lines of their own.
FIELD_LINE = re.compile(rf"^(?:【(?:{FIELD_NAMES})】|(?:{FIELD_NAMES})[：:])")

# -- dates -----------------------------------------------------------------------------

DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日?)?")
DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月(\d{1,2}日?)?$")


def is_date_line(line: str) -> bool:
    """A line that is only a date, as under a signature ("2024年6月11日", "2020年6月4")."""
    return bool(_DATE_LINE.match(line))


# A year range: 2024—2026, 2021-2025, 2024至2026.
YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—–\-－~～至到]+\s*((?:19|20)\d{2})\s*年?")

# A document number: 武政办发〔2024〕30号; tolerant of a lost or ASCII bracket.
DOC_NUMBER = re.compile(rf"([{CJK_CHARS}]{{1,12}})[〔\[［【（(]?\s*((?:19|20)\d{{2}})\s*[〕\]］】）)]\s*(\d{{1,4}})\s*号")
