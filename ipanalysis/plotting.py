"""Plotting: one style for the project, Chinese that renders anywhere, stable files.

Why bundle a font: a researcher's machine, or CI, may have no CJK system font,
and matplotlib then draws boxes and warns "Glyph … missing". The PyPI package
``mplfonts`` ships Noto Sans CJK SC (SIL Open Font License). It is registered
with matplotlib in this process only (``fontManager.addfont``); the
matplotlib installation is never modified.

Why the save options: SVG output embeds glyphs as paths (it renders the same
everywhere) with a fixed hash salt and no date, and PNG output carries no
software stamp, so the same data gives byte-identical files on every rebuild.

Why A4: every chart is drawn at most :data:`A4_WIDTH` inches wide (16 cm, the
text width of an A4 page), so the 300-dpi PNG drops into a report at full
size without shrinking its labels; small multiples wrap onto more rows as
regions are added instead of getting wider. Inline in a notebook the same
figure shows at 100 dpi, which keeps the notebooks small.

Every chart takes the processed tables (or a summary computed from them by the
helper named in its docstring) and ``lang="zh"`` or ``"en"``.
"""

from __future__ import annotations

import importlib.util
import math
import re
import textwrap
from functools import lru_cache
from pathlib import Path

from . import config
from .build import atomic_write

FONT_FILE = "NotoSansCJKsc-Regular.otf"
A4_WIDTH = 6.2  # inches: under 16 cm, an A4 page's text width, with the saved margin
# Region colours, assigned by manifest row, so adding a document never
# changes the colour of one already there. Colour-blind-safe first (Okabe-Ito),
# then tab10's remaining hues.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
    "#F0E442", "#000000", "#8c564b", "#7f7f7f", "#bcbd22", "#9467bd",
)  # fmt: skip
# Past twelve regions the colours come round again, each time with the next
# marker (lines, dots) and hatch (bars), so no two regions look the same.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
HATCHES = ("", "////", "....", "xxxx", "\\\\\\\\", "++++", "oooo", "----")
# Themes get a palette of their own (ColorBrewer Set2, pastel), never one of
# the saturated region colours, so a theme is not mistaken for a region.
THEME_COLORS = ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3")
LANGS = ("zh", "en")
# Stand-ins for "every unit concerned" (各成员单位, 各有关部门, 各县区人民政府):
# not one agency, so not a node or a rank. Used until the agencies table types
# them as ``placeholder``; both tests apply.
PLACEHOLDER_AGENCY = re.compile(r"^各|各(?:成员|有关|相关)?(?:单位|部门)$")
COUNT_UNITS = {"件", "个", "家", "项", "所", "人", "次", "户", "名"}


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


def set_style(*, context: str = "paper") -> None:
    """Apply the project style: seaborn's whitegrid with the CJK font, stable SVGs.

    ``context="paper"`` sizes the text for a figure printed at A4 width;
    figures show inline at 100 dpi and are saved at 300 dpi by :func:`save_figure`.
    """
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


# -- regions: colours, markers, names ----------------------------------------------------------


def region_styles(documents) -> dict[str, dict[str, str]]:
    """doc_id -> ``{"color", "marker", "hatch"}``, fixed by manifest row.

    The first twelve documents get the twelve colours, plain bars and round
    markers; the next twelve the same colours with the second marker and
    hatch, and so on, so no (colour, marker) or (colour, hatch) pair repeats
    and a document added later never changes an earlier one's look.
    """
    out = {}
    for rec in documents.sort_values("manifest_row").itertuples():
        i = int(rec.manifest_row) - 1
        cycle = (i // len(PALETTE)) % len(MARKERS)
        out[rec.doc_id] = {"color": PALETTE[i % len(PALETTE)], "marker": MARKERS[cycle], "hatch": HATCHES[cycle]}
    return out


def region_colors(documents) -> dict[str, str]:
    """doc_id -> colour, fixed by manifest row (see :func:`region_styles` for the marker and hatch)."""
    return {d: s["color"] for d, s in region_styles(documents).items()}


def region_names(documents, lang: str = "zh") -> dict[str, str]:
    """doc_id -> the document's region name in ``lang`` (``region`` or ``region_en``), told apart.

    Two documents of one region (a province's 2020 plan and its 十四五 plan)
    get their year, from the issue date or else the plan period (``甘肃 2020``),
    or, where neither is stated or the years are equal, their place among that
    region's documents in manifest order (``甘肃 (2)``), so no two bars or rows
    share a label.
    """
    _check_lang(lang)
    col = "region" if lang == "zh" else "region_en"
    ordered = documents.sort_values("manifest_row") if "manifest_row" in documents else documents
    recs = ordered.to_dict("records")
    base = {r["doc_id"]: str(r.get(col) or r["doc_id"]) for r in recs}
    same: dict[str, list[str]] = {}
    for r in recs:
        same.setdefault(base[r["doc_id"]], []).append(r["doc_id"])
    out = {}
    for r in recs:
        name, group = base[r["doc_id"]], same[base[r["doc_id"]]]
        if len(group) > 1:
            year = _year_of(r)
            years = [_year_of(x) for x in recs if x["doc_id"] in group]
            unique_year = year and years.count(year) == 1
            name = f"{name} {year}" if unique_year else f"{name} ({group.index(r['doc_id']) + 1})"
        out[r["doc_id"]] = name
    return out


def _year_of(rec) -> str:
    """A document's year for its label: the issue year, else the first year of its plan period, else ''."""
    issued = str(rec.get("issued") or "")
    if issued[:4].isdigit():
        return issued[:4]
    start = rec.get("period_start")
    return "" if _missing(start) or not str(start).strip() else str(int(start))


def _regions(documents, lang: str):
    """Documents in manifest order, with their names in ``lang`` and their styles."""
    docs = documents.sort_values("manifest_row")
    return docs["doc_id"].tolist(), region_names(docs, lang), region_styles(docs)


def is_placeholder(agencies_df):
    """Boolean Series: rows whose agency is a placeholder (各成员单位…), not one body.

    ``agency_type == "placeholder"`` where the agencies table says so, and in
    any case a standard name that starts with 各 ("each of the …") or ends with
    各成员单位 / 各有关部门 (the member units of a joint meeting).
    """
    typed = agencies_df["agency_type"].eq("placeholder") if "agency_type" in agencies_df else False
    return agencies_df["agency_std"].astype(str).str.contains(PLACEHOLDER_AGENCY) | typed


# -- formatting ------------------------------------------------------------------------------


def or_unknown(table, columns=None, *, lang: str = "zh"):
    """Takes any table: a copy for reading, with what a document does not state shown as 不详 / unknown.

    Missing values (empty strings, None, NaN, pandas.NA) in ``columns`` (default:
    all) become ``label("unknown", lang)``, so a missing issue date or plan
    period reads as unknown instead of as a blank or a ``<NA>``. Only for
    display: analysis code keeps the real missing values.
    """
    out = table.copy()
    unknown = label("unknown", lang)
    for col in columns if columns is not None else list(out.columns):
        values = out[col].astype(object)
        missing = values.map(lambda v: _missing(v) or (isinstance(v, str) and not v.strip()))
        out[col] = values.where(~missing, unknown)
    return out


def format_number(value: float) -> str:
    """``33000`` -> ``"33,000"``, ``0.78`` -> ``"0.78"``, ``7.0`` -> ``"7"``."""
    v = float(value)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str, *, lang: str = "zh") -> str:
    """A target value as a reader expects it: ``"7 亿元"`` / ``"CNY 700 m"``, ``"33,000 件"`` / ``"33,000"``.

    English amounts in 亿元 or 万元 become yuan in millions or billions; count
    units (件, 个…) are left to the panel title in English; other units follow
    the number (``50%``, ``0.78 件/万人`` / ``0.78 per 10k people``).
    """
    _check_lang(lang)
    if lang == "en" and unit in ("亿元", "万元"):
        yuan = float(value) * (1e8 if unit == "亿元" else 1e4)
        if yuan >= 1e9:
            return f"CNY {format_number(round(yuan / 1e9, 2))} bn"
        if yuan >= 1e6:
            return f"CNY {format_number(round(yuan / 1e6, 1))} m"
        return f"CNY {format_number(yuan)}"
    num = format_number(value)
    if not unit or unit == "%":
        return f"{num}{unit}"
    if lang == "en" and unit in COUNT_UNITS:
        return num
    return f"{num} {label('unit:' + unit, lang, unit)}"


def unit_label(unit: str, lang: str = "zh") -> str:
    """A unit for a title: the label in ``lang``; English yuan amounts say so (``CNY``)."""
    if not unit:
        return ""
    if lang == "en" and unit in ("亿元", "万元"):
        return "CNY 100 m" if unit == "亿元" else "CNY 10,000"
    return label(f"unit:{unit}", lang, unit)


def _with_unit(title: str, unit: str, lang: str) -> str:
    """``title (unit)``, or just ``title`` when there is no unit: never an empty ``()``."""
    u = unit_label(unit, lang)
    return f"{title} ({u})" if u else title


def _missing(value) -> bool:
    """None, NaN or pandas.NA: a value the document does not state."""
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _wrap(text: str, width: int) -> str:
    """Break ``text`` into lines about ``width`` CJK characters wide.

    Chinese has no spaces to break at, so mixed text is cut by display width
    (a Latin letter or digit counts half a character); English is wrapped at spaces.
    """
    text = str(text)
    if not _CJK.search(text):
        return textwrap.fill(text, width=int(width * 1.8), break_long_words=False) or text
    lines, line, used = [], "", 0.0
    for piece in _UNBREAKABLE.findall(text):  # a number or a Latin word is never cut
        w = sum(1.0 if _CJK.match(ch) else 0.55 for ch in piece)
        if used + w > width and line:
            lines.append(line.rstrip())
            line, used = "", 0.0
        line += piece
        used += w
    lines.append(line.rstrip())
    return "\n".join(x for x in lines if x) or text


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.%]+(?:[—–-][0-9A-Za-z.%]+)*[）)年]?|.", re.S)


def _integer_ticks(ax, axis: str = "x", *, nbins: int = 5) -> None:
    """Counts get whole-number ticks, at most ``nbins`` + 1 of them (narrow panels stay legible), with 1,000 separators."""
    from matplotlib.ticker import MaxNLocator

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(MaxNLocator(integer=True, nbins=nbins))
    _thousands(ax, axis)


def _thousands(ax, axis: str = "y") -> None:
    """Tick labels with thousands separators (33,000, not 33000)."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: format_number(round(v, 6)))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def _ncols(n: int, ncols: int) -> int:
    return max(1, min(ncols, n))


def _panels(n: int, *, ncols: int, row_height: float, extra: float = 0.0, width: float = A4_WIDTH, **kw):
    """A grid of ``n`` panels, ``ncols`` wide, at ``width`` inches, unused cells hidden: (figure, axes in order)."""
    import matplotlib.pyplot as plt

    ncols = _ncols(n, ncols)
    nrows = max(1, math.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, row_height * nrows + extra), squeeze=False,
                             layout="constrained", **kw)  # fmt: skip
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _ranked_bars(ranked, documents, *, value: str, xlabel: str, title_key: str, n: int, lang: str, ncols: int):
    """Small multiples of each region's top-``n`` tokens (``rank`` column), bars of ``value``, in the region colour."""
    from matplotlib.ticker import MaxNLocator

    order, names, styles = _regions(documents, lang)
    fig, axes = _panels(len(order), ncols=ncols, row_height=0.16 * n + 0.6)
    for ax, doc_id in zip(axes, order):
        sub = ranked[(ranked["doc_id"] == doc_id) & (ranked["rank"] <= n)]
        st = styles[doc_id]
        ax.barh(sub["token"], sub[value], color=st["color"], hatch=st["hatch"], edgecolor="white")
        ax.invert_yaxis()
        ax.set_title(names[doc_id], fontsize="medium")
        ax.tick_params(axis="y", labelsize="small")
        ax.tick_params(axis="x", labelsize="x-small")
        ax.set_xlabel(xlabel, fontsize="small")
        if value == "count":
            _integer_ticks(ax, nbins=3)
        else:
            ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
    fig.suptitle(label(title_key, lang))
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


def show(fig, *, dpi: int = 100, colors: int = 128):
    """Display ``fig`` in a notebook as a small PNG, then close it.

    The saved figures (:func:`save_figure`) are full 300-dpi files; inline a
    chart is drawn at ``dpi`` and reduced to a palette of ``colors`` colours,
    which keeps a notebook of a dozen charts well under a few hundred kilobytes
    and is byte-stable, like the files.
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display
    from PIL import Image as PILImage

    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    img = PILImage.open(io.BytesIO(raw.getvalue())).convert("RGB")
    small = img.quantize(colors=colors, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    display(Image(data=out.getvalue(), format="png"))


# -- corpus overview (notebook 01) ---------------------------------------------------------------


def bar_by_region(documents, value: str, *, lang: str = "zh", title_key: str | None = None, ax=None):
    """Takes the documents table: one horizontal bar per document of column ``value``, in its region style."""
    import matplotlib.pyplot as plt

    order, names, styles = _regions(documents, lang)
    docs = documents.set_index("doc_id").loc[order]
    if ax is None:
        _fig, ax = plt.subplots(figsize=(A4_WIDTH / 2, 0.22 * len(order) + 0.9), layout="constrained")
    vals = docs[value].fillna(0).to_numpy()
    y = range(len(order))
    ax.barh(y, vals, color=[styles[d]["color"] for d in order], hatch=[styles[d]["hatch"] for d in order],
            edgecolor="white")  # fmt: skip
    ax.set_yticks(list(y), [names[d] for d in order])
    ax.invert_yaxis()
    ax.set_xlabel(label(value, lang))
    ax.set_ylabel("")
    ax.set_xlim(0, max(vals.max(), 1) * 1.25)
    _integer_ticks(ax, nbins=3)
    for yy, v in zip(y, vals):
        ax.text(v, yy, f" {format_number(v)}", va="center", fontsize="x-small")
    if title_key:
        ax.set_title(label(title_key, lang))
    return ax.figure


def document_overview(documents, *, lang: str = "zh"):
    """Takes the documents table: two panels, each document's length in characters and its provision count."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(A4_WIDTH, 0.22 * len(documents) + 1.0), sharey=True,
                                      layout="constrained")  # fmt: skip
    bar_by_region(documents, "n_chars", lang=lang, ax=left)
    bar_by_region(documents, "n_provisions", lang=lang, ax=right)
    right.invert_yaxis()  # sharey: the second call inverted the shared axis back
    fig.suptitle(label("document_length", lang))
    return fig


def _section_table(provisions):
    """doc_id × section_no: provisions and the section's own title (label when it has none)."""
    g = provisions.groupby(["doc_id", "section_no"], sort=True)
    out = g.agg(n=("provision_id", "size"), title=("section_title", "first"), lab=("section_label", "first"))
    out = out.reset_index()
    out["title"] = out["title"].fillna("").astype(str).str.strip()
    out["lab"] = out["lab"].fillna("").astype(str).str.strip("、.．（）() ")
    return out


def provisions_per_section(provisions, documents, *, lang: str = "zh"):
    """Takes the provisions table: one stacked bar per document, one segment per top-level section.

    Segments are named by the section's own title (Chinese), cut to the width
    of the segment, or by its number in English; a segment too narrow for any
    text gets its number just above or below the bar (alternating, so
    neighbours do not collide). The full titles are the notebook's sections table.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    order, names, _styles = _regions(documents, lang)
    sec = _section_table(provisions)
    n_sections = max(int(sec["section_no"].max()) if len(sec) else 1, 1)
    cmap = plt.get_cmap("Blues")
    shades = [cmap(x) for x in np.linspace(0.85, 0.3, n_sections)]
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 0.42 * len(order) + 1.0), layout="constrained")
    totals = sec.groupby("doc_id")["n"].sum()
    xmax = max(int(totals.max()) if len(totals) else 1, 1)
    ax.set_xlim(0, xmax * 1.02)
    fig.canvas.draw()  # fixes the axes' size, so segment widths can be measured in points
    pt_per_unit = ax.get_window_extent().width * 72 / fig.dpi / (xmax * 1.02)
    fontsize = 6.0
    for i, doc_id in enumerate(order):
        left, narrow = 0, 0
        for rec in sec[sec["doc_id"] == doc_id].itertuples():
            s, n = int(rec.section_no), int(rec.n)
            shade = shades[min(s, n_sections) - 1]
            ax.barh(i, n, left=left, color=shade, edgecolor="white", height=0.56)
            dark = s <= n_sections / 2
            tag = _fit(rec.title or rec.lab, n * pt_per_unit, fontsize) if lang == "zh" else ""
            if not tag:
                tag = str(s) if n * pt_per_unit >= fontsize * 0.9 else ""
            if tag:
                ax.text(left + n / 2, i, tag, ha="center", va="center", fontsize=fontsize,
                        color="white" if dark else "black")  # fmt: skip
            else:
                narrow += 1
                above = narrow % 2
                ax.text(left + n / 2, i + (-0.29 if above else 0.29), str(s), ha="center",
                        va="bottom" if above else "top", fontsize=fontsize - 1, color="#444444")  # fmt: skip
            left += n
    ax.set_yticks(range(len(order)), [names[d] for d in order])
    ax.set_ylim(len(order) - 0.35, -0.65)
    ax.set_xlabel(label("n_provisions", lang))
    _integer_ticks(ax)
    ax.grid(False, axis="y")
    title = label("provisions_per_section", lang)
    ax.set_title(title if lang == "zh" else f"{title} ({label('sections_numbered', lang)})")
    return fig


def _fit(text: str, width_pt: float, fontsize: float) -> str:
    """As much of ``text`` as fits in ``width_pt`` at ``fontsize`` (CJK glyphs are one em wide), with … when cut."""
    fits = int(width_pt / fontsize - 1.0)
    if fits >= len(text):
        return text
    if fits < 2:
        return ""
    return text[: fits - 1] + "…"


def top_terms(freqs, documents, *, n: int = 10, lang: str = "zh", ncols: int = 3):
    """Takes ``corpus.term_frequencies(top=n)``: small multiples, each document's ``n`` most frequent terms."""
    return _ranked_bars(freqs, documents, value="count", xlabel=label("count", lang), title_key="top_terms",
                        n=n, lang=lang, ncols=ncols)  # fmt: skip


# -- targets (notebook 02) -----------------------------------------------------------------------

_CMP_SIGN = {"ge": "≥", "gt": ">", "eq": "", "range": "", "le": "≤", "lt": "<", "approx": "≈"}


def _indicator_label(rec, lang: str) -> str:
    return rec["indicator_zh"] if lang == "zh" or not rec.get("indicator_en") else rec["indicator_en"]


def stacked_counts(counts, documents, *, title_key: str, lang: str = "zh"):
    """Takes a doc_id × category count table (e.g. targets per source): one stacked bar per document."""
    import matplotlib.pyplot as plt

    order, names, _styles = _regions(documents, lang)
    counts = counts.reindex([d for d in order if d in counts.index])
    fig, ax = plt.subplots(figsize=(A4_WIDTH * 0.75, 0.24 * len(counts) + 1.2), layout="constrained")
    left = None
    shades = plt.get_cmap("Blues")([0.75, 0.4, 0.2, 0.9, 0.55][: counts.shape[1]])
    y = list(range(len(counts)))
    for col, shade in zip(counts.columns, shades):
        vals = counts[col].to_numpy()
        ax.barh(y, vals, left=left, color=shade, label=label(str(col), lang))
        left = vals if left is None else left + vals
    ax.set_yticks(y, [names[d] for d in counts.index])
    ax.invert_yaxis()
    _integer_ticks(ax)
    ax.legend(frameon=False, fontsize="small", loc="lower right")
    ax.set_title(label(title_key, lang))
    return fig


def coverage_heatmap(matrix, row_labels: dict[str, str], documents, *, lang: str = "zh"):
    """Takes ``targets.coverage()``'s indicator × doc_id matrix: shaded where a region sets a target.

    Each cell carries the latest target year; ``-1`` marks a target whose year
    the document does not state, shown as "?".
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch

    names = region_names(documents, lang)
    n_cols = matrix.shape[1]
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 0.2 * matrix.shape[0] + 1.4), layout="constrained")
    shade = (matrix.to_numpy() != 0).astype(float)
    ax.imshow(shade, cmap="Blues", vmin=0, vmax=1.6, aspect="auto")
    ax.set_xticks(np.arange(n_cols + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(matrix.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.0)
    ax.tick_params(which="minor", length=0)
    small = n_cols > 8
    for (i, j), year in np.ndenumerate(matrix.to_numpy()):
        if year:
            text = "?" if year < 0 else (f"{year % 100:02d}" if small else str(year))
            ax.text(j, i, text, ha="center", va="center", fontsize=5 if small else "x-small")
    ax.set_xticks(range(n_cols), _column_labels([names[d] for d in matrix.columns]), fontsize="x-small")
    ax.set_yticks(range(matrix.shape[0]), [row_labels.get(i, i) for i in matrix.index], fontsize="x-small")
    ax.xaxis.tick_top()
    ax.grid(False, which="major")
    note = label("coverage_note_short" if small else "coverage_note", lang)
    ax.legend(handles=[Patch(color=plt.get_cmap("Blues")(1 / 1.6), label=note)], loc="upper center",
              bbox_to_anchor=(0.5, 0.0), frameon=False, fontsize="x-small")  # fmt: skip
    ax.set_title(label("coverage", lang))
    return fig


def _column_label(name: str, n_cols: int) -> str:
    """A region name for a matrix column, kept horizontal: broken onto lines to fit the column."""
    per_col_chars = max(2, int(A4_WIDTH * 0.62 * 72 / max(n_cols, 1) / 6.5))
    if " " in name and _CJK.search(name):
        head, tail = name.split(" ", 1)
        return _wrap(head, per_col_chars) + "\n" + _wrap(tail.strip("()"), per_col_chars * 2)
    return _wrap(name, per_col_chars)


def _text_width(text: str, fontsize: float) -> float:
    """Rough width in points of the longest line of ``text`` (a CJK glyph is one em, other characters ~0.55)."""
    return max(sum(1.0 if _CJK.match(ch) else 0.55 for ch in line) for line in text.split("\n")) * fontsize


def _column_labels(names: list[str], *, fontsize: float = 6.5) -> list[str]:
    """Region names for the top of a matrix, horizontal; staggered on two levels when a name is wider than its column.

    Every other label is raised by the height of its neighbours, so a name may
    use the width of two columns (English names of 17 regions, for example).
    """
    labels = [_column_label(n, len(names)) for n in names]
    column_pt = A4_WIDTH * 0.62 * 72 / max(len(names), 1)
    if all(_text_width(t, fontsize) <= column_pt * 0.95 for t in labels):
        return labels
    depth = max(t.count("\n") + 1 for t in labels[0::2])
    return [t if i % 2 == 0 else t + "\n" * depth for i, t in enumerate(labels)]


def comparable_targets(df, documents, *, lang: str = "zh", ncols: int = 2):
    """Takes ``targets.comparable()``: one panel per indicator × measure × unit, each region's final target.

    Bars are labelled with comparator, value, time basis and year, so a 2025
    level is never read as a three-year cumulative: those sit in different panels.
    """
    from .targets import MEASURE_LABELS

    order, names, styles = _regions(documents, lang)
    groups = list(df.groupby(["indicator_id", "measure", "unit_std"], sort=True))
    n_max = max([g["doc_id"].nunique() for _k, g in groups] or [1])
    fig, axes = _panels(len(groups), ncols=ncols, row_height=0.22 * n_max + 0.9)
    for ax, ((_ind, measure, unit), g) in zip(axes, groups):
        g = g.set_index("doc_id").reindex([d for d in order if d in set(g["doc_id"])])
        y = list(range(len(g)))
        ax.barh(y, g["value_std"], color=[styles[d]["color"] for d in g.index],
                hatch=[styles[d]["hatch"] for d in g.index], edgecolor="white")  # fmt: skip
        ax.set_yticks(y, [names[d] for d in g.index])
        ax.invert_yaxis()
        for yy, (_doc_id, rec) in zip(y, g.iterrows()):
            value = format_value(rec["value_std"], unit, lang=lang)
            if rec["comparator"] == "range" and not _missing(rec["value_high_std"]):
                value = f"{format_number(rec['value_std'])}–{format_value(rec['value_high_std'], unit, lang=lang)}"
            basis = f" {label('basis:' + rec['basis'], lang, rec['basis'])}" if rec["basis"] else ""
            year = label("unknown", lang) if _missing(rec["year"]) else int(rec["year"])
            text = f" {_CMP_SIGN.get(rec['comparator'], '')}{value}{basis} ({year})"
            ax.text(rec["value_std"], yy, text, va="center", fontsize="x-small")
        first = g.iloc[0]
        title = f"{_indicator_label(first, lang)}\n{MEASURE_LABELS[lang].get(measure, measure)}"
        ax.set_title(_with_unit(title, unit, lang), fontsize="small")
        ax.tick_params(labelsize="x-small")
        ax.set_xlim(0, max(g["value_std"].max(), 1e-9) * 1.9)
        ax.set_xticks([])
        ax.grid(False)
    fig.suptitle(label("comparable_targets", lang))
    return fig


def select_trajectories(series_df, *, max_panels: int = 6):
    """Indicators worth a trajectory panel: those several regions state as a series, then the longest.

    Returns (indicator_id, measure, unit_std) keys, at most ``max_panels``: first
    every indicator with a series in two or more documents (comparable lines:
    same measure, same unit), then, to fill, those with the most years, ties by
    id. A level and a cumulative series of one indicator are separate panels.
    The growth table keeps every series.
    """
    keys = ["indicator_id", "measure", "unit_std"]
    per = series_df.groupby(keys).agg(regions=("doc_id", "nunique"), years=("year", "nunique")).reset_index()
    per = per.sort_values(["regions", "years", *keys], ascending=[False, False, True, True, True])
    return list(per[keys].head(max_panels).itertuples(index=False, name=None))


def trajectories(series_df, growth, documents, *, lang: str = "zh", indicators=None, max_panels: int = 6,
                 ncols: int = 2):  # fmt: skip
    """Takes ``targets.series()`` and ``targets.implied_growth()``: year-by-year targets, one line per region.

    One panel per (indicator_id, measure, unit_std) in ``indicators`` (default
    :func:`select_trajectories`);
    hollow markers are baselines, the label at each line's end its implied
    average annual growth. Regions are named once, in a legend below the panels.
    """
    from matplotlib.lines import Line2D

    order, names, styles = _regions(documents, lang)
    chosen = list(indicators) if indicators is not None else select_trajectories(series_df, max_panels=max_panels)
    rate = growth.set_index(["doc_id", "indicator_id"])["annual_growth_pct"] if len(growth) else {}
    fig, axes = _panels(len(chosen), ncols=ncols, row_height=1.9, extra=0.5)
    seen = []
    per_year = "%/年" if lang == "zh" else "%/yr"
    for ax, (ind, measure, unit) in zip(axes, chosen):
        same = (series_df["indicator_id"] == ind) & (series_df["measure"] == measure) & (series_df["unit_std"] == unit)
        g = series_df[same]
        for doc_id in [d for d in order if d in set(g["doc_id"])]:
            s = g[g["doc_id"] == doc_id].sort_values("year")
            st = styles[doc_id]
            ax.plot(s["year"], s["value_std"], color=st["color"], linewidth=1.2)
            for status, fill in (("target", st["color"]), ("baseline", "white")):
                pts = s[s["status"] == status]
                ax.scatter(pts["year"], pts["value_std"], color=fill, edgecolor=st["color"], marker=st["marker"],
                           zorder=3, s=16)  # fmt: skip
            pct = rate.get((doc_id, ind)) if len(growth) else None
            if not _missing(pct):
                last = s.iloc[-1]
                ax.annotate(f"{pct:+.0f}{per_year}", (last["year"], last["value_std"]), xytext=(3, 0),
                            textcoords="offset points", fontsize=5.5, color=st["color"], va="center")  # fmt: skip
            if doc_id not in seen:
                seen.append(doc_id)
        first = g.iloc[0]
        title = _indicator_label(first, lang)
        if measure != "level":
            from .targets import MEASURE_LABELS

            title = f"{title} · {MEASURE_LABELS[lang].get(measure, measure)}"
        ax.set_title(_with_unit(title, unit, lang), fontsize="small")
        years = sorted(int(y) for y in g["year"].unique())
        ax.set_xticks(years, [str(y) for y in years])
        ax.set_xlim(years[0] - 0.3, years[-1] + 1.0)
        ax.tick_params(labelsize="x-small")
        if unit in COUNT_UNITS:
            _integer_ticks(ax, "y")
        _thousands(ax, "y")
        ax.set_ylim(0, g["value_std"].max() * 1.12 or 1)
    handles = [Line2D([], [], color=styles[d]["color"], marker=styles[d]["marker"], label=names[d]) for d in seen]
    handles += [
        Line2D([], [], color="grey", marker="o", linestyle="", label=label("target", lang)),
        Line2D([], [], color="white", markeredgecolor="grey", marker="o", linestyle="", label=label("baseline", lang)),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4), frameon=False,
               fontsize="x-small")  # fmt: skip
    fig.suptitle(label("trajectories", lang))
    return fig


# -- themes (notebook 03) ------------------------------------------------------------------------


def _theme_label(theme: str, lang: str) -> str:
    from .themes import THEME_LABELS

    return THEME_LABELS[lang].get(theme, theme)


def _theme_column(theme: str, lang: str) -> str:
    """A theme as a matrix column heading: its short form (``theme_short:`` in labels.csv), on lines that fit."""
    return _wrap(label(f"theme_short:{theme}", lang, _theme_label(theme, lang)), 5 if lang == "en" else 4)


def theme_colors() -> dict[str, str]:
    """theme -> colour, from :data:`THEME_COLORS` (a palette no region uses)."""
    from .themes import THEME_ORDER

    return {t: THEME_COLORS[i % len(THEME_COLORS)] for i, t in enumerate(THEME_ORDER)}


def theme_profile(shares, documents, *, lang: str = "zh"):
    """Takes ``themes.theme_shares()``: each region's theme mix (sums to 100 %), by provisions and by text.

    Segments of 8 % or more carry their value; the theme colours are their own
    palette, never a region colour.
    """
    import matplotlib.pyplot as plt

    from .themes import THEME_ORDER

    order, names, _styles = _regions(documents, lang)
    colors = theme_colors()
    fig, axes = plt.subplots(1, 2, figsize=(A4_WIDTH, 0.26 * len(order) + 1.5), sharey=True, layout="constrained")
    y = list(range(len(order)))
    for ax, col, key in zip(axes, ("mix_provisions", "mix_text"), ("theme_mix_provisions", "theme_mix_text")):
        wide = shares.pivot(index="doc_id", columns="theme", values=col).reindex(index=order, columns=list(THEME_ORDER))
        left = None
        for theme in THEME_ORDER:
            vals = wide[theme].fillna(0).to_numpy() * 100
            ax.barh(y, vals, left=left, color=colors[theme], label=_theme_label(theme, lang), edgecolor="white",
                    linewidth=0.4)  # fmt: skip
            base = left if left is not None else [0] * len(vals)
            for yy, v, b in zip(y, vals, base):
                if v >= 8:
                    ax.text(b + v / 2, yy, f"{v:.0f}", ha="center", va="center", fontsize=5.5)
            left = vals if left is None else left + vals
        ax.set_xlim(0, 100)
        ax.set_xlabel(label(key, lang), fontsize="small")
        ax.tick_params(labelsize="x-small")
        ax.grid(False, axis="y")
    axes[0].set_yticks(y, [names[d] for d in order])
    axes[0].invert_yaxis()
    handles, labels_ = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels_, loc="outside lower center", ncol=4, frameon=False, fontsize="x-small")
    fig.suptitle(label("theme_profile", lang))
    return fig


def _heatmap(ax, wide, *, cmap: str, fmt: str = "d", vmax=None, cbar_label: str = "", cbar: bool = True, cbar_ax=None,
             mask=None, linecolor: str = "white"):  # fmt: skip
    """A seaborn heatmap with values in the cells, a colour bar (whole numbers for counts) and horizontal labels."""
    import seaborn as sns
    from matplotlib.ticker import MaxNLocator

    sns.heatmap(wide, annot=True, fmt=fmt, cmap=cmap, vmin=0, vmax=vmax, ax=ax, cbar=cbar, cbar_ax=cbar_ax, mask=mask,
                annot_kws={"fontsize": 5.5}, linewidths=0.4, linecolor=linecolor,
                cbar_kws={"label": cbar_label, "shrink": 0.6} if cbar else None)  # fmt: skip
    if cbar and fmt == "d" and ax.collections and ax.collections[0].colorbar is not None:
        ax.collections[0].colorbar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(False)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="both", labelsize="x-small", length=0)
    ax.tick_params(axis="x", labelrotation=0)
    ax.tick_params(axis="y", labelrotation=0)
    if cbar and ax.collections and ax.collections[0].colorbar is not None:
        bar = ax.collections[0].colorbar
        bar.ax.tick_params(labelsize="x-small")
        bar.ax.yaxis.label.set_size("x-small")


def theme_heatmap(shares, documents, *, lang: str = "zh", value: str = "share_provisions"):
    """Takes ``themes.theme_shares()``: theme × region, the share of each region's provisions carrying each theme (%).

    A provision may carry several themes, so a column does not sum to 100.
    """
    import matplotlib.pyplot as plt

    from .themes import THEME_ORDER

    order, names, _styles = _regions(documents, lang)
    wide = shares.pivot(index="theme", columns="doc_id", values=value).reindex(index=list(THEME_ORDER), columns=order)
    wide = (wide * 100).round(0).fillna(0).astype(int)
    wide.index = [_wrap(_theme_label(t, lang), 12) for t in wide.index]
    wide.columns = _column_labels([names[d] for d in wide.columns])
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 3.0), layout="constrained")
    _heatmap(ax, wide, cmap="Blues", vmax=100, cbar_label="%")
    ax.xaxis.tick_top()
    ax.set_title(label("theme_heatmap", lang))
    return fig


def instrument_theme_matrix(counts, documents, *, lang: str = "zh"):
    """Takes ``themes.instrument_theme_counts()``: provisions by region × theme, one panel per instrument.

    One colour scale and one colour bar for all three panels, so cells compare across them.
    """
    import matplotlib.pyplot as plt

    from matplotlib.ticker import MaxNLocator

    from .themes import INSTRUMENT_ORDER, THEME_ORDER

    order, names, _styles = _regions(documents, lang)
    vmax = max(1, int(counts["provisions"].max())) if len(counts) else 1
    fig, axes = plt.subplots(len(INSTRUMENT_ORDER), 1, figsize=(A4_WIDTH, (0.17 * len(order) + 0.55) * 3 + 0.8),
                             sharex=True, layout="constrained")  # fmt: skip
    for ax, inst in zip(axes, INSTRUMENT_ORDER):
        sub = counts[counts["instrument"] == inst]
        wide = sub.pivot(index="doc_id", columns="theme", values="provisions").reindex(
            index=order, columns=list(THEME_ORDER)
        ).fillna(0).astype(int)
        wide.index = [names[d] for d in wide.index]
        wide.columns = [_theme_column(t, lang) for t in wide.columns]
        _heatmap(ax, wide, cmap="Greens", vmax=vmax, cbar=False)
        ax.set_title(label(f"instrument:{inst}", lang, inst), fontsize="small", loc="left")
    # one colour bar for the three panels, which share one scale
    bar = fig.colorbar(axes[0].collections[0], ax=list(axes), shrink=0.4, aspect=30, pad=0.02)
    bar.set_label(label("n_provisions", lang), fontsize="x-small")
    bar.ax.tick_params(labelsize="x-small")
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(label("instrument_theme", lang))
    return fig


def distinctive_terms(keyness, documents, *, n: int = 10, lang: str = "zh", ncols: int = 3):
    """Takes ``corpus.distinctive_terms()``: small multiples, each region's most distinctive words by log-odds z."""
    return _ranked_bars(keyness, documents, value="z", xlabel="z", title_key="distinctive_terms",
                        n=n, lang=lang, ncols=ncols)  # fmt: skip


# -- timelines (notebook 04) ---------------------------------------------------------------------


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


def _known(ev):
    """Events whose start (and end) are stated: the rest are shown as unknown."""
    s = ev["start"].fillna("").astype(str)
    e = ev["end"].fillna("").astype(str)
    return ev[s.str.match(r"^\d{4}") & e.str.match(r"^\d{4}")]


def timeline_gantt(events, documents, *, lang: str = "zh"):
    """Takes the events table: one row per document on one time axis.

    Plan period (light bar), phases (thin bar), target years (dots),
    issue (◆) and publication (▼) dates. A document whose plan period or issue
    date is not stated says so in its row ("unknown") instead of being left out.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    order, names, styles = _regions(documents, lang)
    known = _known(events[events["kind"].isin(["plan_period", "phase", "target_year", "issued", "published"])])
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 0.36 * len(order) + 1.4), layout="constrained")
    unknown_rows = []
    for y, doc_id in enumerate(order):
        ev = known[known["doc_id"] == doc_id]
        color = styles[doc_id]["color"]
        for rec in ev[ev["kind"] == "plan_period"].itertuples():
            s, e = _as_date(rec.start), _as_date(rec.end, end=True)
            ax.barh(y, (e - s).days, left=s, height=0.5, color=color, alpha=0.35, hatch=styles[doc_id]["hatch"])
        for rec in ev[ev["kind"] == "phase"].itertuples():
            s, e = _as_date(rec.start), _as_date(rec.end, end=True)
            ax.barh(y + 0.32, (e - s).days, left=s, height=0.14, color=color, edgecolor="white")
        for rec in ev[ev["kind"] == "target_year"].itertuples():
            ax.scatter(_as_date(rec.start, end=True), y, marker=styles[doc_id]["marker"], s=22, color=color,
                       edgecolor="black", linewidth=0.5, zorder=3)  # fmt: skip
        for kind, marker in (("issued", "D"), ("published", "v")):
            for rec in ev[ev["kind"] == kind].itertuples():
                ax.scatter(_as_date(rec.start), y - 0.34, marker=marker, s=16, color="black", zorder=3)
        missing = [k for k in ("plan_period", "issued") if not (ev["kind"] == k).any()]
        if missing:
            unknown_rows.append((y, "；".join(label(f"unknown:{k}", lang) for k in missing) if lang == "zh"
                                 else "; ".join(label(f"unknown:{k}", lang) for k in missing)))  # fmt: skip
    ax.set_yticks(range(len(order)), [names[d] for d in order])
    ax.set_ylim(len(order) - 0.4, -0.6)
    ax.xaxis.set_major_locator(mdates.YearLocator(base=1 if _span_years(known) <= 10 else 2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(labelsize="x-small")
    if unknown_rows:
        x0 = ax.get_xlim()[0]
        for y, text in unknown_rows:
            ax.text(x0, y, f" {text}", va="center", ha="left", fontsize=5.5, color="#666666", style="italic")
    handles = [
        Patch(color="grey", alpha=0.35, label=label("plan_period", lang)),
        Patch(color="grey", label=label("phase", lang)),
        Line2D([], [], marker="o", color="grey", markeredgecolor="black", linestyle="",
               label=label("target_year", lang)),  # fmt: skip
        Line2D([], [], marker="D", color="black", linestyle="", label=label("issued", lang)),
        Line2D([], [], marker="v", color="black", linestyle="", label=label("published", lang)),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=5, frameon=False, fontsize="x-small")
    ax.set_title(label("timeline", lang))
    return fig


def _span_years(known) -> int:
    years = [int(v[:4]) for v in list(known["start"].astype(str)) + list(known["end"].astype(str))]
    return (max(years) - min(years)) if years else 0


def citation_matrix(references, documents, *, lang: str = "zh", min_docs: int = 1):
    """Takes the references table: cited plan (rows, grouped by level) × citing region, cells the citations."""
    import matplotlib.pyplot as plt

    order, names, _styles = _regions(documents, lang)
    levels = ["national", "provincial", "municipal"]
    refs = references.assign(count=references["count"].astype(int))
    wide = refs.pivot_table(index=["level", "title"], columns="doc_id", values="count", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=order, fill_value=0).astype(int)
    wide = wide[(wide > 0).sum(axis=1) >= min_docs]
    key = {
        idx: (levels.index(idx[0]) if idx[0] in levels else 9, -int((wide.loc[idx] > 0).sum()), idx[1])
        for idx in wide.index
    }
    wide = wide.loc[sorted(wide.index, key=key.get)]
    wide.index = [_wrap(f"[{label('level:' + lvl, lang, lvl)}] {title}", 22) for lvl, title in wide.index]
    wide.columns = _column_labels([names[d] for d in wide.columns])
    lines = sum(t.count("\n") + 1 for t in wide.index)
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 0.13 * lines + 1.6), layout="constrained")
    vmax = max(2, int(wide.to_numpy().max())) if len(wide) else 2
    _heatmap(ax, wide, cmap="Purples", vmax=vmax, mask=wide == 0, linecolor="#eeeeee",
             cbar_label=label("times_cited", lang))  # fmt: skip
    ax.tick_params(axis="both", labelsize=5.5)
    ax.xaxis.tick_top()
    ax.set_title(label("citations", lang))
    return fig


# -- agencies (notebook 05) ----------------------------------------------------------------------


def top_agencies(involvement_df, documents, *, n: int = 8, lang: str = "zh", ncols: int = 2):
    """Takes ``agencies.involvement()``: small multiples, each region's agencies named in most provisions.

    The darker part of a bar is the provisions it leads. Placeholders
    (:func:`is_placeholder`) are not agencies and are left out.
    """
    order, names, styles = _regions(documents, lang)
    inv = involvement_df[~is_placeholder(involvement_df)]
    order = [d for d in order if d in set(inv["doc_id"])]
    fig, axes = _panels(len(order), ncols=ncols, row_height=0.14 * n + 0.7)
    for ax, doc_id in zip(axes, order):
        sub = inv[inv["doc_id"] == doc_id].head(n)
        st = styles[doc_id]
        ax.barh(sub["agency_std"], sub["provisions"], color=st["color"], alpha=0.45)
        ax.barh(sub["agency_std"], sub["lead"], color=st["color"], hatch=st["hatch"], edgecolor="white")
        ax.invert_yaxis()
        ax.set_title(names[doc_id], fontsize="medium")
        ax.tick_params(axis="y", labelsize=5.5)
        ax.tick_params(axis="x", labelsize="x-small")
        ax.set_xlabel(label("n_provisions", lang), fontsize="x-small")
        _integer_ticks(ax)
    fig.suptitle(label("top_agencies", lang))
    return fig


def role_bars(shares, documents, *, lang: str = "zh"):
    """Takes ``agencies.role_shares()``: each region's agency mentions by role (lead / cooperating / responsible), %."""
    import matplotlib.pyplot as plt

    order, names, _styles = _regions(documents, lang)
    order = [d for d in order if d in shares.index]
    fig, ax = plt.subplots(figsize=(A4_WIDTH * 0.8, 0.24 * len(order) + 1.2), layout="constrained")
    left = None
    y = list(range(len(order)))
    for role, color in zip(shares.columns, ("#08519c", "#6baed6", "#bdbdbd")):
        vals = shares.loc[order, role].to_numpy() * 100
        ax.barh(y, vals, left=left, color=color, label=label(f"role:{role}", lang, role))
        left = vals if left is None else left + vals
    ax.set_yticks(y, [names[d] for d in order])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    fig.legend(loc="outside lower center", ncol=3, frameon=False, fontsize="small")
    ax.set_title(label("roles", lang))
    return fig


def type_theme_heatmap(counts, *, lang: str = "zh"):
    """Takes ``agencies.type_theme_counts()``: agency type × theme, provisions where the type carries the theme."""
    import matplotlib.pyplot as plt

    from .themes import THEME_ORDER

    wide = counts.pivot(index="agency_type", columns="theme", values="provisions").reindex(columns=list(THEME_ORDER))
    wide = wide.fillna(0).astype(int)
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    wide.index = [label(f"type:{t}", lang, t) for t in wide.index]
    wide.columns = [_theme_column(t, lang) for t in wide.columns]
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 0.2 * len(wide) + 1.4), layout="constrained")
    _heatmap(ax, wide, cmap="Oranges", cbar_label=label("n_provisions", lang))
    ax.xaxis.tick_top()
    ax.set_title(label("type_theme", lang))
    return fig


def network_edges(edges, *, min_weight: int = 2, per_node: int = 2):
    """The backbone of a co-responsibility graph: edges shared in ``min_weight``+ provisions, each node's strongest.

    Keeps, for every node, its ``per_node`` heaviest edges (ties by name), so a
    document that lists a dozen units under every task shows who works with
    whom most rather than a complete graph.
    """
    e = edges[edges["provisions"] >= min_weight]
    keep = set()
    for node in sorted(set(e["source"]) | set(e["target"])):
        mine = e[(e["source"] == node) | (e["target"] == node)]
        mine = mine.sort_values(["provisions", "source", "target"], ascending=[False, True, True], kind="stable")
        keep.update(mine.index[:per_node])
    return e.loc[sorted(keep)]


def co_responsibility_networks(agencies_df, documents, *, top: int = 10, lang: str = "zh", ncols: int = 2,
                               min_weight: int = 2, per_node: int = 2):  # fmt: skip
    """Takes the agencies table: one network per region, its ``top`` agencies, linked when they share provisions.

    Node size is provisions named in; edges are the backbone of
    :func:`network_edges` (line width = provisions shared, legend below).
    Placeholders (各成员单位…) are not nodes. Labels sit outside the circle,
    away from the nodes, inside the panel.
    """
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    from .agencies import co_responsibility

    order, names, styles = _regions(documents, lang)
    agencies_df = agencies_df[~is_placeholder(agencies_df)]
    order = [d for d in order if d in set(agencies_df["doc_id"])]
    fig, axes = _panels(len(order), ncols=ncols, row_height=2.3, extra=0.5)
    wmax_all = 1
    graphs = []
    for doc_id in order:
        a = agencies_df[agencies_df["doc_id"] == doc_id]
        size = a.groupby("agency_std")["provision_id"].nunique().sort_values(ascending=False, kind="stable")
        keep = size.head(top).index.tolist()  # largest first: the circle starts with the busiest agency
        edges = co_responsibility(a, doc_id)
        edges = network_edges(edges[edges["source"].isin(keep) & edges["target"].isin(keep)], min_weight=min_weight,
                              per_node=per_node)  # fmt: skip
        g = nx.Graph()
        g.add_nodes_from(keep)
        g.add_weighted_edges_from(edges.itertuples(index=False, name=None))
        wmax_all = max([wmax_all] + [d["weight"] for *_e, d in g.edges(data=True)])
        graphs.append((doc_id, g, size))

    def width(w):
        return 0.4 + 2.6 * w / wmax_all

    for ax, (doc_id, g, size) in zip(axes, graphs):
        # A circle places nodes the same way on every run and leaves the outside free for labels.
        pos = nx.circular_layout(g)
        nx.draw_networkx_edges(g, pos, ax=ax, width=[width(d["weight"]) for *_e, d in g.edges(data=True)],
                               edge_color="#888888", alpha=0.6)  # fmt: skip
        nx.draw_networkx_nodes(g, pos, ax=ax, node_size=[12 + 4 * size[n] for n in g.nodes],
                               node_color=styles[doc_id]["color"], node_shape=styles[doc_id]["marker"])  # fmt: skip
        for node, (x, y) in pos.items():
            # Pushed out along the radius by the node's own radius (node_size is an area in pt²).
            r = math.sqrt(12 + 4 * size[node]) / 2 + 2
            norm = math.hypot(x, y) or 1.0
            ha = "left" if x > 0.05 else "right" if x < -0.05 else "center"
            va = "bottom" if y > 0.05 else "top" if y < -0.05 else "center"
            ax.annotate(_wrap(node, 7), (x, y), xytext=(r * x / norm, r * y / norm), textcoords="offset points",
                        ha=ha, va=va, fontsize=5, linespacing=0.95)  # fmt: skip
        ax.set_title(names[doc_id], fontsize="small")
        ax.set_xlim(-1.9, 1.9)
        ax.set_ylim(-1.4, 1.4)
        ax.set_aspect("equal")
        ax.axis("off")
    steps = sorted({min(min_weight, wmax_all), max(1, round(wmax_all / 2)), wmax_all})
    handles = [Line2D([], [], color="#888888", linewidth=width(s), label=f"{s}") for s in steps]
    fig.legend(handles=handles, title=label("shared_provisions", lang), loc="outside lower center", ncol=len(handles),
               frameon=False, fontsize="x-small", title_fontsize="x-small")  # fmt: skip
    fig.suptitle(label("co_responsibility", lang))
    return fig
