"""Charts of notebook 06: similarity, shared phrases, the co-word network, the theme coders' agreement.

They reuse :mod:`ipanalysis.plotting`'s style, font, labels and region names,
so they look like every other figure and save byte-stable with
``plotting.save_figure``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .plotting import A4_WIDTH, _column_labels, _heatmap, _theme_label, cjk_font, label, region_names


def similarity_clustermap(sim: pd.DataFrame, documents: pd.DataFrame, *, lang: str = "zh"):
    """Heatmap of the cosine matrix, rows and columns ordered by average linkage, with the dendrogram."""
    import seaborn as sns

    from .similarity import linkage

    names = region_names(documents, lang)
    shown = sim.rename(index=names, columns=names)
    link = linkage(sim)
    n = len(sim)
    # A4 width whatever the corpus: cells shrink, values are written while they still fit.
    grid = sns.clustermap(
        shown, row_linkage=link, col_linkage=link, annot=n <= 20, fmt=".2f", cmap="Blues", vmin=0, vmax=1,
        figsize=(A4_WIDTH, A4_WIDTH), dendrogram_ratio=0.15, cbar_pos=(0.02, 0.85, 0.025, 0.12),
        annot_kws={"fontsize": 6 if n <= 8 else 4.5}, xticklabels=True, yticklabels=True,
    )  # fmt: skip
    ax = grid.ax_heatmap
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(labelsize=6 if n <= 8 else 5, length=0)
    shown_cols = [t.get_text() for t in ax.get_xticklabels()]
    ax.set_xticklabels(_column_labels(shown_cols, fontsize=5), rotation=0)
    ax.tick_params(axis="y", labelrotation=0)
    grid.ax_cbar.tick_params(labelsize=5)
    grid.figure.suptitle(label("similarity", lang), y=1.02)
    return grid.figure


def shared_phrase_matrix(pairs: pd.DataFrame, documents: pd.DataFrame, *, lang: str = "zh"):
    """Who shares most with whom: characters of shared passages per pair of documents."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    docs = documents.sort_values("manifest_row")
    names = region_names(docs, lang)
    order = docs["doc_id"].tolist()
    wide = pairs.pivot(index="doc_id", columns="other_doc_id", values="chars").reindex(index=order, columns=order)
    wide = wide.fillna(0).astype(int)
    mask = np.eye(len(order), dtype=bool)
    n = len(order)
    fig, ax = plt.subplots(figsize=(A4_WIDTH, min(A4_WIDTH, 0.3 * n + 1.4)), layout="constrained")
    shown = wide.rename(index=names, columns=names)
    _heatmap(ax, shown, cmap="Purples", mask=mask, cbar_label=label("n_chars", lang, "characters"))
    ax.set_xticklabels(_column_labels(list(shown.columns)), rotation=0)
    ax.xaxis.tick_top()
    ax.set_title(label("shared_phrases", lang), fontsize="medium")
    return fig


def _circle_by_community(nodes: list[tuple[str, int, int]]) -> dict[str, tuple[float, float, float]]:
    """node -> (x, y, angle): communities in arcs around one circle, largest word first within each.

    A circle gives every label its own radial slot, so none overlap whatever
    the network, and places the nodes the same way on every run.
    """
    ordered = sorted(nodes, key=lambda n: (n[2], -n[1], n[0]))
    step = 2 * math.pi / max(1, len(ordered))
    return {name: (math.cos(i * step), math.sin(i * step), i * step) for i, (name, _size, _c) in enumerate(ordered)}


def coword_network(edges: pd.DataFrame, *, min_ochiai: float, min_cooccurrences: int, lang: str = "zh"):
    """The co-word network on a circle grouped by community; edge width and shade by Ochiai."""
    import matplotlib.pyplot as plt

    nodes = {}
    for rec in edges.itertuples(index=False):
        nodes[rec.term] = (rec.provisions, rec.community)
        nodes[rec.other_term] = (rec.other_provisions, rec.other_community)
    pos = _circle_by_community([(t, s, c) for t, (s, c) in nodes.items()])
    colors = plt.get_cmap("tab10").colors
    fig, ax = plt.subplots(figsize=(A4_WIDTH, A4_WIDTH))
    for rec in edges.sort_values("ochiai").itertuples(index=False):
        (x0, y0, _a), (x1, y1, _b) = pos[rec.term], pos[rec.other_term]
        same = rec.community == rec.other_community
        ax.plot([x0, x1], [y0, y1], color=colors[rec.community % 10] if same else "#bbbbbb",
                lw=0.4 + 3.0 * rec.ochiai, alpha=0.25 + 0.6 * rec.ochiai, zorder=1)  # fmt: skip
    biggest = max(s for s, _c in nodes.values()) if nodes else 1
    family = cjk_font()
    for term, (x, y, angle) in pos.items():
        size, comm = nodes[term]
        ax.scatter([x], [y], s=10 + 90 * size / biggest, color=colors[comm % 10], zorder=2, edgecolor="white", lw=0.5)
        deg = math.degrees(angle)
        flip = 90 < deg < 270
        ax.text(1.07 * x, 1.07 * y, term, rotation=deg + (180 if flip else 0), rotation_mode="anchor",
                ha="right" if flip else "left", va="center", fontsize=6, family=family)  # fmt: skip
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(label("coword_network", lang) + "\n"
                 + label("coword_threshold", lang).format(ochiai=min_ochiai, cooccurrences=min_cooccurrences),
                 fontsize="medium")  # fmt: skip
    return fig


def agreement_bars(agreement: pd.DataFrame, *, lang: str = "zh", coders=("lexicon", "model", "context", "combined")):
    """Per theme: the share of heading-named themes each coder finds with the headings hidden."""
    import matplotlib.pyplot as plt

    rows = agreement[agreement["theme"] != "precision"]
    labels_ = [("全部" if lang == "zh" else "all") if t == "all" else _theme_label(t, lang) for t in rows["theme"]]
    x = np.arange(len(rows))
    width = 0.8 / len(coders)
    colors = plt.get_cmap("Set2").colors
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 3.0))
    for i, coder in enumerate(coders):
        ax.bar(x + (i - (len(coders) - 1) / 2) * width, rows[coder] * 100, width, color=colors[i],
               label=label(f"coder:{coder}", lang))  # fmt: skip
    ax.set_xticks(x, labels_, fontsize="x-small")
    ax.grid(axis="x", visible=False)
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    ax.legend(frameon=False, fontsize="x-small", ncols=len(coders), loc="upper center", bbox_to_anchor=(0.5, -0.12))
    ax.set_title(label("theme_agreement", lang), fontsize="medium")
    fig.tight_layout()
    return fig
