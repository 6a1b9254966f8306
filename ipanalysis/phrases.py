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


def _shingle_hashes(text: str, k: int) -> np.ndarray:
    """Hash of every k-character window; windows crossing a line break get -1 (never shared)."""
    if len(text) < k:
        return np.empty(0, dtype=np.int64)
    out = np.fromiter((hash(text[i : i + k]) for i in range(len(text) - k + 1)), dtype=np.int64, count=len(text) - k + 1)
    breaks = np.flatnonzero(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) == ord("\n"))
    for b in breaks:
        out[max(0, b - k + 1) : b + 1] = -1
    return out


def _docsets(hashes: list[np.ndarray]) -> dict[int, int]:
    """hash -> id of the set of documents holding it, for hashes held by two or more documents."""
    if not hashes:
        return {}
    h = np.concatenate(hashes)
    d = np.concatenate([np.full(len(a), i, dtype=np.int64) for i, a in enumerate(hashes)])
    keep = h != -1
    h, d = h[keep], d[keep]
    order = np.lexsort((d, h))
    h, d = h[order], d[order]
    first = np.ones(len(h), dtype=bool)
    first[1:] = (h[1:] != h[:-1]) | (d[1:] != d[:-1])
    h, d = h[first], d[first]  # unique (hash, doc) pairs
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    ends = np.r_[starts[1:], len(h)]
    shared = (ends - starts) >= 2
    ids: dict[tuple[int, ...], int] = {}
    out = {}
    for s, e in zip(starts[shared], ends[shared]):
        key = tuple(d[s:e].tolist())
        out[int(h[s])] = ids.setdefault(key, len(ids))
    out["sets"] = {v: k for k, v in ids.items()}  # type: ignore[index]
    return out


def _runs(text: str, hashes: np.ndarray, docset: dict, k: int) -> list[tuple[str, int]]:
    """(passage, docset id) for each maximal run of shared windows held by the same documents."""
    ids = np.array([docset.get(int(x), -1) for x in hashes], dtype=np.int64)
    out = []
    i, n = 0, len(ids)
    while i < n:
        if ids[i] < 0:
            i += 1
            continue
        j = i
        while j + 1 < n and ids[j + 1] == ids[i]:
            j += 1
        out.append((text[i : j + k], int(ids[i])))
        i = j + 1
    return out


def find_shared(texts: pd.Series, *, k: int = SHINGLE) -> list[tuple[str, tuple[str, ...]]]:
    """(passage, doc_ids holding it), for every passage of at least ``k`` characters in two or more documents.

    A passage that is part of a longer one held by the same documents is
    dropped. Sorted: most documents first, then longest, then the passage.
    """
    doc_ids = texts.index.tolist()
    hashes = [_shingle_hashes(t, k) for t in texts]
    docset = _docsets(hashes)
    sets = docset.pop("sets", {})
    found: dict[str, int] = {}
    for text, h in zip(texts, hashes):
        for passage, sid in _runs(text, h, docset, k):
            passage = _EDGE.sub("", passage)
            if len(passage) >= k:
                found.setdefault(passage, sid)
    by_set: dict[int, list[str]] = {}
    for passage, sid in found.items():
        by_set.setdefault(sid, []).append(passage)
    out = []
    for sid, passages in by_set.items():
        passages.sort(key=lambda p: (-len(p), p))
        kept: list[str] = []
        for p in passages:
            if not any(p in q for q in kept):
                kept.append(p)
        docs = tuple(doc_ids[i] for i in sets[sid])
        out += [(p, docs) for p in kept]
    return sorted(out, key=lambda x: (-len(x[1]), -len(x[0]), x[0], x[1]))


def shared_phrases_table(provisions: pd.DataFrame, documents: pd.DataFrame, *, k: int = SHINGLE) -> pd.DataFrame:
    """One row per shared passage: the phrase, its length, the documents holding it and the earliest of them.

    The earliest document is the one issued first (issue date from the
    documents table; documents without one come last, then by doc_id): a
    hint of who said it first, not proof, since both may quote a third text.
    """
    from .tables import SCHEMAS

    cols = list(SCHEMAS["shared_phrases"])
    texts = document_texts(provisions) if len(provisions) else pd.Series(dtype=object)
    found = find_shared(texts, k=k) if len(texts) >= 2 else []
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    rows = [{"phrase": phrase, "n_chars": len(phrase), "n_docs": len(ids), "doc_ids": "、".join(ids)} for phrase, ids in found]
    return earliest_holder(pd.DataFrame(rows), documents)[cols]


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
