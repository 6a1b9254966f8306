import pandas as pd
import pytest

from ipanalysis import agencies as ag
from ipanalysis import cleaning, pipeline, structure


def _roles(clause, **kw):
    return [(r["agency"], r["role"], r["group"]) for r in ag.parse_clause(clause, **kw)]


def test_wuwei_form_with_two_groups():
    clause = "（武威市市场监管局负责，市委宣传部，市法院、市检察院配合；省市场监管局知识产权保护运用处、商标专利监督管理处负责）"
    assert _roles(clause) == [
        ("武威市市场监管局", "lead", 1),
        ("市委宣传部", "cooperating", 1),
        ("市法院", "cooperating", 1),
        ("市检察院", "cooperating", 1),
        ("省市场监管局知识产权保护运用处", "responsible", 2),
        ("省市场监管局商标专利监督管理处", "responsible", 2),
    ]


def test_lead_with_others_responsible_by_division_of_labour():
    assert _roles("（武威市市场监管局牵头，有关县区人民政府，有关园区管委会按职责分工负责）") == [
        ("武威市市场监管局", "lead", 1),
        ("有关县区人民政府", "cooperating", 1),
        ("有关园区管委会", "cooperating", 1),
    ]


def test_bracketed_alias_and_list_without_roles():
    assert _roles("〔市市场监管局（知识产权局）、市版权局、市财政局按职责分工负责〕") == [
        ("市市场监管局（知识产权局）", "responsible", 1),
        ("市版权局", "responsible", 1),
        ("市财政局", "responsible", 1),
    ]


def test_lead_and_responsible_unit_lines():
    clause = "牵头单位：市司法局、市中级人民法院\n责任单位：市委宣传部，市市场监管局（知识产权局）、各县（市）区人民政府"
    assert _roles(clause) == [
        ("市司法局", "lead", 1),
        ("市中级人民法院", "lead", 1),
        ("市委宣传部", "cooperating", 1),
        ("市市场监管局（知识产权局）", "cooperating", 1),
        ("各县（市）区人民政府", "cooperating", 1),
    ]


def test_first_listed_rule_and_etc():
    assert _roles("（省市场监管局、省教育厅负责）", first_listed=True) == [
        ("省市场监管局", "lead", 1),
        ("省教育厅", "cooperating", 1),
    ]
    assert _roles("（省市场监管局、省教育厅负责）") == [("省市场监管局", "responsible", 1), ("省教育厅", "responsible", 1)]
    assert _roles("（市委宣传部、市文旅局等职能部门按职责分工负责）") == [
        ("市委宣传部", "responsible", 1),
        ("市文旅局", "responsible", 1),
    ]
    assert _roles("（各县（市、区）人民政府负责）") == [("各县（市、区）人民政府", "responsible", 1)]


def test_first_listed_rule_is_read_from_the_text():
    assert ag.first_listed_leads(["上述各项任务分工中，由多个部门负责的，列第一位的部门为牵头部门，其他为配合部门。"])
    assert not ag.first_listed_leads(["本文件由市市场监管局负责解读。"])


@pytest.mark.parametrize(
    ("name", "std", "level"),
    [
        ("武威市市场监管局", "市市场监管局", "市"),
        ("市市场监管局（知识产权局）", "市市场监管局", "市"),
        ("市市场监督管理局", "市市场监管局", "市"),
        ("市场监管局（知识产权局）", "市市场监管局", "市"),
        ("省市场监管局知识产权保护运用处", "省市场监管局", "省"),
        ("市中级人民法院", "市法院", "市"),
        ("乌拉特海关", "海关", "中央驻地"),
        ("国家金融监督管理总局武威监管分局", "金融监管分局", "中央驻地"),
        ("各县（市）区人民政府", "各县区人民政府", "县区"),
        ("银川经济技术开发区管委会", "银川经济技术开发区管委会", "园区"),
    ],
)
def test_standardise(name, std, level):
    region = "武威" if name.startswith("武威") else "银川"
    assert ag.standardise(name, region=region, province="甘肃", doc_level="city") == (std, level)


YINCHUAN_LEADS = {
    1: ["市市场监管局（知识产权局）"], 2: ["市市场监管局（知识产权局）"], 3: ["市委宣传部"],
    4: ["市市场监管局（知识产权局）"], 5: ["市金融工作局"], 6: ["市市场监管局（知识产权局）"],
    7: ["银川市葡萄酒产业发展服务中心"], 8: ["市科技局"], 9: ["市市场监管局（知识产权局）"],
    10: ["市市场监管局（知识产权局）"], 11: ["市市场监管局（知识产权局）"], 12: ["市市场监管局（知识产权局）"],
    13: ["市中级人民法院"], 14: ["市市场监管局（知识产权局）"], 15: ["市市场监管局（知识产权局）"],
    16: ["各县（市）区人民政府"], 17: ["市司法局", "市中级人民法院"], 18: ["各县（市）区人民政府"],
}  # fmt: skip

# Gansu: the 牵头 units where the text names them, else the first-listed unit (its closing rule).
GANSU_LEADS = {
    1: "省市场监管局", 2: "省委军民融合办", 3: "省统计局", 4: "省市场监管局", 5: "省市场监管局", 6: "各成员单位",
    7: "省市场监管局、省发展改革委、省政府研究室", 8: "省税务局", 9: "省市场监管局", 10: "省市场监管局",
    11: "省市场监管局", 12: "省委宣传部", 13: "省市场监管局", 14: "省市场监管局", 15: "省市场监管局",
    16: "省市场监管局", 17: "省市场监管局", 18: "省市场监管局", 19: "省市场监管局", 20: "省文旅厅", 21: "省药监局",
    22: "省卫生健康委", 23: "省卫生健康委", 24: "省市场监管局", 25: "省市场监管局", 26: "省林草局", 27: "兰州海关",
    28: "省公安厅", 29: "省委宣传部", 30: "省市场监管局", 31: "省市场监管局", 32: "省市场监管局", 33: "省法院",
    34: "省法院", 35: "省检察院", 36: "省司法厅", 37: "省市场监管局", 38: "省市场监管局", 39: "省市场监管局",
    40: "省市场监管局", 41: "省市场监管局", 42: "省市场监管局", 43: "省市场监管局", 44: "省市场监管局",
    45: "省市场监管局", 46: "省科技厅", 47: "省市场监管局", 48: "省教育厅", 49: "省市场监管局", 50: "省市场监管局",
    51: "省工信厅", 52: "省国资委", 53: "省生态环境厅", 54: "省市场监管局", 55: "省市场监管局", 56: "省商务厅",
    57: "省市场监管局", 58: "省科技厅", 59: "省科技厅", 60: "省科技厅", 61: "省科技厅", 62: "省市场监管局",
    63: "省市场监管局", 64: "省市场监管局", 65: "省市场监管局", 66: "省委宣传部", 67: "省市场监管局",
    68: "省发展改革委、省市场监管局", 69: "省市场监管局、省委宣传部", 70: "省市场监管局、省委宣传部",
    71: "省市场监管局", 72: "省市场监管局", 73: "省市场监管局", 74: "省市场监管局", 75: "省委宣传部", 76: "省文旅厅",
    77: "省市场监管局", 78: "各成员单位", 79: "各成员单位", 80: "省市场监管局",
}  # fmt: skip


def _leads(tables, doc_id):
    a = tables["agencies"]
    prov = tables["provisions"].set_index("provision_id")
    leads = a[(a["doc_id"] == doc_id) & (a["role"] == "lead")]
    return {int(prov.loc[pid, "label"].rstrip(".")): g["agency"].tolist() for pid, g in leads.groupby("provision_id")}


def test_yinchuan_lead_units(tables):
    assert _leads(tables, "yinchuan-2022") == YINCHUAN_LEADS


def test_gansu_first_listed_leads(tables):
    assert _leads(tables, "gansu-2020") == {n: v.split("、") for n, v in GANSU_LEADS.items()}


def test_every_clause_yields_agencies(tables):
    prov = tables["provisions"]
    with_clause = set(prov.loc[prov["responsibility"] != "", "provision_id"])
    assert set(tables["agencies"]["provision_id"]) == with_clause
    a = tables["agencies"]
    assert set(a["role"]) <= set(ag.ROLES)
    assert not a["agency"].str.contains("负责|牵头|配合|按职责").any()
    wuwei = a[a["doc_id"] == "wuwei-2024"]
    # the city bureau and the provincial bureau (through its divisions) are in every Wuwei provision
    assert wuwei.groupby("agency_std")["provision_id"].nunique()[["市市场监管局", "省市场监管局"]].tolist() == [26, 26]


# -- every common written form, from the task's text to the agency rows --------------------------


@pytest.mark.parametrize(
    ("clause", "rows"),
    [
        ("责任单位：市市场监管局、市科技局", [("市市场监管局", "responsible"), ("市科技局", "responsible")]),
        (
            "牵头单位：市市场监管局；配合单位：市科技局、市财政局",
            [("市市场监管局", "lead"), ("市科技局", "cooperating"), ("市财政局", "cooperating")],
        ),
        (
            "（牵头单位：省市场监管局；配合单位：省教育厅）",
            [("省市场监管局", "lead"), ("省教育厅", "cooperating")],
        ),
        ("〔市市场监管局、市公安局负责〕", [("市市场监管局", "responsible"), ("市公安局", "responsible")]),
        (
            "（市市场监管局、各有关部门按职责分工负责）",
            [("市市场监管局", "responsible"), ("各有关部门", "responsible")],
        ),
        (
            "由市市场监管局牵头，市科技局、市财政局配合",
            [("市市场监管局", "lead"), ("市科技局", "cooperating"), ("市财政局", "cooperating")],
        ),
        ("由市市场监管局牵头、市商务局配合", [("市市场监管局", "lead"), ("市商务局", "cooperating")]),
    ],
)
def test_clause_forms(clause, rows):
    assert [(r["agency"], r["role"]) for r in ag.parse_clause(clause)] == rows


TASK_FORMS = [
    # (the provision as written, the clause split_responsibility must find)
    ("1.加强专利保护。\n责任单位：市市场监管局、市公安局", "责任单位：市市场监管局、市公安局"),
    ("1.加强专利保护。牵头单位：市市场监管局；配合单位：市公安局", "牵头单位：市市场监管局；配合单位：市公安局"),
    ("1.加强专利保护。〔市市场监管局、市公安局负责〕", "〔市市场监管局、市公安局负责〕"),
    ("1.加强专利保护。（市市场监管局、各县区人民政府按职责分工负责）", "（市市场监管局、各县区人民政府按职责分工负责）"),
    ("1.加强专利保护。由市市场监管局牵头，市公安局配合。", "由市市场监管局牵头，市公安局配合"),
    ("1.加强专利保护。\n市市场监管局牵头，市公安局、各成员单位配合。", "市市场监管局牵头，市公安局、各成员单位配合"),
]


@pytest.mark.parametrize(("text", "clause"), TASK_FORMS)
def test_split_every_form(text, clause):
    body, found = structure.split_responsibility(text)
    assert found == clause
    assert body.rstrip("。") == "1.加强专利保护"


@pytest.mark.parametrize(
    "text",
    [
        "1.加强宣传，营造氛围，市委宣传部负责组织。",  # a task sentence that names an agency
        "1.由点及面，逐步推开。",
        "1.建设技术与创新支持中心（TISC）。",
    ],
)
def test_task_sentences_are_not_clauses(text):
    assert structure.split_responsibility(text)[1] == ""


def test_a_clause_on_its_own_line_ends_the_task():
    kept, _ = cleaning.clean_lines(
        "一、任务\n\n1.加强专利保护。\n\n市市场监管局牵头，市公安局配合。\n\n2.推进运用。\n\n由市科技局牵头、市财政局配合。\n",
        script="simplified",
    )
    leaves = structure.parse(kept).leaves()
    records = pipeline.provisions_of("x", leaves)
    assert [(p["body"], p["responsibility"]) for p in records] == [
        ("加强专利保护。", "市市场监管局牵头，市公安局配合"),
        ("推进运用。", "由市科技局牵头、市财政局配合"),
    ]
    doc = {"region": "某", "province": "某", "level": "city"}
    rows = ag.document_agencies(doc, records, [])
    assert [(r["agency_std"], r["role"]) for r in rows] == [
        ("市市场监管局", "lead"), ("市公安局", "cooperating"), ("市科技局", "lead"), ("市财政局", "cooperating"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [
        ("各成员单位", True),
        ("各有关部门", True),
        ("各县区人民政府", True),
        ("有关县区人民政府", True),
        ("市直有关部门", True),
        ("市知识产权战略实施工作联席会议各成员单位", True),
        ("市市场监管局", False),
        ("市政府办公室", False),
        ("市委宣传部", False),
    ],
)
def test_placeholders_are_typed(name, placeholder):
    assert (ag.agency_type(name, name) == ag.PLACEHOLDER) is placeholder


def test_rankings_and_networks_leave_placeholders_out(tables):
    a = tables["agencies"]
    assert (a["agency_type"] == ag.PLACEHOLDER).any()  # kept in the table
    assert ag.PLACEHOLDER not in set(ag.involvement(a)["agency_type"])
    assert ag.PLACEHOLDER in set(ag.involvement(a, placeholders=True)["agency_type"])
    placeholders = set(a.loc[a["agency_type"] == ag.PLACEHOLDER, "agency_std"])
    for doc_id in sorted(set(a["doc_id"])):
        edges = ag.co_responsibility(a, doc_id)
        assert not (set(edges["source"]) | set(edges["target"])) & placeholders
    assert len(ag.without_placeholders(a)) == int((a["agency_type"] != ag.PLACEHOLDER).sum())


@pytest.mark.parametrize(
    ("clause", "rows"),
    [
        ("（责任单位：市市场监管局、市科技局）", [("市市场监管局", "responsible"), ("市科技局", "responsible")]),
        ("【责任单位】市市场监管局、市科技局", [("市市场监管局", "responsible"), ("市科技局", "responsible")]),
        (
            "责任单位：市市场监管局（牵头）、市科技局、市财政局",
            [("市市场监管局", "lead"), ("市科技局", "cooperating"), ("市财政局", "cooperating")],
        ),
    ],
)
def test_more_field_forms(clause, rows):
    assert [(r["agency"], r["role"]) for r in ag.parse_clause(clause)] == rows


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("1.加强专利保护。（责任单位：市市场监管局、市公安局）", "（责任单位：市市场监管局、市公安局）"),
        ("1.加强专利保护。\n【责任单位】市市场监管局、市公安局", "【责任单位】市市场监管局、市公安局"),
        ("1.加强专利保护。【牵头单位】市市场监管局", "【牵头单位】市市场监管局"),
    ],
)
def test_split_bracketed_and_marked_fields(text, clause):
    assert structure.split_responsibility(text) == ("1.加强专利保护。", clause)


@pytest.mark.parametrize(
    "sentence",
    ["各县区要结合实际抓好落实", "加强市场监管部门执法能力建设并负责", "市场主体共同参与"],
)
def test_exhortations_are_not_clause_sentences(sentence):
    assert not structure.is_clause_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["由市市场监管局（知识产权局）牵头，市科技局、市财政局配合", "各县区人民政府按职责分工负责", "市委宣传部、市文旅局等部门按职责分工负责"],
)
def test_clause_sentences(sentence):
    assert structure.is_clause_sentence(sentence)


def test_type_theme_counts_leave_placeholders_out_unless_asked():
    agencies_df = pd.DataFrame(
        {"doc_id": ["d", "d"], "provision_id": ["d:1", "d:1"], "agency_type": ["market_regulation", "placeholder"]}
    )
    themes_df = pd.DataFrame({"doc_id": ["d"], "provision_id": ["d:1"], "theme": ["protection"]})
    assert set(ag.type_theme_counts(agencies_df, themes_df)["agency_type"]) == {"market_regulation"}
    both = ag.type_theme_counts(agencies_df, themes_df, placeholders=True)
    assert set(both["agency_type"]) == {"market_regulation", "placeholder"}


# -- attacks: forms written after the rules ---------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "rows"),
    [
        (
            "（牵头单位：市市场监管局，配合单位：市科技局、市财政局）",  # fields split by a comma
            [("市市场监管局", "lead"), ("市科技局", "cooperating"), ("市财政局", "cooperating")],
        ),
        (
            "【牵头单位】市市场监管局【配合单位】市科技局、市财政局",  # marked fields on one line
            [("市市场监管局", "lead"), ("市科技局", "cooperating"), ("市财政局", "cooperating")],
        ),
        (
            "牵头单位：市市场监管局 配合单位：市科技局",  # fields split by a space
            [("市市场监管局", "lead"), ("市科技局", "cooperating")],
        ),
        (
            "责任单位：市市场监管局、市科技局；完成时限：2025年12月底",  # a deadline field is no agency
            [("市市场监管局", "responsible"), ("市科技局", "responsible")],
        ),
        (
            "（市科技局、市财政局配合，市市场监管局牵头）",
            [("市科技局", "cooperating"), ("市财政局", "cooperating"), ("市市场监管局", "lead")],
        ),
        ("由市市场监管局负责", [("市市场监管局", "responsible")]),
        ("（市市场监管局牵头，各县区人民政府落实）", [("市市场监管局", "lead"), ("各县区人民政府", "cooperating")]),
    ],
)
def test_attack_clause_forms(clause, rows):
    assert [(r["agency"], r["role"]) for r in ag.parse_clause(clause)] == rows


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("1.加强专利保护。（牵头单位：市市场监管局，配合单位：市公安局）", "（牵头单位：市市场监管局，配合单位：市公安局）"),
        ("1.加强专利保护。\n【牵头单位】市市场监管局【配合单位】市公安局", "【牵头单位】市市场监管局【配合单位】市公安局"),
        ("1.加强专利保护。责任单位：市市场监管局；完成时限：2025年底", "责任单位：市市场监管局；完成时限：2025年底"),
    ],
)
def test_attack_split_forms(text, clause):
    assert structure.split_responsibility(text) == ("1.加强专利保护。", clause)


@pytest.mark.parametrize(
    ("name", "region", "province", "doc_level", "std", "level"),
    [
        ("区司法局", "通州", "江苏", "county", "区司法局", "县区"),
        ("通州区市场监督管理局", "通州", "江苏", "county", "区市场监管局", "县区"),
        ("长兴县科技局", "长兴", "浙江", "county", "县科技局", "县区"),
        ("县委宣传部", "长兴", "浙江", "county", "县委宣传部", "县区"),
        ("市市场监管局", "太仓", "江苏", "county", "市市场监管局", "县区"),  # a county-level city's own bureau
        ("旗市场监管局", "乌审", "内蒙古", "county", "旗市场监管局", "县区"),
        ("州市场监管局", "延边", "吉林", "city", "市市场监管局", "市"),  # an autonomous prefecture's
        ("区市场监管局", "宁夏", "宁夏", "province", "省市场监管局", "省"),  # 区 = the autonomous region
        ("宁夏回族自治区科技厅", "宁夏", "宁夏", "province", "省科技厅", "省"),
        ("自治区市场监督管理局", "内蒙古", "内蒙古", "province", "省市场监管局", "省"),
    ],
)
def test_standardise_county_and_autonomous_levels(name, region, province, doc_level, std, level):
    assert ag.standardise(name, region=region, province=province, doc_level=doc_level) == (std, level)


@pytest.mark.parametrize(
    ("clause", "rows"),
    [
        ("（市市场监管局牵头，各成员单位按职责分工负责；2025年底前完成）", [("市市场监管局", "lead"), ("各成员单位", "cooperating")]),
        ("（市市场监管局负责，2023年12月底前完成）", [("市市场监管局", "responsible")]),  # a deadline names no body
        ("（市市场监管局牵头，市科技局配合，持续推进）", [("市市场监管局", "lead"), ("市科技局", "cooperating")]),
        ("（主要责任单位：市市场监管局；参与单位：市科技局）", [("市市场监管局", "lead"), ("市科技局", "cooperating")]),
        ("（市委党校、市科协、各乡镇负责）", [("市委党校", "responsible"), ("市科协", "responsible"), ("各乡镇", "responsible")]),
        ("（区市场监管局牵头，各镇街配合）", [("区市场监管局", "lead"), ("各镇街", "cooperating")]),
    ],
)
def test_only_bodies_are_agencies(clause, rows):
    assert [(r["agency"], r["role"]) for r in ag.parse_clause(clause)] == rows


@pytest.mark.parametrize(
    "clause", ["（牵头单位：市市场监管局；配合单位：市科技局）", "（主要责任单位：市市场监管局；参与单位：市科技局）"]
)
def test_a_bracketed_pair_of_fields_is_one_clause(clause):
    assert structure.split_responsibility(f"1.推进专利导航。{clause}") == ("1.推进专利导航。", clause)


@pytest.mark.parametrize(
    ("text", "body", "clause"),
    [
        ("4.推动专利转化。开展专利转化专项行动，由市科技局、市市场监管局负责。",
         "4.推动专利转化。开展专利转化专项行动", "由市科技局、市市场监管局负责"),
        ("5.发展地理标志产业。支持地理标志产品做大做强，各县（市、区）人民政府负责落实。",
         "5.发展地理标志产业。支持地理标志产品做大做强", "各县（市、区）人民政府负责落实"),
        ("1.加强宣传，营造氛围，市委宣传部负责组织。", "1.加强宣传，营造氛围，市委宣传部负责组织。", ""),  # a task, not a clause
    ],
)  # fmt: skip
def test_a_clause_after_a_comma_in_the_last_sentence(text, body, clause):
    assert structure.split_responsibility(text) == (body, clause)
