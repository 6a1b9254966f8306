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
