"""Document similarity: TF-IDF cosine over content words.

Why content words only: function words (the stopword list), numbers and place
names make every pair of documents look alike, or make a document look like
itself only because it names its own city. Place names are of two kinds: the
regions of the corpus (from the manifest: 武威, 甘肃…, and any token starting
with one) and the words jieba's own dictionary tags as place names (``ns``:
兰州, 内蒙古…). Generic drafting words (加强, 推进, 知识产权… in
``resources/generic_terms.txt``) go too. What is left is what the documents
talk about.

TF-IDF and the cosine are scikit-learn's (sublinear term frequency, smoothed
IDF, L2 rows), so the figures match what a researcher gets elsewhere. The
clustering for the heatmap is scipy's average linkage on 1 − cosine.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

MIN_LEN = 2


@lru_cache(maxsize=1)
def generic_terms() -> frozenset[str]:
    """The drafting words every provision uses (``resources/generic_terms.txt``)."""
    from .config import resource_lines

    return frozenset(resource_lines("generic_terms.txt"))


@lru_cache(maxsize=1)
def dictionary_place_names() -> frozenset[str]:
    """Words jieba's dictionary tags ``ns`` (place name). Read as text from jieba's package data."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if not spec or not spec.origin:
        return frozenset()
    path = Path(spec.origin).parent / "dict.txt"
    out = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "ns":
                out.add(parts[0])
    return frozenset(out)


def corpus_place_names(documents: pd.DataFrame) -> tuple[str, ...]:
    """The corpus's own region and province names, with and without 市/省/自治区 (longest first)."""
    names = set()
    for col in ("region", "province"):
        if col in documents:
            for v in documents[col].dropna():
                v = str(v).strip()
                if len(v) >= 2:
                    names.add(v)
                    for suffix in ("市", "省", "自治区", "县", "区", "盟"):
                        if v.endswith(suffix) and len(v) - len(suffix) >= 2:
                            names.add(v[: -len(suffix)])
    return tuple(sorted(names, key=lambda s: (-len(s), s)))


def content_mask(tokens: pd.DataFrame, documents: pd.DataFrame) -> pd.Series:
    """True for tokens that count: two characters or more, no stopword, no generic drafting word, no number, no place name.

    Decided once per distinct token (a corpus has millions of tokens but tens
    of thousands of distinct ones).
    """
    skip = generic_terms() | dictionary_place_names()
    own = set(corpus_place_names(documents))
    lengths = sorted({len(n) for n in own})
    number = re.compile(r"^[\d.%０-９]")

    def counts(tok: str) -> bool:
        if len(tok) < MIN_LEN or tok in skip or number.match(tok):
            return False
        return not any(tok[:n] in own for n in lengths if n <= len(tok))

    uniq = tokens["token"].unique()
    good = {t for t in uniq if counts(t)}
    return tokens["token"].isin(good) & ~tokens["is_stopword"]


def document_terms(tokens: pd.DataFrame, documents: pd.DataFrame, *, by: str = "doc_id") -> pd.Series:
    """``by`` -> list of content words, in reading order."""
    kept = tokens[content_mask(tokens, documents)]
    return kept.groupby(by, sort=True)["token"].agg(list)


def tfidf(terms: pd.Series):
    """(matrix, vectorizer) of the documents' content words, scikit-learn defaults plus sublinear tf."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
    return vec.fit_transform(terms.tolist()), vec


def similarity_matrix(tokens: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Square cosine-similarity DataFrame, doc_id by doc_id, sorted."""
    from sklearn.metrics.pairwise import cosine_similarity

    terms = document_terms(tokens, documents)
    if terms.empty:
        return pd.DataFrame()
    x, _vec = tfidf(terms)
    sim = np.clip(cosine_similarity(x), 0.0, 1.0)
    return pd.DataFrame(sim, index=terms.index, columns=terms.index)


def _drivers(x, names, i: int, j: int, top: int) -> list[str]:
    """The words contributing most to the cosine of rows i and j (product of their TF-IDF weights)."""
    prod = x[i].multiply(x[j]).tocoo()
    order = np.lexsort((names[prod.col], -prod.data))[:top]
    return [str(names[prod.col[k]]) for k in order]


def similarity_table(
    tokens: pd.DataFrame, documents: pd.DataFrame, *, neighbours: int = 50, top_terms: int = 5, explained: int = 5
) -> pd.DataFrame:
    """Long table: each document's ``neighbours`` most similar others, with the cosine.

    Sorted by doc_id, then similarity (highest first), then other_doc_id;
    ``rank`` 1 is the nearest neighbour. For the ``explained`` nearest,
    ``shared_terms`` names the words driving the cosine. In a small corpus
    every pair is listed; in a large one the table stays
    documents x ``neighbours`` rows.
    """
    from sklearn.metrics.pairwise import cosine_similarity

    from .tables import SCHEMAS

    cols = list(SCHEMAS["document_similarity"])
    terms = document_terms(tokens, documents)
    if len(terms) < 2:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    x, vec = tfidf(terms)
    x = x.tocsr()
    names = vec.get_feature_names_out()
    sim = np.round(np.clip(cosine_similarity(x), 0.0, 1.0), 4)
    ids = np.array(terms.index, dtype=object)
    rows = []
    for i in range(len(ids)):
        others = np.array([j for j in range(len(ids)) if j != i])
        order = others[np.lexsort((ids[others], -sim[i, others]))][:neighbours]
        for rank, j in enumerate(order, start=1):
            words = _drivers(x, names, i, j, top_terms) if rank <= explained else []
            rows.append((ids[i], ids[j], float(sim[i, j]), rank, "、".join(words)))
    out = pd.DataFrame(rows, columns=["doc_id", "other_doc_id", "cosine", "rank", "shared_terms"])
    return out[cols]


def linkage(sim: pd.DataFrame):
    """scipy average-linkage of the documents on the distance 1 − cosine."""
    from scipy.cluster.hierarchy import linkage as _linkage
    from scipy.spatial.distance import squareform

    dist = 1.0 - sim.to_numpy()
    np.fill_diagonal(dist, 0.0)
    dist = (dist + dist.T) / 2
    return _linkage(squareform(dist, checks=False), method="average")
