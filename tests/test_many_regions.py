"""Charts with many regions: the five seeds plus the twelve real openings, seventeen documents.

Every chart function the notebooks call is drawn in both languages on a
throw-away corpus (``IPANALYSIS_ROOT`` pointing at a temporary copy of the
project's ``data/raw/`` with the openings of ``tests/data/realdocs/`` added),
and checked for what a report needs: no missing glyph, no two regions that
look alike, legends inside the figure, and an A4 width. No notebook is run.
"""

from __future__ import annotations

import csv
import shutil
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ipanalysis import agencies as ag  # noqa: E402
from ipanalysis import build, cowords, phrases, plotting, plotting_compare, reading, similarity  # noqa: E402
from ipanalysis import targets as tg  # noqa: E402
from ipanalysis import themes as th  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
REALDOCS = Path(__file__).parent / "data" / "realdocs"
# English names and provinces of the twelve openings' regions (documents.csv gives the Chinese ones).
ENGLISH = {
    "济南": ("Jinan", "山东", "Shandong"), "呼和浩特": ("Hohhot", "内蒙古", "Inner Mongolia"),
    "鄂尔多斯": ("Ordos", "内蒙古", "Inner Mongolia"), "甘肃": ("Gansu", "甘肃", "Gansu"),
    "山西": ("Shanxi", "山西", "Shanxi"), "宁夏": ("Ningxia", "宁夏", "Ningxia"),
    "江门": ("Jiangmen", "广东", "Guangdong"), "太仓": ("Taicang", "江苏", "Jiangsu"),
    "包头": ("Baotou", "内蒙古", "Inner Mongolia"), "通州": ("Tongzhou", "江苏", "Jiangsu"),
    "濮阳": ("Puyang", "河南", "Henan"), "江苏": ("Jiangsu", "江苏", "Jiangsu"),
}  # fmt: skip
A4_PX = 1900  # 16 cm at 300 dpi, with the saved margin


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """The tables of seventeen documents, built under a temporary project root."""
    root = tmp_path_factory.mktemp("many")
    raw = root / "data" / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)
    with (REALDOCS / "documents.csv").open(encoding="utf-8") as fh:
        gold = list(csv.DictReader(fh))
    with (raw / "manifest.csv").open("a", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        for row in gold:
            doc_id = "rd-" + row["file"].removesuffix(".txt").replace("_", "-")
            shutil.copyfile(REALDOCS / row["file"], raw / f"{doc_id}.txt")
            en, province, province_en = ENGLISH[row["region"]]
            out.writerow([doc_id, f"{doc_id}.txt", row["region"], en, row["level"], province, province_en] + [""] * 8)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPANALYSIS_ROOT", str(root))
        tables = build.build_tables(reading.read_manifest(raw / "manifest.csv"))
    assert len(tables["documents"]) == 5 + len(gold)
    return tables


@pytest.fixture(scope="module")
def inputs(many):
    """What the charts are drawn from, computed once for the module (every chart test only reads it)."""
    from ipanalysis.corpus import Corpus

    tables = many
    corpus = Corpus(tables["documents"], tables["provisions"], tables["tokens"], tables["lines"])
    docs = corpus.documents.sort_values("manifest_row")
    t = tables["targets"]
    counts = (
        t[t["status"] == "target"].drop_duplicates(["doc_id", "indicator", "measure", "source"])
        .groupby(["doc_id", "source"]).size().unstack(fill_value=0)
        .reindex(index=docs["doc_id"], columns=["table", "text"], fill_value=0)
    )  # fmt: skip
    matrix, labels = tg.coverage(t, docs)
    series = tg.series(t)
    shares = th.theme_shares(tables["provision_themes"], corpus.provisions)
    return tables, corpus, docs, counts, (matrix, labels), series, shares


def _figures(inputs, lang):
    """Every chart the notebooks draw, by name, built the way the notebooks build it."""
    tables, corpus, docs, counts, (matrix, labels), series, shares = inputs
    t, themes, agencies = tables["targets"], tables["provision_themes"], tables["agencies"]
    return {
        "document_overview": lambda: plotting.document_overview(docs, lang=lang),
        "provisions_per_section": lambda: plotting.provisions_per_section(corpus.provisions, docs, lang=lang),
        "top_terms": lambda: plotting.top_terms(corpus.term_frequencies(top=10), docs, lang=lang),
        "stacked_counts": lambda: plotting.stacked_counts(counts, docs, title_key="targets_per_region", lang=lang),
        "coverage_heatmap": lambda: plotting.coverage_heatmap(matrix, labels.to_dict(), docs, lang=lang),
        "comparable_targets": lambda: plotting.comparable_targets(tg.comparable(t), docs, lang=lang),
        "trajectories": lambda: plotting.trajectories(series, tg.implied_growth(series), docs, lang=lang),
        "theme_profile": lambda: plotting.theme_profile(shares, docs, lang=lang),
        "theme_heatmap": lambda: plotting.theme_heatmap(shares, docs, lang=lang),
        "instrument_theme_matrix": lambda: plotting.instrument_theme_matrix(
            th.instrument_theme_counts(themes, tables["provision_instruments"]), docs, lang=lang
        ),
        "distinctive_terms": lambda: plotting.distinctive_terms(corpus.distinctive_terms(top=10), docs, lang=lang),
        "timeline_gantt": lambda: plotting.timeline_gantt(tables["events"], docs, lang=lang),
        "citation_matrix": lambda: plotting.citation_matrix(tables["references"], docs, lang=lang),
        "top_agencies": lambda: plotting.top_agencies(ag.involvement(agencies), docs, lang=lang),
        "role_bars": lambda: plotting.role_bars(ag.role_shares(agencies), docs, lang=lang),
        "type_theme_heatmap": lambda: plotting.type_theme_heatmap(ag.type_theme_counts(agencies, themes), lang=lang),
        "co_responsibility_networks": lambda: plotting.co_responsibility_networks(agencies, docs, lang=lang),
        # notebook 06
        "similarity_clustermap": lambda: plotting_compare.similarity_clustermap(
            similarity.similarity_matrix(corpus.tokens, docs).reindex(index=docs["doc_id"], columns=docs["doc_id"]),
            docs, lang=lang,
        ),
        "shared_phrase_matrix": lambda: plotting_compare.shared_phrase_matrix(
            phrases.pair_overlap(phrases.shared_phrases_table(corpus.provisions, docs)), docs, lang=lang
        ),
        "coword_network": lambda: plotting_compare.coword_network(
            cowords.cowords_table(corpus.tokens, docs), min_ochiai=cowords.MIN_OCHIAI,
            min_cooccurrences=cowords.MIN_COOCCURRENCES, lang=lang,
        ),
    }


NAMES = [
    "document_overview", "provisions_per_section", "top_terms", "stacked_counts", "coverage_heatmap",
    "comparable_targets", "trajectories", "theme_profile", "theme_heatmap", "instrument_theme_matrix",
    "distinctive_terms", "timeline_gantt", "citation_matrix", "top_agencies", "role_bars",
    "type_theme_heatmap", "co_responsibility_networks", "similarity_clustermap", "shared_phrase_matrix",
    "coword_network",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _style():
    plotting.set_style()
    yield
    plt.close("all")


def _inside(inner, outer, tol: float = 1.0) -> bool:
    return (
        inner.x0 >= outer.x0 - tol and inner.y0 >= outer.y0 - tol
        and inner.x1 <= outer.x1 + tol and inner.y1 <= outer.y1 + tol
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", NAMES)
def test_chart_fits_a_report(inputs, name, lang):
    figures = _figures(inputs, lang)
    assert sorted(figures) == sorted(NAMES)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = figures[name]()
        fig.canvas.draw()  # renders every glyph, as saving does, at screen dpi
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "Glyph" in m or "missing" in m], messages
    renderer = fig.canvas.get_renderer()
    # what save_figure writes: the tight bounding box plus matplotlib's 0.1-inch pad, at 300 dpi
    width = (fig.get_tightbbox(renderer).width + 0.2) * 300
    assert width <= A4_PX, f"{name} is {width:.0f} px wide at 300 dpi, wider than an A4 page"
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    for legend in legends:
        assert _inside(legend.get_window_extent(renderer), fig.bbox), f"{name}: a legend sticks out of the figure"
    for ax in [a for a in fig.axes if a.get_visible()]:
        ax_box = ax.get_tightbbox(renderer)  # once per axes: nothing below changes it, and it costs a full layout
        for ticks in (ax.get_xticklabels(), ax.get_yticklabels()):
            shown = [t for t in ticks if t.get_visible() and t.get_text().strip()]
            shown = [t for t in shown if _inside(t.get_window_extent(renderer), ax_box)]
            # staggered labels (raised by trailing blank lines) are compared with their own level only
            for level in {len(t.get_text()) - len(t.get_text().rstrip("\n")) for t in shown}:
                same = [t for t in shown if len(t.get_text()) - len(t.get_text().rstrip("\n")) == level]
                for a, b in zip(same, same[1:]):
                    assert not a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer)), (
                        f"{name}: tick labels {a.get_text()!r} and {b.get_text()!r} overlap"
                    )
        for tick in ax.get_yticklabels():
            if tick.get_text():
                assert _inside(tick.get_window_extent(renderer), fig.bbox), f"{name}: label {tick.get_text()!r} is cut"


def test_seventeen_regions_look_different_and_have_different_names(many):
    docs = many["documents"]
    styles = plotting.region_styles(docs)
    pairs = [(s["color"], s["marker"]) for s in styles.values()]
    assert len(set(pairs)) == len(pairs) == 17
    assert len({(s["color"], s["hatch"]) for s in styles.values()}) == 17
    for lang in ("zh", "en"):
        names = plotting.region_names(docs, lang)
        assert len(set(names.values())) == 17, names  # two documents of 甘肃: told apart


def test_thirty_regions_never_repeat_a_colour_marker_pair():
    docs = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(30)], "manifest_row": range(1, 31)})
    styles = plotting.region_styles(docs)
    pairs = [(s["color"], s["marker"]) for s in styles.values()]
    assert len(set(pairs)) == 30
    # the first twelve are the plain palette, so the shipped figures keep their look
    assert [styles[f"d{i:02d}"] for i in range(3)] == [
        {"color": c, "marker": "o", "hatch": ""} for c in plotting.PALETTE[:3]
    ]
    assert styles["d12"]["color"] == styles["d00"]["color"] and styles["d12"]["marker"] != "o"


HELPERS = {"set_style", "save_figure", "show", "region_names", "or_unknown", "is_placeholder", "format_value",
           "format_number", "label", "COUNT_UNITS"}  # fmt: skip


def test_every_chart_the_notebooks_draw_is_tested_here():
    import json
    import re

    used = set()
    for path in sorted((REPO / "notebooks").glob("[0-9]*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        used |= set(re.findall(r"plotting\.(\w+)", code))
    assert used - HELPERS <= set(NAMES), used - HELPERS - set(NAMES)
    assert used - HELPERS, "no chart found: the pattern no longer matches the notebooks"
