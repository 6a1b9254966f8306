"""The network files under ``data/processed/networks/``, written without holding a corpus-wide graph.

The agency co-responsibility network of the whole corpus is every
document's own network side by side (no edge joins two documents), so it can
be written one document at a time, read from ``agencies.parquet`` in row
groups: at 10,000 documents the graph would hold about a million edges in
networkx, and its XML as many Python strings. The bytes are exactly those of
:func:`ipanalysis.cowords.graph_files` on :func:`ipanalysis.cowords.agency_graph`
(tested), which stays the reference and serves small corpora and subsets.
The co-word network is small (the top terms only) and is written as before.
"""

from __future__ import annotations

import io
import itertools
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.sax import saxutils

import pandas as pd

from . import cowords
from .agencies import PLACEHOLDER

_COLUMNS = ["doc_id", "provision_id", "agency_std", "agency_type"]


# Agency names, types and counts repeat from one document to the next: escaping each distinct value
# once halves the time of writing the files.
@lru_cache(maxsize=65_536)
def quoteattr(text: str) -> str:
    """:func:`xml.sax.saxutils.quoteattr`, remembered."""
    return saxutils.quoteattr(text)


@lru_cache(maxsize=65_536, typed=True)  # typed: 1, 1.0 and True are different texts
def _text(value) -> str:
    """A data value as GraphML element text (:func:`ipanalysis.cowords._value`, escaped), remembered."""
    return cowords._escape(cowords._value(value))


def document_network(records: list[tuple[str, str, str, str]]):
    """One document's agency network as (nodes, edges), in the order the corpus-wide graph lists them.

    ``records``: (doc_id, provision_id, agency_std, agency_type) of one
    document in table order. Nodes: (id, attributes), sorted by agency; edges:
    (u, v, attributes) in networkx's iteration order for a graph built as
    :func:`ipanalysis.cowords.agency_graph` builds it (nodes sorted, then edges
    sorted), which is what its files list.
    """
    seen: set[tuple[str, str]] = set()
    sizes: dict[str, int] = {}
    types: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for d, pid, name, kind in records:
        if kind == PLACEHOLDER or (pid, name) in seen:
            continue
        seen.add((pid, name))
        sizes[name] = sizes.get(name, 0) + 1
        types.setdefault(name, kind)
        members.setdefault(pid, []).append(name)
    if not sizes:
        return [], []
    d = records[0][0]
    weights: dict[tuple[str, str], int] = {}
    for names in members.values():
        for u, v in itertools.combinations(sorted(names), 2):
            weights[(u, v)] = weights.get((u, v), 0) + 1
    node_id = {name: f"{d}:{name}" for name in sizes}
    nodes = [(node_id[name], {"label": name, "doc_id": d, "agency": name, "provisions": int(sizes[name]),
                              "agency_type": str(types[name])}) for name in sorted(sizes)]  # fmt: skip
    adjacency: dict[str, dict[str, int]] = {n: {} for n, _data in nodes}
    for (u, v), w in sorted(weights.items()):  # networkx keeps neighbours in insertion order
        a, b = node_id[u], node_id[v]
        adjacency[a][b] = w
        adjacency[b][a] = w
    edges, done = [], set()
    for n, _data in nodes:  # networkx reports each edge once, from the first of its ends in node order
        for nbr, w in adjacency[n].items():
            if nbr not in done:
                edges.append((n, nbr, {"weight": w}))
        done.add(n)
    return nodes, edges


def document_networks(agencies_parquet: Path):
    """(nodes, edges) of each document in turn, reading ``agencies.parquet`` a row group at a time."""
    import pyarrow.parquet as pq

    current: list[tuple] = []
    for batch in pq.ParquetFile(agencies_parquet).iter_batches(columns=_COLUMNS):
        cols = [batch.column(c).to_pylist() for c in _COLUMNS]
        for rec in zip(*cols):
            if current and rec[0] != current[0][0]:
                yield document_network(current)
                current = []
            current.append(rec)
    if current:
        yield document_network(current)


class _StreamedGraphFiles:
    """GraphML and GEXF of a graph given in disjoint parts: node and edge lines go to part files, headers last.

    With no ``folder`` the parts are kept in memory: that is how a whole graph
    is written (:func:`graph_bytes`), so there is one writer for both.
    """

    PARTS = ("gm_nodes", "gm_edges", "gx_nodes", "gx_edges")

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        if folder is None:
            self.parts = {k: io.StringIO() for k in self.PARTS}
        else:
            self.parts = {k: (folder / k).open("w", encoding="utf-8") for k in self.PARTS}
        self.ntypes: dict[str, str] = {}
        self.etypes: dict[str, str] = {}
        self.n_edges = 0

    def add(self, nodes, edges) -> None:
        for _n, data in nodes:
            self._types(self.ntypes, data)
        for _u, _v, data in edges:
            self._types(self.etypes, data)
        gm_keys_n = {k: f"n{i}" for i, k in enumerate(self.ntypes)}
        gm_keys_e = {k: f"e{i}" for i, k in enumerate(self.etypes)}
        gx_n = [k for k in self.ntypes if k != "label"]
        gx_e = [k for k in self.etypes if k != "weight"]
        gm, gx = self.parts["gm_nodes"], self.parts["gx_nodes"]
        for n, data in nodes:
            lines = [f"    <node id={quoteattr(str(n))}>"]
            lines += [f'      <data key="{gm_keys_n[k]}">{_text(v)}</data>' for k, v in data.items()]
            lines.append("    </node>")
            gm.write("\n".join(lines) + "\n")
            label = quoteattr(str(data.get("label", n)))
            lines = [f"      <node id={quoteattr(str(n))} label={label}>", *self._attvalues(data, gx_n, "        "), "      </node>"]
            gx.write("\n".join(lines) + "\n")
        gm, gx = self.parts["gm_edges"], self.parts["gx_edges"]
        for u, v, data in edges:
            lines = [f"    <edge source={quoteattr(str(u))} target={quoteattr(str(v))}>"]
            lines += [f'      <data key="{gm_keys_e[k]}">{_text(x)}</data>' for k, x in data.items()]
            lines.append("    </edge>")
            gm.write("\n".join(lines) + "\n")
            weight = f' weight="{cowords._value(data["weight"])}"' if "weight" in data else ""
            body = self._attvalues(data, gx_e, "        ")
            head = f'      <edge id="{self.n_edges}" source={quoteattr(str(u))} target={quoteattr(str(v))}{weight}'
            gx.write("\n".join([head + ">", *body, "      </edge>"] if body else [head + " />"]) + "\n")
            self.n_edges += 1

    @staticmethod
    def _types(found: dict[str, str], data: dict) -> None:
        """Add ``data``'s attributes not seen yet (keys are numbered in first-seen order, so only appended)."""
        for k, t in cowords._attr_types([(None, data)]).items():
            found.setdefault(k, t)

    @staticmethod
    def _attvalues(data, keys, indent) -> list[str]:
        vals = [f'{indent}  <attvalue for="{i}" value={quoteattr(cowords._value(data[k]))} />' for i, k in enumerate(keys) if k in data]
        return [f"{indent}<attvalues>", *vals, f"{indent}</attvalues>"] if vals else []

    def finish(self) -> dict[str, list]:
        """The files as (head, part names, tail): the heads can only be written once every attribute is known."""
        if self.folder is not None:
            for fh in self.parts.values():
                fh.close()
        keys = {("node", k): f"n{i}" for i, k in enumerate(self.ntypes)} | {("edge", k): f"e{i}" for i, k in enumerate(self.etypes)}
        gm_head = ['<?xml version="1.0" encoding="utf-8"?>',
                   '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                   'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']  # fmt: skip
        for (kind, name), key in keys.items():
            typ = (self.ntypes if kind == "node" else self.etypes)[name]
            gm_head.append(f'  <key id="{key}" for="{kind}" attr.name={quoteattr(name)} attr.type="{typ}" />')
        gm_head.append('  <graph edgedefault="undirected">')
        gx_head = ['<?xml version="1.0" encoding="utf-8"?>', '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">',
                   '  <graph defaultedgetype="undirected" mode="static">']  # fmt: skip
        for cls, types in (("node", self.ntypes), ("edge", self.etypes)):
            shown = [k for k in types if k != ("label" if cls == "node" else "weight")]
            if shown:
                gx_head.append(f'    <attributes class="{cls}" mode="static">')
                gx_head += [f'      <attribute id="{i}" title={quoteattr(k)} type="{types[k]}" />' for i, k in enumerate(shown)]
                gx_head.append("    </attributes>")
        return {
            "graphml": ["\n".join(gm_head) + "\n", "gm_nodes", "gm_edges", "  </graph>\n</graphml>\n"],
            "gexf": ["\n".join([*gx_head, "    <nodes>"]) + "\n", "gx_nodes", "    </nodes>\n    <edges>\n", "gx_edges",
                     "    </edges>\n  </graph>\n</gexf>\n"],
        }  # fmt: skip


def graph_bytes(g) -> dict[str, bytes]:
    """{"graphml": bytes, "gexf": bytes} of a networkx graph with flat attributes, no date, insertion order.

    Written directly rather than through networkx's writers, which build an
    element tree (ten times slower on a thousand documents' networks) and, for
    GEXF, stamp today's date; ``networkx.read_graphml`` / ``read_gexf`` read the
    files back with the same attributes.
    """
    files = _StreamedGraphFiles()
    files.add(list(g.nodes(data=True)), list(g.edges(data=True)))
    pieces = files.finish()
    return {ext: "".join(files.parts[p].getvalue() if p in files.parts else p for p in parts).encode("utf-8")
            for ext, parts in pieces.items()}  # fmt: skip


def write_agency_network(agencies_parquet: Path, out_dir: Path) -> list[Path]:
    """``agencies.graphml`` and ``agencies.gexf`` of every document, streamed from ``agencies.parquet``."""
    from .build import atomic_write

    work = Path(tempfile.mkdtemp(prefix=".network-", dir=out_dir))
    try:
        files = _StreamedGraphFiles(work)
        for nodes, edges in document_networks(agencies_parquet):
            files.add(nodes, edges)
        paths = []
        for ext, pieces in files.finish().items():

            def write(tmp: Path, pieces=pieces) -> None:
                with tmp.open("wb") as out:
                    for piece in pieces:
                        if piece in files.parts:
                            with (work / piece).open("rb") as part:
                                shutil.copyfileobj(part, out)
                        else:
                            out.write(piece.encode("utf-8"))

            atomic_write(out_dir / f"agencies.{ext}", write)
            paths.append(out_dir / f"agencies.{ext}")
        return paths
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_all(cowords_df: pd.DataFrame, agencies_parquet: Path, out_dir: Path) -> list[Path]:
    """Every network file of a build: the co-word network (small, in memory) and the agency network (streamed)."""
    from .build import atomic_write

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext, data in sorted(cowords.graph_files(cowords.coword_graph(cowords_df)).items()):
        atomic_write(out_dir / f"cowords.{ext}", lambda p, data=data: p.write_bytes(data))
        paths.append(out_dir / f"cowords.{ext}")
    return sorted(paths + write_agency_network(agencies_parquet, out_dir))
