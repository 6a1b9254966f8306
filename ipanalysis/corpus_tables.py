"""Tables computed from the whole corpus, once the documents' own tables are assembled.

The per-document stages (:mod:`ipanalysis.pipeline`) cannot learn a theme
model or compare documents: both need every document. This step runs after
them at every build, so it is never cached or patched.

Two entry points give the same tables (tested): :func:`add_corpus_tables`
on tables in memory (small corpora, subsets, tests), and :func:`from_files`
on the Parquet files the streaming build has just written, which it reads a
few documents at a time and only the columns it needs: tokens become
integer codes (:class:`ipanalysis.similarity.TermCounter`), shingles a
table of distinct window hashes (:class:`ipanalysis.phrases.WindowIndex`),
and the theme model codes each batch of documents on its own (heading
groups never cross a document). Memory therefore grows with the vocabulary
and the distinct text, not with the number of copies of it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

# Provision columns each step reads.
_MODEL_COLUMNS = ["doc_id", "provision_id", "seq", "section_no", "section_title", "subsection_label",
                  "subsection_title", "item_title", "body"]  # fmt: skip
_TOKEN_COLUMNS = ["doc_id", "provision_id", "token", "is_stopword"]
DOCS_PER_BATCH = 64  # documents whose provisions are in memory at once (tokens: four times as many)


def add_corpus_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A new dict: the themes with the learned codes added, plus similarity, shared phrases and co-words."""
    from . import cowords, phrases, similarity, theme_model

    out = dict(tables)
    out["provision_themes"] = theme_model.add_model_codes(tables["provision_themes"], tables["provisions"])
    out["document_similarity"] = similarity.similarity_table(tables["tokens"], tables["documents"])
    out["shared_phrases"] = phrases.shared_phrases_table(tables["provisions"], tables["documents"])
    out["cowords"] = cowords.cowords_table(tables["tokens"], tables["documents"])
    return out


def _batches(path: Path, columns: list[str], *, docs: int | None = None):
    """DataFrames of whole documents (at least ``docs`` of them, but for the last), in file order."""
    import pyarrow as pa

    from .tablefiles import iter_documents

    docs = docs or DOCS_PER_BATCH
    pending, n = [], 0
    for piece in iter_documents(path, columns):
        pending.append(piece)
        n += len(set(piece.column("doc_id").to_pylist()))
        if n >= docs:
            yield pa.concat_tables(pending).to_pandas()
            pending, n = [], 0
    if pending:
        yield pa.concat_tables(pending).to_pandas()


def model_themes(provisions_path: Path) -> pd.DataFrame:
    """The theme model's rows (:func:`ipanalysis.theme_model.model_rows`) for every document in the file.

    Two passes: the headed provisions train the model, then each batch of
    documents is coded.
    """
    from . import theme_model

    bodies, labels = [], []
    for batch in _batches(provisions_path, _MODEL_COLUMNS):
        found = theme_model.heading_labels(batch)
        headed = batch["provision_id"].map(lambda p: bool(found[p])).to_numpy(dtype=bool)
        bodies += batch.loc[headed, "body"].tolist()
        labels += [found[p] for p in batch.loc[headed, "provision_id"]]
    model = theme_model.fit(bodies, labels)
    del bodies, labels
    parts = [theme_model.model_rows(batch, model) for batch in _batches(provisions_path, _MODEL_COLUMNS)]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else theme_model.model_rows(pd.DataFrame(columns=_MODEL_COLUMNS), None)


def from_files(folder: Path, documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The corpus tables from ``folder``'s provisions.parquet and tokens.parquet, a few documents at a time.

    Returns ``model_themes`` (only the learned theme rows, to be merged with
    the rule codes by :func:`ipanalysis.theme_model.merge_model_rows`),
    ``document_similarity``, ``shared_phrases`` and ``cowords``: the same
    tables :func:`add_corpus_tables` gives on the same data.
    """
    from . import cowords, phrases, similarity

    provisions = folder / "provisions.parquet"
    counter = similarity.TermCounter(documents)
    for batch in _batches(folder / "tokens.parquet", _TOKEN_COLUMNS, docs=4 * DOCS_PER_BATCH):
        counter.add(batch)
    return {
        "model_themes": model_themes(provisions),
        "document_similarity": similarity.similarity_from_counts(counter),
        "shared_phrases": phrases.shared_from_batches(lambda: _batches(provisions, ["doc_id", "seq", "body"]), documents),
        "cowords": cowords.cowords_from_counts(counter),
    }
