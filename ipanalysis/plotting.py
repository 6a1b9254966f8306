"""Plotting: one style for the project, Chinese that renders anywhere, stable files.

Why bundle a font: a researcher's machine, or CI, may have no CJK system font,
and matplotlib then draws boxes and warns "Glyph … missing". The PyPI package
``mplfonts`` ships Noto Sans CJK SC (SIL Open Font License). It is registered
with matplotlib in this process only (``fontManager.addfont``); the
matplotlib installation is never modified.

Why the save options: SVG output embeds glyphs as paths (it renders the same
everywhere) with a fixed hash salt and no date, and PNG output carries no
software stamp, so the same data gives byte-identical files on every rebuild.
"""

from __future__ import annotations

import csv
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from . import config
from .build import atomic_write

FONT_FILE = "NotoSansCJKsc-Regular.otf"
# Region colours, assigned by manifest row, so adding a document never
# changes the colour of one already there. Colour-blind-safe first (Okabe-Ito),
# then tab10's remaining hues.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
    "#F0E442", "#000000", "#8c564b", "#7f7f7f", "#bcbd22", "#9467bd",
)  # fmt: skip
LANGS = ("zh", "en")


def _candidate_fonts() -> list[Path]:
    paths = []
    spec = importlib.util.find_spec("mplfonts")  # locate without importing it
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            paths.append(Path(loc) / "fonts" / FONT_FILE)
    # Fallback: Debian's fonts-noto-cjk, if a system has it.
    paths += [
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
        Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    ]
    return paths


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the bundled CJK font with matplotlib; return its family name."""
    from matplotlib import font_manager

    for path in _candidate_fonts():
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    raise RuntimeError(
        "No CJK font found: install the 'mplfonts' package (it is in the project's dependencies)."
    )


def set_style(*, context: str = "notebook") -> None:
    """Apply the project style: seaborn's whitegrid with the CJK font, stable SVGs."""
    import matplotlib as mpl
    import seaborn as sns

    family = cjk_font()
    # set_theme resets font.family, so the font goes in through it.
    sns.set_theme(context=context, style="whitegrid", font=family, rc={"axes.unicode_minus": False})
    mpl.rcParams.update(
        {
            "font.sans-serif": [family, "DejaVu Sans"],
            "svg.hashsalt": "ipanalysis",
            "svg.fonttype": "path",
            "figure.dpi": 100,
            "savefig.bbox": "tight",
        }
    )


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    with config.resource("labels.csv").open(encoding="utf-8") as fh:
        return {row["key"]: row for row in csv.DictReader(fh)}


def label(key: str, lang: str = "zh") -> str:
    """An axis or title label in ``lang`` from ``resources/labels.csv``; the key itself if unknown."""
    _check_lang(lang)
    row = _labels().get(key)
    return row[lang] if row and row.get(lang) else key


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")


def region_colors(documents) -> dict[str, str]:
    """doc_id -> colour, fixed by manifest row."""
    return {
        rec.doc_id: PALETTE[(rec.manifest_row - 1) % len(PALETTE)]
        for rec in documents.sort_values("manifest_row").itertuples()
    }


def region_names(documents, lang: str = "zh") -> dict[str, str]:
    """doc_id -> region name in ``lang`` (Chinese ``region`` or English ``region_en``)."""
    _check_lang(lang)
    col = "region" if lang == "zh" else "region_en"
    return dict(zip(documents["doc_id"], documents[col]))


def save_figure(fig, name: str, *, out_dir: Path | None = None, formats=("svg", "png"), dpi: int = 300) -> list[Path]:
    """Save ``fig`` as ``figures/<name>.svg`` and ``.png`` (300 dpi), atomically and byte-stable."""
    out_dir = out_dir or config.figures_dir()
    paths = []
    for fmt in formats:
        path = out_dir / f"{name}.{fmt}"
        meta = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        atomic_write(path, lambda p, fmt=fmt, meta=meta: fig.savefig(p, format=fmt, dpi=dpi, metadata=meta))
        paths.append(path)
    return paths


# -- charts -------------------------------------------------------------------------------


def bar_by_region(documents, value: str, *, lang: str = "zh", title_key: str | None = None, ax=None):
    """One horizontal bar per document, in manifest order, in its region colour."""
    import matplotlib.pyplot as plt

    docs = documents.sort_values("manifest_row")
    names = region_names(docs, lang)
    colors = region_colors(docs)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 0.45 * len(docs) + 1.2))
    ylabels = [names[d] for d in docs["doc_id"]]
    ax.barh(ylabels, docs[value], color=[colors[d] for d in docs["doc_id"]])
    ax.invert_yaxis()
    ax.set_xlabel(label(value, lang))
    ax.set_ylabel("")
    for y, v in enumerate(docs[value]):
        ax.text(v, y, f" {v:,}", va="center", fontsize="small")
    if title_key:
        ax.set_title(label(title_key, lang))
    return ax.figure


def document_overview(documents, *, lang: str = "zh"):
    """Two panels side by side: each document's length in characters and its provision count."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 0.45 * len(documents) + 1.4), sharey=True)
    bar_by_region(documents, "n_chars", lang=lang, ax=left)
    bar_by_region(documents, "n_provisions", lang=lang, ax=right)
    right.invert_yaxis()  # sharey: the second call inverted the shared axis back
    fig.suptitle(label("document_length", lang))
    fig.tight_layout()
    return fig


def provisions_per_section(provisions, documents, *, lang: str = "zh"):
    """Stacked bars: how each document's provisions fall into its top-level sections."""
    import matplotlib.pyplot as plt
    import numpy as np

    docs = documents.sort_values("manifest_row")
    names = region_names(docs, lang)
    order = docs["doc_id"].tolist()
    counts = provisions.groupby(["doc_id", "section_no"]).size()
    section_names = provisions.drop_duplicates(["doc_id", "section_no"]).set_index(["doc_id", "section_no"])["section_label"]
    n_sections = int(counts.index.get_level_values("section_no").max())
    cmap = plt.get_cmap("Blues")
    shades = [cmap(x) for x in np.linspace(0.85, 0.3, n_sections)]
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(order) + 1.5))
    for i, doc_id in enumerate(order):
        left = 0
        for s in range(1, n_sections + 1):
            n = int(counts.get((doc_id, s), 0))
            if n:
                ax.barh(i, n, left=left, color=shades[s - 1], edgecolor="white")
                if n >= 3:
                    tag = section_names[(doc_id, s)].strip("、.．（）() ") if lang == "zh" else str(s)
                    ax.text(left + n / 2, i, tag, ha="center", va="center", fontsize="x-small",
                            color="white" if s <= n_sections / 2 else "black")  # fmt: skip
                left += n
    ax.set_yticks(range(len(order)), [names[d] for d in order])
    ax.invert_yaxis()
    ax.set_xlabel(label("n_provisions", lang))
    ax.set_title(label("provisions_per_section", lang))
    return fig


def top_terms(freqs, documents, *, n: int = 10, lang: str = "zh", ncols: int = 3):
    """Small multiples: each document's ``n`` most frequent terms, in its region colour."""
    import math

    import matplotlib.pyplot as plt

    docs = documents.sort_values("manifest_row")
    names = region_names(docs, lang)
    colors = region_colors(docs)
    order = docs["doc_id"].tolist()
    nrows = math.ceil(len(order) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 0.28 * n * nrows + 0.8 * nrows), squeeze=False)
    for ax, doc_id in zip(axes.flat, order):
        sub = freqs[(freqs["doc_id"] == doc_id) & (freqs["rank"] <= n)]
        ax.barh(sub["token"], sub["count"], color=colors[doc_id])
        ax.invert_yaxis()
        ax.set_title(names[doc_id], fontsize="medium")
        ax.tick_params(axis="y", labelsize="small")
        ax.set_xlabel(label("count", lang), fontsize="small")
    for ax in list(axes.flat)[len(order) :]:
        ax.set_visible(False)
    fig.suptitle(label("top_terms", lang))
    fig.tight_layout()
    return fig


def close(fig) -> None:
    """Close a figure after saving, so notebooks show each chart once."""
    import matplotlib.pyplot as plt

    plt.close(fig)


def savefig_env() -> None:
    """Make matplotlib's own output deterministic too (used by notebook kernels)."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
