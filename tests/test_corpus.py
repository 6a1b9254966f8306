"""The Corpus object: every table an attribute, subsets, joins, clear errors, and the README's questions."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from ipanalysis import corpus as cp
from ipanalysis import tables as tb

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def on_disk(tables, tmp_path_factory):
    """The tables as Parquet files in a folder, without tokens: a corpus must not need what it does not read."""
    d = tmp_path_factory.mktemp("processed")
    for name, df in tables.items():
        if name != "tokens":
            df.to_parquet(d / f"{name}.parquet", index=False)
    return d


# -- tables as attributes --------------------------------------------------------------------


@pytest.mark.parametrize("name", tb.TABLES)
def test_every_table_is_an_attribute_with_its_rows(corpus, tables, name):
    df = getattr(corpus, name)
    assert df is corpus.table(name)  # read once, kept
    plain = df.drop(columns=[c for c in cp.JOINED_COLUMNS if c in df.columns and c not in tables[name].columns])
    pd.testing.assert_frame_equal(plain, tables[name])


@pytest.mark.parametrize("alias, name", [("themes", "provision_themes"), ("instruments", "provision_instruments")])
def test_aliases_are_the_same_table(corpus, alias, name):
    assert getattr(corpus, alias) is getattr(corpus, name)
    assert corpus.path(alias) == corpus.path(name)
    assert corpus.path(alias).name == f"{name}.parquet"


@pytest.mark.parametrize("name", [t for t in tb.TABLES if t not in cp.UNJOINED and "doc_id" in tb.SCHEMAS[t]])
def test_region_is_joined_after_doc_id(corpus, name):
    df = getattr(corpus, name)
    assert list(df.columns[:3]) == ["doc_id", "region", "region_en"]
    regions = corpus.documents.set_index("doc_id")["region_en"]
    assert (df["region_en"] == df["doc_id"].map(regions)).all()


@pytest.mark.parametrize("name", sorted(cp.UNJOINED))
def test_big_tables_stay_as_written(corpus, tables, name):
    assert list(getattr(corpus, name).columns) == list(tables[name].columns)


@pytest.mark.parametrize(
    "bad, message",
    [
        ("thems", r"no table 'thems' \(did you mean 'themes'\?\); tables: documents, provisions"),
        ("target", r"did you mean 'targets'"),
        ("xyz", r"aliases: themes = provision_themes"),
    ],
)
def test_a_wrong_name_lists_the_tables(corpus, bad, message):
    with pytest.raises(cp.UnknownTableError, match=message):
        corpus.path(bad)
    with pytest.raises(cp.UnknownTableError, match=message):
        corpus.table(bad)
    with pytest.raises(AttributeError, match=message):
        getattr(corpus, bad)


def test_tables_are_read_lazily_from_disk(on_disk, tables):
    c = cp.Corpus(directory=on_disk)
    assert len(c.targets) == len(tables["targets"])  # works although tokens.parquet is missing
    with pytest.raises(FileNotFoundError, match="tokens.parquet is missing; run `ipanalysis build`"):
        c.tokens


def test_repr_is_short_and_reads_no_big_table(on_disk):
    text = repr(cp.Corpus(directory=on_disk))  # tokens.parquet is missing: repr must not need it
    assert text.startswith("<Corpus: 5 documents\n")
    assert len(text.splitlines()) <= 5 and len(text) < 600
    assert "巴彦淖尔 Bayannur" in text and "provision_themes (themes)" in text
    assert "levels: city 4, province 1; issued 2020–2024" in text


# -- subsets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "criteria, expected",
    [
        ({"level": "city"}, {"bayannur-2023", "wuwei-2024", "yinchuan-2022", "yuncheng-2024"}),
        ({"level": "province"}, {"gansu-2020"}),
        ({"province": "甘肃"}, {"gansu-2020", "wuwei-2024"}),  # the province and a city in it
        ({"province": "Gansu", "level": "city"}, {"wuwei-2024"}),
        ({"region": ["Yinchuan", "运城"]}, {"yinchuan-2022", "yuncheng-2024"}),
        ({"year": 2024}, {"wuwei-2024", "yuncheng-2024"}),
        ({"year": range(2020, 2024)}, {"gansu-2020", "bayannur-2023", "yinchuan-2022"}),  # Yinchuan signed 2023-01-19
        ({"year": 2019}, set()),
    ],
)
def test_subset_selects_documents(corpus, criteria, expected):
    assert set(corpus.subset(**criteria).documents["doc_id"]) == expected


@pytest.mark.parametrize("name", tb.DOCUMENT_TABLES)
def test_subset_restricts_every_table_consistently(corpus, name):
    sub = corpus.subset(province="甘肃")
    full = getattr(corpus, name)
    expected = full[full["doc_id"].isin({"gansu-2020", "wuwei-2024"})].reset_index(drop=True)
    pd.testing.assert_frame_equal(getattr(sub, name), expected)


def test_subset_read_from_disk_equals_subset_in_memory(on_disk, corpus):
    sub = cp.Corpus(directory=on_disk).subset(level="city")
    for name in ("documents", "targets", "agencies", "references"):
        pd.testing.assert_frame_equal(getattr(sub, name), getattr(corpus.subset(level="city"), name))


@pytest.mark.parametrize(
    "criteria, message",
    [
        ({"region": "Wuwie"}, r"subset\(region=…\): no document has 'Wuwie'; region values: Bayannur, Gansu, Wuwei"),
        ({"level": "town"}, r"no document has 'town'; level values: city, province"),
    ],
)
def test_subset_names_values_that_exist(corpus, criteria, message):
    with pytest.raises(ValueError, match=message):
        corpus.subset(**criteria)


def test_subset_of_subset_and_its_repr(corpus):
    sub = corpus.subset(level="city").subset(province="甘肃")
    assert list(sub.documents["doc_id"]) == ["wuwei-2024"]
    assert repr(sub).startswith("<Corpus: 1 documents where level='city', province='甘肃'")


# -- grouping --------------------------------------------------------------------------------


def test_term_frequencies_by_region_pools_documents_of_the_region(corpus):
    by_doc = corpus.term_frequencies()
    by_region = corpus.term_frequencies(by="region")
    regions = corpus.documents.set_index("doc_id")["region"]
    # one document per region in the shipped corpus: the same counts under the region's name
    expected = by_doc.assign(region=by_doc["doc_id"].map(regions))[["region", "token", "count"]]
    merged = by_region.merge(expected, on=["region", "token"], suffixes=("", "_doc"))
    assert len(merged) == len(by_region) and (merged["count"] == merged["count_doc"]).all()


def test_term_frequencies_by_level_sums_the_cities(corpus):
    by_doc = corpus.term_frequencies()
    cities = set(corpus.subset(level="city").documents["doc_id"])
    expected = int(by_doc.loc[by_doc["doc_id"].isin(cities) & (by_doc["token"] == "知识产权"), "count"].sum())
    by_level = corpus.term_frequencies(by="level").set_index(["level", "token"])["count"]
    assert by_level[("city", "知识产权")] == expected > 0


def test_term_frequencies_names_the_columns_it_accepts(corpus):
    with pytest.raises(ValueError, match=r"by='regoin'.*not a tokens column.*nor a documents column \(manifest_row, region"):
        corpus.term_frequencies(by="regoin")


def test_count_shows_every_region_and_sums_to_the_table(corpus):
    counts = corpus.count("brands", by="region_en")
    assert list(counts.index) == list(corpus.documents.sort_values("manifest_row")["region_en"])
    assert counts.sum() == len(corpus.brands)
    assert corpus.count("targets", by="level").to_dict().keys() == {"city", "province"}


def test_with_documents_adds_columns_without_moving_rows(corpus):
    df = corpus.with_documents("agencies", "level", "province")
    assert "level" in df.columns  # agencies has its own level column: kept, not overwritten
    assert list(df.columns[:4]) == ["doc_id", "province", "region", "region_en"]
    assert (df["provision_id"] == corpus.agencies["provision_id"]).all()
    with pytest.raises(ValueError, match="not documents columns: nope"):
        corpus.with_documents("targets", "nope")


# -- the README's questions ------------------------------------------------------------------


def _readme_block(marker: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text[text.index(marker) :]
    return re.search(r"```python\n(.*?)```", after, flags=re.S).group(1)


@pytest.fixture(scope="module")
def answers(corpus):
    """Run the README's five-questions block, with load_corpus() giving the corpus built from the code under test."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    code = _readme_block("Five questions a researcher asks first")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cp, "load_corpus", lambda **kw: corpus)
        namespace: dict = {}
        exec(compile(code, "README.md", "exec"), namespace)
    yield namespace
    plt.close("all")


def test_readme_pledge_financing(answers, corpus):
    t = corpus.targets
    # independently: the indicator as written names 质押融资 and the figure is a target
    written = t[t["indicator"].str.contains("质押融资") & (t["status"] == "target")]
    pledge = answers["pledge"]
    assert len(pledge) and set(pledge["region_en"]) == set(written["region_en"])
    assert set(pledge["measure"]) <= {"level", "cumulative", "growth", "rate"}


def test_readme_theme_chart_is_in_english(answers, corpus):
    from ipanalysis.themes import THEME_LABELS

    fig = answers["fig"]
    texts = {t.get_text() for ax in fig.axes for t in ax.get_yticklabels()}
    assert set(corpus.documents["region_en"]) <= texts
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    legend = {t.get_text() for lg in legends for t in lg.get_texts()}
    assert legend and legend <= set(THEME_LABELS["en"].values())


def test_readme_kwic_finds_every_occurrence(answers, corpus):
    kw = answers["kw"]
    from ipanalysis.concordance import POLICY_PARTS

    policy = corpus.lines[corpus.lines["part"].isin(POLICY_PARTS)]
    assert len(kw) == policy["text"].str.count("地理标志").sum() > 0
    assert len(kw) >= corpus.provisions["body"].str.count("地理标志").sum()
    assert set(kw["term"]) == {"地理标志"}


def test_readme_lead_agencies_of_one_document(answers, corpus):
    leads = answers["leads"]
    assert set(leads["doc_id"]) == {"yinchuan-2022"} and list(leads["rank"]) == list(range(1, len(leads) + 1))
    a = corpus.agencies
    led = a[(a["doc_id"] == "yinchuan-2022") & (a["role"] == "lead")].groupby("agency_std")["provision_id"].nunique()
    assert leads["lead"].iloc[0] == led.max()
    assert leads["agency_std"].iloc[0] in set(led[led == led.max()].index)
    assert leads["lead"].is_monotonic_decreasing


def _dashless(s: str) -> str:
    return re.sub(r"[\s\-－–—‐‑~～()（）《》〈〉<>]", "", s)


def test_readme_citing_is_dash_insensitive(answers, corpus):
    refs = corpus.references
    want = _dashless("知识产权强国建设纲要（2021-2035年）")
    expected = set(refs.loc[refs["title"].map(lambda t: want in _dashless(t)), "region_en"])
    assert expected and set(answers["citing"]["region_en"]) == expected
    assert answers["citing"]["evidence"].ne("").all()


@pytest.mark.parametrize(
    "typed",
    ["知识产权强国建设纲要（2021—2035年）", "知识产权强国建设纲要(2021-2035年)", "《知识产权强国建设纲要（2021–2035年）》", "知识产权强国建设纲要（2021 ~ 2035年）"],
)
def test_citing_any_dash_gives_the_same_documents(corpus, typed):
    base = corpus.citing("知识产权强国建设纲要（2021－2035年）")
    assert len(base)
    pd.testing.assert_frame_equal(corpus.citing(typed), base)


def test_citing_exact_leaves_out_titles_that_only_contain_it(corpus):
    loose = corpus.citing("知识产权强国建设纲要（2021-2035年）")
    exact = corpus.citing("知识产权强国建设纲要（2021-2035年）", exact=True)
    assert set(exact["title"]) == {"知识产权强国建设纲要（2021—2035年）"}
    assert len(loose) > len(exact)  # Bayannur also cites the 实施方案 of the 纲要


def test_corpus_public_functions_are_documented():
    public = [getattr(cp.Corpus, n) for n in dir(cp.Corpus) if not n.startswith("_")]
    public += [cp.load_corpus, cp.table_name]
    undocumented = [getattr(f, "__name__", getattr(getattr(f, "fget", None), "__name__", f)) for f in public if not (f.__doc__ or "").strip()]
    assert not undocumented


def test_load_corpus_says_when_it_rebuilds_and_only_then(project, capsys):
    from ipanalysis import load_corpus

    corpus = load_corpus()
    err = capsys.readouterr().err
    assert err == "load_corpus: rebuilding data/processed/ (data/raw/, data/manual/ or the code changed since the last build)\n"
    assert len(corpus.documents) == 5
    load_corpus()
    assert capsys.readouterr().err == ""  # up to date: silent, as a committed notebook run must be


@pytest.mark.parametrize("how", ["mapping", "positional", "keywords"])
def test_a_corpus_from_frames_in_memory(tables, how):
    four = [tables[t] for t in ("documents", "provisions", "tokens", "lines")]
    made = {
        "mapping": lambda: cp.Corpus(dict(zip(tb.TABLES, four))),
        "positional": lambda: cp.Corpus(*four),
        "keywords": lambda: cp.Corpus(documents=four[0], provisions=four[1], tokens=four[2], lines=four[3]),
    }[how]()
    from ipanalysis.concordance import POLICY_PARTS

    policy = tables["lines"][tables["lines"]["part"].isin(POLICY_PARTS)]
    assert len(made.kwic("地理标志")) == policy["text"].str.count("地理标志").sum() > 0
    assert made.term_frequencies(by="region")["region"].nunique() == 5


def test_distinctive_terms_by_a_documents_column(corpus):
    key = corpus.distinctive_terms(by="level", top=3)
    assert set(key["level"]) == {"city", "province"} and key.groupby("level").size().max() == 3


def test_a_corpus_in_memory_never_reads_tables_from_disk(tables):
    made = cp.Corpus(documents=tables["documents"])
    with pytest.raises(LookupError, match="made from tables in memory, without 'targets'"):
        made.targets


def test_an_empty_subset_keeps_columns_and_types(on_disk):
    full = cp.Corpus(directory=on_disk)
    empty = full.subset(year=1999)
    for name in ("documents", "targets", "references"):
        assert len(getattr(empty, name)) == 0
        assert (getattr(empty, name).dtypes == getattr(full, name).dtypes).all()


def test_a_subset_keeps_only_its_pairs_and_passages(corpus):
    """Corpus-level tables of a subset speak only of the subset's documents."""
    ids = sorted(corpus.documents["doc_id"])[:3]
    sub = corpus.subset(doc_id=ids)
    sim = sub.document_similarity
    assert len(sim) and set(sim["doc_id"]) | set(sim["other_doc_id"]) <= set(ids)
    phrases = sub.shared_phrases
    held = phrases["doc_ids"].str.split("、")
    assert held.map(lambda d: set(d) <= set(ids) and len(d) >= 2).all()
    assert (phrases["n_docs"] == held.str.len()).all()
    assert phrases["earliest_doc_id"].isin(ids).all()
    assert set(sub.cowords.columns) == set(corpus.cowords.columns)


@pytest.mark.parametrize("title", ["", "《》", "  "])
def test_citing_needs_a_title(corpus, title):
    with pytest.raises(ValueError, match="needs a title"):
        corpus.citing(title)
