"""Tables computed from the whole corpus, once the documents' own tables are assembled.

The per-document stages (:mod:`ipanalysis.pipeline`) cannot learn a theme
model or compare documents: both need every document. This step runs after
them at every build, on the assembled tables, so it is never cached or
patched; it takes a few seconds at a thousand documents.
"""

from __future__ import annotations

import pandas as pd


def add_corpus_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A new dict: the themes with the learned codes added, plus similarity, shared phrases and co-words."""
    from . import cowords, phrases, similarity, theme_model

    out = dict(tables)
    out["provision_themes"] = theme_model.add_model_codes(tables["provision_themes"], tables["provisions"])
    out["document_similarity"] = similarity.similarity_table(tables["tokens"], tables["documents"])
    out["shared_phrases"] = phrases.shared_phrases_table(tables["provisions"], tables["documents"])
    out["cowords"] = cowords.cowords_table(tables["tokens"], tables["documents"])
    return out
