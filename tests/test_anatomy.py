"""Document anatomy: every line's part, on the kinds of pages researchers save."""

import pytest

from ipanalysis import anatomy, cleaning, metadata, structure


def dissect(text: str) -> anatomy.Anatomy:
    kept, removed = cleaning.clean_lines(text, script="simplified")
    return anatomy.dissect(kept, removed, structure.parse(kept))


def parts_by_text(anat: anatomy.Anatomy) -> dict[str, str]:
    """Part of each line, keyed by its cleaned text without spaces."""
    return {ln.text.replace(" ", ""): part for ln, part in zip(anat.lines, anat.parts) if ln.text}


# A government page: metadata block with ASCII colons, a notice heading over two lines, a
# 【】 number, two co-issuers on one signature line, a date in Chinese numerals, a
# title whose second line is "（试行）", an annex.
GOV_PAGE = """首页 > 政务公开 > 政策文件
索 引 号: 11/2023-00012    主题分类: 市场监管
发布机构: 某市人民政府    成文日期: 2023-04-28
发布日期: 2023-05-06
泰州市人民政府 泰州市市场监督管理局
关于印发泰州市专利转化运用办法（试行）的通知
泰政发【2023】 9号
各县（市、区）人民政府，市政府各部门：
根据《某省专利条例》（某政发〔2021〕3号），现将《泰州市专利转化运用办法（试行）》印发给你们，请认真贯彻执行。
泰州市人民政府 泰州市市场监督管理局
二○二三年四月二十八日
（此件公开发布）
泰州市专利转化运用办法
（试行）
为促进专利转化运用，制定本办法。
一、总体要求
（一）到2025年，专利转化率达到30%。
抄送：省市场监管局。
附件
泰州市专利转化运用重点任务
"""

# A bare policy page: the title, then the site's metadata table, then the text (no notice).
TABLE_PAGE = """湖南省知识产权保护和运用“十四五”规划
索引号: | AB12/2022-001 | 部门: | 市场监管局 |
---|---|---|---|
栏目: | 规划计划 | 来源: | |
作者: | 日期: | 2022-02-16 |
为加快知识产权强省建设，制定本规划。
第一章 规划背景
“十三五”时期，全省专利授权量达到1万件。
"""

# A repost page that prints its own date under the notice's heading, before the signature's.
PAGE_DATE_IN_NOTICE = """昆山市人民政府关于印发昆山市知识产权强市建设方案的通知
2023-02-18
昆政发〔2023〕4号
各区镇人民政府，市各委办局：
现将《昆山市知识产权强市建设方案》印发给你们，请认真贯彻执行。
昆山市人民政府
2023年2月17日
昆山市知识产权强市建设方案
为加快建设知识产权强市，制定本方案。
一、总体要求
"""

# A repost page that prints its date on a line of its own under the title: not the issue date.
DATED_REPOST = """昆山市知识产权强县建设示范县工作方案
2023-06-01
来源：昆山市市场监督管理局
为推进强县建设，制定本方案。
一、工作目标
"""

# A repost page: spam before the title, a publication time with a time of day.
REPOST = """xyz123娱乐
新闻动态
德清县知识产权强县建设工作方案（2024-2026年）
来源：德清县人民政府 发布时间：2024-03-02 09:30:00 浏览次数：88
为推进知识产权强县建设，结合我县实际，制定本方案。
一、工作目标
到2026年，有效发明专利达到500件。
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOV_PAGE, {
            "首页>政务公开>政策文件": "chrome",
            "索引号：11/2023-00012主题分类：市场监管": "metadata",
            "发布机构：某市人民政府成文日期：2023-04-28": "metadata",
            "发布日期：2023-05-06": "metadata",
            "泰州市人民政府泰州市市场监督管理局": "wrapper",
            "关于印发泰州市专利转化运用办法（试行）的通知": "wrapper",
            "泰政发【2023】9号": "wrapper",
            "各县（市、区）人民政府，市政府各部门：": "wrapper",
            "二○二三年四月二十八日": "wrapper",
            "（此件公开发布）": "wrapper",
            "泰州市专利转化运用办法": "title",
            "（试行）": "title",
            "为促进专利转化运用，制定本办法。": "preamble",
            "一、总体要求": "body",
            "抄送：省市场监管局。": "closing",
            "附件": "annex",
            "泰州市专利转化运用重点任务": "annex",
        }),
        (TABLE_PAGE, {
            "湖南省知识产权保护和运用“十四五”规划": "title",
            "索引号：|AB12/2022-001|部门：|市场监管局|": "metadata",
            "---|---|---|---|": "metadata",
            "作者：|日期：|2022-02-16|": "metadata",
            "为加快知识产权强省建设，制定本规划。": "preamble",
            "第一章规划背景": "body",
        }),
        (REPOST, {
            "xyz123娱乐": "chrome",
            "新闻动态": "chrome",
            "德清县知识产权强县建设工作方案（2024-2026年）": "title",
            "为推进知识产权强县建设，结合我县实际，制定本方案。": "preamble",
        }),
    ],
    ids=["government page", "bare page with a metadata table", "repost page"],
)  # fmt: skip
def test_parts(text, expected):
    got = parts_by_text(dissect(text))
    assert {t: got.get(t) for t in expected} == expected


def test_every_line_has_a_known_part():
    for text in (GOV_PAGE, TABLE_PAGE, REPOST):
        anat = dissect(text)
        assert set(anat.parts) <= set(anatomy.PARTS)
        assert len(anat.lines) == len(anat.parts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOV_PAGE, {"title": "泰州市专利转化运用办法（试行）", "issuer": "泰州市人民政府；泰州市市场监督管理局",
                    "doc_number": "泰政发〔2023〕9号", "issued": "2023-04-28", "published": "2023-05-06",
                    "period_start": "", "period_end": ""}),
        (TABLE_PAGE, {"title": "湖南省知识产权保护和运用“十四五”规划", "issuer": "", "doc_number": "", "issued": "",
                      "published": "", "period_start": "2021", "period_end": "2025"}),
        (REPOST, {"title": "德清县知识产权强县建设工作方案（2024-2026年）", "issuer": "", "doc_number": "", "issued": "",
                  "published": "2024-03-02", "period_start": "2024", "period_end": "2026"}),
    ],
    ids=["government page", "bare page with a metadata table", "repost page"],
)  # fmt: skip
def test_metadata_comes_from_its_part(text, expected):
    values, _source = metadata.read(dissect(text))
    assert values == expected


def test_a_notice_that_is_itself_the_policy_has_its_heading_as_title():
    anat = dissect("某市人民政府关于加强知识产权保护的通知\n为加强知识产权保护，现通知如下。\n各地要加强执法。\n")
    assert anat.parts == ("title", "preamble", "preamble")


def test_the_numbered_body_and_closing_keep_their_parts():
    parts = parts_by_text(dissect(GOV_PAGE))
    assert parts["（一）到2025年，专利转化率达到30%。"] == "body"


# A page table copied without colons: the cells are separated by spaces only.
SPACED_TABLE = """索引号 014000319/2021-00123 分类 科技、教育\\知识产权;通知
发布机构 省政府办公厅 发文日期 2021-08-10
文号 苏政办发〔2021〕62号 时效
发布日期 2021-08-12
省政府办公厅关于印发江苏省“十四五”知识产权发展规划的通知
各市、县（市、区）人民政府，省各委办厅局，省各直属单位：
《江苏省“十四五”知识产权发展规划》已经省人民政府同意，现印发给你们，请认真组织实施。
江苏省人民政府办公厅
2021年8月10日
江苏省“十四五”知识产权发展规划
为深入实施知识产权强省战略，编制本规划。
一、发展基础
"""

# A policy issued without a notice: the issuers head its title, the date is printed under it.
OPINION = """中共德清县委 德清县人民政府
关于全面加强知识产权保护工作的实施意见
（2021年5月8日）
为全面加强知识产权保护，提出如下实施意见。
一、总体要求
"""

# A gov.cn-style block: labels padded with full-width spaces, label and value on one line each.
STATE_COUNCIL = """标　　题： 国务院关于印发“十四五”国家知识产权保护和运用规划的通知
发文机关： 国务院
发文字号： 国发〔2021〕20号
成文日期： 2021年10月09日
发布日期： 2021年10月28日
国务院关于印发“十四五”国家知识产权保护和运用规划的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
现将《“十四五”国家知识产权保护和运用规划》印发给你们，请认真贯彻执行。
国务院
2021年10月9日
“十四五”国家知识产权保护和运用规划
为全面贯彻党的十九大精神，编制本规划。
一、规划背景
"""


# A notice that is itself the document, signed at its end; no numbered structure.
SELF_NOTICE = """湖州市知识产权局关于开展2023年知识产权宣传周活动的通知
各区县市场监管局，各有关单位：
为营造尊重知识产权的社会氛围，现就开展宣传周活动通知如下。
请各单位结合实际，认真组织实施。
特此通知。
湖州市知识产权局
2023年4月10日
"""

# A long addressee list of ministries, starting the opening; the issuer's seal is noted under it.
LONG_ADDRESSEE = """中央宣传部、最高人民法院、最高人民检察院、外交部、发展改革委、教育部、科技部、工业和信息化部、公安部、司法部、财政部、人力资源社会保障部、生态环境部、农业农村部、商务部、文化和旅游部、卫生健康委、人民银行、国资委、海关总署、市场监管总局、广电总局、统计局、中科院、证监会、林草局、邮政局、中医药局、知识产权局、贸促会、中国科协：
经联席会议同意，现将《知识产权强国建设年度推进计划》印发给你们，请认真贯彻执行。
国务院知识产权战略实施工作部际联席会议办公室
（国家知识产权局代章）
2022年12月30日
知识产权强国建设年度推进计划
为深入实施知识产权强国战略，制定本计划。
一、完善知识产权制度
"""


# A guidance document issued without a notice: issuer and title over two lines, its number under them.
GUIDANCE = """浙江省知识产权局
关于加快建设知识产权强县的指导意见
浙知发〔2022〕15号
各市、县（市、区）市场监管局：
为加快建设知识产权强县，根据《浙江省知识产权发展规划》（浙政发〔2021〕3号），现提出如下意见。
一、总体要求
"""

# A notice whose only 印发 is in a citation: it passes nothing on, so it is the document itself.
CITING_NOTICE = """各设区市人民政府：
按照经省政府同意印发的《知识产权保护示范区建设方案》（浙知发〔2022〕27号）部署，现就有关事项通知如下。
特此通知。
浙江省知识产权局
2023年4月24日
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GUIDANCE, {"title": "浙江省知识产权局关于加快建设知识产权强县的指导意见", "issuer": "浙江省知识产权局",
                    "doc_number": "浙知发〔2022〕15号", "issued": "", "published": "", "period_start": "",
                    "period_end": ""}),
        (CITING_NOTICE, {"title": "", "issuer": "浙江省知识产权局", "doc_number": "", "issued": "2023-04-24",
                         "published": "", "period_start": "", "period_end": ""}),
        (PAGE_DATE_IN_NOTICE, {"title": "昆山市知识产权强市建设方案", "issuer": "昆山市人民政府",
                               "doc_number": "昆政发〔2023〕4号", "issued": "2023-02-17", "published": "",
                               "period_start": "", "period_end": ""}),
        (DATED_REPOST, {"title": "昆山市知识产权强县建设示范县工作方案", "issuer": "", "doc_number": "", "issued": "",
                        "published": "", "period_start": "", "period_end": ""}),
        (SELF_NOTICE, {"title": "湖州市知识产权局关于开展2023年知识产权宣传周活动的通知", "issuer": "湖州市知识产权局",
                       "doc_number": "", "issued": "2023-04-10", "published": "", "period_start": "",
                       "period_end": ""}),
        (LONG_ADDRESSEE, {"title": "知识产权强国建设年度推进计划", "issuer": "国务院知识产权战略实施工作部际联席会议办公室",
                          "doc_number": "", "issued": "2022-12-30", "published": "", "period_start": "",
                          "period_end": ""}),
        (SPACED_TABLE, {"title": "江苏省“十四五”知识产权发展规划", "issuer": "江苏省人民政府办公厅",
                        "doc_number": "苏政办发〔2021〕62号", "issued": "2021-08-10", "published": "2021-08-12",
                        "period_start": "2021", "period_end": "2025"}),
        (OPINION, {"title": "中共德清县委德清县人民政府关于全面加强知识产权保护工作的实施意见",
                   "issuer": "中共德清县委；德清县人民政府", "doc_number": "", "issued": "2021-05-08", "published": "",
                   "period_start": "", "period_end": ""}),
        (STATE_COUNCIL, {"title": "“十四五”国家知识产权保护和运用规划", "issuer": "国务院", "doc_number": "国发〔2021〕20号",
                         "issued": "2021-10-09", "published": "2021-10-28", "period_start": "2021",
                         "period_end": "2025"}),
    ],
    ids=["page date inside a notice", "repost with a page date", "guidance without a notice", "notice citing a 印发", "notice signed at its end", "long addressee list", "metadata table without colons", "opinion without a notice",
         "gov.cn block"],
)  # fmt: skip
def test_metadata_of_more_page_kinds(text, expected):
    values, _source = metadata.read(dissect(text))
    assert values == expected


def test_metadata_lines_without_colons_are_metadata():
    parts = parts_by_text(dissect(SPACED_TABLE))
    assert parts["发布机构省政府办公厅发文日期2021-08-10"] == "metadata"
    assert parts["文号苏政办发〔2021〕62号时效"] == "metadata"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("湖州市知识产权保护和运用规划\n2021—2025年\n为加快知识产权强市建设，制定本规划。\n一、规划背景\n",
         "湖州市知识产权保护和运用规划2021—2025年"),
        ("湖州市专利转化运用办法\n（试行）\n为促进专利转化，制定本办法。\n一、总则\n", "湖州市专利转化运用办法（试行）"),
        ("新闻动态\n湖州市专利转化运用办法\n为促进专利转化，制定本办法。\n一、总则\n", "湖州市专利转化运用办法"),
        ("湖州市知识产权局\n关于加强专利转化运用的意见\n为促进专利转化，提出如下意见。\n一、总则\n",
         "湖州市知识产权局关于加强专利转化运用的意见"),
    ],
)  # fmt: skip
def test_title_lines(text, title):
    values, _source = metadata.read(dissect(text))
    assert values["title"] == title


# -- kinds of pages found by the unseen set (tests/data/unseen) --------------------------------

# A provincial plan whose contents page (目录, entries ending in page numbers) stands between title and preamble.
CONTENTS_PAGE = """某省人民政府办公厅关于印发江西省“十四五”知识产权保护和运用规划的通知
赣府厅发〔2021〕41号
各市、县（区）人民政府，省政府各部门：
《江西省“十四五”知识产权保护和运用规划》已经省政府同意，现印发给你们，请认真贯彻执行。
江西省人民政府办公厅
2021年12月6日
江西省“十四五”知识产权保护和运用规划
目　　录
第一章　发展基础………………………………1
　第一节　主要成就……………………………1
第二章　总体要求……………………………6
前言
为深入贯彻落实党中央决策部署，编制本规划。
第一章　发展基础
“十三五”时期，全省有效发明专利达到1.52万件。
"""

# A breadcrumb and a site name above a bare policy; a number under a heading that ends in no punctuation.
BREADCRUMB = """株洲市人民政府门户网站
您当前的位置：首页 > 政务公开 > 政策文件
株洲市加快建设知识产权强市的若干措施
为加快建设知识产权强市，制定如下措施。
一、提升知识产权创造质量
"""
NUMBER_UNDER_HEADING = """首页 > 政务公开 > 区政府办公室文件
重庆市渝北区人民政府办公室关于印发渝北区知识产权创造、保护和运用“十四五”规划的通知
渝北府办发〔2022〕56号
各镇人民政府、街道办事处，区政府各部门：
现将《渝北区知识产权创造、保护和运用“十四五”规划》印发给你们，请认真贯彻执行。
重庆市渝北区人民政府办公室
2022年5月30日
渝北区知识产权创造保护和运用“十四五”规划
为推动知识产权事业高质量发展，编制本规划。
一、发展基础
"""

# A forwarding notice: its 转发 passes a document on; it is no citation.
FORWARDING = """宿迁市人民政府办公室关于转发省政府办公厅《江苏省知识产权强省建设实施方案》的通知
宿政办发〔2021〕31号
各县、区人民政府：
现将《江苏省人民政府办公厅关于印发江苏省知识产权强省建设实施方案的通知》（苏政办发〔2021〕20号）转发给你们，请认真贯彻执行。
宿迁市人民政府办公室
2021年6月9日
"""

# A regulation with its adoption note under the title; the note is neither title nor date.
ADOPTION_NOTE = """株洲市知识产权质押融资管理办法
（2021年5月8日株洲市人民政府第十次常务会议审议通过）
第一条　为规范知识产权质押融资工作，制定本办法。
第二条　本办法适用于本市行政区域内的知识产权质押融资活动。
"""

# A 人大常委会 决定, dated by the meeting that adopted it; a page date between title and note.
PEOPLES_CONGRESS_DECISION = """某市人民代表大会常务委员会关于加强知识产权保护的决定
2024-01-01
（2021年10月28日某市第九届人民代表大会常务委员会第三十七次会议通过）
　　为了加强知识产权保护，结合本市实际，作出如下决定：
　　一、市人民政府应当加强对知识产权保护工作的领导。
"""

# A signature flattened onto one line; a heading that abbreviates its issuer as 县政府办.
FLAT_SIGNATURE = """县政府办关于印发安吉县知识产权强县建设工作方案的通知
安政办发〔2021〕35号
各乡镇人民政府、街道办事处，县直各单位：
《安吉县知识产权强县建设工作方案》已经县政府同意，现印发给你们，请认真贯彻执行。
安吉县人民政府办公室　2021年6月8日
安吉县知识产权强县建设工作方案
为加快推进知识产权强县建设，制定本方案。
一、总体要求
"""
ABBREVIATED_NO_SIGNATURE = """县政府办关于印发安吉县知识产权强县建设工作方案的通知
安政办发〔2021〕35号
各乡镇人民政府、街道办事处，县直各单位：
《安吉县知识产权强县建设工作方案》已经县政府同意，现印发给你们，请认真贯彻执行。
安吉县知识产权强县建设工作方案
为加快推进知识产权强县建设，制定本方案。
一、总体要求
"""

# Only a metadata block names the issuer (发文机关); its 发布机构 (the office that put the page online) is not.
FIELD_ISSUER = """发布机构：江苏省人民政府办公厅
发文机关：江苏省人民政府
文号：苏政发〔2021〕50号
成文日期：2021年08月10日
发布日期：2021年08月13日
江苏省“十四五”知识产权发展规划
为深入实施知识产权强国战略，编制本规划。
第一章　发展基础
"""
PUBLISHER_ONLY = FIELD_ISSUER.replace("发文机关：江苏省人民政府\n", "")

# A spam line above a title that names no place: it is not the title's first half.
SPAM_ABOVE_TITLE = """手机看正版高清电影免费下载欧美日韩无码在线观看
关于加快建设知识产权强市的若干措施
为加快建设知识产权强市，结合我市实际，制定如下措施。
一、提升知识产权创造质量
"""

# A joint heading without 关于: "…办公室印发《…》的通知", the opening cut before the signature.
NO_GUANYU = """中共泉州市委办公室　泉州市人民政府办公室印发《关于强化知识产权保护的实施意见》的通知
泉委办发〔2020〕12号
各县（市、区）党委和人民政府，市直各单位：
《关于强化知识产权保护的实施意见》已经市委、市政府同意，现印发给你们，请结合实际认真贯彻落实。
关于强化知识产权保护的实施意见
为深入贯彻落实中央精神，提出如下实施意见。
一、总体要求
"""

_BLANK = dict.fromkeys(("title", "issuer", "doc_number", "issued", "published", "period_start", "period_end"), "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CONTENTS_PAGE, {"title": "江西省“十四五”知识产权保护和运用规划", "issuer": "江西省人民政府办公厅",
                         "doc_number": "赣府厅发〔2021〕41号", "issued": "2021-12-06", "period_start": "2021",
                         "period_end": "2025"}),
        (BREADCRUMB, {"title": "株洲市加快建设知识产权强市的若干措施"}),
        (NUMBER_UNDER_HEADING, {"title": "渝北区知识产权创造保护和运用“十四五”规划", "issuer": "重庆市渝北区人民政府办公室",
                                "doc_number": "渝北府办发〔2022〕56号", "issued": "2022-05-30", "period_start": "2021",
                                "period_end": "2025"}),
        (FORWARDING, {"title": "江苏省知识产权强省建设实施方案", "issuer": "宿迁市人民政府办公室",
                      "doc_number": "宿政办发〔2021〕31号", "issued": "2021-06-09"}),
        (ADOPTION_NOTE, {"title": "株洲市知识产权质押融资管理办法"}),
        (FLAT_SIGNATURE, {"title": "安吉县知识产权强县建设工作方案", "issuer": "安吉县人民政府办公室",
                          "doc_number": "安政办发〔2021〕35号", "issued": "2021-06-08"}),
        (ABBREVIATED_NO_SIGNATURE, {"title": "安吉县知识产权强县建设工作方案", "issuer": "安吉县人民政府办公室",
                                    "doc_number": "安政办发〔2021〕35号"}),
        (FIELD_ISSUER, {"title": "江苏省“十四五”知识产权发展规划", "issuer": "江苏省人民政府", "doc_number": "苏政发〔2021〕50号",
                        "issued": "2021-08-10", "published": "2021-08-13", "period_start": "2021", "period_end": "2025"}),
        (PUBLISHER_ONLY, {"title": "江苏省“十四五”知识产权发展规划", "doc_number": "苏政发〔2021〕50号",
                          "issued": "2021-08-10", "published": "2021-08-13", "period_start": "2021", "period_end": "2025"}),
        (SPAM_ABOVE_TITLE, {"title": "关于加快建设知识产权强市的若干措施"}),
        (NO_GUANYU, {"title": "关于强化知识产权保护的实施意见", "issuer": "中共泉州市委办公室；泉州市人民政府办公室",
                     "doc_number": "泉委办发〔2020〕12号"}),
        (PEOPLES_CONGRESS_DECISION, {"title": "某市人民代表大会常务委员会关于加强知识产权保护的决定",
                                     "issuer": "某市人民代表大会常务委员会", "issued": "2021-10-28"}),
    ],
    ids=["contents page", "breadcrumb and site name", "number under a heading", "forwarding notice", "adoption note",
         "flat signature", "abbreviated issuer, no signature", "发文机关 field", "only 发布机构", "spam above a title",
         "heading without 关于", "人大 decision under a page date"],
)  # fmt: skip
def test_metadata_of_unseen_page_kinds(text, expected):
    values, _source = metadata.read(dissect(text))
    assert values == {**_BLANK, **expected}


def test_a_contents_page_is_its_own_part():
    parts = parts_by_text(dissect(CONTENTS_PAGE))
    assert parts["目录"] == "contents"
    assert parts["第一章发展基础………………………………1"] == "contents"
    assert parts["江西省“十四五”知识产权保护和运用规划"] == "title"
    assert parts["为深入贯彻落实党中央决策部署，编制本规划。"] == "preamble"


@pytest.mark.parametrize(
    "line", ["您当前的位置：首页 > 政务公开", "您现在的位置: 首页", "首页 > 政务公开 > 政策文件", "网站首页 » 政策法规",
             "株洲市人民政府门户网站", "重庆市渝北区人民政府网", "鄂尔多斯市人民政府官方微信", "上一篇：某市关于开展宣传周活动的通知",
             "主办：某市市场监督管理局 承办：某市信息中心", "青ICP备12001234号-1", "版权所有：某市人民政府", "【打印本页】【关闭窗口】"],
)  # fmt: skip
def test_breadcrumbs_and_site_names_are_chrome(line):
    assert cleaning.is_chrome(cleaning.clean_text(line, simplify=False))


@pytest.mark.parametrize("line", ["株洲市人民政府", "首页工作要点", "株洲市知识产权强市建设工作方案", "关于推进“互联网+政务服务”的通知"])
def test_titles_and_bodies_are_not_site_names(line):
    assert not cleaning.is_chrome(line)


@pytest.mark.parametrize(
    ("prev", "nxt"),
    [
        # a heading with inner punctuation above its number, a number above the addressee
        ("某区人民政府办公室关于印发知识产权创造、保护和运用规划的通知", "渝北府办发〔2022〕56号"),
        ("第五章　保障措施…………………………22", "为深入贯彻落实党中央决策部署，编制本规划。"),
        ("第一章　发展基础………………1", "第一节　主要成就………………1"),
    ],
)
def test_numbers_and_contents_entries_never_join(prev, nxt):
    assert not cleaning.should_join(prev, nxt)
    assert cleaning.is_unit_line(prev) or cleaning.is_unit_line(nxt)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("某市人民政府关于印发某方案的通知", True),
        ("中共某市委办公室 某市人民政府办公室印发《关于强化知识产权保护的实施意见》的通知", True),
        ("印发《关于强化知识产权保护的实施意见》的通知", True),  # second line of a two-line heading
        ("省政府办公厅印发《某方案》以来，各地认真落实。", False),  # prose
        ("现将《某方案》印发给你们", False),
    ],
)
def test_notice_headings(text, heading):
    assert anatomy.is_notice_heading(text) is heading


_HEADER_PAGE = "宿迁市知识产权强市建设实施方案\n{}\n为加快建设知识产权强市，制定本方案。\n一、总体要求\n"


@pytest.mark.parametrize(
    ("header", "published"),
    [
        ("【发布时间：2021-03-08】", "2021-03-08"),  # a field in brackets
        ("（发布日期：2021-03-08）", "2021-03-08"),
        ("发布时间 2021-03-08", "2021-03-08"),  # copied without its colon
        ("发布时间：2021-03-08　点击：123", "2021-03-08"),
        ("时间：2021-03-08　来源：宿迁市政府", ""),  # a bare 时间 is the page's
        ("作者：admin　发布于：2021-03-08", ""),  # not labelled 发布日期 / 发布时间
    ],
)
def test_repost_headers_are_metadata_not_title(header, published):
    values, _source = metadata.read(dissect(_HEADER_PAGE.format(header)))
    assert (values["title"], values["published"]) == ("宿迁市知识产权强市建设实施方案", published)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # a column name above a title that starts with 关于 is no issuer
        ("市政府办公室文件通知公告栏目\n关于加快建设知识产权强市的若干措施\n为加快建设，制定如下措施。\n一、总体要求\n",
         "关于加快建设知识产权强市的若干措施"),
        # a breadcrumb that does not start at 首页
        ("政务公开 > 政策文件 > 规范性文件\n关于加快建设知识产权强市的若干措施\n为加快建设，制定如下措施。\n一、总体要求\n",
         "关于加快建设知识产权强市的若干措施"),
    ],
)
def test_furniture_above_a_title(text, title):
    values, _source = metadata.read(dissect(text))
    assert values["title"] == title


def test_a_cited_number_on_its_own_line_is_not_the_documents():
    text = ("株洲市加快建设知识产权强市的若干措施\n为深入贯彻落实《国务院关于印发“十四五”国家知识产权保护和运用规划的通知》\n"
            "（国发〔2021〕20号）\n精神，制定如下措施。\n一、提升知识产权创造质量\n")
    values, _source = metadata.read(dissect(text))
    assert (values["title"], values["doc_number"]) == ("株洲市加快建设知识产权强市的若干措施", "")


@pytest.mark.parametrize("marker", ["— 2 —", "-2-", "第2页 共10页"])
def test_a_printed_page_number_is_a_page_break(marker):
    kept, removed = cleaning.clean_lines(f"一、总体要求\n1.到2025年，全市有效发明专利拥有量达到\n{marker}\n1000件。\n",
                                         script="simplified")
    assert [ln.text for ln in kept] == ["一、总体要求", "1.到2025年，全市有效发明专利拥有量达到1000件。"]
    assert len(removed) == 1


def test_a_bare_number_line_is_kept():
    kept, _removed = cleaning.clean_lines("专利拥有量\n1000\n件\n", script="simplified")
    assert "1000" in [ln.text for ln in kept]


_TEXT = "为加快建设知识产权强市，制定本方案。\n一、总体要求\n"


@pytest.mark.parametrize(
    ("title_lines", "title"),
    [
        ("宿迁市\n知识产权强市建设\n工作方案", "宿迁市知识产权强市建设工作方案"),  # a place alone on the first line
        ("宿迁市知识产权\n强市建设工作方案", "宿迁市知识产权强市建设工作方案"),  # a short first half
        ("宿迁市知识产权强市建设\n工作方案\n（2021—2023年）", "宿迁市知识产权强市建设工作方案（2021—2023年）"),
        ("宿迁市知识产权强市建设工作方案\n（2021年修订）", "宿迁市知识产权强市建设工作方案（2021年修订）"),
        ("政策解读\n宿迁市知识产权强市建设工作方案", "宿迁市知识产权强市建设工作方案"),  # a column name
        ("政策解读\n知识产权强市建设工作方案", "知识产权强市建设工作方案"),
        ("宿迁市人民政府\n知识产权强市建设工作方案", "知识产权强市建设工作方案"),  # the site's name
    ],
)
def test_titles_wrapped_over_lines(title_lines, title):
    values, _source = metadata.read(dissect(f"{title_lines}\n{_TEXT}"))
    assert values["title"] == title
