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

Networks are exported as GraphML and GEXF (both open in Gephi; both load in
networkx). networkx writes today's date into GEXF; it is removed so a rebuild
gives the same bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

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
    total = pairs["provision_id"].nunique()
    df = pairs.groupby("term").size()
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
    """The co-word network's edges above the threshold, with each end's provisions and community."""
    from .tables import SCHEMAS

    cols = list(SCHEMAS["cowords"])
    pairs = provision_terms(tokens, documents)
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    edges = cooccurrence_edges(pairs, top_terms(pairs, n=n_terms))
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


def agency_graph(agencies_df: pd.DataFrame, doc_id: str):
    """One document's co-responsibility network: agencies linked by the provisions they share."""
    import networkx as nx

    from .agencies import co_responsibility

    a = agencies_df[agencies_df["doc_id"] == doc_id]
    sizes = a.groupby("agency_std")["provision_id"].nunique()
    types = a.drop_duplicates("agency_std").set_index("agency_std")["agency_type"]
    g = nx.Graph()
    for name in sorted(sizes.index):
        g.add_node(name, label=name, provisions=int(sizes[name]), agency_type=str(types.get(name, "")))
    for rec in co_responsibility(a, doc_id).itertuples(index=False):
        g.add_edge(rec.source, rec.target, weight=int(rec.provisions))
    return g


_GEXF_DATE = re.compile(rb'\s+lastmodifieddate="[^"]*"')


def graph_files(g) -> dict[str, bytes]:
    """{"graphml": bytes, "gexf": bytes} of a graph, with no date in them."""
    import networkx as nx

    graphml = "\n".join(nx.generate_graphml(g)).encode("utf-8") + b"\n"
    gexf = "\n".join(nx.generate_gexf(g)).encode("utf-8") + b"\n"
    return {"graphml": graphml, "gexf": _GEXF_DATE.sub(b"", gexf)}


def network_files(tables: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """File name -> bytes of every network: ``cowords.*`` and ``agencies_<doc_id>.*``."""
    out = {}
    for ext, data in graph_files(coword_graph(tables["cowords"])).items():
        out[f"cowords.{ext}"] = data
    agencies_df = tables["agencies"]
    for doc_id in sorted(agencies_df["doc_id"].unique()):
        for ext, data in graph_files(agency_graph(agencies_df, doc_id)).items():
            out[f"agencies_{doc_id}.{ext}"] = data
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
