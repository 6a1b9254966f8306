"""Named brands: geographical indications, regional brands and famous trademarks a document names.

Found in the text, never typed in. Three forms, each tied to a cue word that
says what kind of name it is:
- a quoted name just before a cue: “五原向日葵”国家地理标志产品…, “天赋河套”“陕坝味道”等区域品牌;
- a list closed by 等 + cue: 天祝白牦牛、民勤羊肉、凉州黄白花牛等区域商标品牌;
- a name directly before 地理标志 that ends in a product word: 贺兰山东麓葡萄酒地理标志使用企业.
A name must be 2–10 Chinese characters and must not start with a verb or be
a generic word (农产品, 集体 …). The verb, generic-word and product-word lists
live in ``resources/brand_rules.txt``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import patterns
from .config import resource_lines

CJK = f"[{patterns.CJK_CHARS}]"
_CUES = (
    ("geographical_indication", r"(?:国家)?地理标志"),
    ("regional_brand", r"区域(?:公用|商标)?品牌|公用品牌"),
    ("famous_trademark", r"驰名商标"),
)
_QUOTED = re.compile(rf"((?:“{CJK}{{2,10}}”(?:、)?)+)(?:等)?(?P<cue>{'|'.join(c for _k, c in _CUES)})")
_LIST = re.compile(rf"(?P<items>{CJK}{{2,12}}(?:、{CJK}{{2,10}})+)等(?P<cue>{'|'.join(c for _k, c in _CUES)})")
_BEFORE_GI = re.compile(rf"(?P<name>{CJK}{{3,10}})地理标志")


@lru_cache(maxsize=1)
def _sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in resource_lines("brand_rules.txt"):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        sections.setdefault(current, []).append(line)
    return sections


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern[str], frozenset[str]]:
    s = _sections()
    return re.compile(f"^(?:{'|'.join(map(re.escape, s['verbs']))})"), frozenset(s["generic"])


@lru_cache(maxsize=1)
def _product_end() -> re.Pattern[str]:
    products = sorted(_sections()["products"], key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(map(re.escape, products))})$")


def _kind(cue: str) -> str:
    for kind, regex in _CUES:
        if re.fullmatch(regex, cue):
            return kind
    return ""


def _trim_lead(name: str) -> str:
    """Drop a leading verb phrase: '进一步加强黄羊河' -> '黄羊河'; '以贺兰山东麓葡萄酒' -> '贺兰山东麓葡萄酒'."""
    verbs, _generic = _rules()
    for cut in ("以", "的", "和", "与", "及", "在", "对"):
        if cut in name:
            name = name.rsplit(cut, 1)[-1]
    while True:
        m = verbs.match(name)
        if not m or m.end() == 0:
            return name
        name = name[m.end() :]


def _acceptable(name: str) -> bool:
    verbs, generic = _rules()
    return 2 <= len(name) <= 10 and name not in generic and not verbs.match(name) and not any(g in name for g in ("知识产权", "地理标志", "商标", "品牌"))


def find_brands(sentence: str) -> list[tuple[str, str]]:
    """(name, kind) pairs named in one sentence, in order, without repeats."""
    found: list[tuple[int, str, str]] = []
    for m in _QUOTED.finditer(sentence):
        kind = _kind(m.group("cue"))
        for q in re.finditer(rf"“({CJK}{{2,10}})”", m.group(1)):
            found.append((m.start() + q.start(), q.group(1), kind))
    for clause in re.split(r"[，；。]", sentence):
        offset = sentence.find(clause)
        for m in _LIST.finditer(clause):
            kind = _kind(m.group("cue"))
            items = m.group("items").split("、")
            items[0] = _trim_lead(items[0])
            for item in items:
                found.append((offset + m.start(), item, kind))
        for m in _BEFORE_GI.finditer(clause):
            name = _trim_lead(m.group("name"))
            if _product_end().search(name):
                found.append((offset + m.start(), name, "geographical_indication"))
    out, seen = [], set()
    for _pos, name, kind in sorted(found, key=lambda f: f[0]):
        name = name.strip("“”")
        if _acceptable(name) and name not in seen:
            seen.add(name)
            out.append((name, kind))
    return out


def document_brands(provisions: list[dict]) -> list[dict]:
    """Brand rows for one document's provisions: doc_id, provision_id, name, kind, evidence."""
    rows = []
    for p in provisions:
        for sentence in re.findall(r"[^。；]+[。；]?", p["body"].replace("\n", "")):
            for name, kind in find_brands(sentence):
                rows.append({"doc_id": p["doc_id"], "provision_id": p["provision_id"], "name": name, "kind": kind, "evidence": sentence.strip()})
    return rows


