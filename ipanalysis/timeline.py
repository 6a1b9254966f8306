"""Timeline: every dated thing a document states, and the plans it cites.

Events (one row each): the signature date (``issued``), the website's
成文日期 (``written``) and 发布日期 (``published``), the printing date
(``printed``, "…印发"), the plan period, implementation phases with month
ranges, target years (from the targets table) and the periods of cited
higher-level plans. Where two sources give different dates for one document
(Yinchuan signs on 19 January, its website says 20 January), both are kept,
each with its kind.
"""

from __future__ import annotations

import re

from . import patterns
from .metadata import Date, header_date, parse_date

_MONTH_RANGE = re.compile(
    r"(?P<y1>(?:19|20)\d{2})年(?P<m1>\d{1,2})月\s*[—–\-~～至到]+\s*(?:(?P<y2>(?:19|20)\d{2})年)?(?P<m2>\d{1,2})月"
)
_PRINTED = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日?)印发$")
_FIVE_YEAR = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}
_CITATION = re.compile(r"《([^《》]{2,80})》")
_NESTED = re.compile(r"[<〈]([^<>〈〉]{2,60})[>〉]")
_LEVEL_CUES = (
    ("provincial", re.compile(r"(省级|省委|省政府|自治区|省)(层面)?[^，。；《、]{0,10}$")),
    ("national", re.compile(r"(国家|中共中央|国务院|中办|国办|全国|教育部|科技部)(层面)?[^，。；《]{0,10}$")),
    ("municipal", re.compile(r"(市委|市政府|市级)(层面)?[^，。；《]{0,6}$")),
)
_NATIONAL_TITLE = re.compile(r"^(国家|国务院|中共中央|全国|中华人民共和国|“十[一二三四五六]五”国家)")


def _event(doc_id, kind, start: Date, end: Date | None, label: str, evidence: str) -> dict:
    end = end or start
    return {
        "doc_id": doc_id,
        "kind": kind,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "precision": max(start.precision, end.precision, key=("day", "month", "year").index),  # the coarser
        "label": label,
        "evidence": evidence,
    }


def date_events(doc: dict, lines: list[dict], removed: list[dict]) -> list[dict]:
    """Issue, written, published and printed dates of one document, each with the line that states it."""
    doc_id = doc["doc_id"]
    out = []
    if doc["issued"]:
        evidence = next((ln["text"] for ln in lines if patterns.is_date_line(ln["text"])), doc["issued"])
        out.append(_event(doc_id, "issued", parse_date(doc["issued"]), None, "成文（落款）", evidence))
    every = [ln["text"] for ln in lines] + [r["text"] for r in removed]
    for kind, field in (("written", "成文日期"), ("published", "发布日期")):
        found = header_date(every, field)
        if found:
            out.append(_event(doc_id, kind, found[0], None, field, found[1]))
    for text in every:
        m = _PRINTED.match(text)
        if m and (d := parse_date(m.group(1))):
            out.append(_event(doc_id, "printed", d, None, "印发", text))
    return out


def period_event(doc: dict) -> list[dict]:
    """The plan-period event of a document (empty when either end is unknown)."""
    if doc["period_start"] is None or doc["period_end"] is None:
        return []
    start, end = Date(int(doc["period_start"])), Date(int(doc["period_end"]))
    return [_event(doc["doc_id"], "plan_period", start, end, f"{start.year}—{end.year}", doc["title"])]


def phase_events(doc_id: str, provisions: list[dict]) -> list[dict]:
    """Implementation phases: a provision whose title carries a month range, "动员启动阶段（2022年11月—2023年6月）"."""
    out = []
    for p in provisions:
        heading = p["item_title"] or p["text"].split("\n")[0]
        m = _MONTH_RANGE.search(heading)
        if not m:
            continue
        y1, m1 = int(m.group("y1")), int(m.group("m1"))
        y2 = int(m.group("y2") or y1)
        m2 = int(m.group("m2"))
        name = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.]?", "", heading[: m.start()]).strip("（( ：:")
        out.append(_event(doc_id, "phase", Date(y1, m1), Date(y2, m2), name or heading, heading))
    return out


def target_year_events(doc_id: str, targets: list[dict]) -> list[dict]:
    """One event per year for which a document sets targets (baselines excluded)."""
    years: dict[int, list[str]] = {}
    for t in targets:
        if t["status"] == "target" and t["year"] is not None:
            years.setdefault(int(t["year"]), []).append(t["indicator"])
    return [
        _event(doc_id, "target_year", Date(y), None, f"{len(set(names))}项指标", "、".join(sorted(set(names))))
        for y, names in sorted(years.items())
    ]


# -- citations ------------------------------------------------------------------------------------


def normalise_title(title: str) -> str:
    """One spelling per cited plan: brackets, dashes and nested title marks unified, spaces dropped."""
    title = re.sub(r"\s+", "", title)
    title = title.replace("(", "（").replace(")", "）").replace("<", "《").replace(">", "》")
    title = title.replace("〈", "《").replace("〉", "》")
    title = re.sub(r"[‐‑–－~～-]", "—", title)
    return title


def title_period(title: str) -> tuple[int | None, int | None]:
    """(start, end) years of a range in a title such as 工作方案（2022—2025年）, else (None, None)."""
    m = patterns.YEAR_RANGE.search(title)
    if m:
        return int(m.group(1)), int(m.group(2))
    for key, period in _FIVE_YEAR.items():
        if key in title:
            return period
    m = re.search(r"（((?:19|20)\d{2})）", title)
    if m:
        return int(m.group(1)), int(m.group(1))
    return None, None


def citation_level(before: str, title: str) -> str:
    """national / provincial / municipal, from the words just before the citation, else from the title."""
    for level, regex in _LEVEL_CUES:
        if regex.search(before):
            return level
    if _NATIONAL_TITLE.search(title):
        return "national"
    if re.search(r"省|自治区", title):
        return "provincial"
    if re.search(r"市", title):
        return "municipal"
    return "national"


def _is_own_title(title: str, own: str) -> bool:
    """The document citing itself, as its notice does ("现将《…》印发给你们"), possibly without the region prefix."""
    if not own:
        return False
    if title == own or own in title:
        return True
    return title in own and len(title) >= 0.8 * len(own)


def citations(doc: dict, lines: list[dict]) -> list[dict]:
    """Every 《…》 citation in the document's text, nested ones included; the document's own title excluded."""
    own = normalise_title(doc["title"])
    out = []
    for ln in lines:
        text = ln["text"]
        if own and normalise_title(text) == own:
            continue  # the title line itself: what it cites is counted where the text cites it
        for m in _CITATION.finditer(text):
            raw = m.group(1)
            if _is_own_title(normalise_title(_NESTED.sub(lambda x: f"《{x.group(1)}》", raw)), own):
                continue  # the notice naming the document itself, with whatever its title cites
            titles = [raw] + [n.group(1) for n in _NESTED.finditer(raw)]
            for i, t in enumerate(titles):
                norm = normalise_title(_NESTED.sub(lambda x: f"《{x.group(1)}》", t) if i == 0 else t)
                before = text[max(0, m.start() - 16) : m.start()] if i == 0 else ""
                start, end = title_period(norm)
                out.append(
                    {
                        "doc_id": doc["doc_id"],
                        "title": norm,
                        "level": citation_level(before, norm),
                        "period_start": start,
                        "period_end": end,
                        "line_no": ln["line_no"],
                        "evidence": text,
                    }
                )
    return out


def references(cites: list[dict]) -> list[dict]:
    """Citations grouped per document and title: count, level, period, first line."""
    grouped: dict[tuple[str, str], dict] = {}
    for c in cites:
        key = (c["doc_id"], c["title"])
        if key not in grouped:
            grouped[key] = {**c, "count": 0}
        grouped[key]["count"] += 1
    return list(grouped.values())


def reference_events(refs: list[dict]) -> list[dict]:
    """One ``reference`` event per cited plan that states a period, for the timeline chart."""
    return [
        _event(r["doc_id"], "reference", Date(r["period_start"]), Date(r["period_end"]), r["title"], r["evidence"])
        for r in refs
        if r["period_start"] is not None
    ]




KIND_ORDER = ("issued", "written", "published", "printed", "plan_period", "phase", "target_year", "reference")
