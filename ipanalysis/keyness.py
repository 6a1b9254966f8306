"""Distinctive terms: which words mark one document against the rest of the corpus.

The measure is the weighted log-odds ratio with an informative Dirichlet
prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", Political Analysis
16(4)). Why this rather than raw frequency or TF-IDF: frequency ranks the
words every document shares (知识产权), TF-IDF rewards any word that happens
to be absent elsewhere, however rare; the log-odds z-score weighs how much
more often a word is used against how much evidence there is, shrinking rare
words towards the corpus rate. The prior is the corpus's own word
distribution, scaled to ``prior_weight`` of the corpus size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def log_odds(counts: pd.DataFrame, *, by: str = "doc_id", prior_weight: float = 0.1) -> pd.DataFrame:
    """z-scores of each word in each group against all other groups.

    ``counts`` has columns ``by``, ``token``, ``count``. Returns ``by``,
    ``token``, ``count``, ``z`` and ``rank`` (1 = most distinctive), sorted
    by group then rank; ties broken by token.
    """
    wide = counts.pivot_table(index="token", columns=by, values="count", aggfunc="sum", fill_value=0)
    total = wide.sum(axis=1).to_numpy(dtype=float)
    n_total = total.sum()
    alpha = total / n_total * (prior_weight * n_total)
    alpha0 = alpha.sum()
    rows = []
    for group in wide.columns:
        y_i = wide[group].to_numpy(dtype=float)
        y_j = total - y_i
        n_i, n_j = y_i.sum(), y_j.sum()
        delta = np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha)) - np.log((y_j + alpha) / (n_j + alpha0 - y_j - alpha))
        var = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
        z = delta / np.sqrt(var)
        frame = pd.DataFrame({by: group, "token": wide.index, "count": y_i.astype(int), "z": np.round(z, 4)})
        rows.append(frame[frame["count"] > 0])
    out = pd.concat(rows, ignore_index=True)
    out = out.sort_values([by, "z", "token"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby(by).cumcount() + 1
    return out.reset_index(drop=True)
