"""The corpus as notebooks see it: processed tables plus a few ways to read them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import build, config


@dataclass
class Corpus:
    """The processed tables. Build them with ``ipanalysis build`` or :func:`load_corpus`."""

    documents: pd.DataFrame
    provisions: pd.DataFrame
    tokens: pd.DataFrame
    lines: pd.DataFrame

    def kwic(self, term: str, *, window: int = 15, regex: bool = False, where="all") -> pd.DataFrame:
        """Keyword in context over every kept line (``where``: "all", "preamble", "body", "closing" or a list).

        See :func:`ipanalysis.concordance.kwic`; export with :func:`ipanalysis.concordance.to_excel`.
        """
        from .concordance import kwic

        return kwic(self.lines, self.documents, term, window=window, regex=regex, where=where)

    def collocations(self, node: str, **options) -> pd.DataFrame:
        """Words near ``node``, per document or group, with MI and t-score (:func:`ipanalysis.concordance.collocations`)."""
        from .concordance import collocations

        return collocations(self.tokens, node, **options)

    def ngrams(self, *, n: int = 2, **options) -> pd.DataFrame:
        """Token n-grams per document or group (:func:`ipanalysis.concordance.ngrams`)."""
        from .concordance import ngrams

        return ngrams(self.tokens, n=n, **options)

    def term_frequencies(
        self, *, by: str = "doc_id", min_len: int = 2, stopwords: bool = False, top: int | None = None
    ) -> pd.DataFrame:
        """Token counts per ``by`` group (``doc_id``, ``provision_id``…), long format.

        Columns: the group key, ``token``, ``count``, ``share`` (of the group's
        counted tokens) and ``rank`` (1 = most frequent; ties broken by token,
        so the table is the same on every run). Stopwords and tokens shorter
        than ``min_len`` characters are left out unless asked for; numbers are
        always left out.
        """
        toks = self.tokens
        keep = toks["token"].str.len() >= min_len
        keep &= ~toks["token"].str.fullmatch(r"[\d.%]+")
        if not stopwords:
            keep &= ~toks["is_stopword"]
        counts = toks[keep].groupby([by, "token"]).size().rename("count").reset_index()
        counts["share"] = counts["count"] / counts.groupby(by)["count"].transform("sum")
        counts = counts.sort_values([by, "count", "token"], ascending=[True, False, True], kind="stable")
        counts["rank"] = counts.groupby(by).cumcount() + 1
        if top is not None:
            counts = counts[counts["rank"] <= top]
        return counts.reset_index(drop=True)

    def distinctive_terms(self, *, by: str = "doc_id", top: int | None = 10, min_len: int = 2, prior_weight: float = 0.1):
        """Words that mark each group against the rest: weighted log-odds z-scores (see :mod:`ipanalysis.keyness`)."""
        from .keyness import log_odds

        counts = self.term_frequencies(by=by, min_len=min_len)[[by, "token", "count"]]
        out = log_odds(counts, by=by, prior_weight=prior_weight)
        return out[out["rank"] <= top].reset_index(drop=True) if top else out

    def path(self, table: str):
        """Path of a processed table's Parquet file, e.g. ``corpus.path("targets")``."""
        return config.processed_dir() / f"{table}.parquet"


def load_corpus(*, rebuild: str = "if-stale") -> Corpus:
    """Load the processed tables, building them first when missing or stale.

    ``rebuild``: ``"if-stale"`` (default) rebuilds when ``data/raw/``, the code
    or a resource file changed since the last build; ``"never"`` reads what is
    on disk; ``"always"`` rebuilds.
    """
    if rebuild not in ("if-stale", "never", "always"):
        raise ValueError(f"rebuild must be 'if-stale', 'never' or 'always', not {rebuild!r}")
    if rebuild == "always" or (rebuild == "if-stale" and build.is_stale()):
        build.build()
    d = config.processed_dir()
    return Corpus(
        documents=pd.read_parquet(d / "documents.parquet"),
        provisions=pd.read_parquet(d / "provisions.parquet"),
        tokens=pd.read_parquet(d / "tokens.parquet"),
        lines=pd.read_parquet(d / "lines.parquet"),
    )
