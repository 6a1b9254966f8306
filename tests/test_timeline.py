import pytest

from ipanalysis import timeline as tl


def _events(tables, doc_id, kind):
    e = tables["events"]
    return e[(e["doc_id"] == doc_id) & (e["kind"] == kind)]


@pytest.mark.parametrize(
    ("doc_id", "issued"),
    [("wuwei-2024", "2024-06-11"), ("bayannur-2023", "2023-07-03"), ("yinchuan-2022", "2023-01-19"),
     ("gansu-2020", "2020-06-04"), ("yuncheng-2024", "2024-08-13")],
)  # fmt: skip
def test_every_document_has_its_issue_date_and_period(tables, doc_id, issued):
    (row,) = _events(tables, doc_id, "issued").itertuples()
    assert (row.start, row.precision) == (issued, "day")
    assert len(_events(tables, doc_id, "plan_period")) == 1


def test_conflicting_dates_are_all_kept(tables):
    kinds = dict(zip(tables["events"]["kind"], tables["events"]["start"]))
    y = tables["events"][tables["events"]["doc_id"] == "yinchuan-2022"].set_index("kind")["start"]
    assert (y["issued"], y["written"], y["published"]) == ("2023-01-19", "2023-01-20", "2023-01-20")
    g = tables["events"][tables["events"]["doc_id"] == "gansu-2020"].set_index("kind")
    assert g.loc["issued", "start"] == "2020-06-04" and g.loc["issued", "evidence"] == "2020年6月4"
    assert g.loc["published", "start"] == "2020-06-16"
    assert kinds  # non-empty


def test_yinchuan_has_five_phases(tables):
    phases = _events(tables, "yinchuan-2022", "phase")
    assert phases["label"].tolist() == ["动员启动阶段", "推进实施阶段", "督查评估阶段", "整改提升阶段", "总结验收阶段"]
    assert phases[["start", "end"]].values.tolist() == [
        ["2022-11", "2023-06"], ["2023-07", "2024-06"], ["2024-07", "2024-08"], ["2024-09", "2024-12"], ["2025-01", "2025-06"]
    ]  # fmt: skip
    assert (phases["precision"] == "month").all()


def test_target_years_come_from_the_targets_table(tables):
    years = set(_events(tables, "yinchuan-2022", "target_year")["start"])
    assert years == {"2023", "2024", "2025"}


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("专利转化运用专项行动方案(2023—2025年)", "专利转化运用专项行动方案（2023—2025年）"),
        ("专利转化运用专项行动方案（2023-2025年）", "专利转化运用专项行动方案（2023—2025年）"),
        ("贯彻落实<知识产权强国建设纲要（2021—2035年）>实施方案", "贯彻落实《知识产权强国建设纲要（2021—2035年）》实施方案"),
    ],
)
def test_one_plan_cited_two_ways_is_one_title(raw, norm):
    assert tl.normalise_title(raw) == norm


@pytest.mark.parametrize(
    ("title", "period"),
    [("知识产权强国建设纲要（2021—2035年）", (2021, 2035)), ("“十四五”国家知识产权保护和运用规划", (2021, 2025)),
     ("推动知识产权高质量发展年度工作指引（2020）", (2020, 2020)), ("关于强化知识产权保护的意见", (None, None))],
)  # fmt: skip
def test_title_period(title, period):
    assert tl.title_period(title) == period


def test_citations_with_levels_and_without_self(tables):
    r = tables["references"]
    wuwei = r[r["doc_id"] == "wuwei-2024"].set_index("title")["level"]
    assert wuwei["专利转化运用专项行动方案（2023—2025年）"] == "national"
    assert wuwei["专利转化运用专项行动实施方案（2024—2025年）"] == "provincial"
    bayannur = r[r["doc_id"] == "bayannur-2023"].set_index("title")
    assert bayannur.loc["知识产权强国建设纲要（2021—2035年）", "count"] == 2
    assert bayannur.loc["贯彻落实《知识产权强国建设纲要（2021—2035年）》实施方案", "level"] == "provincial"
    # no document cites itself
    for doc in tables["documents"].itertuples():
        assert tl.normalise_title(doc.title) not in set(r.loc[r["doc_id"] == doc.doc_id, "title"])
    for doc_id in ("yinchuan-2022", "yuncheng-2024", "bayannur-2023"):
        assert "知识产权强国建设纲要（2021—2035年）" in set(r.loc[r["doc_id"] == doc_id, "title"])


def test_phase_parsing_from_a_title():
    (ev,) = tl.phase_events("d", [{"item_title": "试点推进阶段（2024年3月—12月）", "text": ""}])
    assert (ev["label"], ev["start"], ev["end"]) == ("试点推进阶段", "2024-03", "2024-12")
