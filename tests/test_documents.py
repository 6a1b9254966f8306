"""The five shipped documents, checked against a careful reading of each file."""

import re

import pytest

from ipanalysis import cleaning, structure

EXPECTED = {
    # doc_id: (provisions, issued, published, period, doc_number, script)
    "wuwei-2024": (26, "2024-06-11", "", (2024, 2026), "武政办发〔2024〕30号", "simplified"),
    "bayannur-2023": (20, "2023-07-03", "", (2021, 2025), "", "simplified"),
    "yinchuan-2022": (30, "2023-01-19", "2023-01-20", (2022, 2025), "", "simplified"),
    "gansu-2020": (80, "2020-06-04", "2020-06-16", (2020, 2020), "知战办发〔2020〕3号", "traditional"),
    "yuncheng-2024": (21, "2024-08-13", "", (2024, 2026), "运政发〔2024〕13号", "simplified"),
}


def _doc(tables, doc_id):
    docs = tables["documents"].set_index("doc_id")
    return docs.loc[doc_id]


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_document_metadata(tables, doc_id):
    n, issued, published, period, number, script = EXPECTED[doc_id]
    doc = _doc(tables, doc_id)
    assert doc["n_provisions"] == n
    assert (tables["provisions"]["doc_id"] == doc_id).sum() == n
    assert doc["issued"] == issued
    assert doc["published"] == published
    assert (doc["period_start"], doc["period_end"]) == period
    assert doc["doc_number"] == number
    assert doc["script"] == script


def test_every_document_is_in_every_table(tables):
    ids = set(tables["documents"]["doc_id"])
    assert ids == set(EXPECTED)
    for name in ("provisions", "tokens", "lines"):
        assert set(tables[name]["doc_id"]) == ids, name


@pytest.mark.parametrize(
    ("doc_id", "title", "issuer"),
    [
        ("wuwei-2024", "武威市人民政府办公室甘肃省市场监督管理局办公室共建“丝路明珠”知识产权强市2024—2026年工作要点",
         "武威市人民政府办公室；甘肃省市场监督管理局办公室"),
        ("bayannur-2023", "巴彦淖尔市贯彻落实《知识产权强国建设纲要（2021—2035年）》工作措施", "巴彦淖尔市人民政府"),
        ("yinchuan-2022", "银川市国家知识产权强市建设试点城市工作方案（2022—2025年）", "银川市人民政府"),
        ("gansu-2020", "2020年甘肃省深入实施知识产权战略加快建设知识产权强省推进计划",
         "甘肃省知识产权战略实施暨强省建设工作领导小组办公室"),
        ("yuncheng-2024", "运城市国家知识产权强市建设试点城市工作方案（2024-2026年）", "运城市人民政府"),
    ],
)  # fmt: skip
def test_titles_and_issuers(tables, doc_id, title, issuer):
    doc = _doc(tables, doc_id)
    assert doc["title"] == title
    assert doc["issuer"] == issuer


def test_gansu_text_is_simplified_and_original_is_kept(tables):
    prov = tables["provisions"]
    gansu = prov[prov["doc_id"] == "gansu-2020"]
    text = "".join(gansu["text"])
    assert cleaning.detect_script(text) == "simplified"
    assert cleaning.detect_script("".join(gansu["text_original"])) == "traditional"
    first = gansu.iloc[0]
    assert first["text"].startswith("1.落实国家商标专利注册申请便利化改革措施")
    assert first["text_original"].startswith("1.落實國家商標專利註冊申請便利化改革措施") or first["text_original"].startswith(
        "1.落實國家商標專利注冊申請便利化改革措施"
    )


def test_gansu_items_without_a_dot_are_found(tables):
    prov = tables["provisions"]
    labels = prov.loc[prov["doc_id"] == "gansu-2020", "label"].tolist()
    assert [int(re.match(r"\d+", lab).group()) for lab in labels] == list(range(1, 81))
    for n in (11, 13, 15, 22, 23, 27, 28):
        assert labels[n - 1] == str(n)


def test_page_breaks_are_rejoined(tables):
    text = "\n".join(tables["provisions"]["text"])
    for joined in ("中小企业知识产权推进工程，支持武威", "培育县域特色农产品“甘”区域品牌", "研究制定地理标志品牌助力地方经济高质量发展实施意见", "提高文化产业规模效益", "商标专利监督管理处负责）"):
        assert joined in text
    # a real paragraph break stays: Wuwei item 20's clause stands on its own line
    prov = tables["provisions"].set_index("provision_id")
    assert prov.loc["wuwei-2024:4.20", "text"].endswith("讲好知识产权武威故事。\n（武威市市场监管局负责，市委宣传部配合；省市场监管局知识产权保护运用处、商标专利监督管理处、新闻宣传与应急管理处负责）")


CHROME_AND_SPAM = ["无障碍", "长者版", "当前位置", "索引号", "扫一扫", "欧美", "sm", "发布机构", "抄送", "公开属性", "附件"]


def test_no_chrome_or_spam_in_any_provision(tables):
    text = "\n".join(tables["provisions"]["text"]) + "\n".join(tables["provisions"]["text_original"])
    for word in CHROME_AND_SPAM:
        assert word not in text, word


def test_removed_lines_are_logged(tables):
    removed = tables["removed_lines"]
    gansu = removed[removed["doc_id"] == "gansu-2020"]
    assert gansu["reason"].tolist() == ["chrome", "junk"]
    assert gansu.iloc[-1]["line_no"] == 279
    yinchuan = removed[removed["doc_id"] == "yinchuan-2022"]
    assert yinchuan["text_original"].str.contains("扫一扫在手机打开当前页").any()
    assert set(removed["doc_id"]) == {"gansu-2020", "yinchuan-2022"}


def test_attachments_and_tables_are_not_provisions(tables):
    prov = tables["provisions"]
    assert not prov["text"].str.contains("领导小组名单|任务分工表|主要预期性指标|刘甲锋|每万人口全市居民").any()
    yinchuan_goal = prov.set_index("provision_id").loc["yinchuan-2022:1.3"]
    assert yinchuan_goal["has_table"]
    assert "5.2" not in yinchuan_goal["text"] and "5.2" in yinchuan_goal["text_original"]
    assert yinchuan_goal["text"].endswith("具体指标如下：")


def test_headings_paths_and_titles(tables):
    prov = tables["provisions"].set_index("provision_id")
    row = prov.loc["bayannur-2023:1.1"]
    assert (row["section_label"], row["section_title"]) == ("一、", "着力完善有利于推动巴彦淖尔高质量发展的知识产权制度体系")
    assert row["item_title"] == "完善知识产权政策体系"
    row = prov.loc["yinchuan-2022:2.2.7"]
    assert row["path"] == "二、 / （二） / 7."
    assert (row["subsection_title"], row["item_title"]) == ("提高知识产权运用能力", "开展地理标志助力乡村振兴行动")
    row = prov.loc["yuncheng-2024:2.2.3"]
    assert row["item_title"] == "运用知识产权助力乡村振兴"
    # Bayannur's 组织保障 restarts its numbering at （一）: ids stay unique
    assert prov.loc["bayannur-2023:7.1", "item_title"] == "加强组织领导"
    assert tables["provisions"]["provision_id"].is_unique


@pytest.mark.parametrize(
    ("doc_id", "with_clause"),
    [("wuwei-2024", 26), ("bayannur-2023", 17), ("yinchuan-2022", 18), ("gansu-2020", 80), ("yuncheng-2024", 16)],
)
def test_every_task_has_its_responsibility_clause(tables, doc_id, with_clause):
    prov = tables["provisions"]
    sub = prov[prov["doc_id"] == doc_id]
    assert (sub["responsibility"] != "").sum() == with_clause
    assert not sub["body"].str.contains("负责）$|负责〕$", regex=True).any()


def test_yinchuan_lead_units_are_kept_as_written(tables):
    prov = tables["provisions"]
    yinchuan = prov[(prov["doc_id"] == "yinchuan-2022") & (prov["responsibility"] != "")]
    assert yinchuan["responsibility"].str.startswith("牵头单位：").all()
    assert yinchuan["responsibility"].str.contains("\n责任单位：").all()


def test_provisions_are_in_reading_order(tables):
    prov = tables["provisions"]
    for _doc_id, sub in prov.groupby("doc_id"):
        assert sub["seq"].tolist() == list(range(1, len(sub) + 1))
        assert sub["line_start"].is_monotonic_increasing


def test_raw_is_not_touched_by_parsing():
    # structure.parse works on Line objects and never sees a path
    assert "open(" not in structure.__loader__.get_source(structure.__name__)
