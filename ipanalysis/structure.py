"""Structure: numbered headings and items -> one record per leaf provision.

Chinese policy documents number their units 一、 / （一） / 1. / （1）, but not
always with every level, and not always cleanly: the Gansu file drops the dot
in "11开展…". The parser nests labels by the order in which their styles first
appear, so a document that goes straight from 一、 to 1. parses too, and it
accepts a dot-less number only when it is the number expected next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import patterns
from .cleaning import Line, is_closing


@dataclass
class Unit:
    """A numbered unit under construction."""

    style: str
    number: int
    label: str
    heading: str  # the heading line's text after the label
    lines: list[Line] = field(default_factory=list)
    parent: "Unit | None" = None
    children: list["Unit"] = field(default_factory=list)
    closed: bool = False  # a responsibility clause ended it; later prose is not its own

    def path(self) -> list["Unit"]:
        """This unit and its ancestors, innermost first: the heading path of a provision."""
        node, out = self, []
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]


@dataclass
class ParsedDocument:
    preamble: list[Line]
    units: list[Unit]  # every unit, reading order
    closing: list[Line]  # closing matter and prose that belongs to no provision

    def leaves(self) -> list[Unit]:
        """The units without children, in reading order: the provisions."""
        return [u for u in self.units if not u.children]


# -- labels -------------------------------------------------------------------------


def _label_of(line: str, stack: list[Unit], last_number: dict[str, int]) -> patterns.Label | None:
    """The label starting ``line``, including a dot-less arabic number when it is expected."""
    label = patterns.parse_label(line)
    if label:
        return label
    m = patterns.MISSING_DOT.match(line)
    if not m:
        return None
    number = int(m.group(1))
    siblings = _open_siblings(stack, "arabic_dot")
    expected = {last_number.get("arabic_dot", 0) + 1}
    if siblings is not None:
        expected.add(siblings + 1)
    if number in expected and "arabic_dot" in last_number:
        return patterns.Label("arabic_dot", number, m.group(1), m.end())
    return None


def _open_siblings(stack: list[Unit], style: str) -> int | None:
    """Number of the open unit of ``style``, if one is on the stack."""
    for unit in reversed(stack):
        if unit.style == style:
            return unit.number
    return None


# -- what is numbered but not structure -------------------------------------------------

# A contents entry: a heading followed by leader dots and a page number ("第一章 规划背景……3").
_LEADER_PAGE = re.compile(r"(?:[.．…·・—\-]{2,}|\s{2,}|\t)\s*\d{1,3}$")
# The same without leaders, only trusted inside a contents page ("第一章规划背景3").
_TRAILING_PAGE = re.compile(rf"^[^。，；：]{{2,30}}?[{patterns.CJK_CHARS}]\s*\d{{1,3}}$")
# A preface: numbered paragraphs that introduce the document, not tasks (一、序言 1.…4. in a 纲要).
_PREFACE = re.compile(r"^(?:序言|前言|引言|导言|序)$")


def is_contents_entry(text: str, *, in_contents: bool) -> bool:
    """A line of a table of contents: numbered, short, ending in a page number."""
    if len(text) > 60 or re.search("[。；]", text):
        return False
    if _LEADER_PAGE.search(text):
        return True
    return in_contents and bool(_TRAILING_PAGE.match(text))


_PAGE_NUMBER = re.compile(r"\s*\d{1,3}$")


def repeated_contents_entries(texts: list[str]) -> set[int]:
    """Indices of contents entries that have no 目录 title and no leader dots ("第一章 发展环境 3"):
    a short heading ending in a page number whose text, without the number, comes again later
    as a heading of its own ("第一章 发展环境"). Only a contents page repeats the headings it lists."""
    keys = [re.sub(r"\s+", "", t) for t in texts]
    out = set()
    for i, text in enumerate(texts):
        if len(text) > 40 or not _TRAILING_PAGE.match(text) or not patterns.parse_label(text):
            continue
        heading = re.sub(r"\s+", "", _PAGE_NUMBER.sub("", text))
        if heading in keys[i + 1 :]:
            out.add(i)
    return out


def is_preface_heading(heading: str) -> bool:
    """A heading that names a preface (序言, 前言, 引言): what it numbers is not a task list."""
    return bool(_PREFACE.match(heading.strip().rstrip("。：:")))


# -- parsing ------------------------------------------------------------------------


def parse(lines: list[Line]) -> ParsedDocument:
    """Build the unit tree of a cleaned document.

    Lines before the first label are the preamble (notice, title, opening
    paragraph). The body ends at the first closing line (附件, 抄送 …). A
    contents page (目录 and lines ending in page numbers) and a numbered
    preface (一、序言 with its paragraphs 1.–4.) stay in the preamble: they are
    numbered, but they are not provisions.
    """
    preamble: list[Line] = []
    closing: list[Line] = []
    units: list[Unit] = []
    stack: list[Unit] = []
    last_number: dict[str, int] = {}
    in_body = False
    in_contents = False
    preface_style: str | None = None  # style of the open preface heading
    listed = repeated_contents_entries([ln.text for ln in lines])
    for i, line in enumerate(lines):
        text = line.text
        if in_body and is_closing(text):
            closing.extend(lines[i:])
            break
        if patterns.CONTENTS_TITLE.match(text):
            in_contents = True
            (closing if in_body else preamble).append(line)
            continue
        if i in listed or is_contents_entry(text, in_contents=in_contents):
            (closing if in_body else preamble).append(line)
            continue
        label = _label_of(text, stack, last_number)
        in_contents = in_contents and label is None and len(text) <= 30
        if label is not None and preface_style is not None:
            if label.style == preface_style or _outranks(label.style, preface_style, stack):
                preface_style = None
        if label is not None and preface_style is None and is_preface_heading(text[label.end :]):
            preface_style = label.style
            while stack and any(u.style == label.style for u in stack):  # it closes its siblings' units
                stack.pop()
        if preface_style is not None:
            if label is not None:
                last_number[label.style] = label.number
            preamble.append(line)
            continue
        if label is None:
            if not in_body:
                preamble.append(line)
            elif stack and not (stack[-1].closed and not patterns.FIELD_LINE.match(text)):
                stack[-1].lines.append(line)
                stack[-1].closed = stack[-1].closed or ends_with_responsibility(text)
            else:
                closing.append(line)
            continue
        in_body = True
        if any(u.style == label.style for u in stack):
            # A sibling (or an uncle): close everything down to the unit of this style.
            while stack[-1].style != label.style:
                stack.pop()
            stack.pop()
        parent = stack[-1] if stack else None
        unit = Unit(label.style, label.number, label.text, text[label.end :].strip(), [line], parent)
        unit.closed = ends_with_responsibility(text)
        if parent:
            parent.children.append(unit)
        units.append(unit)
        stack.append(unit)
        last_number[label.style] = label.number
    # Prose after a closed last provision, before any closing line, is closing matter
    # too: it was collected above as ``closing`` in reading order.
    closing.sort(key=lambda ln: ln.lineno)
    preamble.sort(key=lambda ln: ln.lineno)
    return ParsedDocument(preamble, units, closing)


def _outranks(style: str, preface_style: str, stack: list[Unit]) -> bool:
    """True if ``style`` sits above the preface heading's style (a chapter closing a preface section)."""
    styles = [u.style for u in stack]
    return style in styles and preface_style not in styles[: styles.index(style) + 1]


def paragraphs_as_units(parsed: ParsedDocument, *, min_chars: int = 15) -> ParsedDocument:
    """A document with no numbered units: each paragraph of prose becomes a unit of its own.

    Used as a fallback so that an unnumbered notice or an excerpt still yields
    provisions (labelled ¶1, ¶2 …); short lines (titles, dates, signatures)
    stay in the preamble.
    """
    units, preamble, n = [], [], 0
    for line in parsed.preamble:
        if len(line.text) >= min_chars and re.search("[。；！？]", line.text):
            n += 1
            units.append(Unit("paragraph", n, f"¶{n}", line.text, [line]))
        else:
            preamble.append(line)
    return ParsedDocument(preamble, units, parsed.closing)


# -- responsibility clauses ----------------------------------------------------------

_OPEN = "（〔(["
_CLOSE = "）〕)]"
_ANY_BRACKET = re.compile(f"[{re.escape(_OPEN + _CLOSE)}]")
_AGENCY_TAIL = re.compile(
    rf"(?:各|省|市|县|区|国家|中央)[^，。；{_OPEN}]*?(?:{patterns.RESPONSIBILITY_VERBS})[^，。；]*?[{_CLOSE}]?$"
)


# "…。牵头单位：市市场监管局；配合单位：市科技局" at the end of a task line.
_INLINE_FIELD = re.compile(rf"(?<=[。；;])\s*(?=【?(?:{patterns.FIELD_NAMES})(?:】|[：:]))")
# One segment of a clause written as a sentence: "由市市场监管局牵头", "市科技局、市财政局配合",
# "各县区人民政府按职责分工负责".
# An agency name ends in a body's word (局, 厅, 委, 政府, 单位, 部门…), maybe with an alias in brackets.
_AGENCY_END = r"(?:局|厅|委|办|院|部|会|室|中心|政府|单位|部门|机构|海关|银行|公司|协会|处|科|站|所|队|社|联)(?:[（(][^（）()]*[）)])?"
_CLAUSE_SEGMENT = re.compile(
    rf"^由?(?:各|省|市|县|区|旗|盟|自治区|国家|中共|有关|[{patterns.CJK_CHARS}]{{2,8}}?[省市县区旗盟])"
    rf"[^，。；：要应将]{{0,80}}?{_AGENCY_END}(?:等(?:职能)?(?:部门|单位))?"
    rf"(?:按照?职责分工|按职责|分别|共同)?(?:{patterns.RESPONSIBILITY_VERBS})(?:落实|实施)?$"
)


_VERB_THEN_LIST = re.compile(rf"({patterns.RESPONSIBILITY_VERBS})[、和及]")
_COMMA = re.compile(r"[，,]")


def is_clause_sentence(sentence: str) -> bool:
    """A sentence that only says who does the task: "由市市场监管局牵头，市科技局、市财政局配合"."""
    sentence = _VERB_THEN_LIST.sub(r"\1，", sentence.strip().rstrip("。."))
    segments = [seg for seg in _COMMA.split(sentence) if seg]
    return 0 < len(sentence) <= 150 and bool(segments) and all(_CLAUSE_SEGMENT.match(seg) for seg in segments)


@lru_cache(maxsize=4096)
def split_responsibility(text: str) -> tuple[str, str]:
    """Split ``text`` into (body, responsibility clause).

    Forms handled: a final bracketed clause "（…负责，…配合）" or "〔…按职责分工
    负责〕", with nested brackets such as 市市场监管局（知识产权局）, a lost
    closing or opening bracket, a trailing 。; "牵头单位：…" / "责任单位：…" lines,
    or such fields after the task on its own line ("…。牵头单位：…；配合单位：…");
    and a final sentence or line that only names who does it ("由市市场监管局牵头，
    市科技局配合。"), or the final segments of the last sentence that do ("…专项行动，由市
    科技局负责"). Returns ``(text, "")`` when there is none.

    Cached (a pure function of the text): a provision's lines are asked whether they end in a
    clause while parsing, and its body again when the provision record is made.
    """
    lines = text.split("\n")
    fields = [ln for ln in lines if patterns.FIELD_LINE.match(ln)]
    if fields:
        body = "\n".join(ln for ln in lines if not patterns.FIELD_LINE.match(ln)).strip()
        return body, "\n".join(fields)
    inline = [m for m in _INLINE_FIELD.finditer(lines[-1]) if not _inside_brackets(lines[-1], m.start())]
    if inline:
        head = "\n".join(lines[:-1] + [lines[-1][: inline[0].start()]]).strip()
        return head, lines[-1][inline[0].end() :].strip()
    stripped = text.rstrip("。. \n")
    start = _final_bracket_start(stripped)
    if start is not None:
        clause = stripped[start:]
        if patterns.RESPONSIBILITY_HINT.search(clause):
            return stripped[:start].rstrip(), clause
        return text, ""
    m = _AGENCY_TAIL.search(stripped[-200:])
    if m and stripped.endswith(tuple(_CLOSE)):
        start = len(stripped) - len(stripped[-200:]) + m.start()
        return stripped[:start].rstrip(), stripped[start:]
    last = re.split(r"[。\n]", stripped)[-1]
    if last and is_clause_sentence(last):
        return stripped[: len(stripped) - len(last)].rstrip(), last.strip()
    tail = _clause_tail(last)
    if tail:  # "…开展专利转化专项行动，由市科技局、市市场监管局负责"
        return stripped[: len(stripped) - len(tail)].rstrip("，, "), tail
    return text, ""


def _clause_tail(sentence: str) -> str:
    """The longest run of final comma-separated segments that only names who does the task:
    "开展专利转化专项行动，由市科技局、市市场监管局负责" -> "由市科技局、市市场监管局负责"."""
    cuts = [m.end() for m in _COMMA.finditer(sentence)]
    for cut in cuts:
        tail = sentence[cut:].strip()
        if tail and is_clause_sentence(tail):
            return tail
    return ""


def _inside_brackets(text: str, pos: int) -> bool:
    """True if a bracket is open at ``pos``: "（牵头单位：…；配合单位：…）" is one bracketed clause."""
    depth = 0
    for ch in text[:pos]:
        depth += 1 if ch in _OPEN else -1 if ch in _CLOSE else 0
    return depth > 0


def _final_bracket_start(text: str) -> int | None:
    """Start of the bracket group that ends ``text``, or of a final one that is never closed.

    Walks back from the end counting brackets. If ``text`` ends with a closing
    bracket, the group starts where the count returns to zero. Otherwise the
    first opening bracket with no partner starts it, provided what follows is
    a responsibility clause ("…（省市场监管局牵头，各成员单位按照职责分工负责").
    """
    if not _ANY_BRACKET.search(text):  # no bracket at all: nothing to walk back through
        return None
    closed = bool(text) and text[-1] in _CLOSE
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            depth -= 1
            if closed and depth == 0:
                return i
            if not closed and depth < 0:
                tail = text[i:]
                return i if "。" not in tail and patterns.RESPONSIBILITY_HINT.search(tail) else None
    return None


def ends_with_responsibility(text: str) -> bool:
    """True for a line that ends in a responsibility clause (（牵头单位：…）, 〔…负责〕) and is not a field line of its own."""
    return bool(split_responsibility(text)[1]) and not patterns.FIELD_LINE.match(text)


# -- tables inside provisions -----------------------------------------------------------

_CELL = re.compile(r"^(?:[-+]?\d+(?:\.\d+)?%?|[一—\-–/]|\d{4}年)$")


def table_line_indices(texts: list[str], *, min_run: int = 6) -> set[int]:
    """Indices of lines that are cells of a table laid out one cell per line.

    A table is a run of at least ``min_run`` short lines with no sentence
    punctuation, of which at least a third are bare numbers, years or
    empty-cell dashes. Prose never looks like that.
    """
    out: set[int] = set()
    run: list[int] = []

    def flush():
        if len(run) >= min_run and sum(bool(_CELL.match(texts[j])) for j in run) * 3 >= len(run):
            out.update(run)
        run.clear()

    for i, t in enumerate(texts):
        if len(t) <= 40 and not re.search("[。；，：]", t):
            run.append(i)
        else:
            flush()
    flush()
    return out


# -- titles ----------------------------------------------------------------------------


def item_title(heading: str, has_more: bool) -> str:
    """The unit's own short title, e.g. "完善知识产权政策体系" from "（一）完善知识产权政策体系。加强…".

    A heading line that stands alone is a title; so is a short first sentence
    (no comma) followed by more text. A one-sentence item has no title.
    """
    heading = heading.strip()
    if not heading:
        return ""
    if has_more and "。" not in heading and len(heading) <= 40:
        return heading.rstrip("：")
    first, sep, rest = heading.partition("。")
    if sep and rest.strip() and len(first) <= 30 and "，" not in first:
        rest_body, clause = split_responsibility(rest.strip())
        if rest_body.strip():
            return first
    return ""
