import math

import pandas as pd
import pytest

from ipanalysis import concordance

LINES = pd.DataFrame(
    {
        "doc_id": ["a", "a", "a", "a"],
        "line_no": [1, 2, 3, 4],
        "part": ["preamble", "body", "body", "closing"],
        "provision_id": ["", "a:1", "a:2", ""],
        "text": ["为助力乡村振兴，制定本方案。", "1.推动地理标志兴农。", "2.助力乡村振兴。", "附件：乡村振兴重点任务表"],
    }
)
DOCS = pd.DataFrame({"doc_id": ["a"], "region": ["武威"]})


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("all", [("preamble", "", 1), ("body", "a:2", 3), ("closing", "", 4)]),
        ("body", [("body", "a:2", 3)]),
        (["preamble", "closing"], [("preamble", "", 1), ("closing", "", 4)]),
    ],
)
def test_kwic_searches_every_kept_line_and_says_where(where, expected):
    hits = concordance.kwic(LINES, DOCS, "乡村振兴", window=4, where=where)
    assert list(zip(hits["part"], hits["provision_id"], hits["line_no"])) == expected
    assert (hits["region"] == "武威").all()


def test_kwic_context_runs_across_lines():
    hits = concordance.kwic(LINES, DOCS, "兴农", window=6, where="body")
    assert hits.iloc[0]["left"] == "推动地理标志" and hits.iloc[0]["right"] == "。 2.助力"


def test_kwic_regex_and_bad_part():
    assert len(concordance.kwic(LINES, DOCS, r"乡村振兴|兴农", regex=True)) == 4
    with pytest.raises(ValueError, match="where must be"):
        concordance.kwic(LINES, DOCS, "兴农", where="appendix")


def test_excel_export_keeps_formulas_as_text(tmp_path):
    df = pd.DataFrame({"left": ["=HYPERLINK(1)", "+86 电话"], "term": ["地理标志", "商标"], "n": [1, 2]})
    path = concordance.to_excel(df, tmp_path / "kwic.xlsx")
    back = pd.read_excel(path)
    assert back["left"].tolist() == ["'=HYPERLINK(1)", "'+86 电话"]
    assert back["term"].tolist() == ["地理标志", "商标"] and back["n"].tolist() == [1, 2]


def _tokens(provisions: dict[str, str]) -> pd.DataFrame:
    rows = []
    for pid, text in provisions.items():
        for i, tok in enumerate(text.split()):
            rows.append({"doc_id": pid.split(":")[0], "provision_id": pid, "position": i, "start": 0, "token": tok,
                         "is_stopword": tok == "的"})  # fmt: skip
    return pd.DataFrame(rows)


TOKENS = _tokens({"a:1": "地理标志 的 保护 地理标志 兴农", "a:2": "兴农 商标 保护", "b:1": "地理标志 保护 试点"})


def test_ngrams_stay_inside_a_provision_and_skip_stopwords():
    grams = concordance.ngrams(TOKENS, n=2, by="doc_id", min_count=1)
    a = dict(zip(grams.loc[grams["group"] == "a", "ngram"], grams.loc[grams["group"] == "a", "count"]))
    assert a == {"地理标志 保护": 1, "保护 地理标志": 1, "地理标志 兴农": 1, "兴农 商标": 1, "商标 保护": 1}
    assert "兴农 兴农" not in a  # a:1 ends and a:2 starts with 兴农: not a bigram
    pooled = concordance.ngrams(TOKENS, n=2, by=None, min_count=2)
    assert pooled["ngram"].tolist() == ["地理标志 保护"] and pooled["count"].tolist() == [2]


def test_ngrams_by_group_mapping():
    grams = concordance.ngrams(TOKENS, n=1, groups={"a": "city", "b": "province"}, min_count=1, min_len=2)
    assert set(grams["group"]) == {"city", "province"}
    city = grams[grams["group"] == "city"].set_index("ngram")["count"]
    assert city["地理标志"] == 2 and city["兴农"] == 2


def test_collocations_count_the_window_and_score_it():
    out = concordance.collocations(TOKENS, "地理标志", window=1, by=None, min_count=1)
    got = out.set_index("collocate")
    # windows of 1 around the three 地理标志 (stopword 的 removed first): [保护] [保护 兴农] [保护]: 4 positions
    assert got.loc["保护", "observed"] == 3 and got.loc["兴农", "observed"] == 1
    # 10 content tokens, 3 of them 保护: expected 3 x 4 / 10
    assert got.loc["保护", "expected"] == pytest.approx(1.2, abs=1e-4)
    assert got.loc["保护", "mi"] == pytest.approx(math.log2(3 / 1.2), abs=1e-4)
    assert out.iloc[0]["collocate"] == "保护"


def test_corpus_methods_delegate(corpus):
    hits = corpus.kwic("乡村振兴", where="all")
    assert set(hits["part"]) <= set(concordance.PARTS) and len(hits) >= len(corpus.kwic("乡村振兴", where="body"))
    assert (hits["term"] == "乡村振兴").all()
    assert len(corpus.ngrams(n=2, by=None, top=5)) == 5
    assert corpus.collocations("地理标志", by=None, top=3)["node"].eq("地理标志").all()
