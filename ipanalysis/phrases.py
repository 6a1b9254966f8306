"""Shared phrases: passages that two or more documents share word for word (policy diffusion).

Method: character shingles with an inverted index, then maximal runs.

Why shingles and not MinHash or local alignment: the question is not "how
similar are these two documents" (MinHash estimates that, and loses the
passages) nor "align these two texts" (Smith-Waterman is quadratic per pair,
and a thousand documents make half a million pairs). It is "which passages
recur, and where". Every ``SHINGLE``-character window of every document is
hashed once; a window found in two or more documents is shared; consecutive
shared windows held by the same set of documents join into one passage. That
is one pass over the text plus a sort, linear in the corpus size, and it
returns the passages themselves. Chinese has no spaces, so characters are
the natural unit and survive segmentation differences.

What is compared: the provisions' bodies, that is the numbered text of the
policy. The notice wrapper (印发…的通知, 各县区人民政府…, 现将…印发给你们,
the signature and distribution lists) is preamble or closing, not body, so
its phrases never surface, however many documents repeat them. Quotation
marks and spaces are dropped and ASCII punctuation made full-width before
comparing, so “严保护、大保护” in one document meets 严保护、大保护 in another.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

SHINGLE = 10  # characters: shorter runs are ordinary collocations (加强知识产权保护 has 8)
_DROP = re.compile(r"[\s“”‘’\"'「」『』]")
_ASCII = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})
_EDGE = re.compile(r"^[，。；：、！？）\]】》=+\-@]+|[，；：、（\[【《=+\-@]+$")


def normalise(text: str) -> str:
    """The text as compared: full-width punctuation, no quotation marks, no spaces."""
    return _DROP.sub("", text.translate(_ASCII))


def document_texts(provisions: pd.DataFrame) -> pd.Series:
    """doc_id -> its provisions' bodies, normalised, one provision per line (no shingle crosses two)."""
    bodies = provisions.sort_values(["doc_id", "seq"])
    return bodies.groupby("doc_id", sort=True)["body"].agg(lambda s: "\n".join(normalise(b) for b in s))


# Window hashes: a polynomial rolling hash over the code points, modulo 2**64 (numpy's unsigned
# arithmetic wraps): stable across runs and machines, unlike Python's hash() of a string, and computed
# for a whole text in SHINGLE vector operations.
_BASE = np.uint64(0x100000001B3)


def window_hashes(text: str, k: int = None) -> tuple[np.ndarray, np.ndarray]:
    """(hash of every k-character window, whether the window lies within one line) of ``text``."""
    k = k or SHINGLE
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=bool)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _BASE + cps[j : j + n]
    breaks = np.concatenate([[0], np.cumsum(cps == ord("\n"))])
    return h, (breaks[k:] - breaks[:n]) == 0


def _signature(i: int) -> np.uint64:
    """A pseudo-random 64-bit tag of document number ``i`` (splitmix64): sums of tags name sets of documents."""
    z = (i + 1) * 0x9E3779B97F4A7C15 % 2**64
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 % 2**64
    z = (z ^ (z >> 27)) * 0x94D049BB133111EB % 2**64
    return np.uint64(z ^ (z >> 31))


class WindowIndex:
    """For every distinct window hash: in how many documents it occurs, and a tag of which documents.

    Built one document at a time (:meth:`add`), so a corpus is never held as
    one array of windows. The tag of a window is the sum (mod 2**64) of its
    documents' signatures: two windows held by the same documents have the
    same tag, and two different sets of documents collide with probability
    2**-64. Memory grows with the number of distinct windows, not with copies.
    """

    def __init__(self, k: int = None):
        self.k = k or SHINGLE
        self.hashes = np.empty(0, dtype=np.uint64)
        self.counts = np.empty(0, dtype=np.int64)
        self.tags = np.empty(0, dtype=np.uint64)
        self._pending: list[tuple[np.ndarray, np.uint64]] = []
        self._pending_size = 0
        self.n_docs = 0

    def add(self, text: str) -> None:
        """The next document's text."""
        h, valid = window_hashes(text, self.k)
        self._pending.append((np.unique(h[valid]), _signature(self.n_docs)))
        self._pending_size += len(self._pending[-1][0])
        self.n_docs += 1
        if self._pending_size > max(1_000_000, len(self.hashes)):
            self._merge()

    def _merge(self) -> None:
        if not self._pending:
            return
        h = np.concatenate([self.hashes, *(u for u, _s in self._pending)])
        c = np.concatenate([self.counts, *(np.ones(len(u), dtype=np.int64) for u, _s in self._pending)])
        t = np.concatenate([self.tags, *(np.full(len(u), s, dtype=np.uint64) for u, s in self._pending)])
        self._pending, self._pending_size = [], 0
        if not len(h):
            return
        order = np.argsort(h, kind="stable")
        h, c, t = h[order], c[order], t[order]
        starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
        self.hashes = h[starts]
        self.counts = np.add.reduceat(c, starts)
        with np.errstate(over="ignore"):
            self.tags = np.add.reduceat(t, starts)

    def shared_tags(self, text: str) -> np.ndarray:
        """Per window of ``text``: the tag of its documents when two or more hold it, else 0."""
        self._merge()
        h, valid = window_hashes(text, self.k)
        if not len(h):
            return np.empty(0, dtype=np.uint64)
        at = np.minimum(np.searchsorted(self.hashes, h), max(len(self.hashes) - 1, 0))
        known = valid & (self.hashes[at] == h) if len(self.hashes) else np.zeros(len(h), dtype=bool)
        shared = known & (self.counts[at] >= 2)
        return np.where(shared, self.tags[at], np.uint64(0))


def _runs(text: str, tags: np.ndarray, k: int) -> list[tuple[str, int]]:
    """(passage, tag) for each maximal run of shared windows held by the same documents."""
    if not len(tags):
        return []
    change = np.flatnonzero(np.r_[True, tags[1:] != tags[:-1]])
    ends = np.r_[change[1:], len(tags)]
    return [(text[s : e - 1 + k], int(tags[s])) for s, e in zip(change, ends) if tags[s]]


def find_shared(texts: pd.Series, *, k: int = SHINGLE) -> list[tuple[str, tuple[str, ...]]]:
    """(passage, doc_ids holding it), for every passage of at least ``k`` characters in two or more documents.

    A passage that is part of a longer one held by the same documents is
    dropped. Sorted: most documents first, then longest, then the passage.
    ``texts``: doc_id -> text, or any iterable of (doc_id, text) read twice
    (see :func:`shared_from_batches`).
    """
    pairs = list(texts.items()) if isinstance(texts, pd.Series) else texts
    return _find_shared(lambda: iter(pairs), k=k)


def _find_shared(documents, *, k: int) -> list[tuple[str, tuple[str, ...]]]:
    """:func:`find_shared` over ``documents()``, a callable giving (doc_id, text) in the same order each time."""
    index = WindowIndex(k)
    for _doc_id, text in documents():
        index.add(text)
    found: dict[str, int] = {}
    members: dict[int, list[str]] = {}
    for doc_id, text in documents():
        tags = index.shared_tags(text)
        for tag in np.unique(tags[tags != 0]).tolist():
            members.setdefault(tag, []).append(doc_id)
        for passage, tag in _runs(text, tags, k):
            passage = _EDGE.sub("", passage)
            if len(passage) >= k:
                found.setdefault(passage, tag)
    by_set: dict[int, list[str]] = {}
    for passage, tag in found.items():
        by_set.setdefault(tag, []).append(passage)
    out = []
    for tag, passages in by_set.items():
        passages.sort(key=lambda p: (-len(p), p))
        kept: list[str] = []
        for p in passages:
            if not any(p in q for q in kept):
                kept.append(p)
        docs = tuple(members[tag])
        out += [(p, docs) for p in kept]
    return sorted(out, key=lambda x: (-len(x[1]), -len(x[0]), x[0], x[1]))


def shared_from_batches(batches, documents: pd.DataFrame, *, k: int = SHINGLE) -> pd.DataFrame:
    """The shared-phrases table from ``batches()``: a callable giving provisions DataFrames (doc_id, seq, body)
    of whole documents, in doc_id order, the same each time (read twice: windows counted, then runs found)."""

    def texts():
        for batch in batches():
            yield from document_texts(batch).items()

    return _table(_find_shared(texts, k=k), documents)


def _table(found, documents: pd.DataFrame) -> pd.DataFrame:
    from .tables import SCHEMAS

    cols = list(SCHEMAS["shared_phrases"])
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    rows = [{"phrase": phrase, "n_chars": len(phrase), "n_docs": len(ids), "doc_ids": "、".join(ids)} for phrase, ids in found]
    return earliest_holder(pd.DataFrame(rows), documents)[cols]


def shared_phrases_table(provisions: pd.DataFrame, documents: pd.DataFrame, *, k: int = SHINGLE) -> pd.DataFrame:
    """One row per shared passage: the phrase, its length, the documents holding it and the earliest of them.

    The earliest document is the one issued first (issue date from the
    documents table; documents without one come last, then by doc_id): a
    hint of who said it first, not proof, since both may quote a third text.
    """
    texts = document_texts(provisions) if len(provisions) else pd.Series(dtype=object)
    found = find_shared(texts, k=k) if len(texts) >= 2 else []
    return _table(found, documents)


def earliest_holder(shared: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``shared`` (with ``doc_ids`` joined by 、) with ``earliest_doc_id``, ``earliest_issuer``, ``earliest_issued``.

    The earliest is the document issued first; one without an issue date comes
    last, then by doc_id, so the choice is the same on every run.
    """
    docs = documents.set_index("doc_id")
    issued = docs["issued"].fillna("").to_dict()
    issuer = docs["issuer"].fillna("").to_dict()
    first = [min(ids.split("、"), key=lambda d: (issued.get(d, "") == "", issued.get(d, ""), d)) for ids in shared["doc_ids"]]
    return shared.assign(
        earliest_doc_id=first,
        earliest_issuer=[issuer.get(d, "") for d in first],
        earliest_issued=[issued.get(d, "") for d in first],
    )


def pair_overlap(shared: pd.DataFrame) -> pd.DataFrame:
    """Per pair of documents: shared passages and their characters, both directions (for a who-with-whom chart)."""
    rows = []
    for rec in shared.itertuples(index=False):
        ids = rec.doc_ids.split("、")
        for a in ids:
            for b in ids:
                if a != b:
                    rows.append((a, b, rec.n_chars))
    df = pd.DataFrame(rows, columns=["doc_id", "other_doc_id", "n_chars"])
    return (
        df.groupby(["doc_id", "other_doc_id"]).agg(phrases=("n_chars", "size"), chars=("n_chars", "sum")).reset_index()
    )
