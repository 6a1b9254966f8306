"""Targets: every quantitative target a document sets, from its tables and its sentences.

Two sources:
- indicator tables laid out one cell per line (Bayannur's annex, Yinchuan's
  主要目标), on lines ("指标 2020年 2025年 属性"), or with | cells,
  recognised by their shape: a header of consecutive years, then rows of a
  name followed by one value per year (＞12, ≥500, 〔150〕 read too);
- sentences: "到2025年，集体商标达到120件", "三年累计增长30%",
  "建设2-3家知识产权信息公共服务网点", "覆盖率达到50%以上", "翻一番",
  "由2020年的5.2件提高到12件", "压缩至60天以内" …

A figure about the past ("到2020年底…已达到…", "是“十二五”末的1.99倍", a
paragraph that opens 近年来, 同比, 1—10月, 居全省第2位) is kept with
``status = "baseline"``; counts that only name things ("12项重点产业链",
"五进"), the amounts of an award, subsidy or fine, and thresholds that
qualify a noun ("超过1亿元的企业") are not extracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from . import patterns
from .config import resource_csv

# -- numbers and units ------------------------------------------------------------------

_ARABIC = r"\d+(?:\.\d+)?"
_CN = f"[{patterns.CN_NUMERAL}]+"
NUM = rf"(?P<num>{_ARABIC}(?:\s*[-—–~～至到]\s*{_ARABIC})?|{_CN})"
# Longer units first: "3个百分点" is 个百分点, not 个; "2万人次" is 万人次; "30个工作日" is a duration.
UNIT = (
    r"(?P<unit>个百分点|个工作日|个月|工作日|万亿元|亿美元|万美元|万人次|万人|万名|万件|万个|万家|万户|万项|亿元|万元|亿"
    r"|件次|家次|场次|人次|件|个|家|户|项|所|座|处|条|笔|名|人|场|次|期|批|分|天|倍|%|％)"
)
# 万 before a counter: "新增商标注册2.5万件".
# Events count too, in units no other phrase uses: 开展…活动15场次 (not 期, 批, 次: 一期工程, 一批企业).
COUNT_UNIT = r"(?P<unit>万件|万个|万家|万户|万项|万名|人次|场次|家次|件次|家|个|件|项|所|座|处|条|名)"

_AGGREGATE = "累计|合计|总计|共计"
VERB_LEVEL = (
    rf"(?:{_AGGREGATE})?(?:增长|增加)(?:达到|达|至|到)?"
    rf"|(?:{_AGGREGATE})?(?:力争)?(?:达到|达)"
    r"|超过|超(?=\d)|突破|高于|不低于|不少于|不超过|不高于|低于|少于|控制在|提高到|提高至|提升到|提升至|(?:提高|提升)(?=\d)|增至|增加到|保持在"
    r"|(?:下降|降低|减少|缩短|压缩)(?:到|至)"  # brought down to a level: 平均办案周期压缩至60天以内
)
VERB_CREATE = r"培育|建设|打造|新增|新建|创建|建成|设立|支持|认定|引进|扶持|开展|举办|帮助|服务|指导|推动|带动|培训"

# "subject + verb + number + unit": 有效发明专利达4000件以上
# The verb may name the year before the value: "由2020年的5.2件提高到2025年的12件".
SUBJECT_VERB = re.compile(
    rf"(?P<subject>[^，；。]*?)(?P<verb>{VERB_LEVEL})(?:(?:19|20)\d{{2}}年(?:底|末)?的)?{NUM}{UNIT}(?P<bound>以上|以下|以内|左右)?"
)
# "verb + number + unit + object": 建设2-3家知识产权信息公共服务网点, 培育“X”20个品牌
VERB_NUMBER = re.compile(
    rf"(?P<verb>(?:{VERB_CREATE})+)(?P<pre>“[^”]{{1,20}}”)?{NUM}{COUNT_UNIT}(?P<bound>以上|左右)?(?P<object>[^，；。]*)"
)
# "verb + object + number + unit" closing a clause: 建设商标品牌指导站7家, 引进培育…机构3—5家
VERB_OBJECT_NUMBER = re.compile(
    rf"(?P<verb>(?:{VERB_CREATE})+)(?P<object>[^，；。\d“”]{{2,20}}?){NUM}{COUNT_UNIT}(?P<bound>以上|左右)?$"
)
# "新增 + an amount named by its object + money" closing a clause: 新增知识产权质押融资金额5亿元以上
VERB_OBJECT_AMOUNT = re.compile(
    rf"(?P<verb>新增)(?P<object>[^，；。\d“”]{{2,20}}?(?:金额|融资额|产值|收入|规模)){NUM}"
    r"(?P<unit>万亿元|亿美元|万美元|亿元|万元)(?P<bound>以上|左右)?$"
)
# a list continued without its verb: …，“宁夏枸杞”10个品牌
CONTINUATION = re.compile(rf"^(?P<pre>“[^”]{{1,20}}”)(?P<num>{_ARABIC}){COUNT_UNIT}(?P<object>[^，；。]+)$")
# …and without quotes, after "培育国家知识产权示范企业20家": "、优势企业50家"
LIST_CONTINUATION = re.compile(rf"^(?P<object>[^，；。\d“”]{{2,20}}?)(?P<num>{_ARABIC}){COUNT_UNIT}(?P<bound>以上)?$")
# Clauses: split at commas, and at a 、 that follows a count ("示范企业20家、优势企业50家").
_CLAUSE_SPLIT = re.compile(r"[，,]|(?<=\d[家个件项所座处条名])、|(?<=\d[家个件项所座处条名]以上)、")
# a doubling: "知识产权质押融资金额实现翻一番", "较2020年翻两番" (×2, ×4).
DOUBLING = re.compile(r"(?P<subject>[^，；。]*?)(?P<verb>翻)(?P<num>[一两二三])番")
# an achievement stated as a multiple: 是“十二五”末的1.99倍
MULTIPLE = re.compile(rf"(?P<subject>[^，；。]*?)是(?P<ref>[^，；。]{{0,20}}?)的(?P<num>{_ARABIC})倍")

PAST_MARKERS = re.compile(r"已|截至|截止|目前|现有|末的|(?<![比较])(?:去年|上年度?|上一年度?|前年)")
# "在现有基础上" (building on what exists) looks forward: it is no past marker.
_ON_THE_BASIS = re.compile(r"在(?:现有|已有|原有)[^，；。]{0,8}?基础上")
# A change against the previous year (同比, 较上年) reports a statistic, unless the sentence pledges
# it (力争, 确保, 目标) or dates it to the issue year or later: "2023年，力争专利授权量同比增长10%".
_YEAR_ON_YEAR = re.compile(r"同比|较上年|比上年|较去年|比去年")
_PLEDGE = re.compile(r"力争|确保|目标|预计|每年|下一步|今后|未来")
# ...and what else reports figures rather than sets them: a run of years, a rank.
_REPORTING = re.compile(
    rf"{_YEAR_ON_YEAR.pattern}|连续[一二两三四五六七八九十\d]{{1,2}}年|(?:位)?居(?:全国|全省|全区|全市)[^，。；]{{0,6}}第|位列|排名(?:全国|全省|全区|全市)"
)
# A cited document's title (《…规划（2016—2020年）》): its period is not the sentence's.
_CITED_TITLE = re.compile(r"《[^》]*》")
# Months so far of a year (2022年1—10月, 前三季度): a statistic to date, never a target.
_YEAR_TO_DATE = re.compile(r"(?:^|[年，,])\d{1,2}\s*[-—–~～至到]\s*\d{1,2}月(?:份)?|前[一二三]季度")
# Clauses about a policy instrument's money (an award, a subsidy, a fine): "给予最高不超过50万元的奖励".
_INSTRUMENT_AMOUNT = re.compile(r"奖励|资助|补助|补贴|奖补|贴息|罚款|罚金|处罚|给予")
# ...and in a sentence about one, a cap per beneficiary ("单个企业每年最高不超过30万元") or any sum of money.
_PER_BENEFICIARY = re.compile(r"最高|单个|单项|单笔|每家|每件|每户|每项|每人")
_MONEY_UNIT = re.compile(r"元|^亿$")
# A condition for a measure: "对年营业收入超过1亿元且…的企业", "凡…的": its figures are thresholds.
_CONDITION = re.compile(r"^(?:\d{1,2}[.．、])?(?:对于|对|凡)(?![外标接口照])")
_EXPLICIT_YEAR = re.compile(r"(?:到|至|截至|截止|力争到)?((?:19|20)\d{2})年(?!度)(?:底|末)?")
# What names a year as the base of a comparison, not the time of the figure: "由2020年的5.2件提高到12件",
# "比2020年增长50%", "较2020年翻一番".
_BASE_YEAR_BEFORE = re.compile(r"(?:由|从|比|较|与|相比|相较于?)$")
# ...and that comparison left at the end of a subject, with a verb of achieving: "…金额比2020年", "…实现".
_SUBJECT_TAIL = re.compile(
    r"(?:(?:由|从|比|较|与|相比|相较于?)(?:(?:19|20)\d{2}年(?:底|末)?|“?十[一二三四五六七八九]五”?(?:期末|末|期间|时期))(?:相比)?"
    r"|同比|较上年|比上年|实现|要|将|达到并|并)+$"
)
# Lead-ins before an indicator: a pledge, the whole area (全市, 全州, 全盟, 全旗, 我区 …), the whole year.
_LEAD = re.compile(
    r"^(?:\d{1,2}[.．、]|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)]"  # an item's label: 5., （3）
    r"|要|将|预计|力争|确保|推动|实现|使|全[市省区县州盟旗镇年]|[我本][市省区县州盟旗]|其中|并且|并|同时|[到至]?(?:19|20)\d{2}年(?:底|末)?)+"
)
_BASIS = re.compile(r"((?:三年|五年)?累计|三年|五年|年均|年平均|每年)$")
_MONEY = re.compile(r"金额|融资|销售额|资金|产值|收入|规模")
_PER_10K = re.compile(r"^(每万人口|万人)")
_UNIT_IN_NAME = re.compile(r"[（(]([^（）()]{1,6})[）)]$")


def parse_number(text: str) -> float:
    """'4000' -> 4000.0, '0.78' -> 0.78, '三' -> 3.0, '十二' -> 12.0."""
    text = text.strip()
    if re.fullmatch(_ARABIC, text):
        return float(text)
    return float(patterns.cn_to_int(text))


def parse_range(text: str) -> tuple[float, float | None]:
    """'2-3' -> (2.0, 3.0); '7' -> (7.0, None)."""
    parts = re.split(r"\s*[-—–~～至到]\s*", text.strip())
    if len(parts) == 2 and all(re.fullmatch(_ARABIC, p) for p in parts):
        return float(parts[0]), float(parts[1])
    return parse_number(text), None


_COUNTERS = ("家", "所", "座", "处")


def normalise_unit(value: float | None, unit: str, indicator: str) -> tuple[float | None, str]:
    """Standard value and unit: 万件 -> 件 (×10,000), 万元 -> 亿元, 亿 of money -> 亿元, ％ -> %,
    and the counters 家 / 所 / 座 / 处 -> 个, so "7家" and "7个" stations compare.

    Indicators per 10,000 people ("每万人口…") get ``件/万人``.
    """
    factor, std = 1.0, unit
    if unit.startswith("万") and unit[1:] in ("件", "个", "家", "户", "项", "人次", "人", "名"):
        factor, std = 10_000.0, "个" if unit[1:] == "家" else unit[1:]
    elif unit == "万元":
        factor, std = 1e-4, "亿元"
    elif unit == "万亿元":
        factor, std = 1e4, "亿元"
    elif unit == "亿" and _MONEY.search(indicator):
        std = "亿元"
    elif unit == "％":
        std = "%"
    elif unit in _COUNTERS:
        std = "个"  # 家, 所, 座, 处 count institutions as 个 does
    if _PER_10K.search(indicator) and std in ("件", "个"):
        std = f"{std}/万人"
    if value is None:
        return None, std
    return round(value * factor, 6), std


# -- indicator mapping --------------------------------------------------------------------


@lru_cache(maxsize=1)
def indicator_map() -> tuple[tuple[str, re.Pattern[str], str, str], ...]:
    """The editable mapping ``resources/indicators.csv``: id, regex, Chinese and English labels."""
    return tuple(
        (row["indicator_id"], re.compile(row["pattern"]), row["indicator_zh"], row["indicator_en"])
        for row in resource_csv("indicators.csv")
    )


def map_indicator(name: str) -> tuple[str, str, str]:
    """(indicator_id, label_zh, label_en) of the first mapping row whose pattern matches; empty if none."""
    for ind_id, regex, zh, en in indicator_map():
        if regex.search(name):
            return ind_id, zh, en
    return "", "", ""


# -- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a target's year and status are judged against.

    ``past`` is set for a sentence inside a section about the past (发展基础,
    现状, 发展成就, 规划背景…): every figure there is a baseline.
    ``carried_year`` is the year a sentence inherits from the part before its
    ；: "到2024年，A达到X；B达到Y" sets both for 2024, not for the plan's end;
    ``carried_name`` the indicator it continues: "2023年底前建成工作站10个；2024年底前，新增5个".
    """

    issue_year: int | None
    plan_end: int | None
    past: bool = False
    carried_year: int | None = None
    carried_name: str | None = None


def _record(
    *,
    indicator: str,
    unit: str,
    num: str,
    year: int | None,
    year_explicit: bool,
    comparator: str,
    measure: str,
    status: str,
    source: str,
    evidence: str,
    basis: str = "",
) -> dict:
    unit = "%" if unit == "％" else unit  # one sign in two widths: the unit as written is %
    value, value_high = parse_range(num)
    if value_high is not None:
        comparator = "range"
    value_std, unit_std = normalise_unit(value, unit, indicator)
    high_std, _ = normalise_unit(value_high, unit, indicator)
    ind_id, zh, en = map_indicator(indicator)
    return {
        "indicator": indicator,
        "indicator_id": ind_id,
        "indicator_zh": zh or indicator,
        "indicator_en": en,
        "year": year,
        "year_explicit": year_explicit,
        "value": value,
        "value_high": value_high,
        "unit": unit,
        "value_std": value_std,
        "value_high_std": high_std,
        "unit_std": unit_std,
        "comparator": comparator,
        "measure": measure,
        "basis": basis,
        "status": status,
        "source": source,
        "evidence": evidence,
    }


def _measure(verb: str, basis: str, indicator: str, unit: str) -> str:
    to_a_level = verb.endswith(("到", "至")) and unit not in ("%", "％", "个百分点")  # 增长到4.4件 is a level
    if ("增长" in verb or "增加" in verb) and not to_a_level or verb in ("提高", "提升") or unit == "倍":
        return "growth"
    if re.search(_AGGREGATE, verb + basis) and "合计" not in verb:
        return "cumulative"
    if indicator.endswith("率") and unit in ("%", "％"):
        return "rate"
    return "level"


COMPARATORS = ("eq", "ge", "gt", "le", "lt", "approx", "range")
"""The words ``comparator`` takes (never a sign, which a spreadsheet could read as a formula):
eq (达到 N), ge (N以上, 不低于, 不少于), gt (超过, 超, 突破, 高于), le (N以下, 以内, 不超过,
不高于, 控制在), lt (低于, 少于), approx (N左右), range (2-3家; ``value_high`` holds the top)."""


def _comparator(verb: str, bound: str) -> str:
    """The comparator word of a verb and a trailing bound (以上, 以下, 以内, 左右); the bound wins."""
    if bound == "以上":
        return "ge"
    if bound in ("以下", "以内"):
        return "le"
    if bound == "左右":
        return "approx"
    if verb.endswith(("不低于", "不少于")):
        return "ge"
    if verb.endswith(("不超过", "不高于", "控制在")):
        return "le"
    if verb.endswith(("低于", "少于")):
        return "lt"
    if verb.endswith(("超过", "超", "突破", "高于")):
        return "gt"
    return "eq"


def _clean_subject(subject: str) -> tuple[str, str]:
    """Strip lead-ins (力争, 全市, 到2025年…) and a trailing basis (三年, 年均); return (subject, basis)."""
    subject = _SUBJECT_TAIL.sub("", _LEAD.sub("", subject.strip("，、 ")))
    m = _BASIS.search(subject)
    basis = m.group(1) if m else ""
    if m:
        subject = subject[: m.start()]
    return subject.strip("，、 "), basis


_MEASURE_HEAD = re.compile(r"(?:[量数率额值]|规模|占比|比重)$")


def _split_subjects(subject: str, verb: str) -> list[str]:
    """'有效发明专利拥有量、有效商标注册量' -> two indicators; a 合计 (sum) stays one, named as a sum.

    A list splits only when every part is an indicator of its own, ending in a
    measure word (量, 数, 率, 额, 规模…); in "专利许可、转让备案次数" the first part
    shares the second's head noun, so the whole is one indicator.
    """
    if "合计" in verb:
        return [subject + "合计"]
    if "、" not in subject:
        return [subject]
    parts = [p for p in subject.split("、") if p]
    if all(len(p) >= 4 and _MEASURE_HEAD.search(p) for p in parts):
        return parts
    return [subject]


_NEXT_COUNTED = re.compile(rf"(?:和|及|以及|、)(?=(?:{_ARABIC}|{_CN})[个家件项所座处条])")


# A subject that is only a verb of doing: the indicator is what follows the number.
_BARE_VERB = re.compile(r"^(?:完成|开展|组织|举办|实现|服务|指导|帮助|推动|带动|覆盖|惠及|培训|办理|支持|培育)+$")


# ...or ends with one, after who does it: "各县区配备不少于1名专职人员".
_DOING_TAIL = re.compile(r"(?:配备|配置|设置|安排|完成|开展|组织|举办|办理)$")


def _counted_after(clause: str, m: re.Match[str]) -> str:
    """The noun phrase after a number ("…20家企业的知识产权合规指导" -> "企业知识产权合规指导")."""
    end = m.end("bound") if m.groupdict().get("bound") else m.end("unit")
    return clause[end:].replace("的", "").strip("，、 ")


def _object_name(obj: str) -> str:
    """The head of an object phrase: '地方特色鲜明、带动力强的区域品牌' -> '区域品牌'; a second
    counted object is not part of the first ('保护中心和两个快速维权中心' -> '保护中心')."""
    obj = _NEXT_COUNTED.split(obj.strip())[0]
    return obj.rsplit("的", 1)[-1] if "的" in obj else obj


_VALUE = NUM.replace("?P<num>", "") + UNIT.replace("?P<unit>", "") + "(?:以上|以下|以内|左右)?"  # unnamed groups
_RESPECTIVELY = re.compile(rf"(?P<subjects>[^，；。]+?)分别(?P<verb>{VERB_LEVEL})(?P<values>{_VALUE}(?:[、和及]{_VALUE})+)")
_VALUE_ITEM = re.compile(rf"{NUM}{UNIT}(?:以上|以下|以内|左右)?")


# 百分之三十 is 30%, not 100 分.
_CN_PERCENT = re.compile(rf"百分之((?:{_ARABIC})|[{patterns.CN_NUMERAL}]+)(?:点([零〇一二三四五六七八九]+))?")
_CN_DIGIT = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0"}


def _percent(m: re.Match[str]) -> str:
    """百分之三十 -> 三十% (numerals are read later); 百分之九十五点五 -> 95.5%."""
    whole, decimals = m.group(1), m.group(2)
    if not decimals:
        return f"{whole}%"
    if not whole[0].isdigit():
        whole = str(patterns.cn_to_int(whole))
    return f"{whole}.{''.join(_CN_DIGIT[c] for c in decimals)}%"


def respectively(sentence: str) -> str:
    """"A、B分别达到10件、5万件" -> "A达到10件，B达到5万件": each indicator with its own value.
    Left as it is when the indicators and the values do not pair up."""

    def pair(m: re.Match[str]) -> str:
        lead = _LEAD.match(m.group("subjects"))
        head = lead.group(0) if lead else ""
        subjects = [p for p in re.split("[、和及]", m.group("subjects")[len(head) :]) if p]
        values = [v.group(0) for v in _VALUE_ITEM.finditer(m.group("values"))]
        if len(subjects) != len(values) or len(subjects) < 2:
            return m.group(0)
        return head + "，".join(f"{s}{m.group('verb')}{v}" for s, v in zip(subjects, values))

    return _RESPECTIVELY.sub(pair, sentence) if "分别" in sentence else sentence


_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def split_sentences(text: str) -> list[str]:
    """The sentences of a provision, split after 。；！？, line breaks dropped (a page break never ends a sentence)."""
    return [s for s in _SENTENCE_END.split(text.replace("\n", "")) if s.strip()]


_ASIDE = re.compile(r"[（(][^（）()]*[）)]")
_OF_A_MULTIPLE = re.compile(rf"的(?:{_ARABIC}|[{patterns.CN_NUMERAL}]+)倍")
_PLAN_END = re.compile(r"“?十([一二三四五六七八九])五”?(?:期)?末")


def _explicit_years(clause: str, ctx: Context) -> tuple[list[int], list[int]]:
    """Years a clause names as a point in time (not inside a range such as 2021—2035年), and the
    years it names as the base of a comparison (由2020年的…, 比2020年…), apart."""
    years, base = _clause_years(clause)
    return list(years), list(base)


@lru_cache(maxsize=8192)
def _clause_years(clause: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """:func:`_explicit_years` of a clause, as tuples: a pure function of the clause, cached because
    every sentence's clauses are read several times (its targets, its year, whether it looks back)."""
    if "年" not in clause and "末" not in clause:  # most clauses name no year: skip the scans
        return (), ()
    ranges = [m.span() for m in patterns.YEAR_RANGE.finditer(clause)]
    ranges += [m.span() for m in _ASIDE.finditer(clause)]  # "达到12件（2020年为6.2件）": an aside
    years, base = [], []
    found = [(m.start(1), m.start(), m.end(), int(m.group(1))) for m in _EXPLICIT_YEAR.finditer(clause)]
    # the end of a five-year plan: 到“十四五”末 is 2025
    found += [(m.start(1), m.start(), m.end(), plan_period_end(m.group(1))) for m in _PLAN_END.finditer(clause)]
    for pos, start, end, year in sorted(found):
        if any(a <= pos < b for a, b in ranges):
            continue
        before = clause[:start].rstrip("“\"")
        # 比2020年, 由2020年的…; and 是2015年的2.1倍 (the year a multiple is of)
        is_base = (
            _BASE_YEAR_BEFORE.search(before)
            or (before.endswith("是") and clause.startswith("的", end))
            or _OF_A_MULTIPLE.match(clause, end)  # 达到2020年的2倍: the year the multiple is of
        )
        (base if is_base else years).append(year)
    return tuple(years), tuple(base)


def sentence_year(sentence: str, ctx: Context) -> int | None:
    """The year a sentence's figures are for: the last it names as a point in time (not a base
    year, not inside a range), else the one it inherited; None if neither."""
    years = [y for clause in _CLAUSE_SPLIT.split(close_spaces(sentence)) for y in _explicit_years(clause, ctx)[0]]
    return years[-1] if years else ctx.carried_year


# -- what is not a target ------------------------------------------------------------------------

# A five-year plan period named as a time: "“十三五”时期", "十二五末", "“十三五”以来".
_PLAN_PERIOD = re.compile(r"“?十([一二三四五六七八九])五”?(?:时期|期间|末|以来)")
# A change told from a starting value: "从“十二五”末的2.2件增长到4.4件".
_FROM_VALUE = re.compile(r"[从由][^从由]*\d")
# A line that is a field of a page's metadata block, a contact line or a counter.
_METADATA_FIELD = re.compile(
    r"(?:索引号|文号|发布机构|发文机关|成文日期|发布日期|发布时间|更新时间|浏览次数|访问次数|阅读次数|浏览量|访问量|阅读量|阅读数|点击[数量率]"
    r"|联系电话|联系人|电话|传真|邮编|邮政编码|主题分类|有效性)\s*[:：]"
)
# Subjects that are only function words ("分别是…的3.29倍"): the indicator is elsewhere.
_EMPTY_SUBJECT = re.compile(r"^(?:分别|均|各|都|其中|同比|较|比)$")


def plan_period_end(ordinal: str) -> int:
    """Last year of the n-th five-year plan named by its ordinal after 十: '三' (十三五) -> 2020."""
    return 1955 + 5 * (10 + patterns.cn_to_int(ordinal))


# A year as written in a sentence ("2025年"), and 到/至 a year ("到2025年").
_YEAR_WORD = re.compile(r"((?:19|20)\d{2})年")
_TO_A_YEAR = re.compile(r"[到至](?:19|20)\d{2}年")
# A sentence that looks back: "近年来", "过去五年", "五年来", "2018年以来", "党的十八大以来".
_LOOKING_BACK = re.compile(r"近年来|(?:过去|近)[一二两三四五六七八九十\d]{1,2}年|[一二两三四五六七八九十\d]{1,2}年来|以来")


@lru_cache(maxsize=8192)
def names_past_period(sentence: str, issue_year: int | None) -> bool:
    """True if the sentence looks back (近年来, 五年来, …以来) or speaks of a five-year
    period that ended before the issue year (“十三五”时期 in a plan issued in 2021 or later),
    and names no year to come: "到2025年，…由“十三五”末的4.4件提高到8件" sets a target.

    Cached (pure): the targets stage asks it of each sentence twice, for its figures and for the next one."""
    years = [int(y) for y in _YEAR_WORD.findall(sentence)]
    if issue_year is not None and any(y >= issue_year for y in years):
        return False
    if _LOOKING_BACK.search(sentence):
        return True
    if issue_year is None:
        return False
    return any(
        plan_period_end(m.group(1)) < issue_year and not _is_own_base_period(sentence, m, issue_year)
        for m in _PLAN_PERIOD.finditer(sentence)
    )


def _is_own_base_period(sentence: str, m: re.Match[str], issue_year: int) -> bool:
    """比“十三五”期间增长50% in a plan issued 2021-2025: the five-year plan just ended is the base of a
    change to come, not the time the sentence tells. An older period (比“十二五”末) stays the past."""
    return plan_period_end(m.group(1)) >= issue_year - 5 and bool(
        _BASE_YEAR_BEFORE.search(sentence[: m.start()].rstrip("“\""))
    )


def dated_before(sentence: str, ctx: Context) -> bool:
    """True for a sentence dated to years before the issue year only ("2021年，全市知识产权工作取得新成效"
    in a plan issued in 2022); base years of a comparison (与2020年相比) do not date it."""
    if ctx.issue_year is None or "年" not in sentence:
        return False
    years = [y for clause in _CLAUSE_SPLIT.split(close_spaces(sentence)) for y in _explicit_years(clause, ctx)[0]]
    return bool(years) and ctx.issue_year is not None and max(years) < ctx.issue_year and not looks_ahead(sentence, ctx)


def looks_ahead(sentence: str, ctx: Context) -> bool:
    """True for a sentence that speaks of what is to come: a pledge (力争, 确保, 目标), or a year
    from the issue year on (with the issue year unknown, 到 a year). "到2020年底，…" in a plan
    issued in 2022 looks back."""
    if _PLEDGE.search(sentence):
        return True
    if ctx.issue_year is None:
        return bool(_TO_A_YEAR.search(sentence))
    return any(int(y) >= ctx.issue_year for y in _YEAR_WORD.findall(sentence))


def reports_a_statistic(sentence: str, ctx: Context) -> bool:
    """True for a sentence that reports figures to date: the months so far of a year (1—10月,
    前三季度); a period that ended before the issue year (2019—2021年，全市累计…); or, unless it
    pledges them (力争, 确保) or dates them to the issue year or later, a change against the
    previous year (同比), a run of years (连续三年), a rank (居全省第2位)."""
    if _YEAR_TO_DATE.search(sentence):
        return True
    unquoted = _CITED_TITLE.sub("", _ASIDE.sub("", sentence))
    ended = [int(m.group(2)) for m in patterns.YEAR_RANGE.finditer(unquoted)]
    if ctx.issue_year is not None and ended and min(ended) < ctx.issue_year and not looks_ahead(sentence, ctx):
        return True
    if not _REPORTING.search(sentence) or _PLEDGE.search(sentence):
        return False
    years = [int(y) for y in _YEAR_WORD.findall(sentence)] + [ctx.carried_year or 0]
    return ctx.issue_year is None or max(years) < ctx.issue_year


def is_metadata_text(text: str) -> bool:
    """A page-metadata field, contact or counter line (索引号：…, 联系电话：…, 浏览次数：…): no targets in it."""
    return bool(_METADATA_FIELD.search(text))


def _not_a_quantity(clause: str, m: re.Match[str]) -> bool:
    """A number that counts nothing: an ordinal (第14次), part of a code name (1+6+3), of an
    index or phone number (014236233/2023-01114, 82569610), or a quoted code (“1310”)."""
    start, end = m.span("num")
    before, after = clause[start - 1 : start] if start else "", clause[end : end + 1]
    if before == "第" or (before and before in "+＋/／-－:：.．") or (after and after in "+＋/／"):
        return True
    return before == "“" and after == "”"


_QUALIFIED_GOAL = re.compile(r"的(?:目标|水平|任务|规模)")


def _qualifies(clause: str, m: re.Match[str]) -> bool:
    """A figure before 的 that qualifies a noun: "对年销售收入超过1亿元的企业" sets a threshold,
    not a target ("达到5000件的目标" still is one)."""
    groups = m.groupdict()
    if "unit" not in groups or m.group("unit") is None:
        return False
    end = m.end("bound") if groups.get("bound") else m.end("unit")
    return clause[end : end + 1] == "的" and not _QUALIFIED_GOAL.match(clause, end)


def _qualitative_count(clause: str, m: re.Match[str]) -> bool:
    """"提高到一个新水平", "迈上一个更高台阶": 一个 before a quality word counts nothing."""
    if "unit" not in m.groupdict() or re.fullmatch(_ARABIC, m.group("num")):
        return False
    return bool(re.match(r"(?:新|更|较|全新|崭新|重要|高)", clause[m.end("unit") :]))


# A dated field of the page or the notice ("发布日期：2022-04-21", "日期： | 2022-02-16"); not a repost
# site's 更新时间 or 发布时间, which can come years later.
_DATED_FIELD = re.compile(r"(?<!更新)日期\s*[:：]?\s*[|｜]?\s*((?:19|20)\d{2})[-/年.]\d{1,2}")


def infer_issue_year(texts: list[str]) -> int | None:
    """The latest year of a dated field (发布日期：…, 成文日期：…) or a date line in the opening lines.

    Used only when the document's issue date is unknown: a document cannot
    set a target for a year before it was published, so figures for earlier
    years are baselines.
    """
    years = []
    for text in texts[:40]:
        years += [int(y) for y in _DATED_FIELD.findall(text)]
        if patterns.is_date_line(text):
            years.append(int(text[:4]))
    return max(years) if years else None


_LAYOUT_SPACE = re.compile(r"(?<![A-Za-z])\s+|\s+(?![A-Za-z])")
_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")


@lru_cache(maxsize=8192)
def close_spaces(text: str) -> str:
    """Drop spaces left by page layout ("达到 8310 件", "分 别 是"), keeping those between Latin words,
    and thousands separators ("12,000件" -> "12000件"), which would otherwise split a clause.

    Cached: a pure function of the sentence, which the targets stage asks for several times per sentence."""
    text = _LAYOUT_SPACE.sub("", text)
    return drop_thousands_separators(text)


def drop_thousands_separators(text: str) -> str:
    """'12,000' -> '12000', '1,250,000' -> '1250000'; '2021,2022' stays."""
    if "," not in text and "，" not in text:  # no separator to drop: skip the scan
        return text
    return _THOUSANDS_SEPARATOR.sub("", text)


def sentence_targets(sentence: str, ctx: Context) -> list[dict]:
    """Every target (or baseline) stated in one sentence.

    A figure is a baseline when the sentence sits in a section about the past
    (``ctx.past``), names a past five-year period (“十三五”时期), its year is
    before the issue year, a past marker (已, 截至, 目前…) precedes it, it is a
    multiple of a past value (是…的N倍), or it ends a change told from a
    starting value (从X增长到Y) without a future year.
    """
    evidence = sentence
    sentence = respectively(_CN_PERCENT.sub(_percent, close_spaces(sentence)))
    if is_metadata_text(sentence):
        return []
    out: list[dict] = []
    past_sentence = ctx.past or names_past_period(sentence, ctx.issue_year) or reports_a_statistic(sentence, ctx)
    clauses = [c for c in _CLAUSE_SPLIT.split(sentence.rstrip("。；！？")) if c]
    year: int | None = ctx.carried_year
    prev_verb_number: str | None = None
    last_name = ctx.carried_name  # "培育示范企业30家，到2025年达到50家": the second has no subject
    sentence_base = [y for clause in clauses for y in _explicit_years(clause, ctx)[1]]
    lead_past = False
    instrument = bool(_INSTRUMENT_AMOUNT.search(sentence))  # a sentence about an award, subsidy or fine
    for clause in clauses:
        years, base = _explicit_years(clause, ctx)
        if years:
            year = years[-1]
        # dated only by a base year more than a five-year plan before the issue: "全市专利授权量比2015年
        # 增长50%" (in a 2022 plan) tells the past; a baseline, of a year the text does not give. A
        # plan's own base year (较2020年 in a 十四五 plan issued 2022) is not the past.
        base_past = year is None and bool(sentence_base) and ctx.issue_year is not None and (
            max(sentence_base) < ctx.issue_year - 5
        )
        # a base year at most three years before the issue: the plan's own (2020 for a 十四五 plan)
        own_base = bool(sentence_base) and ctx.issue_year is not None and max(sentence_base) >= ctx.issue_year - 3
        found_here = False
        for kind, m in _matches(clause, prev_verb_number):
            found_here = True
            unit_written = m.groupdict().get("unit") or ""
            if instrument and (_MONEY_UNIT.search(unit_written) or _PER_BENEFICIARY.search(clause)):
                continue  # "…给予贴息，单个企业每年最高不超过30万元": what the measure pays
            before = clause[: m.start("num")]
            past = past_sentence or kind == "multiple"
            if base_past or year is not None and ctx.issue_year is not None and year < ctx.issue_year:
                past = True
            the_year, explicit = (year, True) if year is not None else (ctx.plan_end, False)
            verb = m.groupdict().get("verb") or ""
            bound = m.groupdict().get("bound") or ""
            unit = "倍" if kind in ("multiple", "doubling") else m.group("unit")
            # 翻一番 doubles (×2), 翻两番 doubles twice (×4)
            num = str(2 ** patterns.cn_to_int(m.group("num"))) if kind == "doubling" else m.group("num")
            from_value = False
            if kind in ("subject_verb", "multiple", "doubling"):
                raw_subject = m.group("subject")
                if kind == "subject_verb" and _FROM_VALUE.search(raw_subject):
                    # 从X增长到Y: Y is a level; without a year to come it describes the past, unless
                    # X is of the plan's own base year (由2022年的4.1件提高到6件 in a plan issued 2023).
                    # Past markers of the starting value (“十二五”末的2.2件) say nothing about Y.
                    from_value = True
                    raw_subject = raw_subject[: _FROM_VALUE.search(raw_subject).start()]
                    before = clause[: m.start("subject") + len(raw_subject)]
                    past = past or year is None and not own_base
                subject, basis = _clean_subject(raw_subject)
                bare = _BASIS.sub("", _SUBJECT_TAIL.sub("", raw_subject.strip("，、 "))).strip("到至年底末0123456789")
                if kind in ("subject_verb", "doubling") and not subject and last_name and not bare:
                    subject = last_name  # the clause continues the previous indicator: "…，比2020年翻一番"
                if kind == "subject_verb" and _BARE_VERB.match(subject):
                    # "完成不少于20家企业的知识产权合规指导": what is counted follows the number
                    subject = _counted_after(clause, m)
                elif kind == "subject_verb" and _DOING_TAIL.search(subject) and _counted_after(clause, m):
                    subject = _counted_after(clause, m)  # "各县区配备不少于1名专职人员"
                if len(_CJK_CHAR.findall(subject)) < 2 or _EMPTY_SUBJECT.match(subject):
                    continue
                names = _split_subjects(subject, verb)
            else:
                pre_verb = _BASIS.search(clause[: m.start("verb")]) if "verb" in m.groupdict() and m.group("verb") else None
                basis = pre_verb.group(1) if pre_verb else ""
                names = [(m.groupdict().get("pre") or "") + _object_name(m.group("object"))]
                if not names[0] and kind == "verb_number" and last_name:
                    names = [last_name]  # "…工作站10个；2024年底前，新增5个": the count continues it
                if len(names[0]) < 2:
                    continue
            past = past or lead_past or bool(PAST_MARKERS.search(_ON_THE_BASIS.sub("", before)))
            if past and year is None:
                the_year = None  # a past figure without its year: never the plan's end year
            for name in names:
                out.append(
                    _record(
                        indicator=name,
                        unit=unit,
                        num=num,
                        year=the_year,
                        year_explicit=explicit,
                        comparator=_comparator(verb, bound),
                        measure="level" if from_value else _measure(verb, basis, name, unit),
                        basis=basis + ("累计" if "累计" in verb else ""),
                        status="baseline" if past else "target",
                        source="text",
                        evidence=evidence,
                    )
                )
            last_name = names[-1]
            if kind in ("verb_number", "verb_object_number", "continuation", "list_continuation"):
                prev_verb_number = verb or prev_verb_number
        if not found_here:
            prev_verb_number = None if not CONTINUATION.match(clause) else prev_verb_number
            # a lead-in clause with a past marker ("目前，…", "截至目前，…") speaks for the clauses after it
            lead_past = lead_past or bool(PAST_MARKERS.search(_ON_THE_BASIS.sub("", clause)))
    return out


_NUMBER_UNIT = re.compile(rf"{NUM}(?:{UNIT}|倍)")
_CJK_CHAR = re.compile(f"[{patterns.CJK_CHARS}]")


_FORMS = (("subject_verb", SUBJECT_VERB), ("verb_number", VERB_NUMBER), ("multiple", MULTIPLE), ("doubling", DOUBLING))


def _matches(clause: str, prev_verb_number: str | None):
    """(kind, match) for each target form found in a clause, leftmost first, without overlaps."""
    if not _NUMBER_UNIT.search(clause) and "番" not in clause:  # most clauses hold no number with a unit
        return
    if _INSTRUMENT_AMOUNT.search(clause):  # an award, subsidy or fine: what a measure pays, not a target
        return
    if _CONDITION.match(clause) and "的" in clause:  # 对…超过1亿元…的企业: a threshold
        return
    found = []
    for kind, regex in _FORMS:
        found += [(m.start("num"), kind, m) for m in regex.finditer(clause)]
    m = VERB_OBJECT_NUMBER.search(clause) or VERB_OBJECT_AMOUNT.search(clause)
    if m:
        found.append((m.start("num"), "verb_object_number", m))
    if prev_verb_number:
        m = CONTINUATION.match(clause)
        if m:
            found.append((m.start("num"), "continuation", m))
        m = LIST_CONTINUATION.match(clause)
        if m and not found:
            found.append((m.start("num"), "list_continuation", m))
    seen: set[int] = set()
    for _pos, kind, m in sorted(found, key=lambda f: (f[0], f[1])):
        if m.start("num") in seen or any(rule(clause, m) for rule in (_not_a_quantity, _qualitative_count, _qualifies)):
            continue
        seen.add(m.start("num"))
        yield kind, m


# -- tables -------------------------------------------------------------------------------------

# A year heading a column: 2023, 2023年, 2020年（基期）, 2025年(目标值).
# ...or 2023年度, 2022年基数, 2025年目标值.
_YEAR_SUFFIX = r"(?:底|末|度)?(?:基数|基期|基期值|现状值|目标值|目标|预期值)?(?:[（(][^（）()]{0,8}[）)])?"
_YEAR_CELL = re.compile(rf"^((?:19|20)\d{{2}})年?{_YEAR_SUFFIX}$")
_INT_CELL = re.compile(r"^\d{1,3}$")
# A value may carry a sign ("＞12", "≥500") or the brackets that mark a cumulative figure in
# Chinese plan tables ("〔150〕", "[150]": the total over the period).
_CELL_SIGN = {"≥": "ge", "≧": "ge", "＞": "gt", ">": "gt", "≤": "le", "≦": "le", "＜": "lt", "<": "lt"}
_SIGNED = "[≥≧＞>≤≦＜<]"
_VALUE_CELL = re.compile(rf"^(?:{_SIGNED}?[-+]?{_ARABIC}%?|[〔\[［]{_ARABIC}%?[〕\]］]|[一—–\-/])$")
_EMPTY_CELL = re.compile(r"^[一—–\-/]$")
# Header cells around the years, and the attribute column of 十四五 indicator tables.
# A column of rates after the years (年均增长, 累计增长): its cells are read past, not as years' values.
_RATE_COLUMN = r"年均增长率?|年均增速|年均增幅|累计增长率?|累计增幅|增长率|增幅"
_HEADER_WORD = rf"序号|指标名称|指标|名称|类别|领域|单位|{_RATE_COLUMN}|属性|指标属性|指标性质|性质|备注"
_ATTRIBUTE_CELL = re.compile(r"^(?:预期性|约束性|预期|约束)$")
_HEADER_TAIL = re.compile(rf"^(?:{_RATE_COLUMN}|属性|指标属性|指标性质|性质|备注)$")
_RATE_CELL = re.compile(rf"^(?:{_RATE_COLUMN})$")
# A table laid out on lines rather than cells, as text copied from a web page gives it:
# "指标 2020年 2025年 属性" and "每万人口发明专利拥有量（件） 4.4 8 预期性".
_HEADER_LINE = re.compile(rf"^(?:(?:{_HEADER_WORD})|\s|(?:19|20)\d{{2}}年?{_YEAR_SUFFIX})+$")
_HEADER_TOKEN = re.compile(rf"(?:19|20)\d{{2}}年?{_YEAR_SUFFIX}|{_HEADER_WORD}")
_ROW_LINE = re.compile(
    rf"^(?:\d{{1,2}}[.、．]?\s*(?=[{patterns.CJK_CHARS}]))?(?P<name>[^|]*?(?:[^\d\s.%+\-]|\s[%％]))\s*"
    rf"(?P<values>(?:{_SIGNED}?[-+]?\d+(?:\.\d+)?%?|[〔\[［]\d+(?:\.\d+)?%?[〕\]］]|[—–])"
    rf"(?:\s+(?:{_SIGNED}?[-+]?\d+(?:\.\d+)?%?|[〔\[［]\d+(?:\.\d+)?%?[〕\]］]|[—–]))+)\s*(?P<attr>预期性|约束性)?$"
)


# Cells the cleaning closed up ("〔38.5〕〔60〕", "8.1≥10"): a bracket or a sign starts a new cell.
_CELL_GAP = re.compile(rf"(?<=[〕\]］])(?=[〔\[［\d]|{_SIGNED})|(?<=[\d%])(?=[〔\[［]|{_SIGNED})")


@dataclass(frozen=True)
class TableRow:
    name: str
    values: tuple[str, ...]
    line_indices: tuple[int, ...]


@dataclass(frozen=True)
class Table:
    years: tuple[int, ...]
    rows: tuple[TableRow, ...]
    header_index: int


def _is_name_cell(text: str) -> bool:
    return bool(re.search(f"[{patterns.CJK_CHARS}]", text)) and len(text) <= 60 and not _VALUE_CELL.match(text)


def table_cells(texts: list[str]) -> tuple[list[str], list[int]]:
    """The lines as a stream of cells, and the line each cell comes from.

    A line with ``|`` separators is split into its cells (Markdown-like tables
    of web pages); a line that is a header of years ("指标 2020年 2025年 属性"),
    and the rows that follow it ("…（件） 4.4 8 预期性"), are split into their
    cells. Any other line is one cell.
    """
    cells: list[str] = []
    owner: list[int] = []
    in_table = False
    header: list[str] = []
    for i, text in enumerate(texts):
        text = drop_thousands_separators(text)
        if "|" in text:
            parts = [c.strip() for c in text.strip().strip("|").split("|")]
            if all(re.fullmatch(r"[-:—\s]*", c) for c in parts):
                parts = []  # a rule line (| --- | --- |); a single "—" among values is an empty cell
            parts = [c for c in parts if c]
            in_table = any(_YEAR_CELL.match(c) for c in parts) or in_table
        elif _HEADER_LINE.match(text) and len(re.findall(r"(?:19|20)\d{2}", text)) >= 2:
            parts, in_table = _HEADER_TOKEN.findall(text), True
            header = parts
        elif in_table and (m := _ROW_LINE.match(_CELL_GAP.sub(" ", text))):
            names = _row_name_cells(m.group("name"), header)
            parts = [*names, *m.group("values").split(), *([m.group("attr")] if m.group("attr") else [])]
        else:
            parts, in_table = [text], False
        cells += parts
        owner += [i] * len(parts)
    return cells, owner


# A 单位 cell the cleaning closed up onto the name ("有效注册商标总量万件"): a unit of UNIT after a
# name of at least four characters with no bracketed unit of its own.
_GLUED_UNIT = re.compile(rf"(?<=[{patterns.CJK_CHARS}]{{4}})(?<![（(）)]){UNIT.replace('?P<unit>', '')}$")


def _row_name_cells(name: str, header: list[str]) -> list[str]:
    """The name cells of a table row laid out on a line, by the header's columns: a category
    column (类别, 领域) is dropped from the front, a 单位 column is its own cell at the end.
    "知识产权创造 每万人口高价值发明专利拥有量（件）" -> the indicator; "有效发明专利拥有量 万件" ->
    the indicator and its unit."""
    pieces = name.split()
    if "单位" in header and len(pieces) == 1 and (glued := _GLUED_UNIT.search(pieces[0])):
        pieces = [pieces[0][: glued.start()], glued.group(1)]  # the cleaning closed up "…拥有量 件"
    unit = "单位" in header and len(pieces) >= 2 and _is_unit_cell(pieces[-1])
    if any(h in ("类别", "领域") for h in header) and len(pieces) > 1 + unit:
        pieces = pieces[1:]
    return [" ".join(pieces[:-1]), pieces[-1]] if unit else [" ".join(pieces)]


def _is_unit_cell(text: str) -> bool:
    """A 单位 column's cell: 件, 万件, 亿元, 件/万人, %."""
    return len(text) <= 6 and not _VALUE_CELL.match(text) and (text in ("%", "％") or _is_name_cell(text))


def _table_row(
    cells: list[str], k: int, n_years: int, *, unit_column: bool, rate_columns: int = 0
) -> tuple[str, tuple[str, ...], int] | None:
    """(name, values, index after the row) of the row starting at cell ``k``, or None.

    Cells: an optional row number, the name, its unit if the table has a 单位
    column, one value per year, the cells of any rate columns (年均增长, read
    past), an optional attribute (预期性 / 约束性).
    """
    n = len(cells)
    if _INT_CELL.match(cells[k]) and k + 1 < n and _is_name_cell(cells[k + 1]):
        k += 1
    if not _is_name_cell(cells[k]):
        return None
    name, first = cells[k], k + 1
    if unit_column and first < n and _is_unit_cell(cells[first]):
        name, first = f"{name}（{cells[first]}）", first + 1
    values = cells[first : first + n_years]
    if len(values) != n_years or not all(_VALUE_CELL.match(c) for c in values):
        return None
    end = first + n_years
    for _ in range(rate_columns):
        if end < n and _VALUE_CELL.match(cells[end].strip("[]［］〔〕")):
            end += 1
    if end < n and _ATTRIBUTE_CELL.match(cells[end]):
        end += 1
    return name, tuple(values), end


def find_tables(texts: list[str]) -> list[Table]:
    """Indicator tables: a header of years (rising, as 2021…2025 or 2020年（基期） 2025年), then rows.

    A row is an optional row number, a name (with its unit in brackets, or in
    a 单位 column), then one value per year, then optionally the indicator's
    attribute (预期性 / 约束性); "一", "—" or "-" is an empty cell. A group's
    first row may start with its category (知识产权创造), which is skipped. Cells come
    one per line, or several per line (see :func:`table_cells`); indices in
    the result are line indices.
    """
    cells, owner = table_cells(texts)
    tables = []
    i, n = 0, len(cells)
    while i < n:
        years: list[int] = []
        j = i
        while j < n and (m := _YEAR_CELL.match(cells[j])) and (not years or int(m.group(1)) > years[-1]):
            years.append(int(m.group(1)))
            j += 1
        if len(years) < 2:
            i += 1
            continue
        unit_column = i > 0 and cells[i - 1] in ("单位", "（单位）", "(单位)")
        rate_columns = 0
        while j < n and _HEADER_TAIL.match(cells[j]):
            rate_columns += bool(_RATE_CELL.match(cells[j]))
            j += 1
        rows: list[TableRow] = []
        k = j
        while k < n:
            shape = {"unit_column": unit_column, "rate_columns": rate_columns}
            row = _table_row(cells, k, len(years), **shape)
            if row is None and k + 1 < n and _is_name_cell(cells[k]) and len(cells[k]) <= 12:
                row = _table_row(cells, k + 1, len(years), **shape)  # a category cell first
            if row is None:
                break
            name, values, end = row
            rows.append(TableRow(name, values, tuple(sorted({owner[c] for c in range(k, end)}))))
            k = end
        if rows:
            tables.append(Table(tuple(years), tuple(rows), owner[i]))
            i = k
        else:
            i = j
    return tables


def table_targets(table: Table, ctx: Context) -> list[dict]:
    """One record per row × year with a value; years before the issue year are baselines.

    A cell's sign gives its comparator (＞12: gt, ≥500: ge); a bracketed cell (〔150〕) is
    the total over the period, so its measure is cumulative.
    """
    out = []
    for row in table.rows:
        m = _UNIT_IN_NAME.search(row.name)
        name, unit = (row.name[: m.start()], m.group(1)) if m else (row.name, "")
        evidence = row.name + "：" + "，".join(f"{y}年 {v}" for y, v in zip(table.years, row.values))
        for year, cell in zip(table.years, row.values):
            if _EMPTY_CELL.match(cell):
                continue
            comparator = _CELL_SIGN.get(cell[0], "eq")
            cumulative = cell[0] in "〔[［"
            cell = cell.lstrip("".join(_CELL_SIGN)).strip("〔〕[]［］")
            pct = cell.endswith("%")
            status = "baseline" if ctx.issue_year is not None and year < ctx.issue_year else "target"
            out.append(
                _record(
                    indicator=name,
                    unit="%" if pct else unit,
                    num=cell.rstrip("%"),
                    year=year,
                    year_explicit=True,
                    comparator=comparator,
                    measure="cumulative" if cumulative else _measure("", "", name, "%" if pct else unit),
                    basis="累计" if cumulative else "",
                    status=status,
                    source="table",
                    evidence=evidence,
                )
            )
    return out


# -- a whole document -----------------------------------------------------------------------------


# A heading of a section about the past: its figures are achievements, never targets.
_PAST_HEADING = re.compile(
    r"(?:发展|工作|现实|规划)基础|^基础(?:[与和及]|$)|现状|成就|(?:发展|主要|工作|取得)的?(?:成效|成绩|成果|进展)|背景|发展环境|回顾"
    r"|基本情况"
)


# Task headings start with a verb ("夯实知识产权事业发展基础", "营造…发展环境"): they are not about the past.
_TASK_VERB = re.compile(
    r"^(?:夯实|营造|优化|打造|建设|建立|加强|强化|完善|提升|提高|推进|推动|构建|筑牢|巩固|着力|加快|持续|深化|健全|实施|开展|做好|改善)"
)


def names_the_past(heading: str) -> bool:
    """True for a heading that names a section about the past: 发展基础, 规划背景, “十三五”…取得的成就.

    The heading is its text up to the first 。 or ：, at most 20 characters, and
    must not start with a task verb.
    """
    heading = re.split(r"[。：:；]", heading.strip(), maxsplit=1)[0]
    return len(heading) <= 20 and not _TASK_VERB.match(heading) and bool(_PAST_HEADING.search(heading))


# A heading of a section about what is ahead: under 第一章 规划基础, "第二节 面临形势" is not the past.
_FORWARD_HEADING = re.compile(r"形势|机遇|挑战|展望|目标|指导思想|总体要求|基本原则|重点任务|主要任务|保障措施")


# A heading that reports on a plan's progress: "“十三五”规划主要目标完成情况" names targets, but past ones.
_PROGRESS_HEADING = re.compile(r"(?:完成|实施|执行|落实|进展)情况|进展")


def _heading_tense(heading: str) -> str | None:
    """``"past"`` for a heading naming the past, ``"ahead"`` for one naming what is to come, else None."""
    heading = re.split(r"[。：:；]", heading.strip(), maxsplit=1)[0]
    if names_the_past(heading) or (len(heading) <= 20 and _PROGRESS_HEADING.search(heading)):
        return "past"
    return "ahead" if len(heading) <= 20 and _FORWARD_HEADING.search(heading) else None


def _is_bare_heading(text: str) -> bool:
    """A short line of words on its own, without sentence punctuation or figures: 发展基础, 主要目标."""
    return (
        len(text) <= 12
        and not re.search("[。，；：:]", text)
        and not re.search(r"\d", re.sub(r"(?:19|20)\d{2}年", "", text))  # a year may title it: 2022年工作回顾
        and len(re.findall(f"[{patterns.CJK_CHARS}]", text)) >= 2
    )


_HEADING_YEAR = re.compile(r"^(?:到|至)?((?:19|20)\d{2})年(?:底|末)?(?:的)?[\u4e00-\u9fff]{0,10}目标")


def heading_years(texts: list[str]) -> dict[int, int]:
    """Line index -> the year its section's heading sets targets for ("（三）2035年远景目标",
    "二、到2025年主要目标"); figures naming no year of their own are for that year."""
    order: dict[str, int] = {}
    stack: list[tuple[int, int | None]] = []  # (level, year)
    out: dict[int, int] = {}
    for i, text in enumerate(texts):
        label = patterns.parse_label(text)
        if label is not None:
            level = order.setdefault(label.style, len(order))
            while stack and stack[-1][0] >= level:
                stack.pop()
            m = _HEADING_YEAR.match(text[label.end :].strip())
            heading = len(text) - label.end <= 20 and not re.search("[。，；]", text)
            stack.append((level, int(m.group(1)) if m and heading else None))
        year = next((y for _level, y in reversed(stack) if y is not None), None)
        if year is not None:
            out[i] = year
    return out


def past_section_lines(texts: list[str]) -> set[int]:
    """Indices of lines inside a section about the past (一、发展基础, 第一章 规划背景 …).

    Headings nest by the order in which their numbering styles first appear
    (as in :mod:`ipanalysis.structure`); a line is in the past while the
    innermost open heading that names a tense names the past: 第一章 发展基础
    covers its sections, but not a section of it headed 面临形势 or 发展目标.
    """
    order: dict[str, int] = {}
    stack: list[tuple[int, str | None]] = []  # (level, "past" / "ahead" / None)
    out: set[int] = set()
    for i, text in enumerate(texts):
        label = patterns.parse_label(text)
        if label is not None:
            level = order.setdefault(label.style, len(order))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, _heading_tense(text[label.end :])))
        elif _is_bare_heading(text):
            # an unnumbered heading (发展基础 on a line of its own): below every numbered level, so
            # the next numbered heading closes it, and so does the next unnumbered one (主要目标)
            while stack and stack[-1][0] >= len(order) + 100:
                stack.pop()
            tense = _heading_tense(text)
            if tense is not None:
                stack.append((len(order) + 100, tense))
        if next((tense for _level, tense in reversed(stack) if tense is not None), None) == "past":
            out.add(i)
    return out


def reconcile_measures(rows: list[dict]) -> list[dict]:
    """A document's series is cumulative throughout when one of its sentences says 累计 for it.

    "知识产权质押融资金额累计达到7亿元" makes the table row 知识产权质押融资金额
    1.38 … 7 a running total in every year: table cells cannot say 累计, the
    sentence does. Rows are matched by canonical indicator (or, unmapped, by
    name) and standard unit; only ``level`` rows change, and their ``basis``
    says 累计.
    """
    cumulative = {_same_indicator_key(r) for r in rows if r["measure"] == "cumulative"}
    out = []
    for r in rows:
        if r["measure"] == "level" and _same_indicator_key(r) in cumulative:
            r = {**r, "measure": "cumulative", "basis": r["basis"] or "累计"}
        out.append(r)
    return out


def _same_indicator_key(rec: dict) -> tuple[str, str]:
    return (rec["indicator_id"] or _bare_name(rec["indicator"]), rec["unit_std"])


_NAME_TAIL = re.compile(r"(?:数量|金额|总额|规模|总量|数)$")


def _bare_name(name: str) -> str:
    """An indicator name without a trailing measure word: 知识产权服务机构数量 -> 知识产权服务机构."""
    return _NAME_TAIL.sub("", name)


def _restates(a: dict, b: dict) -> bool:
    """True if rows ``a`` and ``b`` state one target: same indicator, year, value, unit and measure."""
    same_name = bool(a["indicator_id"]) and a["indicator_id"] == b["indicator_id"]
    if not same_name and not (a["indicator_id"] or b["indicator_id"]):
        x, y = _bare_name(a["indicator"]), _bare_name(b["indicator"])
        same_name = x == y
    return (
        same_name
        and a["year"] == b["year"]
        and a["status"] == b["status"]
        and (a["value_std"], a["value_high_std"], a["unit_std"], a["measure"])
        == (b["value_std"], b["value_high_std"], b["unit_std"], b["measure"])
    )


def merge_restated(rows: list[dict]) -> list[dict]:
    """Count a target once however many places state it.

    A target stated in a table and again in a sentence (Yinchuan's 2025 pledge
    financing: the table's 3.6 亿元 and "知识产权质押融资达3.6亿") is one row:
    the table row is kept (the table is the document's own summary), and each
    sentence restating it goes to ``also_stated_in``. When the table cell says
    only the number and the sentence a bound (知识产权服务机构达到50家以上), the
    row takes the sentence's comparator. Two sentences stating the same
    target keep the first.
    """
    ordered = sorted(range(len(rows)), key=lambda i: (rows[i]["source"] != "table", i))
    kept: list[dict] = []
    for i in ordered:
        rec = rows[i]
        twin = next((k for k in kept if _restates(k, rec)), None)
        if twin is None:
            kept.append({**rec, "also_stated_in": rec.get("also_stated_in", "")})
            continue
        if rec["evidence"] != twin["evidence"] and rec["evidence"] not in twin["also_stated_in"].split("\n"):
            twin["also_stated_in"] = "\n".join(filter(None, [twin["also_stated_in"], rec["evidence"]]))
        if twin["comparator"] == "eq" and rec["comparator"] not in ("eq", "range"):
            twin["comparator"] = rec["comparator"]
    position = {id(k): n for n, k in enumerate(kept)}
    return sorted(kept, key=lambda k: (k.get("line_no") or 0, position[id(k)]))


# Parts of a document (``lines.part``) whose sentences set no targets: closing matter and notes
# under annex tables, page chrome, the page's metadata block, the notice wrapper. Any other
# part (preamble, body, or a part added later) is read; tables are read in every part.
TARGETLESS_PARTS = frozenset({"closing", "annex", "chrome", "metadata", "wrapper", "contents"})


_LEAD_YEAR = re.compile(r"^(?:到|至|力争到|力争)((?:19|20)\d{2})年(?:底|末)?(?:前)?[，,]")


def paragraph_lead_year(sentence: str, ctx: Context) -> int | None:
    """The year a sentence opens with as a time to come ("到2025年，知识产权…全面提升。"): it dates
    the year-less sentences after it in the same paragraph, until one names a year of its own.
    A year before the issue year leads nothing (到2020年底 in a 2022 plan looks back), nor does the
    plan's end year: it dates year-less sentences already, with ``year_explicit`` false."""
    m = _LEAD_YEAR.match(close_spaces(sentence).lstrip("“"))
    if not m:
        return None
    year = int(m.group(1))
    ahead = ctx.issue_year is None or year >= ctx.issue_year
    return year if ahead and year != ctx.plan_end else None


def document_targets(lines: list[dict], ctx: Context) -> list[dict]:
    """Targets of one document from its ``lines`` rows (dicts with text, line_no, part, provision_id).

    Tables are read wherever they are (an annex in the closing matter
    included); sentences in every part but :data:`TARGETLESS_PARTS`, so
    notes under an annex table are not read as targets. Sentences in a
    section about the past give baselines, and so do the sentences of a
    paragraph after one that looks back (近年来, “十三五”时期…), until one
    looks ahead (力争, 到2025年). Then a series a sentence calls
    累计 becomes cumulative, and a target stated twice is counted once.
    """
    texts = [ln["text"] for ln in lines]
    if ctx.issue_year is None:
        ctx = replace(ctx, issue_year=infer_issue_year(texts))
    out = []
    in_table: set[int] = set()
    for table in find_tables(texts):
        rows = table_targets(table, ctx)
        first = lines[table.header_index]
        provision_id = first["provision_id"] if first["part"] == "body" else ""
        if not provision_id and first["part"] == "body":
            provision_id = lines[table.rows[0].line_indices[0]]["provision_id"]
        for rec in rows:
            out.append({"provision_id": provision_id, "line_no": first["line_no"], **rec})
        for row in table.rows:
            in_table.update(row.line_indices)
        in_table.add(table.header_index)
    past = past_section_lines(texts)
    past_ctx = replace(ctx, past=True)
    section_year = heading_years(texts)
    for i, ln in enumerate(lines):
        if i in in_table or ln["part"] in TARGETLESS_PARTS:
            continue
        carried, carried_name, looking_back = section_year.get(i), None, False
        lead_year = None  # "到2025年，…全面提升。" opening a paragraph dates the sentences after it
        for sentence in split_sentences(ln["text"]):
            ahead = looks_ahead(sentence, ctx)
            looking_back = looking_back and not ahead
            line_ctx = replace(past_ctx if i in past or looking_back else ctx, carried_year=carried,
                               carried_name=carried_name)  # fmt: skip
            recs = sentence_targets(sentence, line_ctx)
            for rec in recs:
                out.append({"provision_id": ln["provision_id"], "line_no": ln["line_no"], **rec})
            go_on = sentence.rstrip().endswith("；")
            lead_year = paragraph_lead_year(sentence, ctx) or (None if sentence_year(sentence, ctx) else lead_year)
            carried = sentence_year(sentence, line_ctx) if go_on else (lead_year or section_year.get(i))
            carried_name = (recs[-1]["indicator"] if recs else carried_name) if go_on else None
            looking_back = looking_back or names_past_period(close_spaces(sentence), ctx.issue_year) or dated_before(
                sentence, line_ctx
            )
    return merge_restated(reconcile_measures(out))


# -- comparison helpers (used by notebook 02) ---------------------------------------------------

MEASURE_LABELS = {
    "zh": {"level": "水平值", "cumulative": "累计值", "growth": "增长率", "rate": "比率"},
    "en": {"level": "level", "cumulative": "cumulative", "growth": "growth", "rate": "rate"},
}


def readable(targets, documents, *, lang: str = "zh"):
    """The targets table for reading: region names, one line per target, in manifest order."""
    col = "region" if lang == "zh" else "region_en"
    order = documents.sort_values("manifest_row")["doc_id"].tolist()
    out = targets.merge(documents[["doc_id", col]], on="doc_id")
    out["doc_id"] = out["doc_id"].astype("category").cat.set_categories(order, ordered=True)
    out = out.sort_values(["doc_id", "line_no"], kind="stable")
    cols = [col, "indicator", "year", "comparator", "value", "value_high", "unit", "measure", "status", "source"]
    return out[cols].rename(columns={col: "region"}).reset_index(drop=True)


def coverage(targets, documents):
    """Canonical indicator × doc_id: the latest year for which a region sets a target (0: none)."""
    import pandas as pd

    t = targets[(targets["status"] == "target") & (targets["indicator_id"] != "")]
    order = documents.sort_values("manifest_row")["doc_id"].tolist()
    matrix = t.pivot_table(index="indicator_id", columns="doc_id", values="year", aggfunc="max")
    matrix = matrix.reindex(columns=order).fillna(0).astype(int)
    labels = t.drop_duplicates("indicator_id").set_index("indicator_id")["indicator_zh"]
    matrix.index = pd.Index(matrix.index, name="indicator_id")
    matrix = matrix.loc[sorted(matrix.index, key=lambda i: (-int((matrix.loc[i] > 0).sum()), i))]
    return matrix, labels


def latest(targets):
    """Each region's final target per canonical indicator, measure and unit.

    One row per (doc_id, indicator_id, measure, unit_std): the target with the
    latest year; on a tie a table value wins over a sentence (the table is
    the document's own summary), then the higher value.
    """
    t = targets[(targets["status"] == "target") & (targets["indicator_id"] != "")].copy()
    t["_table"] = (t["source"] == "table").astype(int)
    t = t.sort_values(["doc_id", "indicator_id", "measure", "unit_std", "year", "_table", "value_std"], kind="stable")
    out = t.groupby(["doc_id", "indicator_id", "measure", "unit_std"], sort=True).tail(1).drop(columns="_table")
    return out.reset_index(drop=True)


def comparable(targets, *, min_regions: int = 2):
    """:func:`latest` rows for indicators that at least ``min_regions`` regions set with the same measure and unit."""
    last = latest(targets)
    n = last.groupby(["indicator_id", "measure", "unit_std"])["doc_id"].transform("nunique")
    return last[n >= min_regions].sort_values(["indicator_id", "measure", "unit_std", "doc_id"]).reset_index(drop=True)


def series(targets, *, min_years: int = 3):
    """Year-by-year series (tables, baselines included) with at least ``min_years`` values."""
    t = targets[(targets["source"] == "table") & (targets["indicator_id"] != "")]
    n = t.groupby(["doc_id", "indicator_id"])["year"].transform("nunique")
    return t[n >= min_years].sort_values(["indicator_id", "doc_id", "year"]).reset_index(drop=True)


def implied_growth(series_df):
    """Implied average annual growth of each series: (last / first) ** (1 / years) − 1, in percent.

    ``measure`` says what grows: for a ``cumulative`` series (a running total,
    such as Bayannur's pledge financing 1.38 → 7 亿元) it is the growth of the
    total, not of the yearly amount, and is not comparable with a level's.
    """
    import pandas as pd

    rows = []
    for (doc_id, ind), g in series_df.groupby(["doc_id", "indicator_id"], sort=True):
        g = g.sort_values("year")
        first, last = g.iloc[0], g.iloc[-1]
        span = int(last["year"] - first["year"])
        rate = ((last["value_std"] / first["value_std"]) ** (1 / span) - 1) * 100 if span and first["value_std"] else None
        rows.append(
            {
                "doc_id": doc_id,
                "indicator_id": ind,
                "indicator_zh": first["indicator_zh"],
                "from_year": int(first["year"]),
                "to_year": int(last["year"]),
                "from_value": first["value_std"],
                "to_value": last["value_std"],
                "unit_std": first["unit_std"],
                "measure": first["measure"],
                "annual_growth_pct": round(rate, 1) if rate is not None else None,
            }
        )
    return pd.DataFrame(rows)
