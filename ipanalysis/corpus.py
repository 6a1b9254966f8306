"""The corpus as notebooks see it: every processed table one attribute away.

``load_corpus()`` returns a :class:`Corpus`. Each table of
:data:`ipanalysis.tables.TABLES` is an attribute named as the table
(``corpus.targets``, ``corpus.agencies``, ``corpus.references`` …), plus the
aliases ``corpus.themes`` (``provision_themes``) and ``corpus.instruments``
(``provision_instruments``). A table is read from ``data/processed/`` the first
time it is used and kept, so a notebook over a large corpus starts fast and
never loads the tokens it does not look at.

Every table except ``documents``, ``tokens`` and ``lines`` gets the document's
``region`` and ``region_en`` inserted after ``doc_id`` (see
:data:`JOINED_COLUMNS`): the two columns a chart or a ``groupby`` needs most.
``tokens`` and ``lines`` stay as written because they are the big ones;
:meth:`Corpus.with_documents` adds any documents column (``level``,
``province``…) to any table on demand.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from . import build, config, tables

#: Friendly names for tables whose real name is long.
ALIASES: dict[str, str] = {"themes": "provision_themes", "instruments": "provision_instruments"}

#: Documents columns joined (after ``doc_id``) into every table not in :data:`UNJOINED`.
JOINED_COLUMNS: tuple[str, ...] = ("region", "region_en")

#: Tables left exactly as written: the documents themselves and the two largest tables.
UNJOINED: frozenset[str] = frozenset({"documents", "tokens", "lines"})

#: Documents columns :meth:`Corpus.subset` filters on, and the columns each one matches.
SUBSET_KEYS: dict[str, tuple[str, ...]] = {
    "doc_id": ("doc_id",),
    "region": ("region", "region_en"),
    "province": ("province", "province_en"),
    "level": ("level",),
    "year": ("year",),
}

_REPR_REGIONS = 8  # regions named in the repr before "… and N more"


class UnknownTableError(LookupError):
    """A table name that is neither a processed table nor an alias; the message lists both."""

    def __init__(self, name: str):
        known = list(tables.TABLES) + list(ALIASES)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        super().__init__(
            f"no table {name!r}{hint}; tables: {', '.join(tables.TABLES)}; aliases: "
            + ", ".join(f"{a} = {t}" for a, t in ALIASES.items())
        )


def table_name(name: str) -> str:
    """The processed table a name or alias stands for: ``table_name("themes") == "provision_themes"``.

    Raises :class:`UnknownTableError`, naming the tables that exist, for anything else.
    """
    name = ALIASES.get(name, name)
    if name not in tables.TABLES:
        raise UnknownTableError(name)
    return name


def _as_set(value) -> set:
    """A criterion of :meth:`Corpus.subset` as a set: one value, or any iterable of values (a ``range`` too)."""
    if isinstance(value, (str, int)) or not isinstance(value, Iterable):
        return {value}
    return set(value)


def _issue_year(documents: pd.DataFrame) -> pd.Series:
    """The year of each document's ``issued`` date (``<NA>`` when the text states none)."""
    return pd.to_numeric(documents["issued"].str.slice(0, 4), errors="coerce").astype("Int64")


def _insert_after_doc_id(df: pd.DataFrame, columns: dict[str, pd.Series]) -> pd.DataFrame:
    """``df`` with ``columns`` (mapped from ``doc_id``) inserted right after ``doc_id``, rows unchanged."""
    out = df.copy()
    at = list(out.columns).index("doc_id") + 1 if "doc_id" in out.columns else 0
    for offset, (col, by_doc) in enumerate(columns.items()):
        out.insert(at + offset, col, out["doc_id"].map(by_doc))
    return out


class Corpus:
    """The processed tables of a corpus, or of a subset of its documents.

    Make one with :func:`load_corpus` (reads ``data/processed/``) or from
    tables already in memory: ``Corpus(tables_dict)`` (name -> DataFrame, as
    ``build.build_tables`` returns), ``Corpus(documents=…, provisions=…)``, or
    DataFrames in :data:`~ipanalysis.tables.TABLES` order
    (``Corpus(documents, provisions, tokens, lines)``); a table not given is
    then an error when used (``directory=`` reads the others from there).
    Tables are attributes:
    ``corpus.documents``, ``corpus.targets``, ``corpus.themes`` … (see
    ``corpus.table_names``), each a pandas DataFrame in the row order the data
    dictionary gives. The frame is shared between calls: copy it before
    changing it in place.

    Example::

        corpus = load_corpus()
        corpus.targets.groupby("region").size()
        cities = corpus.subset(level="city")
    """

    def __init__(self, *frames, directory: Path | str | None = None, **named: pd.DataFrame):
        if len(frames) == 1 and isinstance(frames[0], Mapping):
            given = dict(frames[0])
        else:
            if len(frames) > len(tables.TABLES) or not all(isinstance(f, pd.DataFrame) for f in frames):
                raise TypeError("Corpus() takes one mapping of tables, or DataFrames in tables.TABLES order")
            given = dict(zip(tables.TABLES, frames))
        given.update(named)
        self._given = {table_name(k): v for k, v in given.items()}
        self._directory = Path(directory) if directory is not None else None
        self._doc_ids: frozenset[str] | None = None  # None: every document
        self._criteria: dict[str, object] = {}
        self._cache: dict[str, pd.DataFrame] = {}

    # -- tables -----------------------------------------------------------------------

    @property
    def table_names(self) -> tuple[str, ...]:
        """The processed tables, in :data:`ipanalysis.tables.TABLES` order (aliases: :data:`ALIASES`).

        Example: ``{name: len(corpus.table(name)) for name in corpus.table_names}``.
        """
        return tables.TABLES

    def table(self, name: str) -> pd.DataFrame:
        """One table by name or alias, e.g. ``corpus.table("themes")``; the same frame as the attribute.

        Raises :class:`UnknownTableError`, naming the tables that exist, for an unknown name.
        """
        name = table_name(name)
        if name not in self._cache:
            df = self._read(name)
            if name not in UNJOINED and "doc_id" in df.columns and not set(JOINED_COLUMNS) & set(df.columns):
                docs = self.documents.set_index("doc_id")
                df = _insert_after_doc_id(df, {c: docs[c] for c in JOINED_COLUMNS})
            self._cache[name] = df
        return self._cache[name]

    def _read(self, name: str) -> pd.DataFrame:
        """The table as stored (in memory or in Parquet), restricted to this corpus's documents."""
        ids = self._doc_ids
        if name in self._given:
            df = self._given[name]
            if ids is None:
                return df
            if name in tables.CORPUS_TABLES:
                return self._corpus_table_of_subset(name, df, ids)
            return df[df["doc_id"].isin(ids)].reset_index(drop=True)
        if self._given and self._directory is None:  # made in memory: never mix in tables from disk
            raise LookupError(f"this Corpus was made from tables in memory, without {name!r}")
        path = self.path(name)
        if not path.exists():
            raise FileNotFoundError(f"{_shown(path)} is missing; run `ipanalysis build` (or load_corpus()) first")
        if ids is None:
            return pd.read_parquet(path)
        if name in tables.CORPUS_TABLES:
            return self._corpus_table_of_subset(name, pd.read_parquet(path), ids)
        if not ids:  # pyarrow cannot filter on an empty list: the empty table of the file's schema
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).schema_arrow.empty_table().to_pandas()
        # Filtered while reading: a subset of a large corpus never holds the whole table.
        return pd.read_parquet(path, filters=[("doc_id", "in", sorted(ids))])

    def _corpus_table_of_subset(self, name: str, df: pd.DataFrame, ids: frozenset[str]) -> pd.DataFrame:
        """A corpus-level table for a subset: pairs and passages among its documents; co-words recomputed.

        Similarities and shared passages are properties of pairs of documents, so
        the subset keeps those whose documents are all (pairs) or at least two
        (passages) in it, with the earliest holder re-read. The co-word network
        depends on every document's words, so it is computed again from the
        subset's tokens rather than filtered.
        """
        if name == "document_similarity":
            keep = df["doc_id"].isin(ids) & df["other_doc_id"].isin(ids)
            return df[keep].reset_index(drop=True)
        if name == "shared_phrases":
            from .phrases import earliest_holder

            held = df["doc_ids"].str.split("、").map(lambda docs: [d for d in docs if d in ids])
            out = df.assign(doc_ids=held.str.join("、"), n_docs=held.str.len())[held.str.len() >= 2]
            return earliest_holder(out.reset_index(drop=True), self.documents)
        from .cowords import cowords_table

        return cowords_table(self.tokens, self.documents)

    def path(self, table: str) -> Path:
        """Path of a processed table's Parquet file; aliases resolve: ``corpus.path("themes")``.

        Raises :class:`UnknownTableError`, naming the tables that exist, for an unknown name.
        """
        return (self._directory or config.processed_dir()) / f"{table_name(table)}.parquet"

    def __getattr__(self, name: str):
        # Called only when normal lookup fails: table properties cover the real names.
        if name.startswith("_"):
            raise AttributeError(name)
        if name in ALIASES:
            return self.table(name)
        try:
            table_name(name)
        except UnknownTableError as exc:
            raise AttributeError(f"Corpus has no attribute {name!r}: {exc}") from None
        return self.table(name)  # pragma: no cover - real table names are properties

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(tables.TABLES) | set(ALIASES))

    # -- documents: subsets, joins, counts ----------------------------------------------

    def subset(self, *, doc_id=None, region=None, province=None, level=None, year=None) -> Corpus:
        """The corpus restricted to some documents, every table consistently.

        Each criterion is one value or a collection of values (any of them
        matches); criteria combine with *and*. ``region`` matches ``region`` or
        ``region_en``, ``province`` matches ``province`` or ``province_en``,
        ``level`` is ``national``/``province``/``city``/``county``, and ``year``
        is the year of the issue date (``documents.issued``; an int, a list or a
        ``range``; a year with no document simply selects none). A name no
        document has raises ``ValueError`` naming the values that exist: a typo
        should not give an empty corpus silently.

        Example: ``corpus.subset(level="city", year=range(2022, 2025)).targets``.
        """
        given = {"doc_id": doc_id, "region": region, "province": province, "level": level, "year": year}
        given = {k: v for k, v in given.items() if v is not None}
        docs = self.documents.assign(year=_issue_year(self.documents))
        keep = pd.Series(True, index=docs.index)
        for key, value in given.items():
            wanted = _as_set(value)
            if key == "year":
                wanted = {int(v) for v in wanted}
            cols = SUBSET_KEYS[key]
            hit = pd.Series(False, index=docs.index)
            for col in cols:
                hit |= docs[col].isin(wanted)
            known = set().union(*(set(docs[c].dropna()) for c in cols))
            unknown = wanted - known
            if unknown and key != "year":
                raise ValueError(
                    f"subset({key}=…): no document has {', '.join(map(repr, sorted(unknown, key=str)))}; "
                    f"{key} values: {', '.join(map(str, sorted(known, key=str)))}"
                )
            keep &= hit
        view = Corpus(self._given, directory=self._directory)
        view._doc_ids = frozenset(docs.loc[keep, "doc_id"])
        view._criteria = {**self._criteria, **given}
        return view

    def with_documents(self, table: str | pd.DataFrame, *columns: str) -> pd.DataFrame:
        """A table (by name, or any frame with ``doc_id``) with documents columns inserted after ``doc_id``.

        For grouping by what the joined ``region``/``region_en`` do not give:
        ``corpus.with_documents("targets", "level", "province").groupby("level").size()``.
        Returns a new frame; rows and their order are unchanged.
        """
        df = self.table(table) if isinstance(table, str) else table
        docs = self.documents.set_index("doc_id")
        unknown = [c for c in columns if c not in docs.columns]
        if unknown:
            raise ValueError(f"not documents columns: {', '.join(unknown)}; documents columns: {', '.join(docs.columns)}")
        return _insert_after_doc_id(df, {c: docs[c] for c in columns if c not in df.columns})

    def count(self, table: str, *, by: str = "region") -> pd.Series:
        """Rows of a table per value of ``by`` (a column of the table or of documents), zeros included.

        Groups follow the documents' manifest order when ``by`` is a documents
        column, so a region with no row still shows, as 0. Returns a Series named
        after the table, e.g. ``corpus.count("targets", by="level")``.
        """
        df = self.table(table)
        docs = self.documents.sort_values("manifest_row")
        if by not in df.columns:
            df = self.with_documents(df, by)
        counts = df.groupby(by, sort=True).size()
        if by in docs.columns:
            counts = counts.reindex(pd.unique(docs[by]), fill_value=0)
        return counts.rename(table_name(table))

    def __repr__(self) -> str:
        docs = self.documents.sort_values("manifest_row")
        names = [f"{r} {e}".strip() for r, e in zip(docs["region"], docs["region_en"])]
        names = list(dict.fromkeys(names))
        shown = ", ".join(names[:_REPR_REGIONS]) + (f", … and {len(names) - _REPR_REGIONS} more" if len(names) > _REPR_REGIONS else "")
        levels = ", ".join(f"{lv} {n}" for lv, n in docs["level"].value_counts().sort_index().items())
        years = _issue_year(docs).dropna()
        issued = f"; issued {years.min()}–{years.max()}" if len(years) else ""
        where = ", ".join(f"{k}={v!r}" for k, v in self._criteria.items())
        aliases = {t: a for a, t in ALIASES.items()}
        listed = ", ".join(f"{t} ({aliases[t]})" if t in aliases else t for t in tables.TABLES)
        return (
            f"<Corpus: {len(docs)} documents{' where ' + where if where else ''}\n"
            f" regions: {shown or '-'}\n"
            f" levels: {levels or '-'}{issued}\n"
            f" tables: {listed}>"
        )

    def n_rows(self, table: str) -> int:
        """Rows of a table without loading it when possible (Parquet metadata of a whole corpus on disk).

        Example: ``corpus.n_rows("tokens") > 1_048_575`` tells whether the tokens fit an Excel sheet.
        """
        name = table_name(table)
        if name in self._cache or name in self._given or self._doc_ids is not None:
            return len(self.table(name))
        import pyarrow.parquet as pq

        return pq.ParquetFile(self.path(name)).metadata.num_rows

    def to_excel(self, path: Path | str | None = None, *, max_rows: int | None = None) -> Path:
        """Write every table to one Excel workbook; return its path (default ``exports/ipanalysis.xlsx``).

        A sheet per table (region columns joined as on the attributes),
        headings in Chinese and English, frozen heading row, filters, and a
        first sheet explaining every column; a table past Excel's row limit is
        left out and named there (see :mod:`ipanalysis.export`). Example:
        ``corpus.subset(level="city").to_excel("cities.xlsx")``.
        """
        from . import export

        limit = max_rows or export.EXCEL_MAX_ROWS
        path = Path(path) if path is not None else config.export_path()
        frames = {}
        for name in tables.TABLES:
            n = self.n_rows(name)
            frames[name] = n if n + 1 > limit else self.table(name)
        export.export(frames, path, max_rows=limit)
        return path

    # -- text -----------------------------------------------------------------------------

    def kwic(self, term: str, *, window: int = 15, regex: bool = False, where="all") -> pd.DataFrame:
        """Keyword in context over the kept lines of the chosen parts (``where``: "all" — the policy's own
        title, preamble, body, closing and annex —, any part of :data:`ipanalysis.anatomy.PARTS`, or a list).

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
        """Token counts per ``by`` group, long format; reads the ``tokens`` table.

        ``by`` is a tokens column (``doc_id``, ``provision_id``) or any documents
        column (``region``, ``level``, ``province``…: joined on the fly, so two
        documents of one region are pooled). Columns: the group key, ``token``,
        ``count``, ``share`` (of the group's counted tokens) and ``rank`` (1 =
        most frequent; ties broken by token, so the table is the same on every
        run). Stopwords and tokens shorter than ``min_len`` characters are left
        out unless asked for; numbers are always left out.

        Example: ``corpus.term_frequencies(by="region", top=10)``.
        """
        toks = self.tokens
        if by not in toks.columns:
            doc_cols = [c for c in self.documents.columns if c != "doc_id"]
            if by not in doc_cols:
                raise ValueError(
                    f"term_frequencies(by={by!r}): not a tokens column ({', '.join(toks.columns)}) "
                    f"nor a documents column ({', '.join(doc_cols)})"
                )
            toks = toks.assign(**{by: toks["doc_id"].map(self.documents.set_index("doc_id")[by])})
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
        """Words that mark each ``by`` group against the rest: weighted log-odds z-scores.

        Reads ``tokens`` through :meth:`term_frequencies` (so ``by`` may be a
        documents column too); method in :mod:`ipanalysis.keyness`. Returns one
        row per group and token with ``rank`` (1 = most distinctive), the top
        ``top`` per group (all when ``top`` is None).
        Example: ``corpus.distinctive_terms(by="region", top=5)``.
        """
        from .keyness import log_odds

        counts = self.term_frequencies(by=by, min_len=min_len)[[by, "token", "count"]]
        out = log_odds(counts, by=by, prior_weight=prior_weight)
        return out[out["rank"] <= top].reset_index(drop=True) if top else out

    # -- the questions a researcher asks first ----------------------------------------------

    def theme_shares(self) -> pd.DataFrame:
        """Theme shares per document, from ``provision_themes`` and ``provisions``; region joined.

        One row per document × theme (every theme, zeros included): counts and
        shares as :func:`ipanalysis.themes.theme_shares` explains
        (``share_provisions`` does not sum to 1 over themes, ``mix_provisions``
        does). The input of ``plotting.theme_profile``:
        ``plotting.theme_profile(corpus.theme_shares(), corpus.documents, lang="en")``.
        """
        from .themes import theme_shares

        shares = theme_shares(self.provision_themes, self.provisions)
        docs = self.documents.set_index("doc_id")
        return _insert_after_doc_id(shares, {c: docs[c] for c in JOINED_COLUMNS})

    def lead_agencies(self, *, top: int | None = 5) -> pd.DataFrame:
        """Per document, the agencies that lead the most provisions; reads ``agencies``.

        A provision counts once per agency however often the agency is named in
        it. Columns: ``doc_id``, ``region``, ``region_en``, ``agency_std``,
        ``agency_type``, ``lead`` (provisions led), ``provisions`` (provisions
        naming the agency in any role), ``rank`` (1 = leads most; ties broken by
        provisions, then name). Only agencies that lead at least one provision.
        Example: ``corpus.lead_agencies(top=3)``.
        """
        from .agencies import involvement

        inv = involvement(self.agencies)
        inv = inv[inv["lead"] > 0].sort_values(
            ["doc_id", "lead", "provisions", "agency_std"], ascending=[True, False, False, True], kind="stable"
        )
        inv["rank"] = inv.groupby("doc_id").cumcount() + 1
        if top is not None:
            inv = inv[inv["rank"] <= top]
        docs = self.documents.set_index("doc_id")
        return _insert_after_doc_id(inv.reset_index(drop=True), {c: docs[c] for c in JOINED_COLUMNS})

    def citing(self, title: str, *, exact: bool = False) -> pd.DataFrame:
        """The ``references`` rows whose cited title contains ``title``, however its dashes or brackets are typed.

        ``title`` is normalised as the references table is (one dash —,
        full-width brackets, no spaces; :func:`ipanalysis.timeline.normalise_title`),
        and its own 《》 are dropped, so 《知识产权强国建设纲要（2021－2035年）》,
        ``知识产权强国建设纲要(2021-2035年)`` and ``知识产权强国建设纲要`` all find
        the 纲要. A title that only contains the query also matches (a
        《贯彻落实〈纲要〉实施方案》); ``exact=True`` asks for the whole title.
        Each row keeps its evidence (the citing line). Example:
        ``corpus.citing("知识产权强国建设纲要")["region"].unique()``.
        """
        from .timeline import normalise_title

        query = normalise_title(title).strip("《》")
        if not query:
            raise ValueError("citing() needs a title, e.g. corpus.citing('知识产权强国建设纲要')")
        refs = self.references
        hit = refs["title"].eq(query) if exact else refs["title"].str.contains(query, regex=False)
        return refs[hit].reset_index(drop=True)


def _table_property(name: str) -> property:
    return property(
        lambda self: self.table(name),
        doc=f"The ``{name}`` table (columns: docs/data_dictionary.md), read on first use and kept.",
    )


for _name in tables.TABLES:
    setattr(Corpus, _name, _table_property(_name))
del _name


def _shown(path: Path) -> str:
    """A path as the user knows it: relative to the project root when inside it."""
    try:
        return str(Path(path).resolve().relative_to(config.project_root()))
    except ValueError:
        return str(path)


def load_corpus(*, rebuild: str = "if-stale") -> Corpus:
    """The corpus in ``data/processed/``, building it first when missing or stale.

    ``rebuild``: ``"if-stale"`` (default) rebuilds when ``data/raw/``, the code
    or a resource file changed since the last build; ``"never"`` reads what is
    on disk; ``"always"`` rebuilds. A rebuild says so in one line on stderr
    (a committed notebook run never rebuilds: ``make figures`` builds first).
    Tables are read lazily, on first use. Example::

        corpus = load_corpus()
        corpus.targets.head()
    """
    if rebuild not in ("if-stale", "never", "always"):
        raise ValueError(f"rebuild must be 'if-stale', 'never' or 'always', not {rebuild!r}")
    if rebuild == "always" or (rebuild == "if-stale" and build.is_stale()):
        why = "as asked" if rebuild == "always" else "data/raw/, data/manual/ or the code changed since the last build"
        print(f"load_corpus: rebuilding {_shown(config.processed_dir())}/ ({why})", file=sys.stderr, flush=True)
        build.build()
    return Corpus(directory=config.processed_dir())
