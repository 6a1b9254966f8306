import pandas as pd
import pytest

from ipanalysis import phrases


def _provisions(bodies: dict[str, list[str]]) -> pd.DataFrame:
    rows = [
        {"doc_id": d, "provision_id": f"{d}:{i}", "seq": i, "body": b}
        for d, bs in bodies.items()
        for i, b in enumerate(bs, start=1)
    ]
    return pd.DataFrame(rows)


DOCS = pd.DataFrame(
    {"doc_id": ["a", "b", "c"], "issuer": ["甲市人民政府", "乙省人民政府", "丙市人民政府"],
     "issued": ["2023-01-19", "2020-06-04", ""]}
)  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        # a national slogan, quoted differently, spaced by the page layout
        ("积极构建知识产权“严保护、大保护、快保护、同保护”工作格局。", "构建知识产权\" 严保护、大保护、快保护、同保护 \"工作格局.",
         "构建知识产权严保护、大保护、快保护、同保护工作格局"),
        # ASCII punctuation made full-width
        ("完善知识产权质押融资(含专利、商标)风险补偿机制", "完善知识产权质押融资（含专利、商标）风险补偿机制",
         "完善知识产权质押融资（含专利、商标）风险补偿机制"),
        ("推动专利技术强农、商标品牌富农、地理标志兴农。", "通过专利技术强农、商标品牌富农、地理标志兴农、新技术惠农。",
         "专利技术强农、商标品牌富农、地理标志兴农"),
        ("加强知识产权保护。", "加强知识产权保护。", None),  # nine characters: a collocation, not a passage
        ("完善知识产权质押融资风险补偿机制", "推行地理标志产品保护示范区建设", None),
    ],
)  # fmt: skip
def test_shared_passages(a, b, shared):
    found = phrases.find_shared(phrases.document_texts(_provisions({"a": [a], "b": [b]})))
    if shared is None:
        assert found == []
    else:
        assert (shared, ("a", "b")) in found


def test_a_passage_never_crosses_two_provisions():
    p = _provisions({"a": ["深入开展知识产权", "助力乡村振兴"], "b": ["深入开展知识产权助力乡村振兴"]})
    assert phrases.find_shared(phrases.document_texts(p)) == []


def test_the_table_names_the_earliest_issuer_and_keeps_only_maximal_passages():
    text = "深入开展知识产权助力乡村振兴行动计划"
    p = _provisions({"a": [text], "b": [text], "c": [text]})
    table = phrases.shared_phrases_table(p, DOCS)
    assert table["phrase"].tolist() == [text]
    row = table.iloc[0]
    assert row["n_docs"] == 3 and row["doc_ids"] == "a、b、c"
    assert row["earliest_doc_id"] == "b" and row["earliest_issuer"] == "乙省人民政府"  # c has no date: last


def test_real_corpus_slogans_surface_and_the_notice_wrapper_does_not(tables):
    table = tables["shared_phrases"]
    slogan = table[table["phrase"].str.contains("严保护、大保护、快保护、同保护")]
    assert len(slogan) == 1 and slogan.iloc[0]["n_docs"] >= 2
    # The wrapper (印发…的通知, 现印发给你们, signature) does repeat across documents…
    lines = tables["lines"]
    wrapper = lines[lines["part"] != "body"].groupby("doc_id")["text"].agg(lambda s: "\n".join(map(phrases.normalise, s)))
    repeated = [p for p, _docs in phrases.find_shared(wrapper)]
    assert any("印发给你们" in p for p in repeated)
    # …but none of its passages is reported.
    assert not any("印发给你们" in p for p in table["phrase"])
    assert (table["n_chars"] >= phrases.SHINGLE).all()
    assert not table["phrase"].str.match(r"^[=+\-@]").any()
