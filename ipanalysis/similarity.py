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


class ContentWords:
    """Which tokens count: two characters or more, no stopword, no generic drafting word, no number, no place name.

    Decided once per distinct token (a corpus has millions of tokens but tens
    of thousands of distinct ones) and remembered, so a corpus read in
    batches decides each token once.
    """

    def __init__(self, documents: pd.DataFrame):
        self.skip = generic_terms() | dictionary_place_names()
        self.own = set(corpus_place_names(documents))
        self.lengths = sorted({len(n) for n in self.own})
        self.number = re.compile(r"^[\d.%０-９]")
        self.good: set[str] = set()
        self.seen: set[str] = set()

    def counts(self, tok: str) -> bool:
        """Whether ``tok`` is a content word (its stopword flag aside)."""
        if len(tok) < MIN_LEN or tok in self.skip or self.number.match(tok):
            return False
        return not any(tok[:n] in self.own for n in self.lengths if n <= len(tok))

    def mask(self, tokens: pd.DataFrame) -> pd.Series:
        """True for the rows of ``tokens`` (columns token, is_stopword) that are content words."""
        for t in tokens["token"].unique():
            if t not in self.seen:
                self.seen.add(t)
                if self.counts(t):
                    self.good.add(t)
        return tokens["token"].isin(self.good) & ~tokens["is_stopword"]


def content_mask(tokens: pd.DataFrame, documents: pd.DataFrame) -> pd.Series:
    """True for tokens that count: two characters or more, no stopword, no generic drafting word, no number, no place name."""
    return ContentWords(documents).mask(tokens)


class TermCounter:
    """Content words counted per document and per provision, a batch of tokens at a time.

    Holds integer codes, never the token rows: what the similarity needs (a
    document x term count matrix) and what the co-word network needs (the
    distinct provision x term pairs). Batches come in doc_id order.
    """

    def __init__(self, documents: pd.DataFrame):
        self.words = ContentWords(documents)
        self.vocab: dict[str, int] = {}
        self.doc_ids: list[str] = []
        self.provision_ids: dict[str, int] = {}
        self._docs: list[np.ndarray] = []
        self._terms: list[np.ndarray] = []
        self._provisions: list[np.ndarray] = []

    def add(self, tokens: pd.DataFrame) -> None:
        """A batch of token rows (doc_id, provision_id, token, is_stopword)."""
        kept = tokens.loc[self.words.mask(tokens), ["doc_id", "provision_id", "token"]]
        if kept.empty:
            return
        for t in kept["token"].unique():
            self.vocab.setdefault(t, len(self.vocab))
        for d in kept["doc_id"].unique():
            if not self.doc_ids or self.doc_ids[-1] != d:
                self.doc_ids.append(d)
        for pid in kept["provision_id"].unique():
            self.provision_ids.setdefault(pid, len(self.provision_ids))
        doc_code = {d: i for i, d in enumerate(self.doc_ids)}
        self._docs.append(kept["doc_id"].map(doc_code).to_numpy(dtype=np.int64))
        self._terms.append(kept["token"].map(self.vocab).to_numpy(dtype=np.int64))
        self._provisions.append(kept["provision_id"].map(self.provision_ids).to_numpy(dtype=np.int64))

    def names(self) -> tuple[np.ndarray, np.ndarray]:
        """(terms in sorted order, as an object array; each vocabulary code's position in it)."""
        terms = np.array(list(self.vocab), dtype=object)
        order = np.argsort(terms, kind="stable") if len(terms) else np.empty(0, dtype=np.int64)
        position = np.empty(len(terms), dtype=np.int64)
        position[order] = np.arange(len(terms))
        return terms[order], position

    def document_counts(self):
        """(doc_ids sorted, CSR count matrix documents x sorted terms): what CountVectorizer would give."""
        from scipy import sparse

        names, position = self.names()
        if not self._docs:
            return [], sparse.csr_matrix((0, 0), dtype=np.int64), names
        docs = np.concatenate(self._docs)
        terms = position[np.concatenate(self._terms)]
        ids = np.array(self.doc_ids, dtype=object)
        rank = np.empty(len(ids), dtype=np.int64)
        rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
        x = sparse.csr_matrix((np.ones(len(docs), dtype=np.int64), (rank[docs], terms)), shape=(len(ids), len(names)))
        x.sum_duplicates()
        x.sort_indices()
        return sorted(self.doc_ids), x, names

    def provision_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(provision codes, sorted-term positions, sorted term names) of the distinct provision x term pairs."""
        names, position = self.names()
        if not self._provisions:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), names
        prov = np.concatenate(self._provisions)
        terms = position[np.concatenate(self._terms)]
        key = np.unique(prov * max(len(names), 1) + terms)
        return key // max(len(names), 1), key % max(len(names), 1), names


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
    counter = TermCounter(documents)
    counter.add(tokens)
    return similarity_from_counts(counter, neighbours=neighbours, top_terms=top_terms, explained=explained)


BLOCK_ROWS = 512  # documents whose cosines with every other are held at once (a 512 x N block, never N x N)


def similarity_from_counts(counter: TermCounter, *, neighbours: int = 50, top_terms: int = 5, explained: int = 5) -> pd.DataFrame:
    """:func:`similarity_table` from a :class:`TermCounter`: TF-IDF as scikit-learn's ``TfidfVectorizer``
    (counts, then ``TfidfTransformer`` with sublinear tf), cosines a block of rows at a time, top neighbours kept."""
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.metrics.pairwise import cosine_similarity

    from .tables import SCHEMAS

    cols = list(SCHEMAS["document_similarity"])
    doc_ids, counts, names = counter.document_counts()
    if len(doc_ids) < 2:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    x = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    ids = np.array(doc_ids, dtype=object)
    n = len(ids)
    rows = []
    for start in range(0, n, BLOCK_ROWS):
        block = np.round(np.clip(cosine_similarity(x[start : start + BLOCK_ROWS], x), 0.0, 1.0), 4)
        for r in range(block.shape[0]):
            i = start + r
            others = np.flatnonzero(np.arange(n) != i)
            sims = block[r, others]
            if len(others) > neighbours:  # only ties at the cut can matter: keep every value up to it
                cut = -np.partition(-sims, neighbours - 1)[neighbours - 1]
                near = sims >= cut
                others, sims = others[near], sims[near]
            order = others[np.lexsort((ids[others], -sims))][:neighbours]
            for rank, j in enumerate(order, start=1):
                words = _drivers(x, names, i, j, top_terms) if rank <= explained else []
                rows.append((ids[i], ids[j], float(block[r, j]), rank, "、".join(words)))
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
