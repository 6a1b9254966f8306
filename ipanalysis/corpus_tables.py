"""Tables computed from the whole corpus, once the documents' own tables are written or assembled.

The per-document stages (:mod:`ipanalysis.pipeline`) cannot learn a theme
model or compare documents: both need every document. This step runs after
them at every build, so it is never cached or patched.

Two entry points, one computation:
- :func:`from_files` is the build's: it reads the staged ``provisions.parquet``
  and ``tokens.parquet`` (only the columns it needs) and never holds the
  tokens table: tokens are read a record batch at a time, dictionary-encoded,
  and kept as integer codes (:class:`ipanalysis.similarity.TokenCounts`);
  only the provisions' heading fields and bodies are held (tens of megabytes
  at 10,000 documents).
- :func:`add_corpus_tables` is the in-memory one (small corpora, subsets,
  notebooks). It feeds the in-memory tables to the same functions, so the two
  cannot drift; tests/test_corpus_tables.py checks that they give the same
  tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

# the provisions' columns the corpus steps read (the theme model and the shared phrases)
PROVISION_COLUMNS = ["doc_id", "provision_id", "seq", "section_no", "section_title", "subsection_label",
                     "subsection_title", "item_title", "body"]  # fmt: skip
TOKEN_BATCH = 1 << 16  # token rows per record batch read


def corpus_steps(provisions: pd.DataFrame, token_batches, documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The model's theme rows, similarity, shared phrases and co-words from the provisions and a stream of token batches.

    ``token_batches``: Arrow record batches of the tokens table (columns
    ``similarity.TOKEN_COLUMNS``), in any number; they are counted and let go.
    """
    from . import cowords, phrases, similarity, theme_model

    import pyarrow as pa

    counts = similarity.count_tokens(token_batches, documents)
    doc_ids, names, doc_terms, pairs = counts.finish()
    del counts
    pa.default_memory_pool().release_unused()  # the batches' buffers, no longer needed
    sim = similarity.similarity_from_counts(doc_ids, doc_terms, names)
    del doc_terms
    words = cowords.cowords_from_pairs(*pairs, names)
    del pairs  # each step's inputs go before the next starts: the peak is one step's, not their sum
    shared = phrases.shared_phrases_table(provisions, documents)
    return {
        "model_themes": theme_model.model_rows(provisions),
        "document_similarity": sim,
        "shared_phrases": shared,
        "cowords": words,
    }


def read_provisions(path: Path) -> pd.DataFrame:
    """The provisions' columns the corpus steps need; headings and bodies (repeated) as categoricals.

    A corpus repeats its boilerplate provisions word for word, and a
    categorical holds each distinct body once.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    repeated = ["section_title", "subsection_title", "item_title", "body"]
    df = pq.read_table(path, columns=PROVISION_COLUMNS, read_dictionary=repeated).to_pandas()
    pa.default_memory_pool().release_unused()
    return df


def token_batches(path: Path, *, rows: int = TOKEN_BATCH):
    """The tokens table's ``similarity.TOKEN_COLUMNS``, a record batch at a time, text columns dictionary-encoded."""
    import pyarrow.parquet as pq

    from .similarity import TOKEN_COLUMNS

    pf = pq.ParquetFile(path, read_dictionary=["doc_id", "provision_id", "token"])
    yield from pf.iter_batches(batch_size=rows, columns=TOKEN_COLUMNS)


def from_files(folder: Path, documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The corpus tables from the staged ``provisions.parquet`` and ``tokens.parquet`` in ``folder``.

    Returns ``model_themes`` (the learned codes alone, see
    :func:`ipanalysis.theme_model.model_rows`; the build merges them into
    the rule-coded themes a batch of documents at a time with
    :func:`ipanalysis.theme_model.merge_model_rows`), ``document_similarity``,
    ``shared_phrases`` and ``cowords`` (as :func:`add_corpus_tables` gives them).
    """
    folder = Path(folder)
    provisions = read_provisions(folder / "provisions.parquet")
    return corpus_steps(provisions, token_batches(folder / "tokens.parquet"), documents)


def add_corpus_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A new dict: the themes with the learned codes added, plus similarity, shared phrases and co-words."""
    from . import similarity, theme_model

    provisions = tables["provisions"]
    found = corpus_steps(provisions, similarity.frame_batches(tables["tokens"]), tables["documents"])
    out = dict(tables)
    seq = dict(zip(provisions["provision_id"], provisions["seq"]))
    out["provision_themes"] = theme_model.merge_model_rows(tables["provision_themes"], found.pop("model_themes"), seq)
    out.update(found)
    return out
