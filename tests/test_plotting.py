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


@pytest.mark.parametrize(
    "value, unit, lang, expected",
    [
        (7, "亿元", "en", "CNY 700 m"),
        (3.6, "亿元", "en", "CNY 360 m"),
        (10, "亿元", "en", "CNY 1 bn"),
        (1.38, "亿元", "en", "CNY 138 m"),
        (500, "万元", "en", "CNY 5 m"),
        (7, "亿元", "zh", "7 亿元"),
        (33000, "件", "en", "33,000"),
        (33000, "件", "zh", "33,000 件"),
        (50, "%", "en", "50%"),
        (0.78, "件/万人", "en", "0.78 per 10k people"),
        (2.5, "", "zh", "2.5"),
    ],
)
def test_values_read_like_a_report(value, unit, lang, expected):
    assert plotting.format_value(value, unit, lang=lang) == expected


@pytest.mark.parametrize(
    "unit, lang, expected",
    [
        ("件", "en", "Valid trademarks (items)"),
        ("", "en", "Valid trademarks"),
        ("亿元", "en", "Valid trademarks (CNY 100 m)"),
    ],
)
def test_a_title_never_shows_an_empty_unit(unit, lang, expected):
    assert plotting._with_unit("Valid trademarks", unit, lang) == expected


@pytest.mark.parametrize(
    "agency_std, agency_type, expected",
    [
        ("市市场监管局", "market_regulation_ip", False),
        ("各成员单位", "coordination_body", True),
        ("各县区人民政府", "government", True),
        ("市有关部门", "placeholder", True),  # typed by the agencies table
        ("市知识产权战略实施工作联席会议各成员单位", "coordination_body", True),
        ("市各级法院", "courts", False),
    ],
)
def test_placeholders_are_not_agencies(agency_std, agency_type, expected):
    df = pd.DataFrame({"agency_std": [agency_std], "agency_type": [agency_type]})
    assert plotting.is_placeholder(df).tolist() == [expected]


def test_network_backbone_keeps_each_nodes_strongest_edges():
    # C–D (2 shared provisions) is neither C's nor D's two strongest link; C–E (1) is below the floor of 2
    edges = pd.DataFrame(
        [("A", "B", 9), ("A", "C", 3), ("A", "D", 3), ("A", "E", 5),
         ("B", "C", 2), ("B", "D", 2), ("C", "D", 2), ("C", "E", 1)],  # fmt: skip
        columns=["source", "target", "provisions"],
    )
    kept = plotting.network_edges(edges, min_weight=2, per_node=2)
    assert set(map(tuple, kept[["source", "target"]].to_numpy())) == {
        ("A", "B"), ("A", "C"), ("A", "D"), ("A", "E"), ("B", "C"), ("B", "D")
    }  # fmt: skip


def test_theme_colours_are_not_region_colours():
    assert not set(plotting.theme_colors().values()) & set(plotting.PALETTE)
    assert len(set(plotting.theme_colors().values())) == len(plotting.theme_colors())


def test_two_documents_of_one_region_get_different_names():
    docs = pd.DataFrame(
        {
            "doc_id": ["gansu-2020", "gansu-2021", "gansu-x", "wuwei-2024"],
            "manifest_row": [1, 2, 3, 4],
            "region": ["甘肃", "甘肃", "甘肃", "武威"],
            "region_en": ["Gansu", "Gansu", "Gansu", "Wuwei"],
            "issued": ["2020-06-04", "", "", "2024-06-11"],
            "period_start": [2020, 2021, None, 2024],
        }
    )
    assert plotting.region_names(docs) == {
        "gansu-2020": "甘肃 2020", "gansu-2021": "甘肃 2021", "gansu-x": "甘肃 (3)", "wuwei-2024": "武威"
    }  # fmt: skip
    assert plotting.region_names(docs, "en")["gansu-x"] == "Gansu (3)"


def test_notebook_errors_carry_no_terminal_colours(tmp_path):
    from ipanalysis.notebooks import NotebookError

    exc = Exception("Traceback\n\x1b[0;31mAssertionError\x1b[0m: a document has no issue date\n")
    message = str(NotebookError(tmp_path / "01_corpus_overview.ipynb", exc))
    assert message == "01_corpus_overview.ipynb: a cell failed: AssertionError: a document has no issue date"


def test_what_a_document_does_not_state_reads_as_unknown():
    docs = pd.DataFrame(
        {"issued": ["2024-06-11", ""], "period_start": pd.array([2024, None], dtype="Int64"), "n": [3, 4]}
    )
    shown = plotting.or_unknown(docs, ["issued", "period_start"])
    assert shown["issued"].tolist() == ["2024-06-11", "不详"]
    assert shown["period_start"].tolist() == [2024, "不详"]
    assert plotting.or_unknown(docs, lang="en")["issued"].tolist() == ["2024-06-11", "unknown"]
    assert docs["issued"].tolist() == ["2024-06-11", ""]  # the table itself is left as it was


@pytest.mark.parametrize(
    "text, width, expected",
    [
        ("专利转化运用专项行动实施方案（2024—2025年）", 16, "专利转化运用专项行动实施方案（\n2024—2025年）"),
        ("市场监管局", 7, "市场监管局"),
        ("银川经济技术开发区管委会", 7, "银川经济技术开\n发区管委会"),
    ],
)
def test_labels_wrap_without_cutting_a_number(text, width, expected):
    assert plotting._wrap(text, width) == expected
