import hashlib
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ipanalysis import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _style():
    plotting.set_style()
    yield
    plt.close("all")


def _render(fig):
    """Draw a figure as PNG and SVG with every warning recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fmt in ("png", "svg"):
            fig.savefig(__import__("io").BytesIO(), format=fmt)
    return [str(w.message) for w in caught]


def test_chinese_renders_without_missing_glyphs(corpus):
    figs = [
        plotting.bar_by_region(corpus.documents, "n_chars", title_key="document_length"),
        plotting.provisions_per_section(corpus.provisions, corpus.documents),
        plotting.top_terms(corpus.term_frequencies(top=10), corpus.documents),
    ]
    for fig in figs:
        messages = _render(fig)
        assert not [m for m in messages if "Glyph" in m or "missing" in m], messages


def test_default_font_would_fail_the_glyph_check():
    """The check above can fail: without the bundled font, Chinese text warns."""
    fig, ax = plt.subplots()
    ax.set_title("知识产权", fontfamily="DejaVu Sans")
    assert any("Glyph" in m for m in _render(fig))


def test_english_labels(corpus):
    fig = plotting.bar_by_region(corpus.documents, "n_provisions", lang="en", title_key="n_provisions")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == corpus.documents.sort_values("manifest_row")["region_en"].tolist()
    assert ax.get_xlabel() == "Provisions"
    fig = plotting.bar_by_region(corpus.documents, "n_provisions", lang="zh")
    assert fig.axes[0].get_xlabel() == "条款数"
    with pytest.raises(ValueError, match="lang"):
        plotting.label("n_chars", "fr")


def test_saved_figures_are_byte_stable(corpus, tmp_path):
    digests = []
    for _ in range(2):
        fig = plotting.provisions_per_section(corpus.provisions, corpus.documents)
        paths = plotting.save_figure(fig, "sections", out_dir=tmp_path)
        digests.append([hashlib.sha256(p.read_bytes()).hexdigest() for p in paths])
        plt.close(fig)
    assert digests[0] == digests[1]
    svg = (tmp_path / "sections.svg").read_text()
    assert "<dc:date>" not in svg and str(tmp_path) not in svg


def test_region_colours_do_not_move_when_a_document_is_added(corpus):
    before = plotting.region_colors(corpus.documents)
    extra = pd.concat(
        [corpus.documents, pd.DataFrame([{"doc_id": "aaa-2025", "manifest_row": len(corpus.documents) + 1}])]
    )
    after = plotting.region_colors(extra)
    assert {k: after[k] for k in before} == before
    assert after["aaa-2025"] not in before.values()
