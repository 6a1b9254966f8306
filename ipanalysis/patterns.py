"""Regular expressions and small text facts, kept in one place.

Everything here works on cleaned text: Simplified characters, full-width
Chinese punctuation (see :func:`ipanalysis.cleaning.normalise_punctuation`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
    """The number a heading label stands for: ①→1, 十二→12, 3→3, in the label style given."""
    if style.name == "circled":
        return ord(token) - 0x2460 + 1
    return cn_to_int(token) if style.chinese else int(token)


# Every character a label of LABEL_STYLES can start with (each regex is anchored at ^ and opens
# with one of these, or with a digit: ``\d``, any Unicode decimal digit): a line starting with
# anything else has no label, and no regex need be tried.
LABEL_FIRST_CHARS = frozenset("第（(" + CN_NUMERAL + "".join(map(chr, range(0x2460, 0x2474))))


def may_start_label(line: str) -> bool:
    """False when ``line`` cannot start with a label of :data:`LABEL_STYLES` (a cheap test before the regexes)."""
    first = line[:1]
    return first in LABEL_FIRST_CHARS or first.isdecimal()


@lru_cache(maxsize=8192)
def parse_label(line: str) -> Label | None:
    """The numbering label at the start of ``line``, or None.

    Cached (a :class:`Label` is immutable): cleaning, structure and targets each ask it of the same lines."""
    if not may_start_label(line):
        return None
    for style in LABEL_STYLES:
        m = style.regex.match(line)
        if m:
            return Label(style.name, label_number(style, m.group(1)), m.group(0).strip(), m.end())
    return None


def match_label(line: str) -> re.Match[str] | None:
    """The regex match of a numbering label at the start of ``line`` (explicit labels only)."""
    if not may_start_label(line):
        return None
    for style in LABEL_STYLES:
        m = style.regex.match(line)
        if m:
            return m
    return None


# -- responsibility clauses ----------------------------------------------------------

RESPONSIBILITY_VERBS = "负责|牵头|配合|参与|协助|落实"
RESPONSIBILITY_HINT = re.compile(f"(?:{RESPONSIBILITY_VERBS}|责任单位|责任部门)")
# "牵头单位：…", "责任单位：…", "配合单位：…" on lines of their own.
FIELD_NAMES = "主要责任单位|牵头单位|责任单位|配合单位|参与单位|主责单位|责任部门|牵头部门|配合部门|参与部门|协办单位|协同单位"
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
DOC_NUMBER = re.compile(rf"([{CJK_CHARS}]{{1,12}})[〔\[［【（(]?\s*((?:19|20)\d{{2}})\s*[〕\]］】）)]\s*第?\s*(\d{{1,4}})\s*号")

# -- document anatomy and metadata (see anatomy.py, metadata.py) ---------------------------

# More date forms: 2015/1/8; 20141229 (a site that stripped 年月日; trusted only where a
# date is expected: a line or field that is only a date); 二○一一年五月二十二日.
DATE_SLASH = re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)")
DATE_COMPACT = re.compile(r"((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
DATE_DOT = re.compile(r"(?<![\d.])((?:19|20)\d{2})\.(\d{1,2})\.(\d{1,2})(?![\d.])")  # 2023.5.6, only where a date is expected
CN_YEAR_DIGITS = "〇○零Ｏ0O一二三四五六七八九"
_CN_DAY = "[一二三四五六七八九十]{1,3}"
DATE_CN_NUMERAL = re.compile(rf"([{CN_YEAR_DIGITS}]{{4}})\s*年\s*({_CN_DAY})\s*月\s*(?:({_CN_DAY})\s*日)?")
# A time of day after a date ("2023-02-18 14:04", "00:00:00"): page furniture, not part of the date.
TIME_OF_DAY = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")

# Labels of the government-information block (政府信息公开) and of a repost page's
# header. A line made of such "label：value" fields is metadata, not text.
METADATA_LABELS = (
    "索引号", "发布机构", "发布机关", "发文机关", "发文单位", "文号", "发文字号", "文件编号", "成文日期", "发文日期", "发布日期", "发布时间",
    "印发日期", "生效日期", "实施日期", "废止日期", "主题分类", "主题词", "体裁分类", "组配分类", "服务对象", "分类", "名称",
    "标题", "有效性", "效力状态", "时效", "责任部门", "公开形式", "公开方式", "公开时限", "公开范围", "序号", "部门", "栏目",
    "来源", "信息来源", "作者", "日期", "时间", "更新时间", "浏览次数", "阅读次数", "访问量", "字号",
)  # fmt: skip
_LABEL_ALT = "|".join(r"\s*".join(label) for label in sorted(METADATA_LABELS, key=len, reverse=True))
METADATA_FIELD = re.compile(rf"({_LABEL_ALT})\s*[：:]\s*\|?\s*")
# A field may open in a bracket: "【发布时间：2021-03-08】", "（发布日期：2021-03-08）".
METADATA_LINE = re.compile(rf"^[|【\[［（(]?\s*(?:{_LABEL_ALT})\s*[：:]")
TABLE_RULE = re.compile(r"^[\s|:：\-—]*-{3,}[\s|:：\-—]*$")

# The notice that wraps a policy ("关于印发…的通知"), its addressee line, its transmittal sentence.
# Also without 关于, right after the body's name: "某市委办公室 某市人民政府办公室印发《…》的通知".
NOTICE_START = re.compile(r"关于(?:印发|转发|下发|发布|颁布|公布)|(?:(?<=[厅室府委局])|^)(?:印发|转发)(?=[《〈]|的(?:通知|决定))")
RED_HEADER = re.compile(rf"^[{CJK_CHARS}\s]{{0,40}}文件$")
ADDRESSEE = re.compile(
    rf"^(?:各[^。；]{{1,600}}|[^。；]{{0,600}}(?:单位|部门|政府|机构|机关|委员会|管委会|办事处|局|厅|委|办|学院|协会|中心|科协))[：:]$"
)
# What makes a notice a wrapper: it passes a document on ("现将…印发给你们", "关于转发…").
TRANSMITS = re.compile(r"印发|转发|现将|现予|下发|颁布")
TRANSMITTAL = re.compile(r"现将|现予印发|现印发|印发给你们|予以印发|请认真|请结合实际|请遵照")
CONTACT = re.compile(r"^[（(]?\s*(?:联系人|联系电话|联系方式|咨询电话)")
# A phrase that cites another document: its number is not this document's.
CITING = re.compile(r"根据|按照|依据|依照|贯彻|落实|参照|转发")
# Five-year plans named by their ordinal: "十四五" is 2021–2025.
# Also spelt out: "第十四个五年规划".
FIVE_YEAR_PLAN = re.compile(r"[“\"']?(十[一二三四五六七八九])五[”\"']?(?:规划|时期|期间)?|第(十[一二三四五六七八九])个五年")
# A plan period stated in the text: "规划期为2021—2025年", "实施期限：2023-2025年".
# Also with months ("实施期为2023年1月至2025年12月") and 时限.
PERIOD_STATEMENT = re.compile(
    r"(?:规划|实施|执行|试点|建设|方案|行动)(?:期限|期|周期|时间|时限|年限)(?:为|是|：|:)?\s*((?:19|20)\d{2})\s*年?\s*"
    r"(?:\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?\s*[—–\-－~～至到]+\s*((?:19|20)\d{2})\s*年"
)
# The same block copied from a page table without colons: "发布机构 省政府办公厅 发文日期 2021-08-10".
# Read from the original line, where the cell gaps survive as spaces.
METADATA_SPACED = re.compile(rf"(?:^|(?<=\s))({_LABEL_ALT})\s+(?=\S)")
# Labels specific enough to mark a line on their own, without a colon.
STRONG_METADATA_LABELS = ("索引号", "发布机构", "发文机关", "文号", "发文字号", "成文日期", "发文日期", "发布日期", "主题分类",
                          "发布时间", "更新时间", "印发日期")  # fmt: skip

# A contents entry ends in leader dots (or a gap) and a page number: "第一章 规划背景……3". Such a
# line never continues onto the next one, and is neither a title nor a heading.
CONTENTS_LEADER = re.compile(r"(?:[.．…·・]{2,}|[—\-]{3,}|\s{2,}|\t)\s*\d{1,3}$")
CONTENTS_TITLE = re.compile(r"^目\s*录$")
# A period stated as a span of years with its range: "通过三年（2021—2023年）建设", "用3年时间（2022-2024年）".
# Trusted only when the count matches the range (metadata.counted_period).
COUNTED_RANGE = re.compile(
    r"([一二两三四五六七八九十]|\d{1,2})\s*年(?:左右)?(?:时间)?\s*[（(]\s*((?:19|20)\d{2})\s*年?\s*[—–\-－~～至到]+\s*"
    r"((?:19|20)\d{2})\s*年?\s*[）)]"
)
