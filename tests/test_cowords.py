import math

import networkx as nx
import pandas as pd
import pytest

from ipanalysis import cowords

DOCS = pd.DataFrame({"doc_id": ["a"], "region": ["武威"], "province": ["甘肃"]})


def _tokens(provisions: list[str]) -> pd.DataFrame:
    rows = []
    for n, text in enumerate(provisions):
        for i, tok in enumerate(text.split()):
            rows.append({"doc_id": "a", "provision_id": f"a:{n}", "position": i, "start": 0, "token": tok, "is_stopword": False})
    return pd.DataFrame(rows)


PROVISIONS = [
    "专利 质押 融资",
    "专利 质押 融资",
    "专利 质押 保险",
    "侵权 执法 司法",
    "侵权 执法 司法",
    "侵权 执法 仲裁",
    "专利 执法",
    "商标 版权",
]


def test_ochiai_is_the_cosine_of_the_provision_sets():
    pairs = cowords.provision_terms(_tokens(PROVISIONS), DOCS)
    terms = cowords.top_terms(pairs, n=20, max_share=1.0)
    edges = cowords.cooccurrence_edges(pairs, terms).set_index(["term", "other_term"])
    # 专利 is in 4 provisions, 质押 in 3, together in 3
    assert edges.loc[("专利", "质押"), "cooccurrences"] == 3
    assert edges.loc[("专利", "质押"), "ochiai"] == pytest.approx(3 / math.sqrt(4 * 3), abs=1e-4)
    assert edges.loc[("专利", "执法"), "ochiai"] == pytest.approx(1 / math.sqrt(4 * 4), abs=1e-4)


@pytest.mark.parametrize(("min_ochiai", "min_co", "expected_pairs"), [(0.3, 2, 6), (0.8, 2, 4), (0.3, 3, 2)])
def test_threshold_keeps_strong_edges_only(min_ochiai, min_co, expected_pairs):
    table = cowords.cowords_table(_tokens(PROVISIONS), DOCS, min_ochiai=min_ochiai, min_cooccurrences=min_co)
    assert len(table) == expected_pairs
    assert (table["ochiai"] >= min_ochiai).all() and (table["cooccurrences"] >= min_co).all()


def test_two_topics_make_two_communities():
    table = cowords.cowords_table(_tokens(PROVISIONS), DOCS, min_ochiai=0.3, min_cooccurrences=2)
    comm = dict(zip(table["term"], table["community"])) | dict(zip(table["other_term"], table["other_community"]))
    assert comm["专利"] == comm["质押"] == comm["融资"]
    assert comm["侵权"] == comm["执法"] == comm["司法"]
    assert comm["专利"] != comm["侵权"]


def test_a_word_in_most_provisions_is_left_out():
    pairs = cowords.provision_terms(_tokens(["专利 商标"] * 3 + ["专利 版权"]), DOCS)
    assert "专利" not in cowords.top_terms(pairs, max_share=0.5)


def test_network_files_load_in_networkx_and_carry_no_date(tables, tmp_path):
    paths = cowords.write_networks(tables, tmp_path)
    names = {p.name for p in paths}
    assert names == {"cowords.graphml", "cowords.gexf", "agencies.graphml", "agencies.gexf"}
    g = nx.read_graphml(tmp_path / "cowords.graphml")
    h = nx.read_gexf(tmp_path / "cowords.gexf")
    assert g.number_of_edges() == len(tables["cowords"]) == h.number_of_edges()
    assert set(nx.get_node_attributes(g, "community").values()) == set(tables["cowords"]["community"])
    agencies = nx.read_gexf(tmp_path / "agencies.gexf")
    docs = set(nx.get_node_attributes(agencies, "doc_id").values())
    assert docs == set(tables["agencies"]["doc_id"])
    assert all(agencies.nodes[u]["doc_id"] == agencies.nodes[v]["doc_id"] for u, v in agencies.edges)
    assert (tables["agencies"]["agency_type"] == "placeholder").any()  # the shipped documents have some…
    assert "placeholder" not in set(nx.get_node_attributes(agencies, "agency_type").values())  # …and no node is one
    one = cowords.agency_graph(tables["agencies"], "wuwei-2024")
    assert one.number_of_edges() == len(agencies.subgraph([n for n, d in agencies.nodes(data="doc_id") if d == "wuwei-2024"]).edges)
    assert b"lastmodifieddate" not in (tmp_path / "cowords.gexf").read_bytes()
    again = cowords.network_files(tables)
    assert all(again[p.name] == p.read_bytes() for p in paths)


def test_graph_writers_round_trip_through_networkx(tmp_path):
    g = nx.Graph()
    g.add_node("市市场监管局", label="市市场监管局", provisions=12, agency_type="market_regulation_ip")
    g.add_node('A&B "<x>"', label='A&B "<x>"', provisions=1, agency_type="other")
    g.add_edge("市市场监管局", 'A&B "<x>"', weight=0.4567, cooccurrences=3)
    files = cowords.graph_files(g)
    for ext, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        (tmp_path / f"g.{ext}").write_bytes(files[ext])
        back = read(tmp_path / f"g.{ext}")
        assert set(back.nodes) == set(g.nodes), ext
        assert back.nodes["市市场监管局"]["provisions"] == 12 and back.nodes["市市场监管局"]["agency_type"] == "market_regulation_ip"
        edge = back.edges["市市场监管局", 'A&B "<x>"']
        assert edge["weight"] == pytest.approx(0.4567) and edge["cooccurrences"] == 3, ext
