import csv
from pathlib import Path

import pandas as pd
import pytest

from ipanalysis import targets as T

CTX = T.Context(issue_year=2022, plan_end=2025)


def _one(sentence, ctx=CTX):
    (rec,) = T.sentence_targets(sentence, ctx)
    return rec


@pytest.mark.parametrize(
    ("sentence", "indicator", "value", "value_high", "unit", "comparator", "measure", "year", "explicit"),
    [
        ("到2025年，集体商标达到120件。", "集体商标", 120, None, "件", "eq", "level", 2025, True),
        ("力争全市有效发明专利达4000件以上。", "有效发明专利", 4000, None, "件", "ge", "level", 2025, False),
        ("知识产权质押融资金额累计达到7亿元。", "知识产权质押融资金额", 7, None, "亿元", "eq", "cumulative", 2025, False),
        ("力争知识产权质押融资额年均增长达10%。", "知识产权质押融资额", 10, None, "%", "eq", "growth", 2025, False),
        ("质押融资金额年均增长达10%。", "质押融资金额", 10, None, "%", "eq", "growth", 2025, False),
        ("力争知识产权质押融资规模增长20%以上。", "知识产权质押融资规模", 20, None, "%", "ge", "growth", 2025, False),
        ("合计达到78件", None, None, None, None, None, None, None, None),
        ("地理标志产品年度销售额超过100亿元。", "地理标志产品年度销售额", 100, None, "亿元", "gt", "level", 2025, False),
        ("推动地理标志专用标志使用覆盖率达到50%以上。", "地理标志专用标志使用覆盖率", 50, None, "%", "ge", "rate", 2025, False),
        ("各类知识产权案件处理率达100%。", "各类知识产权案件处理率", 100, None, "%", "eq", "rate", 2025, False),
        ("建设2-3家知识产权信息公共服务网点。", "知识产权信息公共服务网点", 2, 3, "家", "range", "level", 2025, False),
        ("新建三家商标品牌指导站。", "商标品牌指导站", 3, None, "家", "eq", "level", 2025, False),
        ("建成1个知识产权保护中心和2个快速维权中心。", "知识产权保护中心", 1, None, "个", "eq", "level", 2025, False),
        ("引进培育知识产权服务机构3—5家。", "知识产权服务机构", 3, 5, "家", "range", "level", 2025, False),
        ("到2024年底，培育五个地方特色鲜明的区域品牌。", "区域品牌", 5, None, "个", "eq", "level", 2024, True),
        ("建设商标品牌指导站7家。", "商标品牌指导站", 7, None, "家", "eq", "level", 2025, False),
        ("新增知识产权质押融资金额5亿元以上。", "知识产权质押融资金额", 5, None, "亿元", "ge", "level", 2025, False),
        ("市财政新增专项资金500万元。", None, None, None, None, None, None, None, None),  # a budget, not a target
        ("知识产权质押融资金额比“十三五”期间增长50%以上。", "知识产权质押融资金额", 50, None, "%", "ge", "growth", 2025, False),
    ],
)
def test_sentence_forms(sentence, indicator, value, value_high, unit, comparator, measure, year, explicit):
    found = T.sentence_targets(sentence, CTX)
    if indicator is None:  # a subject is required
        assert found == []
        return
    (rec,) = found
    assert rec["indicator"] == indicator
    assert (rec["value"], rec["value_high"], rec["unit"]) == (value, value_high, unit)
    assert (rec["comparator"], rec["measure"]) == (comparator, measure)
    assert (rec["year"], rec["year_explicit"]) == (year, explicit)
    assert rec["status"] == "target"
    assert rec["evidence"] == sentence


def test_one_sentence_two_indicators():
    recs = T.sentence_targets("全市有效发明专利拥有量、有效商标注册量三年累计增长30%。", CTX)
    assert [r["indicator"] for r in recs] == ["有效发明专利拥有量", "有效商标注册量"]
    assert all(r["value"] == 30 and r["measure"] == "growth" and r["basis"] == "三年累计" for r in recs)


def test_a_sum_stays_one_indicator():
    (rec,) = T.sentence_targets("力争集体商标、证明商标合计达到78件。", CTX)
    assert rec["indicator"] == "集体商标、证明商标合计"


def test_year_carries_over_the_clauses_of_a_sentence_only():
    recs = T.sentence_targets("到2024年，集体商标达到120件，地理标志数量达到28件。", CTX)
    assert [(r["year"], r["year_explicit"]) for r in recs] == [(2024, True), (2024, True)]
    assert _one("地理标志数量达到28件。")["year_explicit"] is False


def test_a_list_continues_without_its_verb():
    recs = T.sentence_targets("培育“甲”20个品牌，“乙”10个品牌，提高竞争力。", CTX)
    assert [(r["indicator"], r["value"]) for r in recs] == [("“甲”品牌", 20), ("“乙”品牌", 10)]


@pytest.mark.parametrize(
    "sentence",
    [
        "到2020年底，全市有效发明专利已达到3200件。",  # the past, in a plan issued in 2022
        "截至目前，已建成维权援助工作站5家。",
        "全市有效发明专利拥有量是“十二五”末的1.99倍。",
    ],
)
def test_baselines_are_kept_and_marked(sentence):
    rec = _one(sentence)
    assert rec["status"] == "baseline"


@pytest.mark.parametrize(
    "sentence",
    [
        "围绕“奶业、肉羊、肉牛”等12项重点产业链提供精准服务。",
        "广泛开展知识产权“五进”宣传教育。",
        "实施知识产权强企五年计划。",
        "加强12315行政执法体系建设。",
        "高质量开展2020年度专利奖励工作。",
        "到2035年，形成知识产权高质量发展新格局。",
        "动员启动阶段（2022年11月—2023年6月）。",
    ],
)
def test_naming_counts_and_dates_are_not_targets(sentence):
    assert T.sentence_targets(sentence, CTX) == []


@pytest.mark.parametrize(
    ("value", "unit", "indicator", "std"),
    [
        (2.1, "万件", "有效注册商标拥有量", (21000.0, "件")),
        (500, "万元", "质押融资金额", (0.05, "亿元")),
        (3.6, "亿", "知识产权质押融资", (3.6, "亿元")),
        (0.78, "件", "每万人口高价值发明专利拥有量", (0.78, "件/万人")),
        (50, "％", "覆盖率", (50, "%")),
    ],
)
def test_normalise_unit(value, unit, indicator, std):
    assert T.normalise_unit(value, unit, indicator) == std


@pytest.mark.parametrize(
    ("name", "indicator_id"),
    [
        ("知识产权质押融资金额", "ip_pledge_financing"),
        ("每万人口高价值发明专利拥有量", "high_value_patents_per_10k"),
        ("万人有效发明专利拥有量", "invention_patents_per_10k"),
        ("有效发明专利", "valid_invention_patents"),
        ("商标有效注册量", "valid_trademarks"),
        ("贺兰山东麓葡萄酒地理标志使用企业", ""),  # one product's users: not the general indicator
        ("某某新指标", ""),
    ],
)
def test_indicator_mapping_never_guesses(name, indicator_id):
    assert T.map_indicator(name)[0] == indicator_id


def test_find_table_by_shape():
    cells = ["指标", "2023年", "2024年", "2025年", "商标有效注册量（万件）", "5.2", "5.7", "6.3",
             "知识产权服务机构数量（家）", "40", "一", "50", "二、主要任务"]  # fmt: skip
    (table,) = T.find_tables(cells)
    assert table.years == (2023, 2024, 2025)
    assert [r.name for r in table.rows] == ["商标有效注册量（万件）", "知识产权服务机构数量（家）"]
    recs = T.table_targets(table, CTX)
    assert [(r["indicator"], r["year"], r["value"], r["unit"]) for r in recs] == [
        ("商标有效注册量", 2023, 5.2, "万件"),
        ("商标有效注册量", 2024, 5.7, "万件"),
        ("商标有效注册量", 2025, 6.3, "万件"),
        ("知识产权服务机构数量", 2023, 40, "家"),
        ("知识产权服务机构数量", 2025, 50, "家"),
    ]


def test_table_with_row_numbers_and_past_years():
    cells = ["编", "号", "指标名称（单位）", "2021年", "2022年", "2023年", "1", "地理标志数量（件）", "25", "25", "26"]
    (table,) = T.find_tables(cells)
    recs = T.table_targets(table, CTX)
    assert [(r["year"], r["status"]) for r in recs] == [(2021, "baseline"), (2022, "target"), (2023, "target")]


def _expected():
    path = Path(__file__).parent / "data" / "expected_targets.csv"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines))


def _key(rec):
    high = rec["value_high"]
    high = None if high in ("", None) or pd.isna(high) else float(high)
    return (
        rec["doc_id"], rec["source"], rec["indicator"], int(rec["year"]), str(rec["year_explicit"]),
        round(float(rec["value"]), 6), high, rec["unit"], rec["comparator"], rec["measure"], rec["status"],
    )  # fmt: skip


def test_every_target_in_the_five_documents(tables):
    got = sorted(_key(r) for r in tables["targets"].to_dict("records"))
    want = sorted(_key(r) for r in _expected())
    missing = [w for w in want if w not in got]
    extra = [g for g in got if g not in want]
    assert not missing and not extra, {"missing": missing, "extra": extra}


def test_targets_keep_their_evidence_and_place(tables):
    t = tables["targets"]
    assert (t["evidence"] != "").all()
    text = t[t["source"] == "text"]
    for rec in text.itertuples():
        assert str(int(rec.value)) in rec.evidence.replace(".", "") or str(rec.value) in rec.evidence
    # annex tables have no provision; Yinchuan's table sits in provision 一、（三）
    assert (t.loc[(t["doc_id"] == "bayannur-2023") & (t["source"] == "table"), "provision_id"] == "").all()
    assert set(t.loc[(t["doc_id"] == "yinchuan-2022") & (t["source"] == "table"), "provision_id"]) == {"yinchuan-2022:1.3"}


@pytest.mark.parametrize(
    ("sentence", "basis"),
    [("质押融资金额年均增长达10%。", "年均"), ("版权作品登记累计达到1000件。", "累计"), ("集体商标达到120件。", "")],
)
def test_basis_says_over_what_time_a_figure_counts(sentence, basis):
    assert _one(sentence)["basis"] == basis


def test_comparison_helpers(tables):
    t, docs = tables["targets"], tables["documents"]
    last = T.latest(t)
    assert not last.duplicated(["doc_id", "indicator_id", "measure", "unit_std"]).any()
    # Yinchuan states its 2025 pledge-financing level in a table and in a sentence: the table wins
    row = last[(last["doc_id"] == "yinchuan-2022") & (last["indicator_id"] == "ip_pledge_financing") & (last["measure"] == "level")]
    assert row.iloc[0]["source"] == "table" and row.iloc[0]["value_std"] == 3.6
    comp = T.comparable(t)
    assert (comp.groupby(["indicator_id", "measure", "unit_std"])["doc_id"].nunique() >= 2).all()
    growth = T.implied_growth(T.series(t))
    g = growth.set_index(["doc_id", "indicator_id"]).loc[("yinchuan-2022", "valid_trademarks")]
    assert g["annual_growth_pct"] == round(((6.3 / 5.2) ** 0.5 - 1) * 100, 1)
    assert g["measure"] == "level"
    pledge = growth.set_index(["doc_id", "indicator_id"]).loc[("bayannur-2023", "ip_pledge_financing")]
    assert pledge["measure"] == "cumulative"  # a running total: its growth is not a level's
    matrix, _labels = T.coverage(t, docs)
    assert list(matrix.columns) == docs.sort_values("manifest_row")["doc_id"].tolist()
    assert matrix.loc["ip_pledge_financing"].gt(0).sum() == 4


# -- comparators in words (issue 12), past figures and non-quantities (issue 10) -----------------


@pytest.mark.parametrize(
    ("sentence", "comparator"),
    [
        ("到2025年，集体商标达到120件。", "eq"),
        ("有效发明专利达4000件以上。", "ge"),
        ("版权登记数量不低于500件。", "ge"),
        ("专利许可备案次数超过2000件。", "gt"),
        ("知识产权质押融资登记金额超260亿元。", "gt"),
        ("力争专利产品备案企业突破100家。", "gt"),
        ("专利侵权案件平均处理周期控制在30个工作日以内。", "le"),
        ("维权援助工作站数量保持在10个以下。", "le"),
        ("专利密集型产业增加值占比达到13%左右。", "approx"),
        ("建设2-3家知识产权信息公共服务网点。", "range"),
    ],
)
def test_comparators_are_words(sentence, comparator):
    (rec,) = T.sentence_targets(sentence, CTX)
    assert rec["comparator"] == comparator
    assert rec["comparator"] in T.COMPARATORS


def test_numbers_written_with_spaces():
    rec = _one("到2025年，全省有效发明专利拥有量达到 8310 件。")
    assert (rec["indicator"], rec["value"], rec["unit"]) == ("有效发明专利拥有量", 8310, "件")


@pytest.mark.parametrize("sentence", ["到2025年，全市有效发明专利拥有量达到12,000件。", "到2025年，全市有效发明专利拥有量达到12，000件。"])
def test_thousands_separators(sentence):
    assert _one(sentence)["value"] == 12000


def test_an_indicator_joined_by_a_pause_mark_stays_one():
    (rec,) = T.sentence_targets("到2025年，专利许可、转让备案次数超过2000件。", CTX)
    assert rec["indicator"] == "专利许可、转让备案次数"


@pytest.mark.parametrize(
    "sentence",
    [
        "“十三五”时期，全区有效发明专利达到3691件。",  # a past five-year period (plan issued 2022)
        "“十三五”以来，全市商标有效注册量达到2.1万件。",
        "每万人口发明专利拥有量从“十二五”末的2.2件增长到4.4件。",  # a change told from a starting value
        "到2020年底，我省专利密集型产业增加值占比达到6.5%左右。",  # a year before the issue year
        "截至2021年底，全市已建成维权援助工作站5家。",
        "每万人口发明专利拥有量是“十二五”末的 1.99 倍。",
    ],
)
def test_past_figures_are_never_targets(sentence):
    assert all(r["status"] == "baseline" for r in T.sentence_targets(sentence, CTX))


def test_a_change_from_a_value_keeps_the_indicator_and_the_level():
    (rec,) = T.sentence_targets("每万人口发明专利拥有量从“十二五”末的2.2件增长到4.4件。", CTX)
    assert (rec["indicator"], rec["value"], rec["measure"]) == ("每万人口发明专利拥有量", 4.4, "level")


def test_a_later_five_year_period_is_not_the_past():
    assert _one("到“十四五”末，全市有效发明专利达到5000件。")["status"] == "target"


@pytest.mark.parametrize(
    "sentence",
    [
        "已经区人民政府第14次常务会议讨论通过。",  # meeting ordinal
        "按照省委“1310”具体部署和市委“1+6+3”工作安排，推动专利转化。",  # code names
        "联系人：李文昭，联系电话：3168305。",  # phone number
        "索引号：014236233/2023-01114 分类：市场监管。",  # index number
        "发布日期：2022-04-21 浏览次数：1523次。",  # view count
        "详见第12页。",  # page number
        "阅读量：2305次 【字体：大 中 小】",  # a view count by another name
        "浏览量：1.2万次",
        "第3次全会精神达到新高度。",
    ],
)
def test_numbers_that_count_nothing(sentence):
    assert T.sentence_targets(sentence, CTX) == []


def test_sentences_in_a_section_about_the_past_are_baselines():
    texts = [
        "第一章 规划背景",
        "一、发展基础",
        "知识产权创造能力稳步提高。全省有效发明专利拥有量达到8310件。",
        "二、面临形势",
        "第二章 总体要求",
        "一、发展目标",
        "到2025年，全省有效发明专利拥有量达到12000件。",
    ]
    lines = [{"text": t, "line_no": i + 1, "part": "body", "provision_id": ""} for i, t in enumerate(texts)]
    recs = T.document_targets(lines, CTX)
    assert [(r["value"], r["status"]) for r in recs] == [(8310, "baseline"), (12000, "target")]


@pytest.mark.parametrize(
    ("heading", "past"),
    [
        ("发展基础", True),
        ("规划背景", True),
        ("“十三五”知识产权发展取得的成就。“十三五”时期，在自治区党委领导下", True),
        ("发展现状与面临形势", True),
        ("发展成效", True),
        ("“十三五”时期取得的主要成绩", True),
        ("编制背景", True),
        ("“十三五”时期主要成果", True),
        ("工作进展", True),
        ("规划基础", True),
        ("基础与形势", True),
        ("基础设施建设", False),
        ("2022年工作回顾", True),
        ("夯实知识产权事业发展基础", False),  # a task
        ("知识产权成果转化运用", False),
        ("推动重大进展", False),
        ("营造知识产权高质量发展人文环境", False),
        ("主要目标", False),
    ],
)
def test_headings_that_name_the_past(heading, past):
    assert T.names_the_past(heading) is past


def _lines(*texts):
    return [{"text": t, "line_no": i + 1, "part": "body", "provision_id": ""} for i, t in enumerate(texts)]


def test_a_sentence_saying_cumulative_makes_the_table_series_cumulative():
    lines = _lines(
        "指标", "2023年", "2024年", "2025年", "知识产权质押融资金额（亿元）", "4", "5.5", "7",
        "地理标志数量（件）", "26", "27", "28",
        "到2025年，知识产权质押融资金额累计达到7亿元，地理标志数量达到28件。",
    )  # fmt: skip
    recs = T.document_targets(lines, CTX)
    pledge = [r for r in recs if r["indicator_id"] == "ip_pledge_financing"]
    assert [(r["source"], r["measure"]) for r in pledge] == [("table", "cumulative")] * 3
    assert {r["measure"] for r in recs if r["indicator_id"] == "gi_count"} == {"level"}


def test_a_target_stated_in_a_table_and_a_sentence_is_one_row():
    lines = _lines(
        "指标", "2024年", "2025年", "知识产权质押融资金额（亿元）", "3.3", "3.6",
        "知识产权服务机构数量（家）", "45", "50",
        "到2025年，知识产权质押融资达3.6亿，全市知识产权服务机构达到50家以上。",
    )  # fmt: skip
    recs = T.document_targets(lines, CTX)
    assert [(r["source"], r["indicator"], r["year"], r["value"], r["comparator"]) for r in recs] == [
        ("table", "知识产权质押融资金额", 2024, 3.3, "eq"),
        ("table", "知识产权质押融资金额", 2025, 3.6, "eq"),
        ("table", "知识产权服务机构数量", 2024, 45, "eq"),
        ("table", "知识产权服务机构数量", 2025, 50, "ge"),  # the sentence's bound
    ]
    assert recs[1]["also_stated_in"] == lines[-1]["text"] and recs[0]["also_stated_in"] == ""


def test_each_target_once_in_the_five_documents(tables):
    t = tables["targets"]
    t = t[t["status"] == "target"]
    key = ["doc_id", "indicator_id", "year", "value_std", "unit_std", "measure"]
    mapped = t[t["indicator_id"] != ""]
    assert not mapped.duplicated(key).any(), mapped[mapped.duplicated(key, keep=False)]
    assert set(t["comparator"]) <= set(T.COMPARATORS)
    y = t[(t["doc_id"] == "yinchuan-2022") & (t["value_std"] == 3.6)]
    assert y["indicator"].tolist() == ["知识产权质押融资金额"] and "3.6亿" in y.iloc[0]["also_stated_in"]
    b = t[(t["doc_id"] == "bayannur-2023") & (t["indicator_id"] == "ip_pledge_financing")]
    assert set(b["measure"]) == {"cumulative"}


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "std"),
    [
        ("专利密集型产业增加值占比提高3个百分点。", 3, "个百分点", (3, "个百分点")),
        ("知识产权保护社会满意度达到82分。", 82, "分", (82, "分")),
        ("知识产权培训达到2万人次。", 2, "万人次", (20000, "人次")),
        ("知识产权密集型产业增加值达到1.2万亿元。", 1.2, "万亿元", (12000, "亿元")),
    ],
)
def test_more_units(sentence, value, unit, std):
    rec = _one(sentence)
    assert (rec["value"], rec["unit"]) == (value, unit)
    assert (rec["value_std"], rec["unit_std"]) == std


@pytest.mark.parametrize(
    "sentence",
    [
        "全市专利授权量由1200件增加到2600件。",
        "近年来，全市建成知识产权维权援助工作站5家。",
        "五年来，全市有效注册商标达到3.2万件。",
        "党的十八大以来，全省地理标志商标达到120件。",
        "全市专利授权量比“十二五”末增长50%。",  # an older plan's end as the base: the past, unlike 比“十三五”期间
    ],
)
def test_sentences_that_look_back(sentence):
    assert [r["status"] for r in T.sentence_targets(sentence, CTX)] == ["baseline"]


@pytest.mark.parametrize(
    ("texts", "past"),
    [
        # a chapter on the past covers its sections about the past, not its outlook
        (["第一章 规划基础", "第一节 发展成就", "有效发明专利达到9.3件。", "第二节 面临形势", "到2025年达到12件。"], {0, 1, 2}),
        (["一、发展基础与面临形势", "（一）发展基础", "达到9.3件。", "（二）发展目标", "达到12件。"], {0, 1, 2}),
        (["一、发展环境", "（一）主要成就", "达到9.3件。", "（二）机遇与挑战", "力争达到12件。", "二、重点任务"], {0, 1, 2}),
        # a report on the last plan's targets is the past, though it names 目标 or 任务
        (["第一章 发展基础", "一、“十三五”规划主要目标完成情况", "达到3200件。", "二、面临形势", "到2025年达到12件。"], {0, 1, 2}),
        (["一、发展基础", "（一）重点任务进展", "达到8.5件。"], {0, 1, 2}),
        # a neutral sub-heading stays in its chapter's past
        (["第一章 发展基础", "第一节 知识产权创造", "达到9.3件。"], {0, 1, 2}),
    ],
)
def test_a_section_about_what_is_ahead_leaves_the_past(texts, past):
    assert T.past_section_lines(texts) == past


def test_an_unnumbered_past_heading_lasts_until_the_next_numbered_heading():
    texts = ["发展基础", "全省有效发明专利拥有量达到8310件。", "一、发展目标", "全省有效发明专利拥有量达到12000件。"]
    assert T.past_section_lines(texts) == {0, 1}


@pytest.mark.parametrize(
    ("sentence", "measure"),
    [
        ("有效发明专利拥有量增长到5000件。", "level"),
        ("有效发明专利拥有量增加至5000件。", "level"),
        ("有效发明专利拥有量年均增长10%。", "growth"),
        ("专利密集型产业增加值占比提高2个百分点。", "growth"),
    ],
)
def test_growth_to_a_level_is_a_level(sentence, measure):
    assert _one(sentence)["measure"] == measure


PLAN_TABLE = [  # the layouts of a 十四五 plan's 主要指标 table, as web pages give them
    ["指标", "2020年", "2025年", "属性", "每万人口高价值发明专利拥有量（件）", "2.1", "6", "预期性",
     "知识产权质押融资登记金额（亿元）", "20", "50", "预期性", "二、主要任务"],  # one cell per line
    ["指标", "单位", "2020年（基期）", "2025年（目标）", "属性", "每万人口高价值发明专利拥有量", "件", "2.1", "6", "预期性",
     "知识产权质押融资登记金额", "亿元", "20", "50", "预期性"],  # a unit column, years with notes
    ["| 指标 | 2020年 | 2025年 | 属性 |", "|---|---|---|---|", "| 每万人口高价值发明专利拥有量（件） | 2.1 | 6 | 预期性 |",
     "| 知识产权质押融资登记金额（亿元） | 20 | 50 | 预期性 |"],  # a Markdown-like table
    ["指标2020年2025年属性", "1每万人口高价值发明专利拥有量（件）2.1 6预期性", "2知识产权质押融资登记金额（亿元）20 50预期性",
     "二、主要任务"],  # one line per row, spaces next to Chinese closed by cleaning
    ["序号指标单位2020年（基期）2025年属性", "1每万人口高价值发明专利拥有量件2.1 6预期性",
     "2知识产权质押融资登记金额亿元20 50预期性"],  # a 单位 column closed up onto the name by cleaning
]  # fmt: skip


@pytest.mark.parametrize("texts", PLAN_TABLE)
def test_plan_indicator_tables_in_every_layout(texts):
    (table,) = T.find_tables(texts)
    recs = T.table_targets(table, T.Context(issue_year=2021, plan_end=2025))
    assert [(r["indicator"], r["year"], r["value"], r["unit"], r["status"]) for r in recs] == [
        ("每万人口高价值发明专利拥有量", 2020, 2.1, "件", "baseline"),
        ("每万人口高价值发明专利拥有量", 2025, 6, "件", "target"),
        ("知识产权质押融资登记金额", 2020, 20, "亿元", "baseline"),
        ("知识产权质押融资登记金额", 2025, 50, "亿元", "target"),
    ]


def test_prose_with_numbers_is_not_a_table():
    texts = ["2021年 2022年", "到2025年，全市有效发明专利达到5000件。", "动员阶段 2022 2023"]
    assert T.find_tables(texts) == []


@pytest.mark.parametrize(
    ("sentence", "rows"),
    [
        (
            "培育国家知识产权示范企业20家、优势企业50家。",  # a list of counts under one verb
            [("国家知识产权示范企业", 2025, 20, "eq", "level", ""), ("优势企业", 2025, 50, "eq", "level", "")],
        ),
        (
            "到2023年，培育知识产权示范企业30家，到2025年达到50家。",  # the second clause has no subject
            [("知识产权示范企业", 2023, 30, "eq", "level", ""), ("知识产权示范企业", 2025, 50, "eq", "level", "")],
        ),
        ("知识产权质押融资金额累计超过100亿元。", [("知识产权质押融资金额", 2025, 100, "gt", "cumulative", "累计")]),
        ("年均新增注册商标5000件以上。", [("注册商标", 2025, 5000, "ge", "level", "年均")]),
        ("知识产权服务业从业人员超过2000人。", [("知识产权服务业从业人员", 2025, 2000, "gt", "level", "")]),
    ],
)
def test_lists_continuations_and_bases(sentence, rows):
    got = [(r["indicator"], r["year"], r["value"], r["comparator"], r["measure"], r["basis"]) for r in T.sentence_targets(sentence, CTX)]
    assert got == rows


@pytest.mark.parametrize(
    ("texts", "year"),
    [
        (["宁夏回族自治区知识产权保护和运用“十四五”规划", "发布日期：2022-04-21浏览次数："], 2022),
        (["索引号：|GS2089/2022-18402|部门：|市场监管局|", "作者：|日期：| 2022-02-16|"], 2022),
        (["某某市人民政府", "2023年2月17日"], 2023),
        (["关于印发某方案的通知", "各县区人民政府："], None),
    ],
)
def test_issue_year_inferred_from_a_dated_line(texts, year):
    assert T.infer_issue_year(texts) == year


def test_without_an_issue_date_a_published_page_still_dates_the_past():
    lines = _lines("发布日期：2022-04-21", "2021年，全区专利授权量达到9000件。", "到2025年，全区专利授权量达到12000件。")
    recs = T.document_targets(lines, T.Context(issue_year=None, plan_end=None))
    assert [(r["value"], r["status"]) for r in recs] == [(9000, "baseline"), (12000, "target")]


@pytest.mark.parametrize("sentence", ["知识产权保护水平提高到一个新水平。", "知识产权综合实力提升到一个更高台阶。"])
def test_one_new_level_is_not_a_count(sentence):
    assert T.sentence_targets(sentence, CTX) == []


def test_a_target_told_from_a_past_value():
    (rec,) = T.sentence_targets("到2025年，每万人口发明专利拥有量由“十三五”末的4.4件提高到8件。", CTX)
    assert (rec["indicator"], rec["year"], rec["value"], rec["measure"], rec["status"]) == (
        "每万人口发明专利拥有量", 2025, 8, "level", "target",
    )  # fmt: skip


def test_a_table_with_category_cells():
    texts = ["类别", "指标", "2020年", "2025年", "属性", "知识产权创造", "每万人口高价值发明专利拥有量（件）", "2.1", "6", "预期性",
             "海外发明专利授权量（件）", "300", "600", "预期性", "知识产权运用", "知识产权质押融资登记金额（亿元）", "20", "50", "预期性"]  # fmt: skip
    (table,) = T.find_tables(texts)
    assert [r.name for r in table.rows] == [
        "每万人口高价值发明专利拥有量（件）", "海外发明专利授权量（件）", "知识产权质押融资登记金额（亿元）",
    ]  # fmt: skip


def test_an_opening_as_the_build_reads_it():
    """A made-up 十四五 plan opening holding each kind at once: a metadata line, a wrapper with a meeting
    ordinal and a phone number, a 发展基础 chapter, a 主要目标 sentence with a code name, and a table
    on one line per row that restates two of the sentence's targets."""
    from ipanalysis import pipeline, reading

    path = Path(__file__).parent / "data" / "targets_opening.txt"
    parse = pipeline.stage_parse(reading.ManifestRow(1, "opening", path, "某某", "X", "city", "", "", {}))
    got = [
        (r["source"], r["indicator"], r["year"], r["value"], r["unit"], r["comparator"], r["measure"], r["status"])
        for r in pipeline.stage_targets(parse)["targets"]
    ]
    assert got == [
        ("text", "有效发明专利拥有量", None, 12000, "件", "eq", "level", "baseline"),
        ("text", "每万人口发明专利拥有量", None, 18.5, "件", "eq", "level", "baseline"),
        ("text", "知识产权维权援助工作站", 2020, 15, "家", "eq", "cumulative", "baseline"),
        ("text", "专利许可、转让备案次数", 2025, 3000, "件", "gt", "level", "target"),
        ("text", "知识产权保护社会满意度", 2025, 85, "分", "ge", "level", "target"),
        ("text", "国家知识产权示范企业", 2025, 30, "家", "eq", "level", "target"),
        ("text", "优势企业", 2025, 80, "家", "eq", "level", "target"),
        ("table", "每万人口高价值发明专利拥有量", 2020, 5.2, "件", "eq", "level", "baseline"),
        ("table", "每万人口高价值发明专利拥有量", 2025, 12, "件", "eq", "level", "target"),
        ("table", "知识产权质押融资登记金额", 2020, 60, "亿元", "eq", "cumulative", "baseline"),
        ("table", "知识产权质押融资登记金额", 2025, 200, "亿元", "gt", "cumulative", "target"),
    ]


def test_a_baseline_without_a_year_gets_no_year():
    (rec,) = T.sentence_targets("“十三五”时期，全市有效发明专利拥有量达到12000件。", CTX)
    assert (rec["status"], rec["year"], rec["year_explicit"]) == ("baseline", None, False)


# -- attacks from passages written after the rules (tests/test_unseen_targets.py has the whole passages) -----


@pytest.mark.parametrize(
    ("sentence", "indicator", "value", "unit", "comparator", "measure", "year"),
    [
        ("到2025年，每万人口高价值发明专利拥有量达到12件（2020年为6.2件）。", "每万人口高价值发明专利拥有量", 12, "件", "eq", "level", 2025),
        ("在现有基础上，新增国家知识产权优势企业20家。", "国家知识产权优势企业", 20, "家", "eq", "level", 2025),
        ("2022年，力争全市专利授权量同比增长10%。", "专利授权量", 10, "%", "eq", "growth", 2022),
        ("知识产权质押融资金额实现翻一番。", "知识产权质押融资金额", 2, "倍", "eq", "growth", 2025),
        ("到2025年，技术合同成交额较2020年翻两番。", "技术合同成交额", 4, "倍", "eq", "growth", 2025),
        ("到2025年，知识产权质押融资金额比2020年增长50%。", "知识产权质押融资金额", 50, "%", "eq", "growth", 2025),
        ("到2025年，每万人口发明专利拥有量由2020年的5.2件提高到2025年的12件。", "每万人口发明专利拥有量", 12, "件", "eq", "level", 2025),
        ("力争新增商标注册2.5万件。", "商标注册", 2.5, "万件", "eq", "level", 2025),
        ("打造区域公用品牌5个左右。", "区域公用品牌", 5, "个", "approx", "level", 2025),
        ("到2025年，知识产权保护中心受理案件结案率达到90％以上。", "知识产权保护中心受理案件结案率", 90, "%", "ge", "rate", 2025),
    ],
)
def test_attack_forms(sentence, indicator, value, unit, comparator, measure, year):
    (rec,) = [r for r in T.sentence_targets(sentence, CTX) if r["status"] == "target"]
    assert (rec["indicator"], rec["value"], rec["unit"]) == (indicator, value, unit)
    assert (rec["comparator"], rec["measure"], rec["year"]) == (comparator, measure, year)


def test_a_year_carries_across_a_semicolon_within_a_line():
    lines = [{"text": "到2024年，全市专利授权量达到4500件；知识产权质押融资金额比2020年增长50%。", "line_no": 1,
              "part": "body", "provision_id": "x:1"}]  # fmt: skip
    recs = T.document_targets(lines, T.Context(issue_year=2022, plan_end=2025))
    assert [(r["indicator"], r["year"], r["status"]) for r in recs] == [
        ("专利授权量", 2024, "target"),
        ("知识产权质押融资金额", 2024, "target"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "全市专利授权量比2015年增长50%。",  # only a base year, nothing to come: the past
        "2022年1—10月，全市专利授权量达到5000件。",  # a statistic of the months so far
        "专利授权量达到5000件，同比增长15%。",
    ],
)
def test_attack_baselines(sentence):
    assert {r["status"] for r in T.sentence_targets(sentence, CTX)} == {"baseline"}


@pytest.mark.parametrize(
    "sentence",
    [
        "对获得中国专利金奖的企业，给予最高不超过50万元的奖励。",  # an award, not a target
        "单个企业年度贴息补助不超过100万元。",
        "对年销售收入超过1亿元的企业给予重点支持。",  # a threshold qualifying a noun
        "对侵权行为处以罚款不超过50万元。",
        "按贷款利息的50%给予贴息，单个企业每年最高不超过30万元。",  # a cap per beneficiary of a subsidy
        "5.对年营业收入超过1亿元且拥有有效发明专利10件以上的企业，认定为知识产权优势企业。",  # a condition
        "每季度召开1次会议。",
        "开通12330知识产权维权援助热线。",
    ],
)
def test_attack_not_targets(sentence):
    assert [r for r in T.sentence_targets(sentence, CTX) if r["status"] == "target"] == []


def test_table_cells_with_signs_and_cumulative_brackets():
    cells = ["指标", "2020年", "2025年", "属性",
             "专利密集型产业增加值占GDP比重（%）", "10.2", "＞12", "预期性",
             "海外发明专利授权量（件）", "300", "≥500", "预期性",
             "知识产权质押融资登记金额（亿元）", "—", "〔150〕", "预期性"]  # fmt: skip
    (table,) = T.find_tables(cells)
    recs = [r for r in T.table_targets(table, CTX) if r["status"] == "target"]
    assert [(r["indicator"], r["value"], r["comparator"], r["measure"]) for r in recs] == [
        ("专利密集型产业增加值占GDP比重", 12, "gt", "level"),
        ("海外发明专利授权量", 500, "ge", "level"),
        ("知识产权质押融资登记金额", 150, "eq", "cumulative"),
    ]


@pytest.mark.parametrize(
    ("lines", "rows"),
    [
        (  # tab-separated, with a category column
            ["类别\t指标名称\t2020年\t2025年\t属性", "知识产权创造\t每万人口高价值发明专利拥有量（件）\t9.2\t18\t预期性",
             "\t海外发明专利授权量（件）\t1200\t2000\t预期性"],
            [("每万人口高价值发明专利拥有量", 18, "件"), ("海外发明专利授权量", 2000, "件")],
        ),
        (  # cells closed up by the cleaning: a bracket or a sign starts a cell
            ["指标2020年2025年属性", "知识产权质押融资金额（亿元）〔38.5〕〔60〕预期性", "专利密集型产业增加值占GDP比重（%）8.1≥10预期性"],
            [("知识产权质押融资金额", 60, "亿元"), ("专利密集型产业增加值占GDP比重", 10, "%")],
        ),
        (  # a column of rates after the years is read past
            ["| 指标 | 2020年 | 2025年 | 年均增长 | 属性 |", "| --- | --- | --- | --- | --- |",
             "| 专利授权量（件） | 5000 | 8000 | 9.9% | 预期性 |", "| 商标注册量（件） | 6000 | 9000 | 8.4% | 预期性 |"],
            [("专利授权量", 8000, "件"), ("商标注册量", 9000, "件")],
        ),
        (  # a 单位 column, % among the units
            ["指标名称 单位 2020年 2025年 属性", "每万人口发明专利拥有量 件 4.4 8 预期性",
             "专利密集型产业增加值占GDP比重 % 10 12 预期性"],
            [("每万人口发明专利拥有量", 8, "件"), ("专利密集型产业增加值占GDP比重", 12, "%")],
        ),
    ],
)  # fmt: skip
def test_tables_laid_out_on_lines(lines, rows):
    (table,) = T.find_tables(lines)
    recs = [r for r in T.table_targets(table, T.Context(issue_year=2021, plan_end=2025)) if r["status"] == "target"]
    assert [(r["indicator"], r["value"], r["unit"]) for r in recs] == rows


@pytest.mark.parametrize(
    ("text", "statuses"),
    [
        (
            "近年来，我市深入实施知识产权战略，知识产权工作取得显著成效。全市有效发明专利拥有量达到5000件，"
            "每万人口发明专利拥有量达到10件。到2025年，全市有效发明专利拥有量达到8000件。",
            [(5000, "baseline"), (10, "baseline"), (8000, "target")],
        ),
        ("“十三五”期间，全省专利授权量年均增长20%。全省有效注册商标达到50万件。", [(20, "baseline"), (50, "baseline")]),
        ("近年来，我市知识产权工作成效明显。力争全市有效注册商标达到5万件。", [(5, "target")]),
        ("近年来，我市已培育知识产权示范企业20家。下一步，新增知识产权示范企业30家。", [(20, "baseline"), (30, "target")]),
        (  # 到2020年底 in a 2022 plan does not look ahead
            "近年来，我市知识产权工作成效明显。到2020年底，全市专利授权量达到8000件。有效注册商标达到5万件。",
            [(8000, "baseline"), (5, "baseline")],
        ),
        (  # a paragraph opened with a year before the issue (2022)
            "2021年，全市知识产权工作取得新成效。新增注册商标1.5万件，累计有效注册商标达到12.3万件。",
            [(1.5, "baseline"), (12.3, "baseline")],
        ),
        # compared with the plan's base year (2020, for a 十四五 plan issued 2022): the plan's targets
        ("与2020年相比，知识产权质押融资金额翻一番。全市有效注册商标达到5万件。", [(2, "target"), (5, "target")]),
        ("到2025年，全市知识产权示范企业达到100家，比2020年翻一番。", [(100, "target"), (2, "target")]),
        ("全市专利申请覆盖率达到30%，较2020年提高10个百分点。", [(30, "target"), (10, "target")]),
        ("与2015年相比，知识产权质押融资金额翻一番。", [(2, "baseline")]),  # an older base: the past
    ],
)
def test_a_paragraph_that_looks_back_keeps_looking_back(text, statuses):
    lines = [{"text": text, "line_no": 1, "part": "preamble", "provision_id": ""}]
    recs = T.document_targets(lines, CTX)
    assert [(r["value"], r["status"]) for r in recs] == statuses


@pytest.mark.parametrize(
    ("sentence", "indicator", "value", "unit", "comparator"),
    [
        ("到2025年，专利侵权纠纷行政裁决平均办案周期压缩至60天以内。", "专利侵权纠纷行政裁决平均办案周期", 60, "天", "le"),
        ("商标注册平均审查周期缩短至4个月。", "商标注册平均审查周期", 4, "个月", "eq"),
        ("专利侵权案件平均处理周期控制在30个工作日以内。", "专利侵权案件平均处理周期", 30, "个工作日", "le"),
    ],
)
def test_durations_brought_down_to_a_level(sentence, indicator, value, unit, comparator):
    rec = _one(sentence)
    assert (rec["indicator"], rec["value"], rec["unit"], rec["comparator"], rec["measure"]) == (
        indicator, value, unit, comparator, "level")  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "indicator", "value", "unit"),
    [
        ("全年办理知识产权质押登记不少于50笔。", "办理知识产权质押登记", 50, "笔"),
        ("建设知识产权维权援助工作站10处。", "知识产权维权援助工作站", 10, "处"),
        ("到2025年，培育知识产权密集型产业链3条。", "知识产权密集型产业链", 3, "条"),
        ("开展知识产权进企业服务活动不少于100家次。", "开展知识产权进企业服务活动", 100, "家次"),
    ],
)
def test_more_counters(sentence, indicator, value, unit):
    rec = _one(sentence)
    assert (rec["indicator"], rec["value"], rec["unit"]) == (indicator, value, unit)


def test_the_end_of_a_five_year_plan_is_a_year():
    ctx = T.Context(issue_year=2022, plan_end=2024)
    rec = _one("到“十四五”末，全市有效发明专利拥有量达到5000件。", ctx)
    assert (rec["year"], rec["year_explicit"], rec["status"]) == (2025, True, "target")
    rec = _one("“十三五”末，全市有效发明专利拥有量达到3000件。", ctx)  # a past plan's end
    assert (rec["year"], rec["status"]) == (2020, "baseline")
    rec = _one("每万人口发明专利拥有量从“十二五”末的2.2件增长到4.4件。", ctx)  # 4.4 is not the 2015 value
    assert (rec["year"], rec["status"]) == (None, "baseline")
    rec = _one("全市专利授权量比2015年增长50%。", ctx)
    assert (rec["year"], rec["status"]) == (None, "baseline")


@pytest.mark.parametrize(
    "sentence",
    [
        "目前，全市共建成商标品牌指导站15个。",  # a past marker in a lead-in clause
        "去年全市新增注册商标2.3万件。",
        "上年度全市知识产权质押融资金额达到15亿元。",
        "专利质押融资额连续三年超过10亿元。",  # a run of past years
        "全市专利授权量达到8000件，居全省第2位。",  # a rank reports a result
        "2019—2021年，全市累计新增专利授权2.5万件。",  # a period that ended before the issue
    ],
)
def test_reports_of_the_past_are_baselines(sentence):
    assert {r["status"] for r in T.sentence_targets(sentence, CTX)} == {"baseline"}


@pytest.mark.parametrize(
    "sentence",
    [
        "力争专利授权量较去年增长10%。",  # pledged
        "2022—2025年，每年新增发明专利授权不少于500件。",
        "贯彻《知识产权事业发展规划（2016—2020年）》，全市有效注册商标达到5万件。",  # a cited title's period
        "力争知识产权工作连续三年位居全省前列，专利授权量达到1万件。",
        "在2020—2021年试点基础上，到2025年，全市专利授权量达到1万件。",  # looks ahead
    ],
)
def test_pledges_and_periods_to_come_stay_targets(sentence):
    assert {r["status"] for r in T.sentence_targets(sentence, CTX)} == {"target"}


def test_the_year_a_multiple_is_of_does_not_carry():
    lines = [{"text": "2020年，全省专利授权量达到8.6万件，是2015年的2.1倍；有效发明专利拥有量达到4.2万件。",
              "line_no": 1, "part": "body", "provision_id": ""}]  # fmt: skip
    recs = T.document_targets(lines, T.Context(issue_year=2021, plan_end=2025))
    # (the multiple names no indicator of its own: no row)
    assert [(r["value"], r["year"], r["status"]) for r in recs] == [(8.6, 2020, "baseline"), (4.2, 2020, "baseline")]


def test_a_chinese_numeral_after_the_object():
    rec = _one("培育市级知识产权示范企业十家。")
    assert (rec["indicator"], rec["value"], rec["unit"]) == ("市级知识产权示范企业", 10, "家")


@pytest.mark.parametrize(
    ("texts", "statuses"),
    [
        (
            ["发展基础", "“十三五”时期，全市专利授权总量达到2.3万件。", "主要目标", "到2025年，有效注册商标总量突破8万件。"],
            [(2.3, "baseline"), (8, "target")],
        ),
        (
            ["2022年工作回顾", "全市新增商标注册2.1万件。", "2023年工作目标", "力争新增商标注册2.5万件。"],
            [(2.1, "baseline"), (2.5, "target")],
        ),
    ],
)
def test_an_unnumbered_heading_closes_an_unnumbered_past_section(texts, statuses):
    recs = T.document_targets(_lines(*texts), T.Context(issue_year=2023, plan_end=2025))
    assert [(r["value"], r["status"]) for r in recs] == statuses


def test_an_increase_over_the_end_of_the_last_plan_continues_the_indicator():
    recs = T.sentence_targets("到2025年，地理标志商标总数达到50件，比“十三五”末增加20件。", T.Context(2021, 2025))
    assert [(r["indicator"], r["value"], r["measure"], r["status"]) for r in recs] == [
        ("地理标志商标总数", 50, "level", "target"), ("地理标志商标总数", 20, "growth", "target")
    ]


def test_respectively_pairs_each_indicator_with_its_value():
    recs = T.sentence_targets("到2025年，全市每万人口发明专利拥有量、有效注册商标量分别达到10件、5万件。", CTX)
    assert [(r["indicator"], r["value"], r["unit"]) for r in recs] == [
        ("每万人口发明专利拥有量", 10, "件"), ("有效注册商标量", 5, "万件")
    ]
    # indicators and values that do not pair up give nothing rather than a wrong pair
    assert T.respectively("A、B、C分别达到10件、5万件") == "A、B、C分别达到10件、5万件"


def test_an_indicator_carries_across_a_semicolon():
    lines = _lines("2023年底前，全市建成知识产权维权援助工作站10个；2024年底前，新增5个；到2025年底，累计达到20个。")
    recs = T.document_targets(lines, T.Context(issue_year=2023, plan_end=2025))
    assert [(r["indicator"], r["year"], r["value"]) for r in recs] == [
        ("知识产权维权援助工作站", 2023, 10), ("知识产权维权援助工作站", 2024, 5), ("知识产权维权援助工作站", 2025, 20)
    ]


def test_ten_thousand_people():
    rec = _one("知识产权服务业从业人员达到2万人。")
    assert (rec["value"], rec["unit"], rec["value_std"], rec["unit_std"]) == (2, "万人", 20000, "人")


@pytest.mark.parametrize(
    "lines",
    [
        ["指标 2023年度 2024年度 2025年度", "专利授权量（件） 5000 5500 6000"],
        ["| 指标名称 | 单位 | 2023年基数 | 2025年目标值 |", "| --- | --- | --- | --- |", "| 专利授权量 | 件 | 5000 | 6000 |"],
    ],
)
def test_year_headers_with_words(lines):
    (table,) = T.find_tables(lines)
    recs = T.table_targets(table, T.Context(issue_year=2023, plan_end=2025))
    assert [(r["indicator"], r["year"], r["value"], r["unit"]) for r in recs][-1] == ("专利授权量", 2025, 6000, "件")


@pytest.mark.parametrize(
    ("sentence", "indicator", "value", "unit", "comparator"),
    [
        ("2024年6月底前，完成不少于20家企业的知识产权合规指导。", "企业知识产权合规指导", 20, "家", "ge"),
        ("开展知识产权进园区活动15场次以上。", "知识产权进园区活动", 15, "场次", "ge"),
        ("各县区配备不少于1名专职人员。", "专职人员", 1, "名", "ge"),
        ("帮助50家以上规模以上工业企业实现专利“清零”。", "规模以上工业企业实现专利“清零”", 50, "家", "ge"),
        ("举办知识产权培训班4期，培训企业人员500人次以上。", "企业人员", 500, "人次", "ge"),
        ("全省知识产权保护社会满意度达到并保持在85分以上。", "知识产权保护社会满意度", 85, "分", "ge"),
        ("会议指出，要力争到2025年全市知识产权质押融资突破50亿元。", "知识产权质押融资", 50, "亿元", "gt"),
        ("每年组织开展专项执法行动不少于3次，查办侵权案件同比增长10%。", "每年组织开展专项执法行动", 3, "次", "ge"),
    ],
)
def test_what_is_counted_and_what_is_done(sentence, indicator, value, unit, comparator):
    rec = T.sentence_targets(sentence, CTX)[0]
    assert (rec["indicator"], rec["value"], rec["unit"], rec["comparator"], rec["status"]) == (
        indicator, value, unit, comparator, "target")  # fmt: skip


@pytest.mark.parametrize("sentence", ["在主要技术领域创造培育一批高价值知识产权。", "建设知识产权产业园一期工程。"])
def test_a_batch_or_a_phase_is_no_count(sentence):
    assert T.sentence_targets(sentence, CTX) == []


def test_a_growth_rate_continues_the_indicator_before_it():
    recs = T.sentence_targets("知识产权质押融资登记金额超过20亿元,年均增长15%以上。", CTX)
    assert [(r["indicator"], r["value"], r["measure"], r["basis"]) for r in recs] == [
        ("知识产权质押融资登记金额", 20, "level", ""), ("知识产权质押融资登记金额", 15, "growth", "年均")
    ]


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("每万人口高价值发明专利拥有量由2022年的4.1件提高到6件。", "target"),  # the plan's own base year
        ("每万人口发明专利拥有量由2015年的2.2件增长到4.4件。", "baseline"),  # an older one: the past
        ("全市专利授权量从3000件增加到8000件。", "baseline"),  # no year at all: told as the past
    ],
)
def test_a_change_from_a_starting_value(sentence, status):
    recs = T.sentence_targets(sentence, T.Context(issue_year=2023, plan_end=2025))
    assert [r["status"] for r in recs] == [status]


def test_a_section_heading_dates_its_figures():
    lines = _lines("（二）2025年主要目标", "每万人口高价值发明专利拥有量达到15件。", "（三）2035年远景目标",
                   "知识产权强市全面建成，每万人口高价值发明专利拥有量达到30件。")  # fmt: skip
    recs = T.document_targets(lines, T.Context(issue_year=2021, plan_end=2025))
    assert [(r["value"], r["year"], r["year_explicit"]) for r in recs] == [(15, 2025, True), (30, 2035, True)]


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "status"),
    [
        ("到2025年，全市专利授权量增长1倍。", 1, "倍", "target"),
        ("力争技术合同成交额达到2020年的2倍。", 2, "倍", "target"),  # 2020 is what the multiple is of
        ("全市有效发明专利拥有量是2015年的2.4倍。", 2.4, "倍", "baseline"),
        ("发明专利授权量占比不低于百分之三十。", 30, "%", "target"),  # not 100 分
        ("知识产权行政执法按期结案率达到百分之九十五点五。", 95.5, "%", "target"),  # not 95
        ("专利转化率达到百分之12.5。", 12.5, "%", "target"),
    ],
)
def test_multiples_and_percentages_in_words(sentence, value, unit, status):
    (rec,) = T.sentence_targets(sentence, CTX)
    assert (rec["value"], rec["unit"], rec["status"]) == (value, unit, status)


@pytest.mark.parametrize(
    ("texts", "years", "explicit"),
    [
        (["到2023年，知识产权创造质量全面提升。全市专利授权量达到1.2万件，商标有效注册量达到3万件。"], [2023, 2023], [True, True]),
        (["到2025年，知识产权创造质量全面提升。全市专利授权量达到1.2万件。"], [2025], [False]),  # the plan's end
        (["到2023年，质量全面提升。2024年，全市专利授权量达到1.2万件。商标有效注册量达到3万件。"], [2024, 2025], [True, False]),
        (["2020年，全市质量全面提升。全市专利授权量达到1.2万件。"], [None], [False]),  # a past lead dates nothing
    ],
)
def test_a_paragraph_opening_with_a_year_dates_the_sentences_after_it(texts, years, explicit):
    recs = T.document_targets(_lines(*texts), T.Context(issue_year=2022, plan_end=2025))
    assert [r["year"] for r in recs] == years
    assert [r["year_explicit"] for r in recs] == explicit
