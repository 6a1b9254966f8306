import pytest

from ipanalysis import anatomy, cleaning, metadata, structure
from ipanalysis.metadata import Date


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("2024年6月11日", Date(2024, 6, 11), "day"),
        ("2020年6月4", Date(2020, 6, 4), "day"),  # Gansu's signature, no 日
        ("发布日期：2023-01-20", Date(2023, 1, 20), "day"),
        ("2022年11月", Date(2022, 11), "month"),
        ("2024年2月30日", None, None),
    ],
)
def test_parse_date(text, date, precision):
    got = metadata.parse_date(text)
    assert got == date
    if date:
        assert got.precision == precision


def _lines(text):
    kept, _ = cleaning.clean_lines(text, script="simplified")
    return kept


NOTICE = """某市人民政府文件

某政发〔2024〕7号

某市人民政府关于印发某市知识产权强市建设工作方案（2024—2026年）的通知

各县区人民政府：

现将《方案》印发给你们，请认真贯彻落实。

（此页无正文）

某市人民政府

某省市场监督管理局

2024年5月8日

（此件公开发布）

某市知识产权强市建设

工作方案（2024—2026年）

为贯彻落实《知识产权强国建设纲要（2021—2035年）》，制定本方案。

一、总体要求

1.加强保护。
"""


def _dissect(text):
    kept, removed = cleaning.clean_lines(text, script="simplified")
    return anatomy.dissect(kept, removed, structure.parse(kept))


def test_metadata_from_a_notice():
    lines = _lines(NOTICE)
    assert metadata.doc_number(lines) == "某政发〔2024〕7号"
    assert metadata.issued_date(lines) == Date(2024, 5, 8)
    assert metadata.issuer(lines) == "某市人民政府；某省市场监督管理局"
    values, source = metadata.read(_dissect(NOTICE))
    assert values == {
        "title": "某市知识产权强市建设工作方案（2024—2026年）",
        "issuer": "某市人民政府；某省市场监督管理局",
        "doc_number": "某政发〔2024〕7号",
        "issued": "2024-05-08",
        "published": "",
        "period_start": "2024",
        "period_end": "2026",
    }
    assert source == "title"


def test_doc_number_tolerates_a_lost_bracket_and_ignores_citations():
    assert metadata.doc_number(_lines("知战办发2020〕3号\n")) == "知战办发〔2020〕3号"
    assert metadata.doc_number(_lines("根据《通知》（国知发运字〔2024〕2号）要求，制定本方案。\n")) == ""


@pytest.mark.parametrize(
    ("title", "closing", "period"),
    [
        ("某市贯彻落实《知识产权强国建设纲要（2021—2035年）》工作措施", ["附件：某市2021—2025年知识产权主要预期性指标"], (2021, 2025, "annex")),
        ("2020年某省深入实施知识产权战略推进计划", [], (2020, 2020, "title_year")),
        ("某市工作方案（2024-2026年）", [], (2024, 2026, "title")),
        ("某市工作要点", [], (None, None, "")),
    ],
)
def test_plan_period(title, closing, period):
    lines = [cleaning.Line(i, t, t) for i, t in enumerate(closing)]
    assert metadata.plan_period(title, lines) == period


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("二○一一年五月二十二日", Date(2011, 5, 22)),
        ("二〇二三年十二月三十一日", Date(2023, 12, 31)),
        ("2015/1/8", Date(2015, 1, 8)),
        ("2023-02-18 14:04", Date(2023, 2, 18)),
        ("20141229", None),  # eight digits are a date only where a date is expected
        ("电话82569610", None),
    ],
)
def test_parse_date_forms(text, date):
    assert metadata.parse_date(text) == date


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("2024年6月11日", Date(2024, 6, 11)),
        ("二○一一年五月二十二日", Date(2011, 5, 22)),
        ("20141229", Date(2014, 12, 29)),  # a site that stripped 年月日
        ("2023-02-17", Date(2023, 2, 17)),
        ("20141329", None),
        ("2024年6月11日印发", None),
        ("到2025年6月，完成验收。", None),
    ],
)
def test_date_only(line, date):
    assert metadata.date_only(line) == date


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("鄂府发〔2022〕28号", "鄂府发〔2022〕28号"),
        ("呼政字 〔2019〕 84号", "呼政字〔2019〕84号"),
        ("（包市监发（2021）369号）", "包市监发〔2021〕369号"),
        ("某政办发[2023]5号", "某政办发〔2023〕5号"),
        ("某政办发［2023］5号", "某政办发〔2023〕5号"),
        ("某政发【2021】12号", "某政发〔2021〕12号"),
        ("某政发(2021)12号", "某政发〔2021〕12号"),
        ("扬府发〔2021〕第52号", "扬府发〔2021〕52号"),
        ("苏政发〔2009〕1号2009年1月5日", "苏政发〔2009〕1号"),
        ("关于印发方案的通知（某政发〔2024〕3号）", "某政发〔2024〕3号"),
        # cited, never this document's
        ("根据《通知》（国知发运字〔2024〕2号）要求，制定本方案。", ""),
        ("按照国发〔2021〕20号文件精神", ""),
        ("《国务院关于加快知识产权强国建设的若干意见》（国发〔2015〕71号）", ""),
    ],
)
def test_find_doc_number(text, number):
    assert metadata.find_doc_number(cleaning.clean_text(text, simplify=False)) == number


@pytest.mark.parametrize(
    ("lines", "published"),
    [
        (["发布日期：2015/1/8"], Date(2015, 1, 8)),
        (["发布时间：2022-03-30 00:00:00 作者： 来源：4323"], Date(2022, 3, 30)),
        (["发布日期：2023-02-17", "来源：某区人民政府 发布时间：2023-02-18 14:04"], Date(2023, 2, 17)),
        (["更新时间：2022-10-19 14:17:10"], None),  # a page-update time
        (["时间：2022-05-16 来源：某省人民政府"], None),  # a bare 时间 is the page's
        (["作者： | 日期： | 2022-02-16 |"], None),
        (["发布日期：", "2021年10月09日"], Date(2021, 10, 9)),  # value in the next cell
    ],
)
def test_published_only_from_its_label(lines, published):
    texts = [cleaning.clean_text(t, simplify=False) for t in lines]
    found = metadata.published_date(texts)
    assert (found[0] if found else None) == published


@pytest.mark.parametrize(
    ("original", "bodies"),
    [
        ("包头市市场监督管理局 包头市知识产权局", ["包头市市场监督管理局", "包头市知识产权局"]),
        ("中共江苏省委 江苏省人民政府", ["中共江苏省委", "江苏省人民政府"]),
        ("甘肃省市场监督管理局 办公室", ["甘肃省市场监督管理局办公室"]),
        ("某市知识产权工作联席会议办公室", ["某市知识产权工作联席会议办公室"]),
        ("国家知识产权局 中国人民银行", ["国家知识产权局", "中国人民银行"]),
    ],
)
def test_split_bodies(original, bodies):
    assert metadata.split_bodies(original) == bodies


@pytest.mark.parametrize(
    ("heading", "doc_title", "issuer"),
    [
        ("濮阳市人民政府关于印发濮阳市国家知识产权试点城市建设工作方案的通知", "", "濮阳市人民政府"),
        ("省政府关于印发江苏省知识产权战略纲要的通知", "江苏省知识产权战略纲要", "江苏省人民政府"),
        ("市政府办公室关于印发工作方案的通知", "太仓市知识产权工作方案", "太仓市人民政府办公室"),
        ("省政府关于印发知识产权战略纲要的通知", "知识产权战略纲要", ""),  # no place to expand 省政府 with
        ("关于印发某方案的通知", "", ""),
    ],
)
def test_notice_issuer(heading, doc_title, issuer):
    assert metadata.notice_issuer(heading, doc_title=doc_title) == issuer


@pytest.mark.parametrize(
    ("title", "text", "period"),
    [
        ("某市知识产权保护和运用“十四五”规划", [], (2021, 2025, "five_year")),
        ("某省“十三五”知识产权发展规划", [], (2016, 2020, "five_year")),
        ("某市“十五五”知识产权规划", [], (2026, 2030, "five_year")),
        ("某市2024年度知识产权工作要点", [], (2024, 2024, "title_year")),
        ("某市2022年度知识产权发展状况报告", [], (None, None, "")),
        ("某市知识产权强市建设方案", ["本方案实施期限为2023—2025年。"], (2023, 2025, "text")),
        ("某市知识产权强市建设方案", ["到2025年，专利拥有量达到1万件。"], (None, None, "")),
        ("贯彻《“十四五”国家知识产权保护和运用规划》实施方案", [], (None, None, "")),  # cited plan
        ("知识产权强国建设纲要和“十四五”规划实施年度推进计划", [], (None, None, "")),  # an annual plan
        ("关于总结2018年工作编制2019年工作要点的通知", [], (None, None, "")),  # a notice, two years
    ],
)
def test_plan_period_kinds(title, text, period):
    lines = [cleaning.Line(i, t, t) for i, t in enumerate(text)]
    assert metadata.plan_period(title, [], lines) == period


@pytest.mark.parametrize(
    ("texts", "title"),
    [
        (["某市知识产权强市建设工作方案_政策文件_某市人民政府门户网站"], "某市知识产权强市建设工作方案"),
        (["某市知识产权强市建设", "工作方案（2024-2026年）"], "某市知识产权强市建设工作方案（2024-2026年）"),
        (["某市知识产权强市建设工作方案2023-05-06"], "某市知识产权强市建设工作方案"),
        (["某市知识产权强市建设工作方案【打印】【关闭】"], "某市知识产权强市建设工作方案"),
        (["某市知识产权强市建设工作方案字体：大中小"], "某市知识产权强市建设工作方案"),
    ],
)
def test_title_text(texts, title):
    assert metadata.title_text(texts) == title


@pytest.mark.parametrize(
    ("text", "bodies"),
    [
        ("中共江苏省委江苏省人民政府", ["中共江苏省委", "江苏省人民政府"]),
        ("包头市市场监督管理局包头市知识产权局", ["包头市市场监督管理局", "包头市知识产权局"]),
        ("南通市通州区人民政府", ["南通市通州区人民政府"]),  # a district of a city, one body
        ("甘肃省知识产权战略实施暨强省建设工作领导小组办公室", ["甘肃省知识产权战略实施暨强省建设工作领导小组办公室"]),
    ],
)
def test_split_at_places(text, bodies):
    assert metadata.split_at_places(text) == bodies


@pytest.mark.parametrize(
    ("line", "date"),
    [("2023.5.6", Date(2023, 5, 6)), ("2023.13.6", None), ("版本1.2.3", None)],
)
def test_dotted_date_only_where_a_date_is_expected(line, date):
    assert metadata.date_only(line) == date
    assert metadata.parse_date(line) is None


@pytest.mark.parametrize(
    ("title", "text", "period"),
    [
        ("某市“十四五”知识产权规划实施方案", [], (2021, 2025, "five_year")),
        ("某市知识产权强县建设方案", ["本方案实施期限为2022年至2024年。"], (2022, 2024, "text")),
        ("某市知识产权保护行动方案", ["行动周期：2023-2025年。"], (2023, 2025, "text")),
    ],
)
def test_more_plan_periods(title, text, period):
    lines = [cleaning.Line(i, t, t) for i, t in enumerate(text)]
    assert metadata.plan_period(title, [], lines) == period


# -- kinds of text found by the unseen set (tests/data/unseen) --------------------------------


@pytest.mark.parametrize(
    ("title", "text", "period"),
    [
        # a span of years with its range, the count matching
        ("某市知识产权运营服务体系建设实施方案", ["通过三年（2021—2023年）建设，体系基本建成。"], (2021, 2023, "text")),
        ("某市知识产权强市建设方案", ["用3年时间（2022-2024年）建成示范城市。"], (2022, 2024, "text")),
        ("某市知识产权强市建设方案", ["用两年时间（2024—2025年）完成试点。"], (2024, 2025, "text")),
        # the count does not match the range, or the range is a cited plan's
        ("某市知识产权强市建设方案", ["通过三年（2021—2025年）建设，体系基本建成。"], (None, None, "")),
        ("某市知识产权强市建设方案", ["落实《某省五年（2021—2025年）规划》。"], (None, None, "")),
        # one year in a title that is no plan's: a revision, a report
        ("某市知识产权质押融资管理办法（2021年修订）", [], (None, None, "")),
        ("某市2022年知识产权发展状况报告", [], (None, None, "")),
        ("某市2023年知识产权工作要点（试行）", [], (2023, 2023, "title_year")),
        # a stated period with months, or a 时限
        ("某市知识产权强市建设方案", ["本方案实施期为2023年1月至2025年12月。"], (2023, 2025, "text")),
        ("某市知识产权保护规划", ["规划时限为2021—2025年，展望到2035年。"], (2021, 2025, "text")),
        # a plan cited without 《》: its bracketed range is followed by 的
        ("某市落实知识产权强国建设纲要（2021—2035年）的实施意见", [], (None, None, "")),
        ("某市知识产权强市建设方案（2023—2025年）", [], (2023, 2025, "title")),
    ],
)
def test_unseen_plan_periods(title, text, period):
    lines = [cleaning.Line(i, t, t) for i, t in enumerate(text)]
    assert metadata.plan_period(title, [], lines) == period


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        (["一、总体目标", "通过三年（2021—2023年）建设。", "二、重点任务", "用三年时间（2024—2026年）开展行动。"], 2),
        (["一、发展基础", "试点期为2015—2017年。", "二、总体要求"], 0),  # a background section tells of past periods
        (["为加快建设，制定本方案。"], 0),  # no numbered section
    ],
)
def test_first_section(body, kept):
    lines = [cleaning.Line(i, t, t) for i, t in enumerate(body)]
    assert metadata.first_section(lines) == lines[:kept]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # a heading run into its number: the prefix starts after 的通知
        ("关于印发渝北区规划的通知渝北府办发〔2022〕56号", "渝北府办发〔2022〕56号"),
        ("宣城市人民政府办公室关于进一步加强知识产权保护工作的通知宣政办发〔2021〕12号", "宣政办发〔2021〕12号"),
    ],
)
def test_find_doc_number_after_a_heading(text, number):
    assert metadata.find_doc_number(text) == number


@pytest.mark.parametrize(
    ("text", "bodies", "date"),
    [
        ("宿迁市人民政府办公室　2021年6月8日", "宿迁市人民政府办公室", Date(2021, 6, 8)),
        ("西宁市市场监督管理局 西宁市财政局 2022年9月20日", "西宁市市场监督管理局西宁市财政局", Date(2022, 9, 20)),
        ("2021年6月8日", None, None),  # only a date: date_only's business
        ("到2023年6月30日前完成全部任务", None, None),
        ("宿迁市人民政府办公室2021年6月", None, None),  # a month is no signature date
    ],
)
def test_flat_signature(text, bodies, date):
    line = cleaning.Line(1, text, cleaning.clean_text(text, simplify=False))
    found = metadata.flat_signature(line)
    assert (found[0].text, found[1]) == (bodies, date) if bodies else found is None


def test_issuer_of_a_flat_signature_splits_its_bodies():
    lines = _lines("现将《某办法》印发给你们，请遵照执行。\n西宁市市场监督管理局　西宁市财政局　2022年9月20日\n")
    assert metadata.issuer(lines) == "西宁市市场监督管理局；西宁市财政局"
    assert metadata.issued_date(lines) == Date(2022, 9, 20)


@pytest.mark.parametrize(
    ("fields", "issuer"),
    [
        ([("发文机关", "江苏省人民政府", "")], "江苏省人民政府"),
        ([("发文机关", "江苏省市场监督管理局、江苏省财政厅", "")], "江苏省市场监督管理局；江苏省财政厅"),
        ([("发文机关", "中共江苏省委江苏省人民政府", "")], "中共江苏省委；江苏省人民政府"),
        ([("发布机构", "江苏省人民政府办公厅", "")], ""),  # the publisher, not the issuer
        ([("发文机关", "市场监管", "")], ""),  # not a body's name
    ],
)
def test_field_issuer(fields, issuer):
    assert metadata.field_issuer(fields) == issuer


@pytest.mark.parametrize(
    ("heading", "doc_title", "issuer"),
    [
        ("县政府办关于印发安吉县知识产权强县建设工作方案的通知", "安吉县知识产权强县建设工作方案", "安吉县人民政府办公室"),
        ("区政府办公室关于印发吴中区行动计划的通知", "吴中区知识产权强区建设三年行动计划", "吴中区人民政府办公室"),
        ("县政府办关于印发工作方案的通知", "知识产权工作方案", ""),
    ],
)
def test_abbreviated_notice_issuer(heading, doc_title, issuer):
    assert metadata.notice_issuer(heading, doc_title=doc_title) == issuer


@pytest.mark.parametrize(
    ("texts", "title"),
    [
        (["某市知识产权强市工作方案（2022-2025年）-某市人民政府"], "某市知识产权强市工作方案（2022-2025年）"),
        (["某市知识产权强市工作方案（2022-2025年）"], "某市知识产权强市工作方案（2022-2025年）"),
    ],
)
def test_title_text_drops_a_site_name_after_a_hyphen(texts, title):
    assert metadata.title_text(texts) == title


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("某区知识产权事业发展第十四个五年规划", (2021, 2025, "five_year")),
        ("某市国民经济和社会发展第十五个五年规划纲要", (2026, 2030, "five_year")),
    ],
)
def test_five_year_plans_spelt_out(title, period):
    assert metadata.plan_period(title, []) == period


@pytest.mark.parametrize(
    ("body", "doc_title", "expanded"),
    [
        ("市政府办公室", "宿迁市知识产权强市建设实施方案", "宿迁市人民政府办公室"),
        ("县政府办", "安吉县知识产权强县建设工作方案", "安吉县人民政府办公室"),
        ("省人民政府", "江苏省知识产权战略纲要", "江苏省人民政府"),
        ("市政府办公室", "关于强化知识产权保护的实施意见", ""),  # no place to complete it with
        ("市政府办公室", "安吉县知识产权强县建设工作方案", ""),  # a county's title, a city's office
        ("宿迁市人民政府办公室", "", "宿迁市人民政府办公室"),  # not abbreviated
    ],
)
def test_expand_abbreviated(body, doc_title, expanded):
    assert metadata.expand_abbreviated(body, doc_title=doc_title) == expanded


@pytest.mark.parametrize(
    ("heading", "issuer"),
    [
        ("宿迁市市场监督管理局、宿迁市财政局关于印发宿迁市专利资助管理办法的通知", "宿迁市市场监督管理局；宿迁市财政局"),
        ("中共宿迁市委办公室宿迁市人民政府办公室印发《关于强化知识产权保护的实施意见》的通知",
         "中共宿迁市委办公室；宿迁市人民政府办公室"),
    ],
)
def test_co_issuers_of_a_heading(heading, issuer):
    assert metadata.notice_issuer(heading) == issuer


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [("2021-06", Date(2021, 6), "month"), ("2021", Date(2021), "year"), ("2021-13", None, ""), ("20", None, "")],
)
def test_parse_date_reads_partial_iso_dates_back(text, date, precision):
    got = metadata.parse_date(text)
    assert got == date and (got.precision if got else "") == precision


def test_a_month_only_signature_is_read_and_kept_as_a_month(tmp_path):
    from tests.test_realdocs import read_as_added

    page = tmp_path / "month.txt"
    page.write_text("某市人民政府关于印发某市知识产权强市建设方案的通知\n各县区人民政府：\n现将《某市知识产权强市建设方案》"
                    "印发给你们，请认真贯彻执行。\n宿迁市人民政府\n2021年6月\n", encoding="utf-8")
    assert read_as_added(page)["issued"] == "2021-06"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（2021年5月8日）", Date(2021, 5, 8)),
        ("（2021年10月28日湖州市第九届人民代表大会常务委员会第三十七次会议通过）", Date(2021, 10, 28)),
        ("（2021年3月2日某省第十三届人民代表大会第四次会议通过）", Date(2021, 3, 2)),
        ("（2019年3月1日市政府第42次常务会议审议通过）", None),  # the government's 办法 is issued later
        # amended since: no single issue date
        ("（2016年9月29日某省人民代表大会常务委员会第二十次会议通过　2021年7月30日第二十九次会议修正）", None),
        ("（2021年10月会议通过）", None),  # month only
        ("（2016年9月30日某省人民代表大会常务委员会第二十九次会议批准）", None),  # approved by another body
        ("（2021—2025年）", None),
        ("（以下简称“风险补偿资金”）", None),
    ],
)
def test_bracketed_date(text, expected):
    assert metadata.bracketed_date(text) == expected
