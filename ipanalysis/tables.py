"""The processed tables: their columns, types and row order, in one place.

Every table is assembled from per-document pieces; enforcing one schema on
the result makes its types independent of which documents happen to be in
the corpus (a column of whole numbers stays float if it is float).
"""

from __future__ import annotations

STR, INT, NINT, FLOAT, BOOL = "str", "int64", "Int64", "float64", "bool"

SCHEMAS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": STR, "manifest_row": INT, "region": STR, "region_en": STR, "level": STR, "province": STR,
        "province_en": STR, "title": STR, "issuer": STR, "doc_number": STR, "issued": STR, "issued_precision": STR,
        "published": STR, "period_start": NINT, "period_end": NINT, "period_source": STR, "script": STR,
        "encoding": STR, "n_provisions": INT, "n_chars": INT, "n_removed_lines": INT, "overridden": STR,
        "warnings": STR, "source_file": STR, "sha256": STR,
    },
    "provisions": {
        "doc_id": STR, "provision_id": STR, "seq": INT, "depth": INT, "label": STR, "path": STR, "section_no": INT,
        "section_label": STR, "section_title": STR, "subsection_label": STR, "subsection_title": STR,
        "item_title": STR, "text": STR, "body": STR, "responsibility": STR, "has_table": BOOL, "n_chars": INT,
        "line_start": INT, "line_end": INT, "text_original": STR,
    },
    "tokens": {"doc_id": STR, "provision_id": STR, "position": INT, "start": INT, "token": STR, "is_stopword": BOOL},
    "lines": {"doc_id": STR, "line_no": INT, "part": STR, "provision_id": STR, "text": STR, "text_original": STR},
    "removed_lines": {"doc_id": STR, "line_no": INT, "reason": STR, "text_original": STR},
    "targets": {
        "doc_id": STR, "provision_id": STR, "line_no": NINT, "indicator": STR, "indicator_id": STR,
        "indicator_zh": STR, "indicator_en": STR, "year": NINT, "year_explicit": BOOL, "value": FLOAT,
        "value_high": FLOAT, "unit": STR, "value_std": FLOAT, "value_high_std": FLOAT, "unit_std": STR,
        "comparator": STR, "measure": STR, "basis": STR, "status": STR, "source": STR, "evidence": STR,
        "also_stated_in": STR,
    },
    "provision_themes": {
        "doc_id": STR, "provision_id": STR, "theme": STR, "score": FLOAT, "from_heading": BOOL, "from_lexicon": BOOL,
        "heading": STR, "matched": STR, "evidence": STR, "source": STR, "from_model": BOOL, "model_prob": FLOAT,
    },
    "provision_instruments": {
        "doc_id": STR, "provision_id": STR, "instrument": STR, "subtype": STR, "matched": STR, "evidence": STR,
        "source": STR,
    },
    "brands": {"doc_id": STR, "provision_id": STR, "name": STR, "kind": STR, "evidence": STR},
    "events": {"doc_id": STR, "kind": STR, "start": STR, "end": STR, "precision": STR, "label": STR, "evidence": STR},
    "references": {
        "doc_id": STR, "title": STR, "level": STR, "period_start": NINT, "period_end": NINT, "count": NINT,
        "line_no": NINT, "evidence": STR,
    },
    "agencies": {
        "doc_id": STR, "provision_id": STR, "position": INT, "agency": STR, "agency_std": STR, "level": STR,
        "agency_type": STR, "role": STR, "clause_group": INT,
    },
    # Corpus tables: computed from the whole corpus after the per-document stages (see corpus_tables.py).
    "document_similarity": {"doc_id": STR, "other_doc_id": STR, "cosine": FLOAT, "rank": INT, "shared_terms": STR},
    "shared_phrases": {
        "phrase": STR, "n_chars": INT, "n_docs": INT, "doc_ids": STR, "earliest_doc_id": STR, "earliest_issuer": STR,
        "earliest_issued": STR,
    },
    "cowords": {
        "term": STR, "other_term": STR, "cooccurrences": INT, "ochiai": FLOAT, "provisions": INT,
        "other_provisions": INT, "community": INT, "other_community": INT,
    },
}  # fmt: skip
TABLES = tuple(SCHEMAS)
# Excel shows at most 1,048,576 rows per sheet; one is the header. A longer table gets no CSV.
SPREADSHEET_MAX_ROWS = 1_048_575
# Built from the whole corpus, not document by document: never patched, recomputed at every build.
CORPUS_TABLES = ("document_similarity", "shared_phrases", "cowords")
DOCUMENT_TABLES = tuple(t for t in TABLES if t not in CORPUS_TABLES)


def columns_of(name: str, rows: list[dict]) -> list[str]:
    """Columns of a per-document piece: the schema's, plus any extra a stage keeps for later stages."""
    cols = list(SCHEMAS.get(name, {}))
    for row in rows[:1]:
        cols += [c for c in row if c not in cols]
    return cols


def _arrow_type(dtype: str):
    import pyarrow as pa

    return {STR: pa.string(), INT: pa.int64(), NINT: pa.int64(), FLOAT: pa.float64(), BOOL: pa.bool_()}[dtype]


def assemble_arrow(name: str, pieces: list[dict]):
    """Join per-document column pieces into an Arrow table of the table's schema (no pandas metadata).

    Each piece is a dict of equal-length lists; a column a piece lacks is
    null there. Text columns never hold nulls: a missing text is ``""``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    schema = SCHEMAS[name]
    columns = []
    fields = []
    for col, dtype in schema.items():
        values: list = []
        for piece in pieces:
            if col in piece:
                values.extend(piece[col])
            else:
                values.extend([None] * len(next(iter(piece.values()), [])))
        arrow_type = _arrow_type(dtype)
        array = pa.array(values, type=arrow_type)
        if dtype == STR:
            array = pc.fill_null(array, "")
        columns.append(array)
        fields.append(pa.field(col, arrow_type))
    return pa.table(columns, schema=pa.schema(fields))


def assemble(name: str, pieces: list[dict]):
    """Join per-document column pieces into the table's DataFrame, schema enforced.

    Columns are joined in plain Python and converted to Arrow once, then to
    pandas: one conversion per table rather than one per document.
    """
    df = assemble_arrow(name, pieces).to_pandas()
    for col, dtype in SCHEMAS[name].items():
        if dtype == NINT:
            df[col] = df[col].astype("Int64")
    return df


def enforce(name: str, df):
    """A DataFrame built from records, with the table's columns, order and types (for small tables)."""
    rows = df.astype(object).where(df.notna(), None)
    return assemble(name, [{c: rows[c].tolist() for c in rows.columns}])
