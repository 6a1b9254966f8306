"""Co-word network: which content words occur together in provisions, and the communities they form.

Why these choices:
- the unit is the provision: two words co-occur when one provision uses both
  (a document is too coarse, a sentence too sparse for policy text);
- terms: the ``TOP_TERMS`` content words (as in :mod:`ipanalysis.similarity`:
  no stopwords, numbers or place names) found in the most provisions,
  leaving out words in more than ``MAX_SHARE`` of all provisions
  (知识产权 is in nearly every one and links everything to everything);
- strength: the Ochiai coefficient, c(a,b) / sqrt(n(a) n(b)), the cosine of
  two words' provision sets; raw counts would rank the frequent words only;
- threshold: an edge is kept when its Ochiai reaches ``MIN_OCHIAI`` and the
  pair shares at least ``MIN_COOCCURRENCES`` provisions. This is what keeps
  the drawing from becoming a hairball; the figure says which was used;
- communities: networkx's Louvain with a fixed seed, on Ochiai weights,
  numbered by size (0 = largest), so the same corpus gives the same numbers.

The (provision, term) pairs come as integer codes from the tokens counted
batch by batch (:class:`ipanalysis.similarity.TokenCounts`); only the pairs
of the ``TOP_TERMS`` kept terms ever become strings (:func:`cowords_from_pairs`).

Networks are exported as GraphML and GEXF (both open in Gephi; both load in
networkx). They are written directly, with no date (networkx's GEXF writer
stamps today's), so a rebuild gives the same bytes, and fast enough for a
thousand documents' agency networks.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

TOP_TERMS = 60
MAX_SHARE = 0.5
MIN_OCHIAI = 0.3
MIN_COOCCURRENCES = 3
SEED = 0


def provision_terms(tokens: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Distinct (provision_id, term) pairs of content words."""
    from .similarity import content_mask

    kept = tokens.loc[content_mask(tokens, documents), ["provision_id", "token"]]
    return kept.drop_duplicates().rename(columns={"token": "term"}).reset_index(drop=True)


def top_terms(pairs: pd.DataFrame, *, n: int = TOP_TERMS, max_share: float = MAX_SHARE) -> pd.Series:
    """term -> number of provisions, for the ``n`` terms in most provisions (ties by term), none above ``max_share``."""
    return _top(pairs.groupby("term").size(), pairs["provision_id"].nunique(), n=n, max_share=max_share)


def _top(df: pd.Series, total: int, *, n: int, max_share: float) -> pd.Series:
    """The ``n`` terms of ``df`` (term -> provisions) in most provisions, ties by term, none above ``max_share``."""
    df = df[df <= max_share * total]
    ranked = sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return pd.Series(dict(ranked), dtype="int64")


def cooccurrence_edges(pairs: pd.DataFrame, terms: pd.Series) -> pd.DataFrame:
    """Every pair of ``terms`` sharing a provision: counts and Ochiai, term < other_term.

    Counted as one sparse product (provisions x terms incidence, transposed
    times itself), so a thousand documents cost a fraction of a second.
    """
    import numpy as np
    from scipy import sparse

    cols = ["term", "other_term", "cooccurrences", "ochiai", "provisions", "other_provisions"]
    keep = pairs[pairs["term"].isin(terms.index)]
    if keep.empty:
        return pd.DataFrame(columns=cols)
    names = sorted(terms.index)
    col = pd.Categorical(keep["term"], categories=names).codes
    row = pd.factorize(keep["provision_id"])[0]
    x = sparse.csr_matrix((np.ones(len(keep), dtype=np.int64), (row, col)), shape=(row.max() + 1, len(names)))
    co = sparse.triu(x.T @ x, k=1).tocoo()
    n = terms.reindex(names).to_numpy()
    out = pd.DataFrame({
        "term": np.array(names, dtype=object)[co.row], "other_term": np.array(names, dtype=object)[co.col],
        "cooccurrences": co.data.astype("int64"),
        "ochiai": np.round(co.data / np.sqrt(n[co.row] * n[co.col]), 4),
        "provisions": n[co.row].astype("int64"), "other_provisions": n[co.col].astype("int64"),
    })  # fmt: skip
    return out.sort_values(["term", "other_term"], kind="stable").reset_index(drop=True)[cols]


def communities(edges: pd.DataFrame) -> dict[str, int]:
    """term -> community number (0 = largest), Louvain on Ochiai weights, fixed seed."""
    import networkx as nx

    g = nx.Graph()
    g.add_weighted_edges_from(sorted(zip(edges["term"], edges["other_term"], edges["ochiai"])))
    if not g.number_of_edges():
        return {}
    found = nx.community.louvain_communities(g, weight="weight", seed=SEED)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {t: i for i, c in enumerate(ordered) for t in c}


def cowords_table(
    tokens: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    n_terms: int = TOP_TERMS,
    min_ochiai: float = MIN_OCHIAI,
    min_cooccurrences: int = MIN_COOCCURRENCES,
) -> pd.DataFrame:
    """The co-word network's edges above the threshold, with each end's provisions and community.

    Computed as the build computes it from the Parquet files: content words
    counted as integer codes (:class:`ipanalysis.similarity.TokenCounts`),
    then :func:`cowords_from_pairs`.
    """
    from .similarity import count_tokens, frame_batches

    _docs, names, _counts, pairs = count_tokens(frame_batches(tokens), documents).finish()
    return cowords_from_pairs(*pairs, names, n_terms=n_terms, min_ochiai=min_ochiai,
                              min_cooccurrences=min_cooccurrences)  # fmt: skip


def cowords_from_pairs(
    provision: np.ndarray,
    term: np.ndarray,
    names: np.ndarray,
    *,
    n_terms: int = TOP_TERMS,
    min_ochiai: float = MIN_OCHIAI,
    min_cooccurrences: int = MIN_COOCCURRENCES,
) -> pd.DataFrame:
    """The co-word table from distinct (provision code, term code) pairs; ``names``: term code -> term.

    Provisions per term are counted on the codes (``np.bincount``); only the
    pairs of the ``n_terms`` kept terms become a table, so the whole corpus's
    pairs are never strings.
    """
    from .tables import SCHEMAS

    cols = list(SCHEMAS["cowords"])
    if not len(provision):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    df = np.bincount(term, minlength=len(names))
    used = np.flatnonzero(df)
    top = _top(pd.Series(df[used], index=names[used]), int(np.count_nonzero(np.bincount(provision))), n=n_terms, max_share=MAX_SHARE)
    code = pd.Series(np.arange(len(names)), index=names)[top.index].to_numpy()
    keep = np.isin(term, code)
    pairs = pd.DataFrame({"provision_id": provision[keep], "term": names[term[keep]]})
    edges = cooccurrence_edges(pairs, top)
    edges = edges[(edges["ochiai"] >= min_ochiai) & (edges["cooccurrences"] >= min_cooccurrences)]
    comm = communities(edges)
    edges = edges.assign(community=edges["term"].map(comm), other_community=edges["other_term"].map(comm))
    return edges[cols].reset_index(drop=True)


# -- graphs and files ------------------------------------------------------------------------------


def coword_graph(edges: pd.DataFrame):
    """networkx Graph of the co-word table: nodes with provisions and community, edges with Ochiai and counts."""
    import networkx as nx

    g = nx.Graph()
    nodes = {}
    for rec in edges.itertuples(index=False):
        nodes[rec.term] = (rec.provisions, rec.community)
        nodes[rec.other_term] = (rec.other_provisions, rec.other_community)
    for term in sorted(nodes):
        g.add_node(term, label=term, provisions=int(nodes[term][0]), community=int(nodes[term][1]))
    for rec in edges.sort_values(["term", "other_term"]).itertuples(index=False):
        g.add_edge(rec.term, rec.other_term, weight=float(rec.ochiai), cooccurrences=int(rec.cooccurrences))
    return g


def agency_graph(agencies_df: pd.DataFrame, doc_id: str | None = None):
    """Co-responsibility network: agencies linked by the provisions they share (edge ``weight``).

    With ``doc_id``, one document's network, nodes named by the agency.
    Without, every document's network in one graph (the file the build
    writes: one file, however many documents): nodes ``doc_id:agency`` with
    ``doc_id`` and ``agency`` attributes, so Gephi or networkx can filter one
    document, and no edge between two documents.
    """
    import itertools

    import networkx as nx

    from .agencies import without_placeholders

    a = without_placeholders(agencies_df)  # 各成员单位… is no node, as in every ranking and network
    a = a if doc_id is None else a[a["doc_id"] == doc_id]
    a = a.drop_duplicates(["doc_id", "provision_id", "agency_std"])
    sizes = a.groupby(["doc_id", "agency_std"]).size()
    types = a.drop_duplicates(["doc_id", "agency_std"]).set_index(["doc_id", "agency_std"])["agency_type"]
    weights: dict[tuple[str, str, str], int] = {}
    members: dict[tuple[str, str], list[str]] = {}
    for d, pid, name in zip(a["doc_id"], a["provision_id"], a["agency_std"]):
        members.setdefault((d, pid), []).append(name)
    for (d, _pid), names in members.items():
        for u, v in itertools.combinations(sorted(names), 2):
            weights[(d, u, v)] = weights.get((d, u, v), 0) + 1

    def node(d: str, name: str) -> str:
        return name if doc_id is not None else f"{d}:{name}"

    g = nx.Graph()
    for (d, name), n in sorted(sizes.items()):
        g.add_node(node(d, name), label=name, doc_id=d, agency=name, provisions=int(n), agency_type=str(types[(d, name)]))
    for (d, u, v), w in sorted(weights.items()):
        g.add_edge(node(d, u), node(d, v), weight=w)
    return g


def _attr_types(items) -> dict[str, str]:
    """attribute -> GraphML/GEXF type (``long``, ``double`` or ``string``), in first-seen order."""
    out: dict[str, str] = {}
    for _key, data in items:
        for k, v in data.items():
            if k not in out:
                out[k] = "long" if isinstance(v, (bool, int)) else "double" if isinstance(v, float) else "string"
    return out


def _value(v) -> str:
    return repr(float(v)) if isinstance(v, float) else str(int(v)) if isinstance(v, bool) else str(v)


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def graph_files(g) -> dict[str, bytes]:
    """{"graphml": bytes, "gexf": bytes} of a graph, byte-stable (no date, insertion order).

    The writer is :func:`ipanalysis.network_files.graph_bytes`, the one the build streams the agency network with.
    """
    from .network_files import graph_bytes

    return graph_bytes(g)


def network_files(tables: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """File name -> bytes: ``cowords.graphml`` / ``.gexf`` and ``agencies.graphml`` / ``.gexf`` (every document's)."""
    out = {}
    for ext, data in graph_files(coword_graph(tables["cowords"])).items():
        out[f"cowords.{ext}"] = data
    for ext, data in graph_files(agency_graph(tables["agencies"])).items():
        out[f"agencies.{ext}"] = data
    return out


def write_networks(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write every network under ``out_dir`` (atomically, file by file); remove ones no longer built."""
    from .build import atomic_write

    files = network_files(tables)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        if old.is_file() and old.suffix in (".graphml", ".gexf") and old.name not in files:
            old.unlink()
    paths = []
    for name, data in sorted(files.items()):
        atomic_write(out_dir / name, lambda p, data=data: p.write_bytes(data))
        paths.append(out_dir / name)
    return paths
