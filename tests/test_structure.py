from pathlib import Path

import pytest

from ipanalysis import cleaning, patterns, structure


@pytest.mark.parametrize(
    ("line", "style", "number"),
    [
        ("一、加快推进知识产权强市建设", "cn_dun", 1),
        ("十二、组织保障", "cn_dun", 12),
        ("（十一）强化知识产权服务区域发展。", "cn_paren", 11),
        ("(三) 建立知识产权保护新格局", "cn_paren", 3),
        ("1.贯彻实施省、市纲要", "arabic_dot", 1),
        ("26.实施地理标志运用促进工程", "arabic_dot", 26),
        ("1. 增强知识产权创造能力", "arabic_dot", 1),
        ("3．推进版权工作", "arabic_dot", 3),
        ("（2）开展宣传", "arabic_paren", 2),
        ("第三条 本办法所称", "article", 3),
    ],
)
def test_parse_label(line, style, number):
    label = patterns.parse_label(line)
    assert (label.style, label.number) == (style, number)


@pytest.mark.parametrize(
    "line",
    ["2020年甘肃省深入实施知识产权战略", "5.2", "3.0", "10", "2023年", "知识产权质押融资金额（亿元）", "一批高价值专利"],
)
def test_things_that_only_look_numbered(line):
    assert patterns.parse_label(line) is None


@pytest.mark.parametrize(("text", "value"), [("一", 1), ("十", 10), ("十一", 11), ("二十三", 23), ("一百零五", 105)])
def test_cn_to_int(text, value):
    assert patterns.cn_to_int(text) == value


def _parse(text):
    kept, _ = cleaning.clean_lines(text, script="simplified")
    return structure.parse(kept)


def test_parse_nests_levels_and_keeps_reading_order():
    doc = _parse(
        "关于印发某方案的通知\n\n为做好工作，制定本方案。\n\n一、总体要求\n\n（一）指导思想\n\n坚持创新驱动。\n\n"
        "二、主要任务\n\n（一）提升创造质量\n\n1.实施专利质量提升工程。内容。\n\n2.支持企业品牌建设。内容。\n\n"
        "（二）提高运用能力\n\n3.提升专利转化运用水平。内容。\n"
    )
    leaves = doc.leaves()
    assert [tuple(u.label for u in leaf.path()) for leaf in leaves] == [
        ("一、", "（一）"),
        ("二、", "（一）", "1."),
        ("二、", "（一）", "2."),
        ("二、", "（二）", "3."),
    ]
    assert [ln.text for ln in leaves[0].lines] == ["（一）指导思想", "坚持创新驱动。"]
    assert [ln.text for ln in doc.preamble] == ["关于印发某方案的通知", "为做好工作，制定本方案。"]


def test_missing_dot_is_accepted_only_for_the_expected_number():
    doc = _parse(
        "一、任务\n\n10.对代理机构实施监管。（省市场监管局负责）\n\n"
        "11开展专项整治。（省市场监管局负责）\n\n"
        "2020年开展工作。\n\n"
        "12.加强监管。（省委宣传部负责）\n"
    )
    labels = [u.label for u in doc.leaves()]
    assert labels == ["10.", "11", "12."]
    # "2020年…" is not item 2020: it is prose after a closed item, so closing matter.
    assert [ln.text for ln in doc.closing] == ["2020年开展工作。"]


def test_body_ends_at_attachments_and_closing_lines():
    doc = _parse(
        "一、任务\n\n1.加强保护。\n\n2.推进运用。\n\n附件：1.领导小组名单\n\n2.任务分工表\n\n本文件由市市场监管局负责解读。\n"
    )
    assert [u.label for u in doc.leaves()] == ["1.", "2."]
    assert doc.closing[0].text == "附件：1.领导小组名单"


def test_table_cells_are_not_items_or_prose():
    texts = ["具体指标如下：", "指标", "2023年", "2024年", "商标有效注册量（万件）", "5.2", "5.7", "发明专利（件）", "10", "11"]
    assert structure.table_line_indices(texts) == set(range(1, 10))
    assert structure.table_line_indices(["加强保护。", "推进运用。"]) == set()


@pytest.mark.parametrize(
    ("text", "body", "clause"),
    [
        (
            "1.制定年度推进计划。（武威市市场监管局负责，市委宣传部配合；省市场监管局知识产权保护运用处负责）",
            "1.制定年度推进计划。",
            "（武威市市场监管局负责，市委宣传部配合；省市场监管局知识产权保护运用处负责）",
        ),
        (
            "促进知识产权质量提升。〔市市场监管局（知识产权局）、市版权局、市财政局按职责分工负责〕",
            "促进知识产权质量提升。",
            "〔市市场监管局（知识产权局）、市版权局、市财政局按职责分工负责〕",
        ),
        (
            "实施专利质量提升工程。\n牵头单位：市市场监管局（知识产权局）\n责任单位：市科技局、市国资委",
            "实施专利质量提升工程。",
            "牵头单位：市市场监管局（知识产权局）\n责任单位：市科技局、市国资委",
        ),
        ("推进中心建设。（省市场监管局、省教育厅负责）", "推进中心建设。", "（省市场监管局、省教育厅负责）"),
        # a trailing 。 after the clause
        ("开展培训。（市市场监管局、市人社局等职能部门按职责分工负责）。", "开展培训。", "（市市场监管局、市人社局等职能部门按职责分工负责）"),
        # the closing bracket lost
        ("加强监管。（省市场监管局牵头，各成员单位按照职责分工负责", "加强监管。", "（省市场监管局牵头，各成员单位按照职责分工负责"),
        # the opening bracket lost
        ("切实提高创新质量和效益省市场监管局、省教育厅负责）", "切实提高创新质量和效益", "省市场监管局、省教育厅负责）"),
        # a bracket that is not a responsibility clause
        ("建设技术与创新支持中心（TISC）", "建设技术与创新支持中心（TISC）", ""),
        ("推进工作。", "推进工作。", ""),
    ],
)
def test_split_responsibility(text, body, clause):
    assert structure.split_responsibility(text) == (body, clause)


@pytest.mark.parametrize(
    ("heading", "has_more", "title"),
    [
        ("完善知识产权政策体系。加强知识产权全链条保护，研究制定保护措施。〔市市场监管局负责〕", False, "完善知识产权政策体系"),
        ("增强知识产权创造能力", True, "增强知识产权创造能力"),
        ("对专利商标代理机构实施监管。（省市场监管局负责）", False, ""),
        ("贯彻实施省、市纲要和规划确定的重点任务，制定年度推进计划。（市市场监管局负责）", False, ""),
        ("", True, ""),
    ],
)
def test_item_title(heading, has_more, title):
    assert structure.item_title(heading, has_more) == title


def test_chapters_sections_and_numbered_items_nest():
    doc = _parse(
        "某某规划\n\n为做好工作，制定本规划。\n\n第一章 规划背景\n\n第一节 发展成就\n\n“十三五”时期，成效显著。\n\n"
        "第二节 面临形势\n\n机遇与挑战并存。\n\n第二章 主要任务\n\n第一节 强化保护\n\n一、完善制度\n\n健全法规。\n\n"
        "二、加强执法\n\n（一）严厉打击侵权\n\n开展专项行动。\n"
    )
    assert [tuple(u.label for u in leaf.path()) for leaf in doc.leaves()] == [
        ("第一章", "第一节"),
        ("第一章", "第二节"),
        ("第二章", "第一节", "一、"),
        ("第二章", "第一节", "二、", "（一）"),
    ]


def test_articles_number_provisions():
    doc = _parse("某某办法\n\n第一章 总则\n\n第一条 为了加强保护，制定本办法。\n\n第二条 本办法适用于全市。\n\n第二章 保护\n\n第三条 加强执法。\n")
    assert [tuple(u.label for u in leaf.path()) for leaf in doc.leaves()] == [
        ("第一章", "第一条"), ("第一章", "第二条"), ("第二章", "第三条"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "in_contents", "entry"),
    [
        ("第一章 规划背景……………………3", False, True),
        ("一、发展基础.......... 12", False, True),
        ("第二节面临形势5", True, True),
        ("第二节面临形势5", False, False),  # without a 目录, a trailing digit is not a page number
        ("（一）到2025年，有效发明专利达到5000件。", True, False),
        ("一、总体要求", True, False),
    ],
)
def test_contents_entries(line, in_contents, entry):
    assert structure.is_contents_entry(line, in_contents=in_contents) is entry


def test_a_contents_page_is_not_structure():
    doc = _parse(
        "某某规划\n\n目  录\n\n第一章 规划背景 1\n\n第二章 主要任务 5\n\n第一章 规划背景\n\n发展成效显著。\n\n"
        "第二章 主要任务\n\n加强保护。\n"
    )
    assert [u.label for u in doc.units] == ["第一章", "第二章"]
    assert [ln.text for ln in doc.units[0].lines] == ["第一章规划背景", "发展成效显著。"]
    assert [ln.text for ln in doc.preamble] == ["某某规划", "目录", "第一章规划背景1", "第二章主要任务5"]


def test_a_numbered_preface_is_not_a_task_list():
    doc = _parse(
        "江苏省知识产权战略纲要\n\n为贯彻实施纲要，特制定本纲要。\n\n一、序言\n\n1. 知识产权制度是基本制度。\n\n"
        "2. 改革开放以来，事业迅速发展。\n\n二、指导思想和发展目标\n\n（一）指导思想\n\n3. 坚持以科学发展观为指导。\n"
    )
    assert [tuple(u.label for u in leaf.path()) for leaf in doc.leaves()] == [("二、", "（一）", "3.")]
    assert any(ln.text.startswith("1.") for ln in doc.preamble)
    assert structure.is_preface_heading("序言") and not structure.is_preface_heading("指导思想")


REALDOCS = Path(__file__).parent / "data" / "realdocs"


@pytest.mark.parametrize(
    ("name", "paths"),
    [
        ("03_eerduosi.txt", ["第一章 / 第一节"]),  # 第一章 规划背景 / 第一节 发展成就
        ("04_gansu.txt", ["第一章 / 一、"]),
        ("12_jiangsu.txt", ["二、 / （一） / 4."]),  # 一、序言 with its paragraphs 1.–3. is a preface
    ],
)
def test_real_openings_number_their_provisions(name, paths):
    kept, _ = cleaning.clean_lines((REALDOCS / name).read_text(encoding="utf-8"), script="simplified")
    leaves = structure.parse(kept).leaves()
    assert [" / ".join(u.label for u in leaf.path()) for leaf in leaves] == paths


def test_a_contents_page_without_its_title_is_known_by_the_headings_it_repeats():
    doc = _parse(
        "某某规划\n第一章 发展环境 3\n第一节 发展基础 3\n第二章 总体要求 7\n"
        "第一章 发展环境\n第一节 发展基础\n“十三五”时期，全市知识产权事业取得显著成效。\n"
        "第二章 总体要求\n到2025年，全市专利授权量达到1万件。\n"
    )
    assert [(u.label, u.heading) for u in doc.leaves()] == [("第一节", "发展基础"), ("第二章", "总体要求")]
    assert [ln.text for ln in doc.preamble] == ["某某规划", "第一章发展环境3", "第一节发展基础3", "第二章总体要求7"]


def test_a_heading_ending_in_a_number_is_kept_when_it_is_not_repeated():
    doc = _parse("一、目标\n（一）培育示范企业10\n到2025年，培育示范企业10家。\n")
    assert [u.heading for u in doc.leaves()] == ["培育示范企业10"]
