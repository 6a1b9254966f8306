import pandas as pd
import pytest

from ipanalysis import brands, keyness, themes
from ipanalysis.errors import InputError


def _prov(body, section="", sub="", item=""):
    return {"doc_id": "d", "provision_id": "d:1.1", "body": body, "section_title": section,
            "subsection_title": sub, "item_title": item}  # fmt: skip


def _themes(rows):
    return {r["theme"]: r for r in rows}


@pytest.mark.parametrize(
    ("body", "theme"),
    [
        ("严厉打击侵权假冒行为，加强行政执法。", "protection"),
        ("深化知识产权质押融资，推动专利转化。", "use"),
        ("建设知识产权公共服务网点，提升商标品牌指导站服务能力。", "services"),
        ("推动专利技术强农、商标品牌富农、地理标志兴农。", "rural"),
        ("加强知识产权人才培训，开展宣传周活动。", "culture_talent"),
        ("支持企业“走出去”，加强海外知识产权纠纷应对和国际合作交流。", "cooperation"),
    ],
)
def test_lexicon_labels_each_theme(body, theme):
    rows = _themes(themes.code_themes(_prov(body)))
    assert theme in rows
    row = rows[theme]
    assert row["from_lexicon"] and not row["from_heading"]
    assert row["score"] >= themes.THRESHOLD
    assert row["matched"] and row["evidence"] in body


def test_a_heading_files_a_provision_under_its_theme():
    rows = _themes(themes.code_themes(_prov("深入实施商标品牌培育工程。", section="助力乡村振兴做大做强特色产业品牌")))
    assert rows["rural"]["from_heading"] and not rows["rural"]["from_lexicon"]
    assert rows["rural"]["heading"] == "助力乡村振兴做大做强特色产业品牌"


def test_a_provision_can_carry_several_themes():
    body = "以地理标志运用为抓手，带动周边农户增收，助力乡村振兴。"
    rows = _themes(themes.code_themes(_prov(body, sub="提高知识产权运用能力")))
    assert {"use", "rural"} <= set(rows)


def test_the_stock_chain_enumeration_names_no_theme():
    rows = themes.code_themes(_prov("全面提升知识产权创造、运用、保护、管理和服务水平。"))
    assert rows == []


def test_one_weak_mention_is_not_enough():
    assert "protection" not in _themes(themes.code_themes(_prov("提高保护意识。")))


def test_instruments_with_subtypes_and_evidence():
    rows = themes.code_instruments(_prov("设立知识产权专项资金。鼓励企业开展质押融资。开展试点示范。"))
    got = {(r["instrument"], r["subtype"]) for r in rows}
    assert {("supply", "funding"), ("environment", "finance"), ("demand", "demonstration_pilots")} <= got
    finance = next(r for r in rows if r["subtype"] == "finance")
    assert finance["matched"] == "融资、质押" and finance["evidence"] == "鼓励企业开展质押融资。"


def test_manual_codes_win(tmp_path):
    path = tmp_path / "theme_codes.csv"
    path.write_text("doc_id,provision_id,code,action,note\nd,d:1.1,rural,add,read by hand\nd,d:1.1,protection,remove,\n", encoding="utf-8")
    rows = themes.code_themes(_prov("严厉打击侵权假冒行为，加强行政执法。"))
    out = themes.apply_manual(rows, themes.read_manual_codes(path), key="theme", known={("d", "d:1.1")}, path=path)
    got = {r["theme"]: r for r in out}
    assert "protection" not in got
    assert got["rural"]["source"] == "manual" and got["rural"]["evidence"] == "read by hand"


def test_manual_codes_errors_name_the_file(tmp_path):
    path = tmp_path / "theme_codes.csv"
    path.write_text("doc_id,provision_id,code,action\nd,d:9.9,rural,add\n", encoding="utf-8")
    with pytest.raises(InputError, match="theme_codes.csv: unknown provision 'd:9.9'"):
        themes.apply_manual([], themes.read_manual_codes(path), key="theme", known={("d", "d:1.1")}, path=path)
    path.write_text("doc_id,provision_id,code,action\nd,d:1.1,rural,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match="action must be 'add' or 'remove'"):
        themes.read_manual_codes(path)


def test_rural_provisions_of_wuwei_and_yinchuan_are_rural(tables):
    t = tables["provision_themes"]
    rural = set(t.loc[t["theme"] == "rural", "provision_id"])
    assert {f"wuwei-2024:5.{n}" for n in range(21, 27)} <= rural
    assert "yinchuan-2022:2.2.7" in rural
    assert "yuncheng-2024:2.2.3" in rural


def test_every_provision_is_coded(tables):
    prov = set(tables["provisions"]["provision_id"])
    assert set(tables["provision_instruments"]["provision_id"]) <= prov
    coded = set(tables["provision_themes"]["provision_id"]) | set(tables["provision_instruments"]["provision_id"])
    # Some provisions (e.g. a bare 指导思想) may carry nothing; most carry something.
    assert len(coded) / len(prov) > 0.9


def test_lexicon_agrees_with_the_drafters_headings(tables):
    """The honest measure of the lexicon: where a heading names a theme, does the lexicon alone find it?"""
    agreement = themes.heading_agreement(tables["provision_themes"]).set_index("theme")
    overall = agreement.loc["all", "share"]
    print("\nheading agreement:\n", agreement.to_string())
    assert agreement.loc["all", "n"] > 100
    assert overall >= 0.6, agreement
    assert agreement.loc["protection", "share"] >= 0.8


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("进一步加强黄羊河、凉州皇台、普安康等驰名商标，天祝白牦牛、民勤羊肉、凉州黄白花牛等区域商标品牌的保护力度。",
         [("黄羊河", "famous_trademark"), ("凉州皇台", "famous_trademark"), ("普安康", "famous_trademark"),
          ("天祝白牦牛", "regional_brand"), ("民勤羊肉", "regional_brand"), ("凉州黄白花牛", "regional_brand")]),
        ("加大“天赋河套”“陕坝味道”等区域品牌建设力度。", [("天赋河套", "regional_brand"), ("陕坝味道", "regional_brand")]),
        ("加快推进“五原向日葵”国家地理标志产品保护示范区建设。", [("五原向日葵", "geographical_indication")]),
        ("以贺兰山东麓葡萄酒地理标志运用为抓手。", [("贺兰山东麓葡萄酒", "geographical_indication")]),
        ("大力发展“独一份”“优中优”“特别特”产品。", []),
        ("加强地理标志专用标志使用监管，打造地理标志产品引领乡村特色产业发展县域样板。", []),
        ("研究制定地理标志品牌助力地方经济高质量发展实施意见。", []),
    ],
)  # fmt: skip
def test_find_brands(sentence, expected):
    assert brands.find_brands(sentence) == expected


def test_brands_table(tables):
    b = tables["brands"]
    names = set(b["name"])
    assert {"天祝白牦牛", "民勤羊肉", "五原向日葵", "贺兰山东麓葡萄酒", "万荣苹果"} <= names
    assert (b["evidence"].str.len() > 0).all()
    for rec in b.itertuples():
        assert rec.name in rec.evidence


def test_log_odds_ranks_a_word_used_only_in_one_group_first():
    counts = pd.DataFrame(
        {"doc_id": ["a", "a", "a", "b", "b"], "token": ["共有", "独有", "其他", "共有", "其他"], "count": [50, 20, 30, 50, 30]}
    )
    out = keyness.log_odds(counts)
    a = out[out["doc_id"] == "a"].set_index("token")
    assert a.loc["独有", "rank"] == 1 and a.loc["独有", "z"] > 2
    assert abs(a.loc["共有", "z"]) < a.loc["独有", "z"]
    assert "独有" not in set(out.loc[out["doc_id"] == "b", "token"])
