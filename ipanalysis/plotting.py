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

import importlib.util
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
    return {row["key"]: row for row in config.resource_csv("labels.csv")}


def label(key: str, lang: str = "zh", default: str | None = None) -> str:
    """An axis or title label in ``lang`` from ``resources/labels.csv``.

    Unknown keys give ``default`` (the key itself when not given), so a new
    unit or term still shows, untranslated.
    """
    _check_lang(lang)
    row = _labels().get(key)
    if row and row.get(lang):
        return row[lang]
    return key if default is None else default


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


def _panels(n: int, *, ncols: int, width: float, row_height: float, extra: float = 0.0):
    """A grid of ``n`` panels, ``ncols`` wide, unused cells hidden: (figure, the ``n`` axes in order)."""
    import math

    import matplotlib.pyplot as plt

    nrows = max(1, math.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, row_height * nrows + extra), squeeze=False)
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _regions(documents, lang: str):
    """Documents in manifest order, with their names in ``lang`` and their colours."""
    docs = documents.sort_values("manifest_row")
    return docs["doc_id"].tolist(), region_names(docs, lang), region_colors(docs)


def _ranked_bars(ranked, documents, *, value: str, xlabel: str, title_key: str, n: int, lang: str, ncols: int, width: float, pad: float):
    """Small multiples of each region's top-``n`` tokens (``rank`` column), bars of ``value``, in the region colour."""
    order, names, colors = _regions(documents, lang)
    fig, axes = _panels(len(order), ncols=ncols, width=width, row_height=0.28 * n + pad)
    for ax, doc_id in zip(axes, order):
        sub = ranked[(ranked["doc_id"] == doc_id) & (ranked["rank"] <= n)]
        ax.barh(sub["token"], sub[value], color=colors[doc_id])
        ax.invert_yaxis()
        ax.set_title(names[doc_id], fontsize="medium")
        ax.tick_params(axis="y", labelsize="small")
        ax.set_xlabel(xlabel, fontsize="small")
    fig.suptitle(label(title_key, lang))
    fig.tight_layout()
    return fig


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


def stacked_counts(counts, documents, *, title_key: str, lang: str = "zh"):
    """Horizontal stacked bars: one bar per document (rows of ``counts``), one segment per column."""
    import matplotlib.pyplot as plt

    names = region_names(documents, lang)
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(counts) + 1.4))
    left = None
    shades = plt.get_cmap("Blues")([0.75, 0.4, 0.2, 0.9, 0.55][: counts.shape[1]])
    for col, shade in zip(counts.columns, shades):
        vals = counts[col].to_numpy()
        ax.barh([names[d] for d in counts.index], vals, left=left, color=shade, label=label(str(col), lang))
        left = vals if left is None else left + vals
    ax.invert_yaxis()
    ax.legend(frameon=False, fontsize="small")
    ax.set_title(label(title_key, lang))
    fig.tight_layout()
    return fig


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
    return _ranked_bars(freqs, documents, value="count", xlabel=label("count", lang), title_key="top_terms",
                        n=n, lang=lang, ncols=ncols, width=3.2, pad=0.8)  # fmt: skip


# -- targets ---------------------------------------------------------------------------------------

_CMP_SIGN = {"ge": "≥", "gt": ">", "eq": "", "range": "", "le": "≤", "lt": "<", "approx": "≈"}


def _indicator_label(rec, lang: str) -> str:
    return rec["indicator_zh"] if lang == "zh" or not rec.get("indicator_en") else rec["indicator_en"]


def coverage_heatmap(matrix, row_labels: dict[str, str], documents, *, lang: str = "zh"):
    """Canonical indicator × region: shaded where a region sets a target, annotated with its latest year."""
    import matplotlib.pyplot as plt
    import numpy as np

    names = region_names(documents, lang)
    fig, ax = plt.subplots(figsize=(1.1 * matrix.shape[1] + 3.8, 0.36 * matrix.shape[0] + 1.4))
    shade = (matrix.to_numpy() > 0).astype(float)
    ax.imshow(shade, cmap="Blues", vmin=0, vmax=1.6, aspect="auto")
    ax.set_xticks(np.arange(matrix.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(matrix.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for (i, j), year in np.ndenumerate(matrix.to_numpy()):
        if year:
            ax.text(j, i, str(year), ha="center", va="center", fontsize="x-small")
    ax.set_xticks(range(matrix.shape[1]), [names[d] for d in matrix.columns])
    ax.set_yticks(range(matrix.shape[0]), [row_labels.get(i, i) for i in matrix.index], fontsize="small")
    ax.xaxis.tick_top()
    ax.grid(False, which="major")
    ax.set_title(label("coverage", lang), pad=28)
    fig.tight_layout()
    return fig


def comparable_targets(df, documents, *, lang: str = "zh", ncols: int = 3):
    """One panel per comparable indicator (same measure and unit): each region's final target.

    Bars are labelled with comparator, value, unit and year, so a 2025 level is
    never read as a three-year cumulative: those sit in different panels.
    """


    from .targets import MEASURE_LABELS

    names = region_names(documents, lang)
    colors = region_colors(documents)
    order = documents.sort_values("manifest_row")["doc_id"].tolist()
    groups = list(df.groupby(["indicator_id", "measure", "unit_std"], sort=True))
    fig, axes = _panels(len(groups), ncols=ncols, width=4.2, row_height=2.3, extra=0.6)
    for ax, ((_ind, measure, unit), g) in zip(axes, groups):
        g = g.set_index("doc_id").reindex([d for d in order if d in set(g["doc_id"])])
        ax.barh([names[d] for d in g.index], g["value_std"], color=[colors[d] for d in g.index])
        ax.invert_yaxis()
        for y, (_doc_id, rec) in enumerate(g.iterrows()):
            high = f"–{rec['value_high_std']:g}" if rec["comparator"] == "range" else ""
            basis = f" {label('basis:' + rec['basis'], lang, rec['basis'])}" if rec["basis"] else ""
            unit_l = label(f"unit:{unit}", lang, unit)
            text = f" {_CMP_SIGN[rec['comparator']]}{rec['value_std']:g}{high} {unit_l}{basis} ({rec['year']})"
            ax.text(rec["value_std"], y, text, va="center", fontsize="x-small")
        first = g.iloc[0]
        unit_l = label(f"unit:{unit}", lang, unit)
        ax.set_title(f"{_indicator_label(first, lang)}\n{MEASURE_LABELS[lang][measure]} · {unit_l}", fontsize="small")
        ax.tick_params(labelsize="small")
        ax.set_xlim(0, g["value_std"].max() * 1.55)
    fig.suptitle(label("comparable_targets", lang))
    fig.tight_layout()
    return fig


def trajectories(series_df, growth, documents, *, lang: str = "zh", ncols: int = 3):
    """Year-by-year targets per indicator, one line per region; hollow markers are baselines.

    Each line is labelled with its implied average annual growth.
    """


    names = region_names(documents, lang)
    colors = region_colors(documents)
    groups = list(series_df.groupby("indicator_id", sort=True))
    rate = growth.set_index(["doc_id", "indicator_id"])["annual_growth_pct"]
    fig, axes = _panels(len(groups), ncols=ncols, width=4.2, row_height=2.6, extra=0.6)
    for ax, (ind, g) in zip(axes, groups):
        for doc_id, s in g.groupby("doc_id", sort=False):
            s = s.sort_values("year")
            pct = rate.get((doc_id, ind))
            tag = f"{names[doc_id]} ({pct:+.1f}%/年)" if lang == "zh" else f"{names[doc_id]} ({pct:+.1f}%/yr)"
            ax.plot(s["year"], s["value_std"], color=colors[doc_id], label=tag if pct is not None else names[doc_id])
            for status, fill in (("target", colors[doc_id]), ("baseline", "white")):
                pts = s[s["status"] == status]
                ax.scatter(pts["year"], pts["value_std"], color=fill, edgecolor=colors[doc_id], zorder=3, s=22)
        first = g.iloc[0]
        ax.set_title(f"{_indicator_label(first, lang)} ({label('unit:' + first['unit_std'], lang, first['unit_std'])})", fontsize="small")
        ax.set_xticks(sorted(g["year"].unique()))
        ax.tick_params(labelsize="x-small")
        ax.legend(fontsize="xx-small", frameon=False)
    fig.suptitle(label("trajectories", lang))
    fig.tight_layout()
    return fig


# -- themes ------------------------------------------------------------------------------------------


def _theme_label(theme: str, lang: str) -> str:
    from .themes import THEME_LABELS

    return THEME_LABELS[lang].get(theme, theme)


def theme_profile(shares, documents, *, lang: str = "zh"):
    """Stacked bars, two panels: each region's theme mix by provisions and by text."""
    import matplotlib.pyplot as plt

    from .themes import THEME_ORDER

    docs = documents.sort_values("manifest_row")
    names = region_names(docs, lang)
    order = docs["doc_id"].tolist()
    colors = plt.get_cmap("tab10").colors
    fig, axes = plt.subplots(1, 2, figsize=(11, 0.5 * len(order) + 2.0), sharey=True)
    for ax, col, key in zip(axes, ("mix_provisions", "mix_text"), ("theme_mix_provisions", "theme_mix_text")):
        wide = shares.pivot(index="doc_id", columns="theme", values=col).reindex(index=order, columns=list(THEME_ORDER))
        left = None
        for i, theme in enumerate(THEME_ORDER):
            vals = wide[theme].fillna(0).to_numpy() * 100
            ax.barh([names[d] for d in order], vals, left=left, color=colors[i], label=_theme_label(theme, lang))
            left = vals if left is None else left + vals
        ax.set_xlim(0, 100)
        ax.set_xlabel(label(key, lang))
    axes[0].invert_yaxis()
    axes[1].legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize="small")
    fig.suptitle(label("theme_profile", lang))
    fig.tight_layout()
    return fig


def theme_heatmap(shares, documents, *, lang: str = "zh", value: str = "share_provisions"):
    """Theme × region: the share of each region's provisions that carry each theme, in %."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from .themes import THEME_ORDER

    docs = documents.sort_values("manifest_row")
    names = region_names(docs, lang)
    wide = shares.pivot(index="theme", columns="doc_id", values=value).reindex(
        index=list(THEME_ORDER), columns=docs["doc_id"]
    )
    wide = (wide * 100).round(0)
    wide.index = [_theme_label(t, lang) for t in wide.index]
    wide.columns = [names[d] for d in wide.columns]
    fig, ax = plt.subplots(figsize=(1.2 * len(docs) + 2.5, 4.6))
    sns.heatmap(wide, annot=True, fmt=".0f", cmap="Blues", vmin=0, vmax=100, cbar_kws={"label": "%"}, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(label("theme_heatmap", lang))
    fig.tight_layout()
    return fig


def instrument_theme_matrix(counts, documents, *, lang: str = "zh", ncols: int = 3):
    """One heatmap per region: provisions by policy instrument (rows) × theme (columns)."""

    import seaborn as sns

    from .themes import INSTRUMENT_ORDER, THEME_ORDER

    docs = documents.sort_values("manifest_row")
    names = region_names(docs, lang)
    order = docs["doc_id"].tolist()
    fig, axes = _panels(len(order), ncols=ncols, width=5.2, row_height=2.7, extra=0.6)
    vmax = max(1, int(counts["provisions"].max())) if len(counts) else 1
    for ax, doc_id in zip(axes, order):
        sub = counts[counts["doc_id"] == doc_id]
        wide = sub.pivot(index="instrument", columns="theme", values="provisions").reindex(
            index=list(INSTRUMENT_ORDER), columns=list(THEME_ORDER)
        ).fillna(0).astype(int)
        wide.index = [label(f"instrument:{i}", lang, i) for i in wide.index]
        wide.columns = [_theme_label(t, lang) for t in wide.columns]
        sns.heatmap(wide, annot=True, fmt="d", cmap="Greens", vmin=0, vmax=vmax, cbar=False, ax=ax,
                    annot_kws={"fontsize": "x-small"})  # fmt: skip
        ax.set_title(names[doc_id], fontsize="medium")
        ax.tick_params(labelsize="x-small")
        ax.set_xlabel("")
        ax.set_ylabel("")
    fig.suptitle(label("instrument_theme", lang))
    fig.tight_layout()
    return fig


def distinctive_terms(keyness, documents, *, n: int = 10, lang: str = "zh", ncols: int = 3):
    """Small multiples: each region's most distinctive words by weighted log-odds z-score."""
    return _ranked_bars(keyness, documents, value="z", xlabel="z", title_key="distinctive_terms",
                        n=n, lang=lang, ncols=ncols, width=3.4, pad=0.9)  # fmt: skip


# -- timelines ----------------------------------------------------------------------------------------


def _as_date(iso: str, *, end: bool = False):
    """'2024' / '2024-06' / '2024-06-11' -> a datetime.date at the start (or end) of the period."""
    import calendar
    import datetime as dt

    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
    if len(parts) == 2:
        day = calendar.monthrange(parts[0], parts[1])[1] if end else 1
        return dt.date(parts[0], parts[1], day)
    return dt.date(*parts)


def timeline_gantt(events, documents, *, lang: str = "zh"):
    """One row per document on one time axis: plan period, phases, issue and publication dates, target years."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    order, names, colors = _regions(documents, lang)
    fig, ax = plt.subplots(figsize=(11, 0.75 * len(order) + 1.8))
    for y, doc_id in enumerate(order):
        ev = events[events["doc_id"] == doc_id]
        for rec in ev[ev["kind"] == "plan_period"].itertuples():
            s, e = _as_date(rec.start), _as_date(rec.end, end=True)
            ax.barh(y, (e - s).days, left=s, height=0.5, color=colors[doc_id], alpha=0.35)
        for rec in ev[ev["kind"] == "phase"].itertuples():
            s, e = _as_date(rec.start), _as_date(rec.end, end=True)
            ax.barh(y + 0.32, (e - s).days, left=s, height=0.14, color=colors[doc_id], edgecolor="white")
        for rec in ev[ev["kind"] == "target_year"].itertuples():
            ax.scatter(_as_date(rec.start, end=True), y, marker="o", s=36, color=colors[doc_id], edgecolor="black", zorder=3)
        for kind, marker in (("issued", "D"), ("published", "v")):
            for rec in ev[ev["kind"] == kind].itertuples():
                ax.scatter(_as_date(rec.start), y - 0.34, marker=marker, s=30, color="black", zorder=3)
    ax.set_yticks(range(len(order)), [names[d] for d in order])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles = [
        Patch(color="grey", alpha=0.35, label=label("plan_period", lang)),
        Patch(color="grey", label=label("phase", lang)),
        Line2D([], [], marker="o", color="grey", markeredgecolor="black", linestyle="", label=label("target_year", lang)),
        Line2D([], [], marker="D", color="black", linestyle="", label=label("issued", lang)),
        Line2D([], [], marker="v", color="black", linestyle="", label=label("published", lang)),
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=5, frameon=False, fontsize="small")
    ax.set_title(label("timeline", lang))
    fig.tight_layout()
    return fig


def citation_matrix(references, documents, *, lang: str = "zh", min_docs: int = 1):
    """Cited plan × citing region: how often each document cites each plan; rows grouped by level."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    docs = documents.sort_values("manifest_row")
    names = region_names(docs, lang)
    levels = ["national", "provincial", "municipal"]
    refs = references.assign(count=references["count"].astype(int))
    wide = refs.pivot_table(index=["level", "title"], columns="doc_id", values="count", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=docs["doc_id"], fill_value=0).astype(int)
    wide = wide[(wide > 0).sum(axis=1) >= min_docs]
    key = {idx: (levels.index(idx[0]) if idx[0] in levels else 9, -int((wide.loc[idx] > 0).sum()), idx[1]) for idx in wide.index}
    wide = wide.loc[sorted(wide.index, key=key.get)]
    row_labels = [f"[{label('level:' + lvl, lang, lvl)}] {title}" for lvl, title in wide.index]
    wide.index = row_labels
    wide.columns = [names[d] for d in wide.columns]
    fig, ax = plt.subplots(figsize=(1.0 * len(docs) + 6.5, 0.32 * len(wide) + 1.6))
    vmax = max(2, int(wide.to_numpy().max())) if len(wide) else 2
    sns.heatmap(wide, annot=True, fmt="d", cmap="Purples", vmin=0, vmax=vmax, cbar=False, ax=ax, mask=wide == 0,
                linewidths=0.5, linecolor="#eeeeee")  # fmt: skip
    ax.grid(False)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize="x-small")
    ax.xaxis.tick_top()
    ax.set_title(label("citations", lang), pad=24)
    fig.tight_layout()
    return fig


# -- agencies ------------------------------------------------------------------------------------------


def top_agencies(involvement_df, documents, *, n: int = 8, lang: str = "zh", ncols: int = 3):
    """Small multiples: each region's agencies named in the most provisions; the darker part is as lead."""


    order, names, colors = _regions(documents, lang)
    fig, axes = _panels(len(order), ncols=ncols, width=4.0, row_height=0.3 * n + 1.0)
    for ax, doc_id in zip(axes, order):
        sub = involvement_df[involvement_df["doc_id"] == doc_id].head(n)
        ax.barh(sub["agency_std"], sub["provisions"], color=colors[doc_id], alpha=0.45)
        ax.barh(sub["agency_std"], sub["lead"], color=colors[doc_id])
        ax.invert_yaxis()
        ax.set_title(names[doc_id], fontsize="medium")
        ax.tick_params(axis="y", labelsize="x-small")
        ax.set_xlabel(label("n_provisions", lang), fontsize="small")
    fig.suptitle(label("top_agencies", lang))
    fig.tight_layout()
    return fig


def role_bars(shares, documents, *, lang: str = "zh"):
    """Stacked bars: each region's agency mentions by role (lead / cooperating / responsible)."""
    import matplotlib.pyplot as plt

    docs = documents.sort_values("manifest_row")
    names = region_names(docs, lang)
    order = [d for d in docs["doc_id"] if d in shares.index]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(order) + 1.5))
    left = None
    for role, color in zip(shares.columns, ("#08519c", "#6baed6", "#bdbdbd")):
        vals = shares.loc[order, role].to_numpy() * 100
        ax.barh([names[d] for d in order], vals, left=left, color=color, label=label(f"role:{role}", lang, role))
        left = vals if left is None else left + vals
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, frameon=False, fontsize="small")
    ax.set_title(label("roles", lang))
    fig.tight_layout()
    return fig


def type_theme_heatmap(counts, *, lang: str = "zh"):
    """Agency type × theme: provisions in which an agency of the type carries a provision of the theme."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from .themes import THEME_ORDER

    wide = counts.pivot(index="agency_type", columns="theme", values="provisions").reindex(columns=list(THEME_ORDER))
    wide = wide.fillna(0).astype(int)
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    wide.index = [label(f"type:{t}", lang, t) for t in wide.index]
    wide.columns = [_theme_label(t, lang) for t in wide.columns]
    fig, ax = plt.subplots(figsize=(8.5, 0.34 * len(wide) + 1.6))
    sns.heatmap(wide, annot=True, fmt="d", cmap="Oranges", vmin=0, cbar=False, ax=ax, annot_kws={"fontsize": "x-small"})
    ax.grid(False)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(labelsize="small")
    ax.set_title(label("type_theme", lang))
    fig.tight_layout()
    return fig


def co_responsibility_networks(agencies_df, documents, *, top: int = 12, lang: str = "zh", ncols: int = 3):
    """One network per region: its ``top`` agencies, linked when they share a provision (width = provisions)."""

    import networkx as nx

    from .agencies import co_responsibility

    order, names, colors = _regions(documents, lang)
    fig, axes = _panels(len(order), ncols=ncols, width=5.0, row_height=4.4)
    for ax, doc_id in zip(axes, order):
        a = agencies_df[agencies_df["doc_id"] == doc_id]
        size = a.groupby("agency_std")["provision_id"].nunique().sort_values(ascending=False, kind="stable")
        keep = size.head(top).index.tolist()  # largest first: the circle starts with the busiest agency
        edges = co_responsibility(a, doc_id)
        edges = edges[edges["source"].isin(keep) & edges["target"].isin(keep)]
        g = nx.Graph()
        g.add_nodes_from(keep)
        g.add_weighted_edges_from(edges.itertuples(index=False, name=None))
        # A circle keeps every label readable and places nodes the same way on every run.
        pos = nx.circular_layout(g)
        wmax = max([d["weight"] for *_e, d in g.edges(data=True)] or [1])
        nx.draw_networkx_edges(g, pos, ax=ax, width=[0.5 + 3 * d["weight"] / wmax for *_e, d in g.edges(data=True)],
                               edge_color="#999999", alpha=0.6)  # fmt: skip
        nx.draw_networkx_nodes(g, pos, ax=ax, node_size=[40 + 18 * size[n] for n in g.nodes], node_color=colors[doc_id])
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=6.5, font_family=cjk_font())
        ax.set_title(names[doc_id], fontsize="medium")
        ax.set_xlim(-1.35, 1.35)
        ax.set_ylim(-1.2, 1.2)
        ax.axis("off")
    fig.suptitle(label("co_responsibility", lang))
    fig.tight_layout()
    return fig
