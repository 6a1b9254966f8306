"""Concordance: keyword in context over the whole text, collocations and n-grams.

Why over lines rather than provisions: a researcher looking for 乡村振兴 wants
the preamble (发展基础), the targets paragraphs, the annexes and the
indicator tables too, not only the numbered provisions. The lines table holds
every kept line of every document with its ``part`` (see :mod:`ipanalysis.anatomy`) and, in the body, its provision; a hit reports both.

Collocations are counted over tokens, within a provision, ``window`` tokens
either side of the node word, with the usual association measures (Church &
Hanks' mutual information, the t-score), so rare pairs and frequent pairs
can both be read. N-grams are runs of consecutive tokens inside one
provision.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from .anatomy import PARTS

#: What ``where="all"`` searches: the policy's own text, not the page around it or the notice that issues it.
POLICY_PARTS = ("title", "preamble", "body", "closing", "annex")
KWIC_COLUMNS = ["doc_id", "region", "part", "provision_id", "line_no", "left", "term", "right"]


def _parts(where) -> tuple[str, ...]:
    """``where`` as a tuple of parts: ``"all"``, one part, or several."""
    if where == "all":
        return POLICY_PARTS
    chosen = (where,) if isinstance(where, str) else tuple(where)
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        raise ValueError(f"where must be 'all' or among {PARTS}, not {unknown[0]!r}")
    return chosen


def kwic(
    lines: pd.DataFrame,
    documents: pd.DataFrame,
    term: str,
    *,
    window: int = 15,
    regex: bool = False,
    where="all",
) -> pd.DataFrame:
    """Every occurrence of ``term`` in the kept lines of the chosen parts, with ``window`` characters each side.

    Context runs across line breaks (shown as a space) within the chosen
    lines of one document. One row per hit, in reading order: doc_id,
    region, part, provision_id (empty outside the numbered body), line_no,
    left, term, right.
    """
    pattern = re.compile(term if regex else re.escape(term))
    parts = _parts(where)
    regions = documents.set_index("doc_id")["region"].to_dict()
    chosen = lines[lines["part"].isin(parts)].sort_values(["doc_id", "line_no"], kind="stable")
    rows = []
    for doc_id, doc in chosen.groupby("doc_id", sort=True):
        texts = doc["text"].tolist()
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        joined = " ".join(texts)
        meta = list(zip(doc["part"], doc["provision_id"], doc["line_no"]))
        for m in pattern.finditer(joined):
            if not m.group(0):
                continue
            part, pid, line_no = meta[bisect.bisect_right(starts, m.start()) - 1]
            rows.append((doc_id, regions.get(doc_id, ""), part, pid, int(line_no),
                         joined[max(0, m.start() - window) : m.start()], m.group(0), joined[m.end() : m.end() + window]))  # fmt: skip
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def to_excel(df: pd.DataFrame, path: Path | str, *, sheet: str = "kwic") -> Path:
    """Write a concordance (or any table) to ``path`` as .xlsx, text that looks like a formula kept as text."""
    from .build import atomic_write
    from .cells import neutralise_frame

    path = Path(path)
    safe = neutralise_frame(df)
    atomic_write(path, lambda p: safe.to_excel(p, sheet_name=sheet[:31], index=False, engine="openpyxl"))
    return path


# -- tokens: collocations and n-grams ---------------------------------------------------------------


def _content(tokens: pd.DataFrame, *, stopwords: bool, min_len: int) -> pd.DataFrame:
    keep = tokens["token"].str.len() >= min_len
    keep &= ~tokens["token"].str.fullmatch(r"[\d.%]+")
    if not stopwords:
        keep &= ~tokens["is_stopword"]
    return tokens[keep]


def _group_key(tokens: pd.DataFrame, by, groups: dict | None) -> pd.Series:
    """The group of each token: a column (``doc_id``…), or ``groups`` mapping doc_id -> group, or one corpus group."""
    if groups is not None:
        return tokens["doc_id"].map(groups).fillna("")
    if by is None:
        return pd.Series("corpus", index=tokens.index)
    return tokens[by]


def ngrams(
    tokens: pd.DataFrame,
    *,
    n: int = 2,
    by: str | None = "doc_id",
    groups: dict | None = None,
    min_count: int = 2,
    stopwords: bool = False,
    min_len: int = 1,
    top: int | None = None,
) -> pd.DataFrame:
    """Runs of ``n`` consecutive tokens inside one provision, counted per group.

    Stopwords and numbers are removed first unless ``stopwords=True`` (so
    ``加强 知识产权 保护`` is one trigram whether or not 的 stood between).
    Groups: a column (``by``), or ``groups`` (doc_id -> group name, e.g.
    province or level), or ``by=None`` for the whole corpus. Sorted by group,
    count (highest first), n-gram; ``rank`` 1 is the most frequent.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    toks = _content(tokens, stopwords=stopwords, min_len=min_len).sort_values(["doc_id", "provision_id", "position"])
    key = _group_key(toks, by, groups)
    counts: Counter = Counter()
    for (g, _pid), words in toks.groupby([key, toks["provision_id"]], sort=False)["token"]:
        w = words.tolist()
        for i in range(len(w) - n + 1):
            counts[(g, " ".join(w[i : i + n]))] += 1
    rows = [(g, gram, c) for (g, gram), c in counts.items() if c >= min_count]
    out = pd.DataFrame(rows, columns=["group", "ngram", "count"])
    out = out.sort_values(["group", "count", "ngram"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby("group").cumcount() + 1
    if top is not None:
        out = out[out["rank"] <= top]
    return out.reset_index(drop=True)


def collocations(
    tokens: pd.DataFrame,
    node: str,
    *,
    window: int = 5,
    by: str | None = "doc_id",
    groups: dict | None = None,
    min_count: int = 2,
    min_len: int = 2,
    top: int | None = None,
) -> pd.DataFrame:
    """Words found within ``window`` tokens of ``node`` (same provision), per group, with MI and t-score.

    ``observed``: co-occurrences in the window; ``expected``: what the
    collocate's frequency in the group predicts for windows of that size;
    ``mi`` = log2(observed / expected), ``t_score`` = (observed − expected) /
    sqrt(observed). Sorted by group, t-score (highest first), collocate.
    """
    toks = _content(tokens, stopwords=False, min_len=min_len).sort_values(["doc_id", "provision_id", "position"])
    key = _group_key(toks, by, groups)
    rows = []
    for g, sub in toks.groupby(key, sort=True):
        freq = Counter(sub["token"])
        total = sum(freq.values())
        observed: Counter = Counter()
        n_windows = 0
        for _pid, words in sub.groupby("provision_id", sort=False)["token"]:
            w = words.tolist()
            for i, tok in enumerate(w):
                if tok != node:
                    continue
                span = w[max(0, i - window) : i] + w[i + 1 : i + 1 + window]
                n_windows += len(span)
                observed.update(span)
        for word, obs in observed.items():
            if obs < min_count or word == node:
                continue
            expected = freq[word] * n_windows / total
            rows.append((g, node, word, obs, round(expected, 4), round(math.log2(obs / expected), 4),
                         round((obs - expected) / math.sqrt(obs), 4)))  # fmt: skip
    out = pd.DataFrame(rows, columns=["group", "node", "collocate", "observed", "expected", "mi", "t_score"])
    out = out.sort_values(["group", "t_score", "collocate"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby("group").cumcount() + 1
    if top is not None:
        out = out[out["rank"] <= top]
    return out.reset_index(drop=True)
