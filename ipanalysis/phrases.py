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
returns the passages themselves. Each distinct provision body is shingled
once, however many documents repeat it, with a stable 64-bit hash computed
by numpy over the code points (not Python's ``hash()``, which changes from
run to run); a window held by several bodies is held by the union of their
documents. Memory is a few arrays of the distinct bodies' length (about
20 bytes a character), not of the whole corpus's text. Chinese has no spaces, so characters are
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


_BASE = np.uint64(1_000_003)
_MIX = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def _window_hashes(codes: np.ndarray, k: int) -> np.ndarray:
    """A stable 64-bit hash of every k-code window (polynomial over the code points, then splitmix64's finaliser).

    Numpy arithmetic wraps modulo 2**64, so the hash is the same on every
    run and machine (Python's ``hash()`` of a string is not).
    """
    n = len(codes) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * _BASE + codes[j : j + n].astype(np.uint64)
    h ^= h >> np.uint64(30)
    h *= _MIX[0]
    h ^= h >> np.uint64(27)
    h *= _MIX[1]
    return h ^ (h >> np.uint64(31))


def _line_holders(texts) -> tuple[list[str], list[tuple[int, ...]]]:
    """(distinct lines, for each the indices of the texts holding it): texts are lists of lines.

    Corpora repeat boilerplate: each distinct line is shingled once, however
    many documents hold it.
    """
    holders: dict[str, list[int]] = {}
    for i, lines in enumerate(texts):
        for line in lines:
            if line:
                held = holders.setdefault(line, [])
                if not held or held[-1] != i:
                    held.append(i)
    return list(holders), [tuple(v) for v in holders.values()]


def _shared_runs(lines: list[str], holders: list[tuple[int, ...]], k: int) -> dict[str, tuple[int, ...]]:
    """passage -> the texts holding it: each maximal run of windows held by the same two or more texts.

    Every window of every distinct line is hashed (:func:`_window_hashes`); a
    window's holders are the texts holding any line it is in; consecutive
    windows with the same holders join into one passage (edges trimmed).
    """
    if not lines:
        return {}
    big = "\n".join(lines) + "\n"
    codes = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32)
    if len(codes) < k:
        return {}
    h = _window_hashes(codes, k)
    breaks = np.r_[0, np.cumsum(codes == ord("\n"))]
    valid = breaks[k:] == breaks[: len(h)]  # no line break inside the window
    starts = np.r_[0, np.flatnonzero(codes == ord("\n"))[:-1] + 1]
    pos = np.flatnonzero(valid)
    if not len(pos):
        return {}
    line = np.searchsorted(starts, pos, side="right") - 1
    hv = h[pos]
    order = np.lexsort((line, hv))
    hs, ls = hv[order], line[order]
    first = np.r_[True, (hs[1:] != hs[:-1]) | (ls[1:] != ls[:-1])]
    hs, ls = hs[first], ls[first]  # unique (hash, line) pairs
    group = np.r_[True, hs[1:] != hs[:-1]]
    uh = hs[group]
    gstart = np.flatnonzero(group)
    gend = np.r_[gstart[1:], len(hs)]
    sets: dict[tuple[int, ...], int] = {}
    sid_of_line = np.array([sets.setdefault(hd, len(sets)) if len(hd) >= 2 else -1 for hd in holders], dtype=np.int64)
    sid = np.where(gend - gstart == 1, sid_of_line[ls[gstart]], -1)
    for g in np.flatnonzero(gend - gstart > 1):  # a window in several distinct lines: the union of their holders
        held = tuple(sorted(set().union(*(holders[x] for x in ls[gstart[g] : gend[g]]))))
        sid[g] = sets.setdefault(held, len(sets)) if len(held) >= 2 else -1
    w = np.full(len(h), -1, dtype=np.int64)
    w[pos] = sid[np.searchsorted(uh, hv)]
    run = (w >= 0) & np.r_[True, w[1:] != w[:-1]]
    run_start = np.flatnonzero(run)
    change = np.r_[w[1:] != w[:-1], True]
    run_end = np.flatnonzero((w >= 0) & change)
    by_id = {v: key for key, v in sets.items()}
    found: dict[str, tuple[int, ...]] = {}
    for s, e in zip(run_start.tolist(), run_end.tolist()):
        passage = _EDGE.sub("", big[s : e + k])
        if len(passage) >= k:
            found.setdefault(passage, by_id[int(w[s])])
    return found


def _maximal(found: dict[str, tuple[int, ...]], doc_ids: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Passages not part of a longer one held by the same texts; sorted most texts, longest, passage first."""
    by_set: dict[tuple[int, ...], list[str]] = {}
    for passage, held in found.items():
        by_set.setdefault(held, []).append(passage)
    out = []
    for held, passages in by_set.items():
        passages.sort(key=lambda p: (-len(p), p))
        kept: list[str] = []
        for p in passages:
            if not any(p in q for q in kept):
                kept.append(p)
        docs = tuple(doc_ids[i] for i in held)
        out += [(p, docs) for p in kept]
    return sorted(out, key=lambda x: (-len(x[1]), -len(x[0]), x[0], x[1]))


def find_shared(texts: pd.Series, *, k: int = SHINGLE) -> list[tuple[str, tuple[str, ...]]]:
    """(passage, doc_ids holding it), for every passage of at least ``k`` characters in two or more documents.

    ``texts``: doc_id -> text, lines never joined by a passage. A passage
    that is part of a longer one held by the same documents is dropped.
    Sorted: most documents first, then longest, then the passage.
    """
    texts = texts.sort_index()
    lines, holders = _line_holders(t.split("\n") for t in texts)
    return _maximal(_shared_runs(lines, holders, k), texts.index.tolist())


def shared_from_provisions(provisions: pd.DataFrame, *, k: int = SHINGLE) -> list[tuple[str, tuple[str, ...]]]:
    """:func:`find_shared` of :func:`document_texts`, without joining any document's text: each distinct
    normalised body is read once (``provisions``: doc_id, seq, body)."""
    if not len(provisions):
        return []
    bodies = provisions[["doc_id", "seq", "body"]].sort_values(["doc_id", "seq"], kind="stable")
    doc_ids = sorted(set(bodies["doc_id"]))
    if len(doc_ids) < 2:
        return []
    norm: dict[str, str] = {}
    code = {d: i for i, d in enumerate(doc_ids)}
    holders: dict[str, list[int]] = {}
    for doc, body in zip(bodies["doc_id"].tolist(), bodies["body"].tolist()):
        line = norm.get(body)
        if line is None:
            line = norm[body] = normalise(body)
        if line:
            held = holders.setdefault(line, [])
            if not held or held[-1] != code[doc]:
                held.append(code[doc])
    lines = list(holders)
    return _maximal(_shared_runs(lines, [tuple(v) for v in holders.values()], k), doc_ids)


def shared_phrases_table(provisions: pd.DataFrame, documents: pd.DataFrame, *, k: int = SHINGLE) -> pd.DataFrame:
    """One row per shared passage: the phrase, its length, the documents holding it and the earliest of them.

    The earliest document is the one issued first (issue date from the
    documents table; documents without one come last, then by doc_id): a
    hint of who said it first, not proof, since both may quote a third text.
    """
    from .tables import SCHEMAS

    cols = list(SCHEMAS["shared_phrases"])
    found = shared_from_provisions(provisions, k=k)
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    shared = pd.DataFrame({
        "phrase": [p for p, _ids in found], "n_chars": [len(p) for p, _ids in found],
        "n_docs": [len(ids) for _p, ids in found], "doc_ids": _joined([ids for _p, ids in found]),
    })  # fmt: skip
    return _with_earliest(shared, [ids for _p, ids in found], documents)[cols]


def _joined(id_lists: list[tuple[str, ...]], chunk: int = 256) -> pd.Series:
    """The doc_ids column (ids joined by 、), made a few rows at a time into Arrow strings.

    At 10,000 documents a passage can be held by thousands of them; as one
    list of Python strings the column would be a few hundred megabytes.
    """
    import pyarrow as pa

    parts = [pa.array(["、".join(ids) for ids in id_lists[at : at + chunk]], type=pa.string())
             for at in range(0, len(id_lists), chunk)]  # fmt: skip
    return pd.Series(pa.chunked_array(parts, type=pa.string()), dtype="str")


def earliest_holder(shared: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``shared`` (with ``doc_ids`` joined by 、) with ``earliest_doc_id``, ``earliest_issuer``, ``earliest_issued``.

    The earliest is the document issued first; one without an issue date comes
    last, then by doc_id, so the choice is the same on every run.
    """
    return _with_earliest(shared, [ids.split("、") for ids in shared["doc_ids"]], documents)


def _with_earliest(shared: pd.DataFrame, id_lists, documents: pd.DataFrame) -> pd.DataFrame:
    """:func:`earliest_holder` with each row's documents given as a list (none re-split from the joined text)."""
    docs = documents.set_index("doc_id")
    issued = docs["issued"].fillna("").to_dict()
    issuer = docs["issuer"].fillna("").to_dict()
    first = [min(ids, key=lambda d: (issued.get(d, "") == "", issued.get(d, ""), d)) for ids in id_lists]
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
