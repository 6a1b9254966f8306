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
IDF, L2 rows), so the figures match what a researcher gets elsewhere. For a
corpus of any size the tokens are counted a record batch at a time as
integer codes (:class:`TokenCounts`, shared with the co-words), and the
cosine is computed ``BLOCK`` rows at a time keeping each row's nearest
(:func:`similarity_from_counts`): never a documents x documents matrix, and
the same numbers to the bit as the whole matrix. The cost is still
quadratic in time (every pair's product is computed: about 40 s of CPU at
10,000 synthetic documents, whose copies share most words). The
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


def content_filter(documents: pd.DataFrame):
    """A function token -> bool: two characters or more, no generic drafting word, no number, no place name.

    (The stopword flag is the tokens table's own and is checked per token row.)
    """
    skip = generic_terms() | dictionary_place_names()
    own = set(corpus_place_names(documents))
    lengths = sorted({len(n) for n in own})
    number = re.compile(r"^[\d.%０-９]")

    def counts(tok: str) -> bool:
        if len(tok) < MIN_LEN or tok in skip or number.match(tok):
            return False
        return not any(tok[:n] in own for n in lengths if n <= len(tok))

    return counts


def content_mask(tokens: pd.DataFrame, documents: pd.DataFrame) -> pd.Series:
    """True for tokens that count: two characters or more, no stopword, no generic drafting word, no number, no place name.

    Decided once per distinct token (a corpus has millions of tokens but tens
    of thousands of distinct ones).
    """
    counts = content_filter(documents)
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


# -- content words counted batch by batch (the tokens table is never held whole) -----------------

TOKEN_COLUMNS = ["doc_id", "provision_id", "token", "is_stopword"]


class TokenCounts:
    """Content words of a tokens table fed a record batch at a time, kept as integer codes.

    Why: at 10,000 documents the tokens table has tens of millions of rows;
    a column of Python strings for them is gigabytes. Each batch's
    dictionary-encoded columns are mapped to corpus-wide integer codes
    (documents, terms; a provision is numbered by its run of rows), and only
    what the corpus steps need is kept: the document x term counts (for
    :func:`similarity_from_counts`) and the distinct (provision, term) pairs
    (for the co-words). The rows of the last document of a batch wait for
    the next batch, so every document (and provision) is counted whole. The
    tokens must come sorted by document, then reading order, as the tables
    are (a document met twice is an error).
    """

    def __init__(self, documents: pd.DataFrame):
        self._keep = content_filter(documents)
        self.terms: dict[str, int] = {}  # term -> code (first-seen order)
        self._good: list[bool] = []  # per term code: a content word
        self.docs: dict[str, int] = {}
        self._n_prov = 0  # provisions numbered so far
        self._last_prov: str | None = None  # the provision_id of the last row fed
        self._carry = (np.empty(0, dtype=np.int64),) * 3  # doc, provision, term of the document waiting
        self._dt: list[np.ndarray] = []  # doc * n + term keys with counts, per batch
        self._dt_n: list[np.ndarray] = []
        self._pt: list[np.ndarray] = []  # provision * n + term keys, per batch

    def _codes(self, column, table: dict[str, int], *, terms: bool = False) -> np.ndarray:
        """Corpus-wide codes of a (dictionary-encoded) column of one batch."""
        local, indices = self._dictionary(column)
        codes = np.empty(len(local), dtype=np.int64)
        for i, value in enumerate(local):
            code = table.get(value)
            if code is None:
                code = table[value] = len(table)
                if terms:
                    self._good.append(self._keep(value))
            codes[i] = code
        return codes[indices]

    @staticmethod
    def _dictionary(column) -> tuple[list, np.ndarray]:
        import pyarrow as pa
        import pyarrow.compute as pc

        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        return column.dictionary.to_pylist(), column.indices.to_numpy(zero_copy_only=False).astype(np.int64)

    def _provision_codes(self, column) -> np.ndarray:
        """A number per run of rows of the same provision, continuing the previous batch's last run."""
        local, idx = self._dictionary(column)
        if not len(idx):
            return idx
        new = np.r_[local[idx[0]] != self._last_prov, idx[1:] != idx[:-1]]
        codes = self._n_prov - 1 + np.cumsum(new)
        self._n_prov = int(codes[-1]) + 1
        self._last_prov = local[idx[-1]]
        return codes

    def feed(self, batch) -> None:
        """Count the content words of one record batch (columns ``TOKEN_COLUMNS``)."""
        term = self._codes(batch.column("token"), self.terms, terms=True)
        prov = self._provision_codes(batch.column("provision_id"))
        good = np.asarray(self._good, dtype=bool)[term]
        good &= ~batch.column("is_stopword").to_numpy(zero_copy_only=False).astype(bool)
        doc = self._codes(batch.column("doc_id"), self.docs)[good]
        parts = [np.concatenate([c, x]) for c, x in zip(self._carry, (doc, prov[good], term[good]))]
        doc = parts[0]
        if not len(doc):
            return
        if (np.diff(doc) < 0).any():
            raise ValueError("tokens not sorted by document: a document's rows are not together")
        cut = int(np.searchsorted(doc, doc[-1]))  # the last document may go on in the next batch
        self._carry = tuple(x[cut:] for x in parts)
        self._count(*(x[:cut] for x in parts))

    def _count(self, doc: np.ndarray, prov: np.ndarray, term: np.ndarray) -> None:
        """Count whole documents."""
        if not len(doc):
            return
        if self._dt and doc[0] <= self._dt[-1][-1] >> 31:
            raise ValueError("tokens not sorted by document: a document met twice")
        keys, n = _distinct(doc, term)
        self._dt.append(keys)
        self._dt_n.append(n.astype(np.int32))
        self._pt.append(_distinct(prov, term)[0])

    def finish(self):
        """(doc_ids, terms, counts, pairs): the counted documents sorted, the term names by code, a sparse
        documents x terms count matrix (rows in ``doc_ids`` order, columns by term code), and the distinct
        (provision code, term code) pairs as two arrays."""
        from scipy import sparse

        self._count(*self._carry)
        self._carry = ()
        names = np.array(list(self.terms), dtype=object)
        docs = np.array(list(self.docs), dtype=object)
        keys = np.concatenate(self._dt) if self._dt else np.empty(0, dtype=np.int64)
        self._dt = []
        n = np.concatenate(self._dt_n) if self._dt_n else np.empty(0, dtype=np.int64)
        self._dt_n = []  # keys are sorted and distinct: each document was counted whole, in order
        doc = keys >> 31
        per_doc = np.bincount(doc, minlength=len(docs))
        used = np.flatnonzero(per_doc)
        indptr = np.r_[0, np.cumsum(per_doc[used])]
        counts = sparse.csr_matrix(((n).astype(np.int64), (keys & ((1 << 31) - 1)).astype(np.int32), indptr),
                                   shape=(len(used), len(names)))  # fmt: skip
        del keys, n, doc
        ranked = np.argsort(docs[used].astype(str), kind="stable")
        if (ranked != np.arange(len(ranked))).any():  # documents met out of doc_id order
            counts = counts[ranked]
        pairs = np.concatenate(self._pt) if self._pt else np.empty(0, dtype=np.int64)
        self._pt = []
        return docs[used[ranked]], names, counts, (pairs >> 31, pairs & ((1 << 31) - 1))


def _distinct(row: np.ndarray, col: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row * 2**31 + col keys, counts) of the distinct (row, col) pairs, sorted.

    Counted as a sparse matrix (a counting sort, linear) rather than with
    ``np.unique`` (a comparison sort): the rows of one batch are few and close.
    """
    from scipy import sparse

    low = int(row.min())
    m = sparse.csr_matrix((np.ones(len(row), dtype=np.int64), (row - low, col)),
                          shape=(int(row.max()) - low + 1, int(col.max()) + 1))  # fmt: skip
    m.sum_duplicates()
    rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr)) + low
    return rows * (1 << 31) + m.indices.astype(np.int64), m.data


def count_tokens(batches, documents: pd.DataFrame) -> TokenCounts:
    """A :class:`TokenCounts` fed every record batch of ``batches``."""
    acc = TokenCounts(documents)
    for batch in batches:
        acc.feed(batch)
    return acc


def frame_batches(tokens: pd.DataFrame, rows: int = 1 << 16):
    """Record batches of an in-memory tokens table (the path for small corpora and subsets)."""
    import pyarrow as pa

    cols = tokens[TOKEN_COLUMNS]
    for at in range(0, len(cols), rows):
        part = cols.iloc[at : at + rows]
        yield pa.RecordBatch.from_pandas(part.astype({"is_stopword": bool}), preserve_index=False)


def tfidf_from_counts(counts, names: np.ndarray):
    """(matrix, feature names) as :func:`tfidf` gives them: columns in sorted term order, sublinear tf, L2 rows.

    Same arithmetic as scikit-learn's vectoriser (it is its transformer, fed
    the same sorted count matrix), so the cosines are the same to the bit.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    present = np.flatnonzero(np.diff(counts.tocsc().indptr) > 0)
    order = present[np.argsort(names[present].astype(str), kind="stable")]
    x = counts[:, order].tocsr()
    x.sort_indices()
    return TfidfTransformer(sublinear_tf=True).fit_transform(x).tocsr(), names[order]


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
    """The words contributing most to the cosine of rows i and j (product of their TF-IDF weights).

    Columns are in sorted term order, so ties go to the first term by column.
    """
    a = slice(x.indptr[i], x.indptr[i + 1])
    b = slice(x.indptr[j], x.indptr[j + 1])
    cols, ia, ib = np.intersect1d(x.indices[a], x.indices[b], assume_unique=True, return_indices=True)
    prod = x.data[a][ia] * x.data[b][ib]
    order = np.lexsort((cols, -prod))[:top]
    return [str(names[cols[k]]) for k in order]


BLOCK = 256  # rows of the cosine computed at once: BLOCK x documents floats, never documents x documents


def _nearest(row: np.ndarray, i: int, neighbours: int) -> np.ndarray:
    """Indices of the ``neighbours`` highest values of ``row`` but i, highest first, ties by index."""
    others = np.delete(np.arange(len(row)), i)
    vals = row[others]
    if len(others) > neighbours:
        cut = np.partition(vals, len(vals) - neighbours)[len(vals) - neighbours]
        keep = vals >= cut
        others, vals = others[keep], vals[keep]
    return others[np.lexsort((others, -vals))][:neighbours]


def similarity_from_counts(
    doc_ids: np.ndarray, counts, names: np.ndarray, *, neighbours: int = 50, top_terms: int = 5, explained: int = 5
) -> pd.DataFrame:
    """The similarity table from a documents x terms count matrix (rows: ``doc_ids``, sorted).

    The cosine is computed ``BLOCK`` rows at a time against every document
    (scikit-learn's ``cosine_similarity`` steps: normalised rows, then the
    same sparse product, so the same numbers as the whole matrix), and
    only each row's ``neighbours`` best are kept: memory stays documents x
    ``neighbours``, not documents squared.
    """
    from sklearn.preprocessing import normalize
    from sklearn.utils.extmath import safe_sparse_dot

    from .tables import SCHEMAS

    cols = list(SCHEMAS["document_similarity"])
    if len(doc_ids) < 2:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    x, names = tfidf_from_counts(counts, names)
    xn = normalize(x)  # what cosine_similarity does to its rows, done once rather than per block
    xt = xn.T.tocsr()  # what scikit-learn's sparse product converts the right side to, once
    ids = np.asarray(doc_ids, dtype=object)
    left, right, cosine, rank = [], [], [], []
    words: list[str] = []
    for at in range(0, len(ids), BLOCK):
        sim = np.round(np.clip(safe_sparse_dot(xn[at : at + BLOCK], xt, dense_output=True), 0.0, 1.0), 4)
        for r in range(sim.shape[0]):
            i = at + r
            near = _nearest(sim[r], i, neighbours)
            left.append(np.full(len(near), i, dtype=np.int32))
            right.append(near.astype(np.int32))
            cosine.append(sim[r, near])
            rank.append(np.arange(1, len(near) + 1, dtype=np.int64))
            words += ["、".join(_drivers(x, names, i, int(j), top_terms)) if k < explained else ""
                      for k, j in enumerate(near)]  # fmt: skip
    left, right = np.concatenate(left), np.concatenate(right)
    out = pd.DataFrame({
        "doc_id": ids[left], "other_doc_id": ids[right], "cosine": np.concatenate(cosine).astype(float),
        "rank": np.concatenate(rank), "shared_terms": words,
    })  # fmt: skip
    return out[cols]


def similarity_table(
    tokens: pd.DataFrame, documents: pd.DataFrame, *, neighbours: int = 50, top_terms: int = 5, explained: int = 5
) -> pd.DataFrame:
    """Long table: each document's ``neighbours`` most similar others, with the cosine.

    Sorted by doc_id, then similarity (highest first), then other_doc_id;
    ``rank`` 1 is the nearest neighbour. For the ``explained`` nearest,
    ``shared_terms`` names the words driving the cosine. In a small corpus
    every pair is listed; in a large one the table stays
    documents x ``neighbours`` rows. Computed as the build computes it from
    the Parquet files (:class:`TokenCounts`, :func:`similarity_from_counts`).
    """
    doc_ids, names, counts, _pairs = count_tokens(frame_batches(tokens), documents).finish()
    return similarity_from_counts(doc_ids, counts, names, neighbours=neighbours, top_terms=top_terms,
                                  explained=explained)  # fmt: skip


def linkage(sim: pd.DataFrame):
    """scipy average-linkage of the documents on the distance 1 − cosine."""
    from scipy.cluster.hierarchy import linkage as _linkage
    from scipy.spatial.distance import squareform

    dist = 1.0 - sim.to_numpy()
    np.fill_diagonal(dist, 0.0)
    dist = (dist + dist.T) / 2
    return _linkage(squareform(dist, checks=False), method="average")
