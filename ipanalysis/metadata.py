"""Document metadata read from the text: title, issuer, number, dates, period.

Each field is read from the part of the document it belongs to (see
:mod:`ipanalysis.anatomy`): the number and the signature from the notice
wrapper, 发布日期 from the page's metadata block, the title from the policy's
own title lines. Each extractor is a small function and returns ``None`` (or
an empty string) rather than guessing: a wrong value is worse than a missing
one. The manifest overrides any of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import patterns, regions
from .cleaning import Line, ends_sentence, normalise_punctuation, normalise_whitespace, spaced_fields

_BRACKETED = re.compile(r"^[（(〔【][^（）()]*[）)〕】]$")
_NOTICE_TITLE = re.compile(rf"(?:{patterns.NOTICE_START.pattern})(.+?)的(?:通知|决定)")
_CITED_TITLE = re.compile(r"《([^》]+)》")


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
        """``2021-06-08``, or ``2021-06`` / ``2021`` when the text gives only the month or the year."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


_CN_YEAR_DIGIT = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "Ｏ": "0", "O": "0", "0": "0"}


def _date_candidates(text: str, *, compact: bool):
    """(year, month, day, start, end) of every date written in ``text``, in order of the forms tried."""
    for regex in (patterns.DATE_CN, patterns.DATE_ISO, patterns.DATE_SLASH):
        for m in regex.finditer(text):
            yield int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None, m.start(), m.end()
    for m in patterns.DATE_CN_NUMERAL.finditer(text):
        year = "".join(_CN_YEAR_DIGIT.get(ch, "") for ch in m.group(1))
        if len(year) == 4:
            day = patterns.cn_to_int(m.group(3)) if m.group(3) else None
            yield int(year), patterns.cn_to_int(m.group(2)), day, m.start(), m.end()
    if compact:
        for regex in (patterns.DATE_COMPACT, patterns.DATE_DOT):
            for m in regex.finditer(text):
                yield int(m.group(1)), int(m.group(2)), int(m.group(3)), m.start(), m.end()


def find_date(text: str, *, compact: bool = False) -> tuple[Date, int, int] | None:
    """The earliest date in ``text`` with its span: 2024年6月11日, 2020年6月4 (no 日), 2023-01-20,
    2015/1/8, 二○一一年五月二十二日; with ``compact``, also 20141229 and 2023.5.6 (only where a date is
    expected: a line or field that is only a date).

    Impossible dates (month 13, 31 June) are rejected rather than guessed.
    """
    best = None
    for year, month, day, start, end in _date_candidates(text, compact=compact):
        try:
            dt.date(year, month, day or 1)
        except ValueError:
            continue
        if best is None or start < best[1]:
            best = (Date(year, month, day), start, end)
    return best


def parse_date(text: str) -> Date | None:
    """The first date in ``text`` (see :func:`find_date`); also the partial forms :meth:`Date.isoformat`
    writes for a month or a year ("2021-06", "2021"), which the documents table holds for a signature
    "2021年6月"."""
    found = find_date(text)
    if found:
        return found[0]
    m = _PARTIAL_ISO.fullmatch(text.strip())
    if m and 1 <= int(m.group(2) or 1) <= 12:
        return Date(int(m.group(1)), int(m.group(2)) if m.group(2) else None)
    return None


_PARTIAL_ISO = re.compile(r"((?:19|20)\d{2})(?:-(\d{2}))?")


def date_only(text: str) -> Date | None:
    """The date of a line that is nothing but a date (a signature date), in any written form."""
    found = find_date(text, compact=True)
    if not found:
        return None
    date, start, end = found
    rest = (text[:start] + text[end:]).strip(" 　")
    return date if not rest or rest in ("日",) else None


def bracketed_date(text: str) -> Date | None:
    """The date of a line that is only a bracketed date, as printed under a title: "（2021年5月8日）",
    or the one date of the 人大 meeting that adopted it: "（2021年10月28日某市人民代表大会常务委员会第三十七次
    会议通过）".
    A bracket with a second date (a later 修正) names no single issue date: None."""
    if not _BRACKETED.match(text):
        return None
    inner = text[1:-1]
    if date := date_only(inner):
        return date
    found = find_date(inner)
    if not found or found[1] != 0 or found[0].precision != "day":
        return None
    rest = inner[found[2] :]
    return found[0] if _ADOPTED_AT_MEETING.match(rest) and not find_date(rest) else None


# "…人民代表大会常务委员会第三十七次会议通过": the rest of a bracket dated by the 人大 meeting that
# adopted a 决定 (its date). A government's 常务会议 adoption is not: its 办法 is signed and issued later.
_ADOPTED_AT_MEETING = re.compile(r"^[^，。；、（）()]{0,30}人民代表大会[^，。；、（）()]{0,30}会议(?:审议)?通过$")


def flat_signature(line: Line) -> tuple[Line, Date] | None:
    """A signature flattened onto one line, "宿迁市人民政府办公室　2021年6月8日": the bodies (as a line of
    their own) and the date. None unless the line is a body's name followed by nothing but a date."""
    found = find_date(line.text)
    if not found or found[0].precision != "day":
        return None
    date, start, end = found
    head = line.text[:start].strip(" 　")
    if line.text[end:].strip(" 　") not in ("", "日") or not head or len(head) > 60 or not BODY_SUFFIX.search(head):
        return None
    if ends_sentence(head) or re.search("[，、：；。]", head):
        return None
    original = _TRAILING_DATE.sub("", line.original)
    return Line(line.lineno, original, head), date


_TRAILING_DATE = re.compile(rf"[\s\d{patterns.CN_YEAR_DIGITS}十年月日/.\-]+$")


def signature_date(line: Line) -> Date | None:
    """The date of a signature line: a line that is only a date, or a flattened signature."""
    if date := date_only(line.text):
        return date
    flat = flat_signature(line)
    return flat[1] if flat else None


def signature_index(lines: list[Line]) -> int | None:
    """Index of the last line that is only a date (or a signature flattened onto one line): the
    signature date, which ends a notice. It comes after what the notice says: a date above its
    addressee line or its transmittal sentence is the page's ("2023-02-18" under the heading)."""
    said = [i for i, ln in enumerate(lines)
            if patterns.ADDRESSEE.match(ln.text) or patterns.TRANSMITTAL.search(ln.text)]  # fmt: skip
    for i in range(len(lines) - 1, said[-1] if said else -1, -1):
        if signature_date(lines[i]):
            return i
    return None


def issued_date(lines: list[Line]) -> Date | None:
    """The signature date (成文日期 as printed), or a date on the document number's line.

    ``lines`` are the notice wrapper's (or, for a bare document, all lines).
    """
    i = signature_index(lines)
    if i is not None:
        return signature_date(lines[i])
    for line in lines:
        m = patterns.DOC_NUMBER.search(line.text)
        if m and (found := find_date(line.text[m.end() :], compact=True)):
            return found[0]
    return None


# -- the metadata block ----------------------------------------------------------------


def metadata_fields(texts) -> list[tuple[str, str, str]]:
    """(label, value, line) of every "label：value" field in the metadata lines ``texts``.

    Works on one field per line, several per line, and table rows
    (``索引号： | GS2089/2022-18402 | 部门： | …``). Labels are normalised (spaces removed).
    """
    out = []
    texts = list(texts)
    for i, text in enumerate(texts):
        found = list(patterns.METADATA_FIELD.finditer(text))
        for m, nxt in zip(found, found[1:] + [None]):
            value = text[m.end() : nxt.start() if nxt else len(text)]
            value = value.strip(" |　")
            if not value and nxt is None and i + 1 < len(texts) and not patterns.METADATA_FIELD.search(texts[i + 1]):
                value = texts[i + 1].strip(" |　")  # a table whose value cell is the next line
            out.append((re.sub(r"\s", "", m.group(1)), value, text))
    return out


def field_text(line: Line) -> str:
    """A metadata line as "label：value" text, colons put back where a copied table lost them."""
    if patterns.METADATA_FIELD.search(line.text):
        return line.text
    return spaced_fields(line.original) or line.text


def field_date(fields, *labels: str) -> tuple[Date, str] | None:
    """(date, line) of the first field with one of ``labels`` (in the order given) whose value is a date.

    A time after the date ("2023-02-18 14:04") is ignored.
    """
    for label in labels:
        for name, value, text in fields:
            if name == label:
                value = patterns.TIME_OF_DAY.sub("", value).strip()
                found = find_date(value, compact=True)
                if found and found[1] == 0:
                    return found[0], text
    return None


def header_date(texts, field: str) -> tuple[Date, str] | None:
    """(date, line) of a website header field in ``texts``, e.g. ``发布日期：2023-01-20`` or ``成文日期``."""
    return field_date(metadata_fields(texts), field)


def published_date(texts) -> tuple[Date, str] | None:
    """The page's 发布日期 (or, failing that, 发布时间), with or without a time of day.

    Only a field so labelled counts: 更新时间, a bare 时间 or 日期 of a repost
    page are the page's own dates, not the document's.
    """
    return field_date(metadata_fields(texts), "发布日期", "发布时间")


# -- issuer ------------------------------------------------------------------------------

# How the name of an issuing body ends: 人民政府, 办公室, 市场监督管理局, 财政部, 中国人民银行, 科协…
BODY_SUFFIX = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|党委|省委|市委|区委|县委|局|厅|委|办|部|署|院|会|中心|小组|公署|银行|科协)$")
_ABBREVIATED_ISSUER = re.compile(r"^(省|市|区|县|自治区|州|盟|旗)(人民政府|政府)(办公室|办公厅|办)?$")
_LEADING_PLACE = re.compile(rf"^(?:(?:19|20)\d{{2}}年)?([{patterns.CJK_CHARS}]{{2,10}}?(?:自治区|省|市|区|县|州|盟|旗))")


def split_bodies(original: str) -> list[str]:
    """The issuing bodies on one signature line: "包头市市场监督管理局 包头市知识产权局" -> two bodies.

    Layout spaces also fall inside one name ("甘肃省市场监督管理局 办公室"): a
    piece that does not name a body of its own (shorter than four characters)
    is joined to the one before it.
    """
    pieces = [p for p in re.split(r"[\s\u3000]+", original.strip()) if p]
    bodies: list[str] = []
    for piece in pieces:
        if bodies and (len(piece) < 4 or not BODY_SUFFIX.search(bodies[-1])):
            bodies[-1] += piece
        else:
            bodies.append(piece)
    return bodies


def issuer(lines: list[Line]) -> str:
    """The issuing bodies signed above the signature date, "；"-separated, reading order.

    ``lines`` are the notice wrapper's. Bracketed lines such as "（此页无正文）"
    or "（…代章）" are skipped; the walk stops at the first line of prose. Two
    bodies on one line, separated by a space, are two issuers.
    """
    i = signature_index(lines)
    if i is None:
        return ""
    found: list[str] = []
    flat = flat_signature(lines[i])
    for line in reversed(lines[:i] + ([flat[0]] if flat else [])):
        text = line.text
        if _BRACKETED.match(text):
            if found:
                break
            continue
        if ends_sentence(text) or re.search("[，、：]", text) or len(text) > 60 or not BODY_SUFFIX.search(text):
            break
        found.extend(reversed(_bodies_of(line)))
    return "；".join(reversed(found))


def split_at_places(text: str) -> list[str]:
    """Bodies run together without a space: "中共江苏省委江苏省人民政府" -> ["中共江苏省委", "江苏省人民政府"].

    Split at a separator (、，；or a space), and where a body's name ends (人民政府, 局, 省委…) and a place named in the
    gazetteer begins; "南通市通州区人民政府" has no body name before 通州区, so
    it stays whole.
    """
    pieces = [p for p in re.split(r"[、，,；\s\u3000]+", text) if p]  # "某局、某厅": listed with a separator
    if len(pieces) > 1:
        return [body for piece in pieces for body in split_at_places(piece)]
    out, start = [], 0
    for k in range(start + 2, len(text) - 2):
        if BODY_SUFFIX.search(text[start:k]) and regions.starts_with_place(text[k:]):
            out.append(text[start:k])
            start = k
    return out + [text[start:]]


def _bodies_of(line: Line) -> list[str]:
    """The bodies on a signature line, in its cleaned (Simplified) text, split where the original has spaces
    (else where a new place name starts after a body's name)."""
    pieces = [cleaned(b) for b in split_bodies(line.original)]
    if len(pieces) < 2 or sum(map(len, pieces)) != len(line.text):
        return split_at_places(line.text)
    out, at = [], 0
    for piece in pieces:
        out.append(line.text[at : at + len(piece)])
        at += len(piece)
    return out


def cleaned(text: str) -> str:
    """A fragment of an original line cleaned like the line itself (punctuation, layout spaces)."""
    return normalise_punctuation(normalise_whitespace(text))


def notice_issuer(notice: str, *, doc_title: str = "") -> str:
    """The issuer named before 关于 in a notice heading, when no signature says it.

    "濮阳市人民政府关于印发…的通知" -> 濮阳市人民政府. A heading that abbreviates
    its issuer ("省政府关于印发…") names the place at the start of the policy's
    own title: 省政府 + 江苏省知识产权战略纲要 -> 江苏省人民政府; without such
    a place the issuer stays unknown.
    """
    m = patterns.NOTICE_START.search(notice)
    if not m:
        return ""
    head = re.sub(r"[（(][^）)]*[）)]$", "", notice[: m.start()]).strip()
    if not head or not BODY_SUFFIX.search(head) or len(head) > 40:
        return ""
    if _ABBREVIATED_ISSUER.match(head):
        return expand_abbreviated(head, doc_title=doc_title)
    return "；".join(split_at_places(head))


def expand_abbreviated(body: str, *, doc_title: str) -> str:
    """"县政府办" + 安吉县… -> 安吉县人民政府办公室: a body named only by its level, completed with the place
    the policy's title starts with; ``body`` unchanged when it is not abbreviated, "" when no place says where."""
    short = _ABBREVIATED_ISSUER.match(body)
    if not short:
        return body
    place = _LEADING_PLACE.match(doc_title)
    if not place or not place.group(1).endswith(short.group(1)):
        return ""
    office = {"办": "办公室"}.get(short.group(3), short.group(3) or "")
    return place.group(1) + "人民政府" + office


def title_issuer(title_lines: list[Line]) -> str:
    """The bodies a policy's own title names before 关于: "中共某县委 某县人民政府关于…的实施意见" ->
    "中共某县委；某县人民政府" (a policy issued without a notice). Empty otherwise."""
    text = "".join(ln.text for ln in title_lines)
    original = " ".join(ln.original.strip() for ln in title_lines)
    at = text.find("关于")
    at_original = max(original.find("关于"), original.find("關於"))  # a Traditional original says 關於
    if at < 4:
        return ""
    head = text[:at]
    if not BODY_SUFFIX.search(head) or len(head) > 40:
        return ""
    pieces = [cleaned(b) for b in split_bodies(original[:at_original])] if at_original >= 0 else []
    if "".join(pieces) != head or not all(BODY_SUFFIX.search(p) for p in pieces):
        pieces = split_at_places(head)
    return "；".join(pieces)


# -- document number -----------------------------------------------------------------------


def uncited(text: str) -> str:
    """``text`` without what it cites: 《…》 titles, the bracket after one, and clauses after 根据/按照/依据."""
    text = re.sub(r"《[^》]*》\s*[（(][^）)]*[）)]", "", text)
    text = re.sub(r"《[^》]*》", "", text)
    clauses = re.split(r"[，。；]", text)
    return "，".join(c for c in clauses if not patterns.CITING.search(c))


def find_doc_number(text: str) -> str:
    """The first document number in ``text`` that is not cited, normalised to 武政办发〔2024〕30号.

    Any bracket style (〔〕 [] （） () 【】, half- or full-width, spaces, a lost
    opening bracket), anywhere in the line.
    """
    for m in patterns.DOC_NUMBER.finditer(uncited(text)):
        prefix = _NOT_PREFIX.split(_FIELD_LABEL.sub("", m.group(1)))[-1][-_MAX_PREFIX:]
        if len(prefix) >= 2:
            return f"{prefix}〔{m.group(2)}〕{m.group(3)}号"
    return ""


# A label glued to the number when a table lost its colon ("文号苏政办发〔2021〕62号").
_FIELD_LABEL = re.compile(r"^(?:发文字号|文号|字号)")
# Words no issuer's prefix contains: where a heading runs into its number ("…规划的通知渝北府办发〔2022〕56号"),
# the prefix starts after them.
_NOT_PREFIX = re.compile(r"的|通知|关于|印发|转发")
_MAX_PREFIX = 10  # the longest prefixes are six or seven characters: 国知发运函字, 内市监知保字


def doc_number(lines: list[Line], *, fields=(), loose: list[Line] = ()) -> str:
    """The document number (发文字号): in the notice wrapper's ``lines``, else in a 文号 field, else a
    line that is only a number among ``loose`` lines (around the title of a document without a wrapper)."""
    for line in lines:
        if number := find_doc_number(line.text):
            return number
    for name, value, _text in fields:
        if name in ("文号", "发文字号", "文件编号") and (number := find_doc_number(value)):
            return number
    for prev, line in zip([None, *loose], loose):
        if number_only(line.text) and not (prev is not None and _ENDS_CITATION.search(prev.text)):
            return find_doc_number(line.text)
    return ""


# A line that ends citing a document: the number on the next line is the cited one's.
_ENDS_CITATION = re.compile(r"[》〉]\s*$")


def number_only(text: str) -> bool:
    """A line that is nothing but a document number, bracketed or not: "国知发管字〔2016〕86号"."""
    m = patterns.DOC_NUMBER.search(text)
    if not m or re.sub(r"[\s（）()〔〕\[\]【】]", "", text[: m.start()] + text[m.end() :]):
        return False
    return bool(find_doc_number(text))


# -- title ------------------------------------------------------------------------------------


# Page furniture a site glues onto a title line: "【打印】【关闭】", "字体：大中小", "分享".
_FURNITURE = re.compile(r"(?:【[^】]{0,12}】|[［\[][^］\]]{0,12}[］\]]|(?:字体|字号)[：:]?[大中小\s]*|打印|关闭|分享|收藏)+$")


def strip_furniture(text: str) -> str:
    """``text`` without the page furniture glued onto its end."""
    return _FURNITURE.sub("", text).rstrip()


def title_text(texts: list[str]) -> str:
    """Join title lines; drop dates and page furniture that sites glue onto a title."""
    joined = "".join(strip_furniture(t) for t in texts)
    joined = patterns.TIME_OF_DAY.sub("", joined)
    if _SITE_SUFFIX.search(joined):  # "…方案_政策文件_某市人民政府门户网站": the page's own title
        joined = re.split(_SITE_SEPARATOR, joined)[0]
    found = find_date(joined)
    if found and (found[1] == 0 or found[2] == len(joined)) and found[0].precision == "day":
        joined = joined[: found[1]] + joined[found[2] :]
    return joined.strip()


def title(title_lines: list[Line], wrapper: list[Line] = ()) -> str:
    """The policy's own title: its title lines joined; else the name the notice wrapper gives it.

    The wrapper's 《…》 (in its heading or transmittal sentence) is used only
    when the policy's own title lines are missing, and a 《》 title cited in
    the policy's text never is.
    """
    if title_lines:
        return title_text([ln.text for ln in title_lines])
    for line in wrapper:
        m = _NOTICE_TITLE.search(line.text)
        if m:  # "关于转发省政府办公厅《…》的通知": the 《…》 it passes on
            inner = _CITED_TITLE.search(m.group(1))
            return inner.group(1) if inner else m.group(1).strip("《》")
    for line in wrapper:
        if patterns.TRANSMITTAL.search(line.text) and (m := _CITED_TITLE.search(line.text)):
            return m.group(1)
    return ""


# -- plan period --------------------------------------------------------------------------------


def _without_citations(text: str) -> str:
    """Drop 《…》 citations: a cited plan's period is not this plan's. A bracketed range followed by 的
    belongs to the plan named before it, cited without 《》 ("落实知识产权强国建设纲要（2021—2035年）的实施意见")."""
    return re.sub(r"《[^》]*》|[（(][^（）()]*\d{4}[^（）()]*[）)](?=的)", "", text)


def five_year_period(text: str) -> tuple[int, int] | None:
    """十三五 -> (2016, 2020), 十四五 -> (2021, 2025), 十五五 -> (2026, 2030): the nth five-year plan (n >= 11)."""
    m = patterns.FIVE_YEAR_PLAN.search(text)
    if not m:
        return None
    n = patterns.cn_to_int(m.group(1) or m.group(2))
    start = 1966 + 5 * (n - 3)  # the third plan began in 1966, after the 1963–1965 adjustment
    return start, start + 4


# "2024年度知识产权工作要点": a year's plan (年度 elsewhere, as in 2022年度报告, is not a plan period).
_SINGLE_YEAR_PLAN = re.compile(r"((?:19|20)\d{2})年度.*(?:要点|计划|安排|任务|方案)$")
# A year's plan ends in a word for one, maybe with a bracket ("…推进计划", "…工作要点（试行）"); a
# regulation's "（2021年修订）" or a 2022年…报告 names no period.
_YEAR_PLAN_END = re.compile(r"(?:要点|计划|安排|方案|任务|措施|清单|重点|行动)(?:[（(][^）)]*[）)])?$")
# A notice about plans is not a plan: "关于总结2018年…编制2019年工作要点的通知".
_NOTICE_TITLE_END = re.compile(r"的(?:通知|决定|函)$")
# A site name glued onto a page title: "…工作方案_政策文件_某市人民政府门户网站".
# Separators a page title puts before the site's name: _ ｜ | and a hyphen that is no year range's.
_SITE_SEPARATOR = r"\s*(?:[_｜|]|(?<!\d)-(?!\d))\s*"
_SITE_SUFFIX = re.compile(rf"{_SITE_SEPARATOR}[^_｜|\-]*(?:网|网站|门户|政府)$")


def counted_period(text: str) -> tuple[int, int] | None:
    """The range of "通过三年（2021—2023年）建设" / "用3年时间（2022-2024年）": only when the number of years
    matches the range, so that a range in brackets after any other "…年" is never taken."""
    for m in patterns.COUNTED_RANGE.finditer(_without_citations(text)):
        count = int(m.group(1)) if m.group(1).isdigit() else patterns.cn_to_int(m.group(1))
        start, end = int(m.group(2)), int(m.group(3))
        if end - start + 1 == count:
            return start, end
    return None


_BACKGROUND = re.compile(r"基础|背景|现状|成就|成效|回顾|形势")


def first_section(body: list[Line]) -> list[Line]:
    """The body's first numbered section (一、总体要求 and what it holds), where a plan states its aims and
    period; it ends at the next heading numbered in the same style. None when that section is the
    plan's background (一、发展基础), whose periods are past ones."""
    first = patterns.parse_label(body[0].text) if body else None
    if first is None or _BACKGROUND.search(body[0].text[first.end :][:12]):
        return []  # a 发展基础 section tells of past periods
    out = [body[0]]
    for line in body[1:]:
        label = patterns.parse_label(line.text)
        if label is not None and label.style == first.style:
            break
        out.append(line)
    return out


def plan_period(doc_title: str, closing: list[Line], text: list[Line] = ()) -> tuple[int | None, int | None, str]:
    """(start, end, source) of the plan period.

    In order: a year range in the title (not inside a citation), ``title``;
    a five-year plan named in the title (“十四五” -> 2021–2025; not in an annual plan's 年度 title), ``five_year``;
    an attachment title in the closing matter (an indicator annex
    "2021—2025年…"), ``annex``; a period stated in the text ("规划期为
    2021—2025年"), ``text``; the one year a plan's title names ("2020年甘肃省…",
    "西宁市2024年…要点", "2024年度…工作要点"; a plan's title, ending in 要点 / 计划 / 方案…; not a notice's
    title, not two years, not "（2021年修订）"), ``title_year``.
    ``text`` lines are the preamble and the first section of the body; there a span of years with its
    range ("通过三年（2021—2023年）建设") counts too, when the count matches the range.
    Empty when none is found.
    """
    own = _without_citations(doc_title)
    m = patterns.YEAR_RANGE.search(own)
    if m:
        return int(m.group(1)), int(m.group(2)), "title"
    five = five_year_period(own) if "年度" not in own else None
    if five:
        return five[0], five[1], "five_year"
    for line in closing:
        if line.text.startswith("附件"):
            m = patterns.YEAR_RANGE.search(_without_citations(line.text))
            if m:
                return int(m.group(1)), int(m.group(2)), "annex"
    for line in text:
        m = patterns.PERIOD_STATEMENT.search(_without_citations(line.text))
        if m:
            return int(m.group(1)), int(m.group(2)), "text"
    for line in text:
        if counted := counted_period(line.text):
            return counted[0], counted[1], "text"
    years = set(re.findall(r"((?:19|20)\d{2})年", own))
    m = re.search(r"((?:19|20)\d{2})年(?!度)", own) or _SINGLE_YEAR_PLAN.search(own)
    if m and len(years) == 1 and not _NOTICE_TITLE_END.search(own) and _YEAR_PLAN_END.search(own):
        year = int(m.group(1))
        return year, year, "title_year"
    return None, None, ""


# -- all fields, each from its part ----------------------------------------------------------


def signature_block(lines: list[Line]) -> list[Line]:
    """The signature of a document without a notice wrapper: a line that is only a date, right under
    the name of a body ("国务院知识产权战略实施工作部际联席会议办公室" / "2018年12月27日"), possibly with a
    bracketed seal note between. Returns the lines up to the date, or [] when there is none."""
    for i, line in enumerate(lines):
        if not date_only(line.text):
            continue
        j = i - 1
        while j >= 0 and _BRACKETED.match(lines[j].text):
            j -= 1
        name = lines[j].text if j >= 0 else ""
        if BODY_SUFFIX.search(name) and len(name) <= 60 and not ends_sentence(name) and not re.search("[，、：]", name):
            return lines[: i + 1]
    return []


_UNDER_TITLE = 3  # lines looked at under a title: a page's date, time or spam line may come between


def dated_title(anat) -> Date | None:
    """The date printed in brackets right under the policy's title ("（2021年5月8日）"), when there is one.

    A page's metadata or removed line, or a short line that is no sentence (a page date, a spam
    line), may stand between; a sentence or a long line ends the search."""
    parts = anat.parts
    for i, part in enumerate(parts[:-1]):
        if part == "title" and parts[i + 1] != "title":
            for j in range(i + 1, min(i + 1 + _UNDER_TITLE, len(parts))):
                line = anat.lines[j]
                if line.removed or parts[j] == "metadata":
                    continue
                if date := bracketed_date(line.text):
                    return date
                if ends_sentence(line.text) or len(line.text) > 40:
                    return None
            return None
    return None


def read_issued(anat, fields, signed: list[Line]) -> Date | None:
    """The issue date: the notice's signature (or the date on its number's line); else a date printed
    in brackets under the title; else the metadata block's 成文日期 (发文日期, 印发日期); else the
    signature that ends a document without a notice. Never a 发布日期 or a page's own time."""
    issued = issued_date(anat.of("wrapper")) or dated_title(anat)
    if issued is None and (found := field_date(fields, "成文日期", "发文日期", "印发日期")):
        issued = found[0]
    if issued is None and signed:
        issued = date_only(signed[-1].text)
    return issued


def field_issuer(fields) -> str:
    """The issuers a metadata block names under 发文机关 / 发文单位 ("；"-separated). Never 发布机构: the
    office that put a page online (a 办公厅) is often not the body that issued the document."""
    for name, value, _text in fields:
        if name in ("发文机关", "发文单位") and value:
            bodies = [b for piece in re.split(r"[、；，\s]+", value) if piece for b in split_at_places(piece)]
            if bodies and all(BODY_SUFFIX.search(b) and len(b) <= 40 for b in bodies):
                return "；".join(bodies)
    return ""


def read_issuer(anat, doc_title: str, signed: list[Line], fields=()) -> str:
    """The issuers: signed above the notice's date; else named before 关于 in the notice's heading; for a
    document without a notice, named before 关于 in its title, or signed at its end; else the metadata
    block's 发文机关."""
    return _read_issuer(anat, doc_title, signed) or field_issuer(fields)


def _read_issuer(anat, doc_title: str, signed: list[Line]) -> str:
    wrapper = anat.of("wrapper")
    if who := issuer(wrapper):  # a signature "市政府办公室" is completed like a heading's
        return "；".join(b for b in (expand_abbreviated(w, doc_title=doc_title) for w in who.split("；")) if b)
    heading = next((ln for ln in wrapper if patterns.NOTICE_START.search(ln.text)), None)
    if heading is not None:
        i = wrapper.index(heading)
        before = wrapper[i - 1].text if i and patterns.NOTICE_START.match(heading.text) else ""
        return notice_issuer(before + heading.text, doc_title=doc_title)
    if not wrapper:
        return title_issuer(anat.of("title")) or (issuer(signed) if signed else "")
    return ""


def read(anat) -> tuple[dict[str, str], str]:
    """Every metadata field of a dissected document (:class:`ipanalysis.anatomy.Anatomy`), as strings,
    and the plan period's source.

    Each field is read from its part: number and signature from the notice
    ``wrapper`` (a 文号 or 成文日期 field of the ``metadata`` block only when the
    wrapper has none), 发布日期 only from the ``metadata`` block, the title from
    the ``title`` lines, the period from the title, annex titles and the
    ``preamble``. Nothing is read from the policy's body, where numbers and
    dates are cited ones.
    """
    wrapper = anat.of("wrapper")
    meta_texts = [field_text(ln) for ln in anat.of("metadata")]
    fields = metadata_fields(meta_texts)
    doc_title = title(anat.of("title"), wrapper)
    signed = [] if wrapper else signature_block(anat.of("preamble", "closing", kept_only=True))
    issued = read_issued(anat, fields, signed)
    published = published_date(meta_texts)
    aims = anat.of("preamble", kept_only=True) + first_section(anat.of("body", kept_only=True))
    start, end, source = plan_period(doc_title, anat.of("closing", "annex"), aims)
    loose = anat.of("title", "chrome", "preamble", kept_only=True)
    values = {
        "title": doc_title,
        "issuer": read_issuer(anat, doc_title, signed, fields),
        "doc_number": doc_number(wrapper, fields=fields, loose=loose),
        "issued": issued.isoformat() if issued else "",
        "published": published[0].isoformat() if published else "",
        "period_start": str(start or ""),
        "period_end": str(end or ""),
    }
    return values, source
