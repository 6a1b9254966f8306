import numpy as np
import pandas as pd
import pytest

from ipanalysis import similarity


def _tokens(docs: dict[str, str]) -> pd.DataFrame:
    """A tokens table from space-separated words, one provision per document."""
    rows = []
    for doc_id, text in docs.items():
        for i, tok in enumerate(text.split()):
            rows.append({"doc_id": doc_id, "provision_id": f"{doc_id}:1", "position": i, "start": 0, "token": tok,
                         "is_stopword": tok in {"的", "和"}})  # fmt: skip
    return pd.DataFrame(rows)


DOCS = pd.DataFrame({"doc_id": ["a", "b", "c"], "region": ["武威", "银川", "运城"], "province": ["甘肃", "宁夏", "山西"]})


@pytest.mark.parametrize(
    ("token", "kept"),
    [
        ("质押融资", True),
        ("的", False),  # stopword
        ("保", False),  # one character
        ("2025", False),  # number
        ("武威", False),  # a region of the corpus
        ("武威市", False),  # starting with one
        ("兰州", False),  # tagged ns in jieba's dictionary
        ("加强", False),  # generic drafting word
    ],
)
def test_content_words(token, kept):
    toks = _tokens({"a": token})
    assert bool(similarity.content_mask(toks, DOCS).iloc[0]) is kept


def test_identical_documents_are_nearest_and_disjoint_ones_share_nothing():
    toks = _tokens({"a": "专利 质押 融资 商标", "b": "专利 质押 融资 商标", "c": "乡村 农户 葡萄酒 种植"})
    table = similarity.similarity_table(toks, DOCS)
    got = {(r.doc_id, r.other_doc_id): r.cosine for r in table.itertuples()}
    assert got[("a", "b")] == pytest.approx(1.0)
    assert got[("a", "c")] == 0.0
    assert got[("a", "b")] == got[("b", "a")]
    first = table[table["doc_id"] == "a"].iloc[0]
    assert first["other_doc_id"] == "b" and first["rank"] == 1
    assert set(first["shared_terms"].split("、")) == {"专利", "质押", "融资", "商标"}


def test_place_names_do_not_make_documents_similar():
    toks = _tokens({"a": "武威 武威 武威 专利", "b": "武威 武威 武威 商标", "c": "运城 版权"})
    sim = similarity.similarity_matrix(toks, DOCS)
    assert sim.loc["a", "b"] == 0.0


def test_neighbours_limit_the_rows():
    toks = _tokens({"a": "专利 商标", "b": "专利 版权", "c": "商标 版权"})
    assert len(similarity.similarity_table(toks, DOCS, neighbours=1)) == 3


def test_real_corpus_table_and_linkage(tables):
    table = tables["document_similarity"]
    n = len(tables["documents"])
    assert len(table) == n * (n - 1)
    assert table["cosine"].between(0, 1).all()
    assert not (table["doc_id"] == table["other_doc_id"]).any()
    regions = set(tables["documents"]["region"])
    for words in table["shared_terms"]:
        assert not any(w.startswith(tuple(regions)) for w in words.split("、") if w)
    sim = similarity.similarity_matrix(tables["tokens"], tables["documents"])
    assert np.allclose(sim.to_numpy(), sim.to_numpy().T)
    assert similarity.linkage(sim).shape == (n - 1, 4)
