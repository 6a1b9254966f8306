"""The corpus steps from the staged Parquet files give the tables the in-memory path gives, and today's methods.

Each corpus is built in memory (rule tables, no corpus tables), its
provisions and tokens written to Parquet with small row groups (as the
streaming build stages them), then :func:`corpus_tables.from_files` runs on
them. The in-memory :func:`corpus_tables.add_corpus_tables` and the plain
scikit-learn / pandas formulations of each method are the references.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from ipanalysis import build, corpus_tables, cowords, phrases, reading, similarity, tablefiles, theme_model

from tinyproject import DOCS, make_project

REPO = Path(__file__).resolve().parent.parent
FILE_TABLES = ("document_similarity", "shared_phrases", "cowords")


def _rule_tables(root: Path) -> dict[str, pd.DataFrame]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPANALYSIS_ROOT", str(root))
        return build.build_tables(reading.read_manifest(root / "data" / "raw" / "manifest.csv"), manual=False)


def _joined(*corpora: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Several corpora's tables as one corpus: each table sorted by doc_id, reading order kept."""
    out = {}
    for name in corpora[0]:
        df = pd.concat([c[name] for c in corpora], ignore_index=True)
        out[name] = df.sort_values("doc_id", kind="stable", ignore_index=True)
    return out


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    root = tmp_path_factory.mktemp("seeds")
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    return _rule_tables(root)


@pytest.fixture(scope="module")
def realdocs(tmp_path_factory):
    return _rule_tables(make_project(tmp_path_factory.mktemp("realdocs"), sorted(DOCS)))


@pytest.fixture(scope="module")
def replicated(seeds):
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from compare import replicate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    copies = replicate(seeds, 50, names=("documents", "provisions", "tokens", "provision_themes"))
    return _joined(copies)


def _stage(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    """provisions.parquet and tokens.parquet as the build stages them, with row groups of 1,000 rows."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("provisions", "tokens"):
        pq.write_table(tablefiles.from_pandas(name, tables[name]), folder / f"{name}.parquet", row_group_size=1000)
    return folder


def _check_same(tables: dict[str, pd.DataFrame], folder: Path) -> dict[str, pd.DataFrame]:
    """from_files equals the in-memory path: corpus tables, and the themes once the model rows are merged."""
    got = corpus_tables.from_files(_stage(tables, folder), tables["documents"])
    assert set(got) == {"model_themes", *FILE_TABLES}
    mem = corpus_tables.add_corpus_tables(tables)
    for name in FILE_TABLES:
        pd.testing.assert_frame_equal(got[name], mem[name])
    provisions = tables["provisions"]
    seq = dict(zip(provisions["provision_id"], provisions["seq"]))
    merged = theme_model.merge_model_rows(tables["provision_themes"], got["model_themes"], seq)
    pd.testing.assert_frame_equal(merged, mem["provision_themes"])
    pd.testing.assert_frame_equal(merged, theme_model.add_model_codes(tables["provision_themes"], provisions))
    return got


@pytest.mark.parametrize("corpus", ["seeds", "seeds+realdocs", "replicated"])
def test_from_files_equals_the_in_memory_tables(corpus, request, tmp_path):
    if corpus == "seeds+realdocs":
        tables = _joined(request.getfixturevalue("seeds"), request.getfixturevalue("realdocs"))
    else:
        tables = request.getfixturevalue(corpus)
    got = _check_same(tables, tmp_path / "staged")
    assert len(got["document_similarity"]) and len(got["shared_phrases"]) and len(got["model_themes"])


def test_model_rows_are_the_learned_codes_alone(seeds):
    rows = theme_model.model_rows(seeds["provisions"])
    assert rows["from_model"].all() and (rows["score"] == 0.0).all()
    assert not rows["from_heading"].any() and not rows["from_lexicon"].any() and (rows["heading"] == "").all()
    assert set(rows["source"]) <= {"model", "context"} and (rows["model_prob"].dropna() >= 0).all()
    assert not rows.duplicated(["provision_id", "theme"]).any()
    # a rule row the model agrees with is marked, not doubled
    seq = dict(zip(seeds["provisions"]["provision_id"], seeds["provisions"]["seq"]))
    merged = theme_model.merge_model_rows(seeds["provision_themes"], rows, seq)
    rules = set(zip(seeds["provision_themes"]["provision_id"], seeds["provision_themes"]["theme"]))
    both = [k for k in zip(rows["provision_id"], rows["theme"]) if k in rules]
    assert both, "the seeds have rule rows the model confirms"
    assert len(merged) == len(seeds["provision_themes"]) + len(rows) - len(both)
    marked = merged.set_index(["provision_id", "theme"]).loc[both]
    assert marked["from_model"].all() and marked["from_lexicon"].any()


def test_merging_batch_by_batch_equals_merging_once(seeds):
    """The build merges the model rows a batch of documents at a time: the concatenation is the whole."""
    provisions, rules = seeds["provisions"], seeds["provision_themes"]
    rows = theme_model.model_rows(provisions)
    seq = dict(zip(provisions["provision_id"], provisions["seq"]))
    whole = theme_model.merge_model_rows(rules, rows, seq)
    docs = sorted(set(provisions["doc_id"]))
    parts = [
        theme_model.merge_model_rows(rules[rules["doc_id"].isin(b)], rows[rows["doc_id"].isin(b)], seq)
        for b in (docs[:2], docs[2:])
    ]
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole)


def test_documents_and_provisions_cut_between_token_batches(seeds, tmp_path):
    """Tokens read 97 rows at a time (every provision cut somewhere) count as tokens read at once."""
    folder = _stage(seeds, tmp_path)
    small = corpus_tables.corpus_steps(seeds["provisions"], corpus_tables.token_batches(folder / "tokens.parquet", rows=97),
                                       seeds["documents"])  # fmt: skip
    whole = corpus_tables.from_files(folder, seeds["documents"])
    for name in small:
        pd.testing.assert_frame_equal(small[name], whole[name])


def test_similarity_equals_scikit_learn_on_the_whole_matrix(seeds, monkeypatch):
    """The blocked top-k cosine equals the one scikit-learn computes on the whole TF-IDF matrix."""
    from sklearn.metrics.pairwise import cosine_similarity

    monkeypatch.setattr(similarity, "BLOCK", 2)  # several blocks even for five documents
    table = similarity.similarity_table(seeds["tokens"], seeds["documents"], neighbours=3)
    terms = similarity.document_terms(seeds["tokens"], seeds["documents"])
    x, vec = similarity.tfidf(terms)
    sim = np.round(np.clip(cosine_similarity(x), 0.0, 1.0), 4)
    ids = list(terms.index)
    for rec in table.itertuples(index=False):
        assert rec.cosine == sim[ids.index(rec.doc_id), ids.index(rec.other_doc_id)]
    for doc, rows in table.groupby("doc_id"):
        i = ids.index(doc)
        want = sorted((-sim[i, j], ids[j]) for j in range(len(ids)) if j != i)[:3]
        assert list(zip(-rows["cosine"], rows["other_doc_id"])) == want
    first = table.iloc[0]
    words = set(first["shared_terms"].split("、"))
    both = set(terms[first["doc_id"]]) & set(terms[first["other_doc_id"]])
    assert words and words <= both


def test_cowords_equal_the_pandas_formulation(seeds):
    pairs = cowords.provision_terms(seeds["tokens"], seeds["documents"])
    edges = cowords.cooccurrence_edges(pairs, cowords.top_terms(pairs))
    edges = edges[(edges["ochiai"] >= cowords.MIN_OCHIAI) & (edges["cooccurrences"] >= cowords.MIN_COOCCURRENCES)]
    got = cowords.cowords_table(seeds["tokens"], seeds["documents"])
    want = edges.reset_index(drop=True)
    pd.testing.assert_frame_equal(got[list(want.columns)], want)


def test_phrases_from_provisions_equal_those_of_the_joined_texts(seeds):
    texts = phrases.document_texts(seeds["provisions"])
    assert phrases.shared_from_provisions(seeds["provisions"]) == phrases.find_shared(texts)


def test_the_shingle_hash_is_a_fixed_function_of_the_text():
    """Not Python's hash(): the same windows give the same numbers in any process (checked against the formula)."""
    text = "推动专利技术强农商标品牌富农"
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    got = phrases._window_hashes(codes, 4)
    mask = (1 << 64) - 1
    for i in range(len(text) - 3):
        h = 0
        for ch in text[i : i + 4]:
            h = (h * 1_000_003 + ord(ch)) & mask
        h ^= h >> 30
        h = (h * 0xBF58476D1CE4E5B9) & mask
        h ^= h >> 27
        h = (h * 0x94D049BB133111EB) & mask
        h ^= h >> 31
        assert int(got[i]) == h
    assert len(set(got.tolist())) == len(got)
