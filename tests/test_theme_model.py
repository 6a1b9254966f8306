import pandas as pd
import pytest

from ipanalysis import theme_model as tm

PROTECTION = ["严厉打击侵权假冒行为，开展行政执法专项行动。", "完善侵权纠纷调解和执法协作机制。", "加大侵权案件执法查处力度。",
              "健全执法办案和侵权投诉举报机制。"]  # fmt: skip
USE = ["扩大专利质押融资规模，落实贷款贴息。", "推动专利转化运用和质押融资。", "开展知识产权质押融资入园惠企行动。",
       "发展专利保险和质押融资业务。"]  # fmt: skip


def _provisions(rows):
    """rows: (doc_id, section_no, section_title, body)."""
    out = []
    for seq, (doc, sec, title, body) in enumerate(rows, start=1):
        out.append({"doc_id": doc, "provision_id": f"{doc}:{sec}.{seq}", "seq": seq, "section_no": sec,
                    "subsection_label": "", "section_title": title, "subsection_title": "", "item_title": "", "body": body})  # fmt: skip
    return pd.DataFrame(out)


def _train():
    return [("a", 1, "强化知识产权保护", b) for b in PROTECTION] + [("a", 2, "促进知识产权运用", b) for b in USE]


def test_the_model_learns_from_headings_and_explains_itself():
    model = tm.fit_on_headings(_provisions(_train()))
    assert set(model.classifiers) == {"protection", "use"}
    probs = model.probabilities(["依法查处侵权行为，加强执法。", "鼓励银行开展质押融资。"])
    assert probs.loc[0, "protection"] > 0.5 > probs.loc[0, "use"]
    assert probs.loc[1, "use"] > 0.5 > probs.loc[1, "protection"]
    assert {"侵权", "执法"} & set(model.evidence("依法查处侵权行为，加强执法。", "protection"))
    assert all(w in "依法查处侵权行为，加强执法。" for w in model.evidence("依法查处侵权行为，加强执法。", "protection"))


def test_too_few_examples_train_no_model():
    assert tm.fit_on_headings(_provisions([("a", 1, "强化知识产权保护", PROTECTION[0])])) is None


def test_model_codes_only_where_no_heading_speaks():
    rows = _train() + [("b", 1, "第一部分", "依法查处侵权行为，开展执法检查。")]
    provisions = _provisions(rows)
    empty = pd.DataFrame(columns=["doc_id", "provision_id", "theme", "score", "from_heading", "from_lexicon", "heading",
                                  "matched", "evidence", "source"])  # fmt: skip
    out = tm.add_model_codes(empty, provisions)
    assert set(out["doc_id"]) == {"b"}  # headed provisions get nothing from the model
    row = out[out["theme"] == "protection"].iloc[0]
    assert row["source"] == "model" and row["from_model"] and row["model_prob"] >= tm.PROBABILITY
    assert row["matched"] and row["evidence"] in "依法查处侵权行为，开展执法检查。"
    pd.testing.assert_frame_equal(out, tm.add_model_codes(empty, provisions))  # deterministic


def test_a_heading_group_that_reads_rural_throughout_codes_each_of_its_provisions():
    rural = ["推动地理标志与乡村振兴融合，带动农户增收。", "实施商标品牌富农工程，培育特色农产品品牌。",
             "支持涉农企业发展，助力乡村振兴。"]  # fmt: skip
    rows = _train() + [("b", 3, "第三部分", b) for b in rural] + [("b", 3, "第三部分", "支持博物馆开展文创产品开发。")]
    codes = tm.code_silent(_provisions(rows)[lambda d: d["doc_id"] == "b"], tm.fit_on_headings(_provisions(_train())))
    for pid, found in codes.items():
        assert "rural" in {c.theme for c in found if c.signal == "context"}, pid


# -- the honest measure: leave one document out, headings hidden ------------------------------------


@pytest.fixture(scope="module")
def loo(tables):
    return tm.leave_one_document_out(tables["provisions"])


def test_leave_one_document_out(loo):
    table = tm.agreement_table(loo).set_index("theme")
    print("\nleave-one-document-out agreement with the drafters' headings (headings hidden):\n", table.to_string())
    assert table.loc["all", "n"] > 150
    # The combined coder is the one used; it must beat the lexicon alone and reach the goals it can.
    assert table.loc["all", "combined"] > table.loc["all", "lexicon"] + 0.1
    assert table.loc["all", "combined"] >= 0.8
    for theme in ("protection", "use", "services"):
        assert table.loc[theme, "combined"] >= 0.7, theme
    assert table.loc["rural", "combined"] == 1.0  # every rural provision found, from text and grouping alone
    for theme in table.index.drop(["all", "precision"]):
        assert table.loc[theme, "combined"] >= table.loc[theme, "lexicon"], theme
    # Over-coding kept in check: at least half the themes given are the ones the headings name.
    assert table.loc["precision", "combined"] >= 0.5


def test_rural_is_found_without_a_rural_heading(loo):
    rural = loo[loo["theme"] == "rural"]
    assert len(rural) >= 8 and rural["combined"].all()
    assert rural["doc_id"].nunique() >= 3


def test_built_table_marks_learned_codes_with_evidence(tables):
    t = tables["provision_themes"]
    learned = t[t["source"].isin(["model", "context"])]
    assert len(learned) and learned["from_model"].all()
    assert (learned["matched"] != "").all() and (learned["evidence"] != "").all()
    headed = set(tm.heading_labels(tables["provisions"]).loc[lambda s: s.map(bool)].index)
    assert not set(learned["provision_id"]) & headed
    assert t.loc[t["source"] == "rules", "model_prob"].isna().sum() > 0


@pytest.mark.parametrize(
    ("sentence", "rural"),
    [
        ("推动地理标志产品助农，带动当地特色种植。", True),
        ("培育特色农产品区域公用品牌。", True),
        ("以商标品牌富农，促进农民增收。", True),
        ("实施专利技术强农行动。", True),
        ("与农业银行签订知识产权质押融资合作协议。", False),  # one weak word is not enough
        ("支持企业申请发明专利。", False),
    ],
)
def test_rural_is_read_from_the_text(sentence, rural):
    """Rural revitalisation from the words themselves (兴农 / 富农, 特色农产品, 助农, 农民增收), no heading needed."""
    assert ("rural" in tm._lexicon_themes(sentence)) is rural
