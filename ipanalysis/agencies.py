"""Agencies: who is responsible for each provision, in what role.

Four written forms are handled by one parser:
- "（武威市市场监管局负责，市委宣传部…配合；省市场监管局知识产权保护运用处负责）":
  groups split by ；, segments by ，, each segment's verb (负责, 牵头, 配合…)
  giving its agencies' role; a segment without a verb takes the next one's;
- "〔市市场监管局（知识产权局）、市版权局…按职责分工负责〕": all responsible;
- "牵头单位：…" / "责任单位：…" lines: lead / cooperating; several fields on one line
  ("牵头单位：…，配合单位：…", "【牵头单位】…【配合单位】…") are split, and a deadline
  field beside them (完成时限：2025年底) is dropped;
- "（省市场监管局、省教育厅负责）" in a document whose closing rule says that
  the first-listed unit leads ("列第一位的部门为牵头部门"): first lead, rest cooperating.
Lists are split on 、 and ， outside brackets, so 市市场监管局（知识产权局） and
各县（市、区）人民政府 stay whole.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import patterns
from .config import resource_csv

_ROLE_VERB = re.compile(
    r"(?:等职能部门|等部门|等单位)?(?:按照?职责分工|按职责|分别|共同|负责)?((?:负责|牵头|配合|参与|协助|支持|落实)+)$"
)
# A deadline written beside the units ("完成时限：2025年底"): part of the clause, naming no agency.
_DEADLINE = r"完成时限|完成时间|时间节点|时限要求|进度安排|实施时间|完成期限"
_DEADLINE_FIELD = re.compile(rf"^(?:{_DEADLINE})[：:]")
_DEADLINE_TEXT = re.compile(rf"[；;，,\s]*(?:{_DEADLINE})[：:][^；;，,）)〕]*")
# Where a field starts after another on the same line: "牵头单位：…，配合单位：…", "【牵头单位】…【配合单位】…".
_NEXT_FIELD = re.compile(
    rf"(?<=\S)(?:[，,\s]+(?=【(?:{patterns.FIELD_NAMES})】|(?:{patterns.FIELD_NAMES}|{_DEADLINE})[：:])"
    rf"|(?=【(?:{patterns.FIELD_NAMES})】))"
)
_FIELD = re.compile(rf"^【?({patterns.FIELD_NAMES})(?:】[：:]?|[：:])\s*(.*)$")
# A role marked after a name in a list: "责任单位：市市场监管局（牵头）、市科技局".
_MARKED_LEAD = re.compile(r"[（(]牵头[）)]$")
_VERB_THEN_LIST = re.compile(r"(负责|牵头|配合|参与|协助)[、和及](?=\S)")
_FIRST_LISTED = re.compile(r"列第一位的(?:部门|单位)为牵头(?:部门|单位)")
_TRAILING_ETC = re.compile(r"(?:等职能部门|等部门|等单位|等)$")
_PAREN = re.compile(r"[（(][^（）()]*[）)]")
_DIVISION = re.compile(r"^(.*?(?:市场监管局|监督管理局|厅|委员会))(.+(?:处|局|室|科))$")
_LEVEL_PREFIX = re.compile(r"^(省|市(?!场)|县|区|各|有关|国家|中央)")

ROLES = ("lead", "cooperating", "responsible")
PLACEHOLDER = "placeholder"  # agency_type of 各成员单位, 各有关部门, 各县区人民政府 …


def first_listed_leads(texts: list[str]) -> bool:
    """True if the document says that, among several units, the first listed leads."""
    return any(_FIRST_LISTED.search(t) for t in texts)


def split_outside_brackets(text: str, seps: str) -> list[str]:
    """Split on any of ``seps`` where no bracket is open."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "（(〔[":
            depth += 1
        elif ch in "）)〕]":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _strip_outer(clause: str) -> str:
    clause = clause.strip().rstrip("。")
    if clause[:1] in "（(〔":
        clause = clause[1:]
    if clause[-1:] in "）)〕":
        # only strip a closing bracket that has no opener inside
        depth = sum(1 if c in "（(〔" else -1 if c in "）)〕" else 0 for c in clause)
        if depth < 0:
            clause = clause[:-1]
    return clause.strip()


def _field_rows(parts: list[str]) -> list[dict]:
    """Rows of "牵头单位：…" / "配合单位：…" / "责任单位：…" fields.

    牵头/主责 fields lead, and so does a name marked （牵头） in a list;
    配合/参与/协办 fields cooperate; a 责任单位 field cooperates beside a lead
    and is simply responsible without one. "【责任单位】…" is the same field.
    """
    fields = [_FIELD.match(p).groups() for p in parts]
    lists = [(field, split_outside_brackets(names, "、，,")) for field, names in fields]
    marked = any(_MARKED_LEAD.search(n) for _f, names in lists for n in names)
    has_lead = marked or any(f.startswith(("牵头", "主责", "主要")) for f, _names in lists)
    rows = []
    for field, names in lists:
        for name in names:
            if _MARKED_LEAD.search(name):
                role, name = "lead", _MARKED_LEAD.sub("", name)
            elif field.startswith(("牵头", "主责", "主要")):
                role = "lead"
            elif field.startswith("责任") and not has_lead:
                role = "responsible"
            else:
                role = "cooperating"
            if _clean_name(name):
                rows.append({"agency": _clean_name(name), "role": role, "group": 1})
    return rows


def parse_clause(clause: str, *, first_listed: bool = False) -> list[dict]:
    """(agency, role, group, position) rows from one responsibility clause, in written order."""
    rows: list[dict] = []
    lines = [ln for ln in clause.split("\n") if ln.strip()]
    parts = [p for ln in lines for p in split_outside_brackets(_NEXT_FIELD.sub("；", _strip_outer(ln)), "；;")]
    parts = [p for p in parts if not _DEADLINE_FIELD.match(p)]
    if parts and all(_FIELD.match(p) for p in parts):
        return _number(_field_rows(parts))
    body = _VERB_THEN_LIST.sub(r"\1，", _DEADLINE_TEXT.sub("", _strip_outer(clause.replace("\n", "，"))))
    for g, group in enumerate(split_outside_brackets(body, "；;"), start=1):
        segments = []
        for seg in split_outside_brackets(group, "，,"):
            m = _ROLE_VERB.search(seg)
            verb = m.group(1) if m else ""
            names = seg[: m.start()] if m else seg
            verb = verb[-2:].replace("落实", "负责")  # 各县区人民政府落实: they carry it out
            segments.append([names, verb])
        # a segment without a verb shares the next segment's verb
        for i in range(len(segments) - 2, -1, -1):
            if not segments[i][1]:
                segments[i][1] = segments[i + 1][1]
        verbs = {v for _n, v in segments}
        has_lead = "牵头" in verbs
        has_coop = bool(verbs & {"配合", "参与", "协助", "支持"})
        group_rows = []
        for names, verb in segments:
            if verb == "牵头":
                role = "lead"
            elif verb in ("配合", "参与", "协助", "支持"):
                role = "cooperating"
            elif verb == "负责":
                role = "cooperating" if has_lead else "lead" if has_coop else "responsible"
            else:
                role = "cooperating" if has_lead else "responsible"
            for name in split_outside_brackets(names, "、"):
                name = _clean_name(name)
                if name:
                    group_rows.append({"agency": _inherit_bureau(name, group_rows), "role": role, "group": g})
        if first_listed and group_rows and all(r["role"] == "responsible" for r in group_rows):
            for i, r in enumerate(group_rows):
                r["role"] = "lead" if i == 0 else "cooperating"
        rows += group_rows
    return _number(rows)


def _inherit_bureau(name: str, previous: list[dict]) -> str:
    """'…省市场监管局知识产权保护运用处、商标专利监督管理处': the second is a division of the same bureau.

    A name with no level prefix that follows a division of a bureau is read as
    another division (or sub-bureau) of that bureau.
    """
    if not previous or _LEVEL_PREFIX.match(name):
        return name
    m = _DIVISION.match(_PAREN.sub("", previous[-1]["agency"]))
    if m and re.search(r"(处|局|室|科)$", name) and not name.startswith(m.group(1)):
        return m.group(1) + name
    return name


def _number(rows: list[dict]) -> list[dict]:
    for i, r in enumerate(rows, start=1):
        r["position"] = i
    return rows


# A body's name ends in a body's word (局, 厅, 委, 政府, 单位, 中心 …), maybe with its alias in brackets;
# "2025年底前完成", "持续推进", "长期坚持" beside the units name no body.
_BODY_END = re.compile(
    r"(?:局|厅|委|办|院|部|会|室|中心|政府|公署|单位|部门|机构|海关|银行|行|公司|企业|协会|协|处|科|站|所|队|社|联|署|组|馆"
    r"|校|台|集团|区|县|旗|镇|乡|街道|街|村|社区)"
    r"(?:[（(][^（）()]*[）)])?$"
)


def _clean_name(name: str) -> str:
    """The name as written, without 由, a trailing 等 / 等部门, separators; empty if it names no body."""
    name = name.strip(" ，、。；（(")
    if name.startswith("由") and len(name) > 3:  # 由市市场监管局牵头
        name = name[1:]
    name = _TRAILING_ETC.sub("", name)
    return name if _BODY_END.search(name) else ""


# -- standard names, levels and types -------------------------------------------------------------


@lru_cache(maxsize=1)
def _aliases() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(r["pattern"]), r["canonical"]) for r in resource_csv("agency_aliases.csv"))


@lru_cache(maxsize=1)
def _types() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(r["pattern"]), r["agency_type"]) for r in resource_csv("agency_types.csv"))


_OWN_LEVEL = {"province": "省", "city": "市", "county": "县区"}
# What follows a place's name in a body's name: 武威市…, 通州区…, 甘肃省…, 宁夏回族自治区…
_ADMIN_SUFFIX = re.compile(r"^(?:[\u4e00-\u9fff]{0,4}自治区|省|市|州|盟|县|区|旗)")
_COUNTY_WIDE = re.compile(
    r"^(各|有关)?(旗县区|县区|县市区|县（市）区|县（市、区）)|^各县|县人民政府$|区人民政府$|^.{1,3}[县区]$"
)


def _split_level(name: str, *, region: str, province: str, doc_level: str) -> tuple[str, str, str]:
    """(level, prefix, body) of a name: the government level, the level prefix its standard name
    takes (省, 市, or for a county-level body the one it is written with: 县, 区, 旗, 市), the rest."""
    name = _PAREN.sub("", name)
    if re.search(r"管委会|园区|开发区|筹委办|农高区", name):
        return "园区", "", name
    # Central units stationed in the region (customs, financial regulators) keep their own name.
    if re.search(r"海关$|金融监督管理总局|银保监|人行|人民银行|^国家", name):
        return "中央驻地", "", name
    own = _OWN_LEVEL.get(doc_level, "市")
    # The region's or the province's own name: 武威市市场监管局, 通州区司法局, 甘肃省科技厅.
    for place, level in ((region, own), (province, "省")):
        if place and len(place) > 1 and name.startswith(place):
            rest = _ADMIN_SUFFIX.sub("", name[len(place) :])
            if len(rest) > 1:
                written = name[len(place) : len(name) - len(rest)][-1:] or "市"
                return level, written if level == "县区" else level, rest
    if name.startswith("自治区") and len(name) > 4:
        return "省", "省", name[3:]
    if name.startswith("省"):
        return "省", "省", name[1:]
    if name.startswith("市") and not name.startswith("市场"):
        # in a county-level city's document (太仓市), 市 is the county level
        return (("县区", "市", name[1:]) if doc_level == "county" else ("市", "市", name[1:]))
    if name.startswith(("州", "盟")) and doc_level == "city" and len(name) > 2:
        return "市", "市", name[1:]  # an autonomous prefecture's or a league's own body
    if _COUNTY_WIDE.search(name):
        return "县区", "", name
    if name.startswith(("县", "旗")) and len(name) > 2:
        return "县区", name[0], name[1:]
    if name.startswith("区") and not name.startswith("区域") and len(name) > 2:
        # 区 is the autonomous region in its own documents (宁夏: 区市场监管局), else a district
        return ("省", "省", name[1:]) if doc_level == "province" else ("县区", "区", name[1:])
    # A bureau named without its level ("商务局") belongs to the document's own level.
    if re.search(r"(局|厅|委|办|院)$", name):
        return own, "" if own == "县区" else own, name
    return "其他", "", name


def standardise(name: str, *, region: str, province: str, doc_level: str) -> tuple[str, str]:
    """(agency_std, level): the canonical name with its level prefix, through ``resources/agency_aliases.csv``.

    Provincial and city bodies take 省 / 市 (自治区 and 州 / 盟 bodies included); a county-level
    body keeps the prefix it is written with (区司法局, 县科技局)."""
    level, prefix, body = _split_level(name, region=region, province=province, doc_level=doc_level)
    body = _PAREN.sub("", body)
    m = _DIVISION.match(body)
    if m:  # a division of a bureau ("市场监管局知识产权保护运用处") counts as the bureau
        body = m.group(1)
    for regex, canonical in _aliases():
        if regex.search(body):
            body = canonical
            break
    return prefix + body, level


def agency_type(std: str, written: str) -> str:
    """The agency type (``market_regulation``, ``court``, ``placeholder``…) from ``agency_types.csv``: first matching row, standard name before the name as written."""
    for text in (std, written):
        for regex, kind in _types():
            if regex.search(text):
                return kind
    return "other"


def document_agencies(doc: dict, provisions: list[dict], closing_texts: list[str]) -> list[dict]:
    """Agency rows for every provision of one document."""
    first_listed = first_listed_leads(closing_texts)
    rows = []
    for p in provisions:
        if not p["responsibility"]:
            continue
        for r in parse_clause(p["responsibility"], first_listed=first_listed):
            std, level = standardise(r["agency"], region=doc["region"], province=doc["province"], doc_level=doc["level"])
            rows.append(
                {
                    "doc_id": p["doc_id"],
                    "provision_id": p["provision_id"],
                    "position": r["position"],
                    "agency": r["agency"],
                    "agency_std": std,
                    "level": level,
                    "agency_type": agency_type(std, r["agency"]),
                    "role": r["role"],
                    "clause_group": r["group"],
                }
            )
    return rows




# -- comparison helpers (used by notebook 05) ---------------------------------------------------


def without_placeholders(agencies_df):
    """The agency rows that name one body: placeholders (各成员单位, 各有关部门, 各县区人民政府…,
    ``agency_type == "placeholder"``) removed, as rankings and networks need.

    >>> ranking = involvement(without_placeholders(corpus_agencies))  # doctest: +SKIP
    """
    return agencies_df[agencies_df["agency_type"] != PLACEHOLDER]


def involvement(agencies_df, *, placeholders: bool = False):
    """Per document and standard agency: provisions it is named in, and in how many as lead.

    Placeholders (各成员单位…) are left out unless ``placeholders=True``: they
    are not an agency one could rank.
    """
    if not placeholders:
        agencies_df = without_placeholders(agencies_df)
    a = agencies_df.drop_duplicates(["doc_id", "provision_id", "agency_std", "role"])
    out = a.groupby(["doc_id", "agency_std", "agency_type"]).agg(
        provisions=("provision_id", "nunique"),
        lead=("role", lambda r: int((r == "lead").sum())),
    )
    out = out.reset_index().sort_values(["doc_id", "provisions", "lead", "agency_std"], ascending=[True, False, False, True])
    return out.reset_index(drop=True)


def role_shares(agencies_df):
    """Per document: the share of agency mentions in each role."""
    counts = agencies_df.groupby(["doc_id", "role"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(ROLES), fill_value=0)
    return counts.div(counts.sum(axis=1), axis=0)


def type_theme_counts(agencies_df, themes_df, *, placeholders: bool = False):
    """Provisions per agency type × theme, pooled over documents; placeholders (各有关部门…) only if asked."""
    if not placeholders:
        agencies_df = without_placeholders(agencies_df)
    pairs = agencies_df[["doc_id", "provision_id", "agency_type"]].drop_duplicates().merge(
        themes_df[["doc_id", "provision_id", "theme"]].drop_duplicates(), on=["doc_id", "provision_id"]
    )
    return pairs.groupby(["agency_type", "theme"]).size().rename("provisions").reset_index()


def co_responsibility(agencies_df, doc_id: str, *, placeholders: bool = False):
    """Edges (agency_std pairs) weighted by the provisions they share in one document, sorted.

    Placeholders (各有关部门…) are no node unless ``placeholders=True``.
    """
    import itertools

    import pandas as pd

    if not placeholders:
        agencies_df = without_placeholders(agencies_df)
    a = agencies_df[agencies_df["doc_id"] == doc_id].drop_duplicates(["provision_id", "agency_std"])
    pairs: dict[tuple[str, str], int] = {}
    for _pid, g in a.groupby("provision_id", sort=True):
        for u, v in itertools.combinations(sorted(g["agency_std"]), 2):
            pairs[(u, v)] = pairs.get((u, v), 0) + 1
    return pd.DataFrame([(u, v, w) for (u, v), w in sorted(pairs.items())], columns=["source", "target", "provisions"])
