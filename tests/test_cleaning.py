import pytest

from ipanalysis import cleaning
from ipanalysis.cleaning import Line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("知识产权 强市 2024—2026 年工作要点", "知识产权强市2024—2026年工作要点"),
        ("\u3000\u3000（一）完善知识产权政策体系。", "（一）完善知识产权政策体系。"),
        ("\xa0\xa02020年6月4", "2020年6月4"),
        ("剑网 2020", "剑网2020"),
        ("TISC and WIPO", "TISC and WIPO"),
        ("\t一", "一"),
    ],
)
def test_normalise_whitespace(raw, expected):
    assert cleaning.normalise_whitespace(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("研究制定,加快推进(省市场监管局负责)", "研究制定，加快推进（省市场监管局负责）"),
        ("当前位置:首页", "当前位置：首页"),
        ("1,000件,10:30开会", "1,000件，10:30开会"),
        ("１２３件", "123件"),
        ("2.5亿元", "2.5亿元"),
    ],
)
def test_normalise_punctuation(raw, expected):
    assert cleaning.normalise_punctuation(raw) == expected


def test_to_simplified_converts_the_gansu_wording():
    assert cleaning.to_simplified("甘肅省知識產權戰略實施暨強省建設工作領導小組辦公室") == "甘肃省知识产权战略实施暨强省建设工作领导小组办公室"


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("加快建设知识产权强省推进计划，深入实施知识产权战略。", "simplified"),
        ("加快建設知識產權強省推進計劃，深入實施知識產權戰略。", "traditional"),
        ("知识产权" * 20 + "知識產權", "mixed"),
    ],
)
def test_detect_script(text, script):
    assert cleaning.detect_script(text) == script


def test_simplified_documents_are_not_run_through_opencc():
    # 著 is both a Simplified character and a Traditional form of 着; a Simplified
    # document keeps it as written.
    kept, _ = cleaning.clean_lines("1.加强著作权保护。\n", script="simplified")
    assert kept[0].text == "1.加强著作权保护。"


@pytest.mark.parametrize(
    "line",
    ["无障碍 | 长者版", "当前位置: 首页>政府信息公开", "索 引 号:11640100010085810C/2023-00056", "扫一扫在手机打开当前页",
     "  • 当前位置: 首页 >> 政府信息公开", "• 站内搜索:", "政务公开 > 政策文件 > 规范性文件"],
)  # fmt: skip
def test_chrome_lines_are_recognised(line):
    assert cleaning.is_chrome(cleaning.clean_text(line, simplify=False))


@pytest.mark.parametrize(
    "line",
    ["一、总体要求", "银川市人民政府", "（此件公开发布）", "牵头单位：市科技局",
     "（三）推行“申请→审查→授权”一站式服务", "3.专利导航>产业规划>企业决策"],
)  # fmt: skip
def test_document_lines_are_not_chrome(line):
    assert not cleaning.is_chrome(line)


def test_junk_line_is_found_by_its_properties_not_its_text():
    doc = [
        "一、加强知识产权保护",
        "1.加强知识产权行政执法，严厉打击侵权假冒行为。（省市场监管局负责）",
        "2.推进知识产权保护中心建设。（省市场监管局负责）",
        "上述各项任务分工中，列第一位的部门为牵头部门。",
        "猫狗鱼鸟虫草花木zz",  # word salad, nothing in common with the text
    ]
    assert cleaning.junk_lines(doc) == {4}


def test_lines_inside_the_text_are_never_junk():
    # Headings with words found nowhere else, but followed by sentences.
    doc = ["猫狗鱼鸟虫草花木", "1.加强保护。", "星月云雨风雪霜露", "2.推进运用。", "签发机关领导名单"]
    assert cleaning.junk_lines(doc) == {4}


@pytest.mark.parametrize(
    ("prev", "nxt", "join"),
    [
        # page breaks inside a sentence (from the Wuwei and Gansu files)
        ("3.实施知识产权强企五年计划和中小企业知识产权推进工", "程，支持武威知识产权密集型企业。", True),
        ("39.启动地理标志培育计划，培育县域特色农产品“甘", "”区域品牌，鼓励支持行业协会。", True),
        ("到2026年底，实现全市知识产权创造高质量、运用高效益、", "保护高力度、管理高效率。", True),
        ("45.印发实施《甘肃省知识产权计划项目资金管理办法》", "和《甘肃省知识产权计划项目管理办法》。", True),
        # real paragraph breaks
        ("一、加快推进知识产权强市建设", "1.贯彻实施省、市纲要。", False),
        ("1.增强知识产权创造能力", "进一步优化科技创新生态，对接国内外高水平。", False),
        ("（一）指导思想", "坚持以习近平新时代中国特色社会主义思想为指导。", False),
        ("推进知识产权工作。", "加强宣传。", False),
        ("建立侵权信息公示机制，将案件信息进行公示", "牵头单位：各县（市）区人民政府", False),
        ("1.开展专项行动，严厉打击违法行为，维护合法权益", "2.加强版权保护。", False),
        ("银川市国家知识产权强市建设试点城市", "工作方案（2022—2025年）", False),
        ("银川市人民政府", "2023年1月19日", False),
        ("（此件公开发布）", "为推进工作，制定本方案。", False),
        ("2020年甘肃省深入实施知识产权战略", "为深入实施知识产权战略，特制定本计划。", False),
        ("抄送：市委政法委，", "附件：指标表", False),
        # a metadata block's lines are units of their own (Tongzhou, Ordos, Puyang pages)
        ("成文日期：2023-02-17发布日期：2023-02-17有效性：有效", "分类：市场监管、安全生产监管", False),
        ("发布时间：2022-03-30 00:00:00作者：来源：4323【保存", "鄂府发〔2022〕28号", False),
        ("首页>>政府文件>>2014", "序号：97365索引号：J0001-0201-2015-00073公开形式：主动公开", False),
    ],
)
def test_should_join(prev, nxt, join):
    assert cleaning.should_join(prev, nxt) is join


def test_join_page_breaks_keeps_original_and_line_numbers():
    lines = [
        Line(1, "3.推进工", "3.推进工，建设", joined_from=(1,)),
        Line(2, "", "", joined_from=(2,)),
        Line(3, "程。", "程。", joined_from=(3,)),
    ]
    # "3.推进工，建设" has inner punctuation and no final stop: it continues.
    (joined,) = cleaning.join_page_breaks(lines)
    assert joined.text == "3.推进工，建设程。"
    assert joined.original == "3.推进工程。"
    assert joined.joined_from == (1, 3)


def test_clean_lines_reports_removed_lines_with_reasons():
    raw = "无障碍 | 长者版\n\n一、总则\n\n1.加强知识产权保护工作。\n\n2.推进知识产权运用工作。\n\n扫一扫在手机打开当前页\n猫狗鱼鸟虫草花木zz\n"
    kept, removed = cleaning.clean_lines(raw)
    assert [ln.text for ln in kept] == ["一、总则", "1.加强知识产权保护工作。", "2.推进知识产权运用工作。"]
    assert [(ln.lineno, ln.removed) for ln in removed] == [(1, "chrome"), (9, "chrome"), (10, "junk")]


@pytest.mark.parametrize(
    ("line", "is_metadata"),
    [
        ("索引号：014236233/2023-01114分类：市场监管", True),
        ("文号：通政发〔2023〕4号", True),
        ("索引号：|GS2089/2022-18402|部门：|市场监管局|", True),
        ("序号：97365索引号：J0001-0201-2015-00073", True),
        ("牵头单位：市科技局", False),
        ("各县区人民政府，市政府各部门：", False),
        ("到2025年，专利拥有量达到1万件。", False),
    ],
)
def test_is_metadata_line(line, is_metadata):
    assert cleaning.is_metadata_line(line) is is_metadata


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("发布机构 省政府办公厅 发文日期 2021-08-10", "发布机构：省政府办公厅 发文日期：2021-08-10"),
        ("| 发文机关 | 合肥市人民政府办公室 | 成文日期 | 2023-04-07 |", "发文机关：合肥市人民政府办公室 成文日期：2023-04-07"),
        ("| 标题 | 某市关于印发某方案的通知 |", "标题：某市关于印发某方案的通知"),
        ("标题 某市关于印发某方案的通知", ""),  # one weak label outside a table: not a metadata line
        ("| 序言 | 正文 |", ""),
        ("| 發文機關 | 合肥市人民政府辦公室 | 成文日期 | 2023-04-07 |", "发文机关：合肥市人民政府办公室 成文日期：2023-04-07"),
        ("各县（市）、区人民政府，市政府各部门：", ""),
    ],
)
def test_spaced_fields(original, expected):
    assert cleaning.spaced_fields(original) == expected


_BODY = "为推进知识产权工作，结合实际，制定本方案。" * 12


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "关于印发《某市知识产权工作方案》的通知 某政办发〔2022〕14号各县（市、区）人民政府，市政府各部门："
            "《某市知识产权工作方案》已经市政府同意，现印发给你们，请认真贯彻执行。某市人民政府办公室2022年4月6日"
            "某市知识产权工作方案" + _BODY,
            ["关于印发《某市知识产权工作方案》的通知", "某政办发〔2022〕14号", "各县（市、区）人民政府，市政府各部门：",
             "《某市知识产权工作方案》已经市政府同意，现印发给你们，请认真贯彻执行。", "某市人民政府办公室", "2022年4月6日",
             "某市知识产权工作方案", _BODY],
        ),
        # no 文号 and no signature: split as far as the parts go
        (
            "关于印发某市知识产权工作方案的通知各区人民政府：现将《某市知识产权工作方案》印发给你们，请认真执行。" + _BODY,
            ["关于印发某市知识产权工作方案的通知", "各区人民政府：", "现将《某市知识产权工作方案》印发给你们，请认真执行。", _BODY],
        ),
        # no addressee after the heading: not a run-on notice
        ("关于印发某市知识产权工作方案的通知" + _BODY, ["关于印发某市知识产权工作方案的通知" + _BODY]),
        # short heading line: unchanged
        ("关于印发某市知识产权工作方案的通知", ["关于印发某市知识产权工作方案的通知"]),
        # a long body sentence naming a notice: unchanged
        ("根据《关于印发某方案的通知》要求，" + _BODY, ["根据《关于印发某方案的通知》要求，" + _BODY]),
    ],
)
def test_split_run_on(raw, expected):
    assert cleaning.split_run_on(raw) == expected


def test_split_run_on_reads_a_traditional_line_and_keeps_its_characters():
    raw = ("關於印發《某市知識產權工作方案》的通知 某政辦發〔2022〕14號各縣（市、區）人民政府，市政府各部門："
           "《某市知識產權工作方案》已經市政府同意，現印發給你們，請認真貫徹執行。" + "為推進知識產權工作，制定本方案。" * 15)
    parts = cleaning.split_run_on(raw, simplify=True)
    assert parts[:3] == ["關於印發《某市知識產權工作方案》的通知", "某政辦發〔2022〕14號", "各縣（市、區）人民政府，市政府各部門："]
    assert "".join(parts).replace(" ", "") == raw.replace(" ", "")
    assert cleaning.split_run_on(raw) == [raw]  # read as Simplified, its 關於印發 is no heading
