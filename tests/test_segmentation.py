import subprocess
import sys

import pytest

from ipanalysis import segmentation

DOMAIN_TERMS = [
    "知识产权",
    "地理标志",
    "质押融资",
    "知识产权质押融资",
    "地理标志专用标志",
    "商标品牌指导站",
    "维权援助工作站",
    "高价值发明专利",
    "专利转化运用",
    "乡村振兴",
    "行刑衔接",
]


@pytest.mark.parametrize("term", DOMAIN_TERMS)
def test_domain_terms_stay_whole(term):
    assert term in segmentation.words(f"积极推进{term}工作，")


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        ("开展知识产权质押融资“入园惠企”专项行动", "知识产权质押融资"),
        ("推动地理标志专用标志使用覆盖率达到50%以上", "地理标志专用标志"),
        ("提升商标品牌指导站服务能力和水平", "商标品牌指导站"),
        ("在全市范围布局建设知识产权维权援助工作站", "维权援助工作站"),
        ("全面落实知识产权领域行刑衔接制度", "行刑衔接"),
        ("推动地理标志与乡村振兴深度融合", "乡村振兴"),
    ],
)
def test_domain_terms_stay_whole_in_document_sentences(sentence, term):
    assert term in segmentation.words(sentence)


def test_punctuation_and_spaces_are_not_tokens():
    tokens = segmentation.words("加强保护， 推进“运用”。（负责）")
    assert tokens == ["加强", "保护", "推进", "运用", "负责"]


def test_offsets_point_back_into_the_text():
    text = "深化知识产权质押融资，扩大规模。"
    for start, token in segmentation.tokenize(text):
        assert text[start : start + len(token)] == token


def test_stopwords_come_from_the_resource_file():
    assert {"的", "和", "等"} <= segmentation.stopwords()
    assert "知识产权" not in segmentation.stopwords()


@pytest.mark.parametrize("backend", segmentation.BACKENDS)
def test_tokenizer_is_private_and_silent(backend):
    import os

    code = (
        "import ipanalysis.segmentation as s; "
        "assert s.words('商标品牌指导站') == ['商标品牌指导站']; "
        "import jieba, logging; jieba.setLogLevel(logging.WARNING); "
        "assert jieba.lcut('商标品牌指导站') != ['商标品牌指导站']"  # the global dictionary is untouched
    )
    env = dict(os.environ, IPANALYSIS_SEGMENTER=backend)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_importing_the_package_loads_nothing_heavy():
    code = "import sys, ipanalysis; print(sorted(m for m in ('jieba', 'pandas', 'matplotlib', 'opencc') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_tokens_table(tables):
    tokens = tables["tokens"]
    assert list(tokens.columns) == ["doc_id", "provision_id", "position", "start", "token", "is_stopword"]
    assert set(tokens["provision_id"]) == set(tables["provisions"]["provision_id"])
    assert tokens.loc[tokens["token"] == "的", "is_stopword"].all()
    assert not tokens["token"].str.contains(r"^[\s，。、；：（）“”《》]+$").any()


@pytest.fixture(scope="module")
def both():
    """One segmenter per backend, each with the domain dictionary loaded once for the module.

    (``get_tokenizer`` keeps one backend at a time, so alternating between them reloads a dictionary per call.)
    """
    return segmentation._Segmenter("jieba"), segmentation._Segmenter("rjieba")


@pytest.mark.parametrize("text", ["2024-2026年，建设2-3家", "（2022—2025年）", "12315行政执法", "剑网2020专项行动"])
def test_backends_agree_on_numbers_and_ranges(both, text):
    jieba_tok, rjieba_tok = both
    assert (jieba_tok.name, rjieba_tok.name) == ("jieba", "rjieba")
    assert list(jieba_tok.tokenize(text)) == list(rjieba_tok.tokenize(text))


def test_backends_agree_on_every_provision(both, tables):
    """rjieba (fast) and jieba (reference) give the same tokens and offsets on the shipped documents."""
    jieba_tok, rjieba_tok = both
    for body in tables["provisions"]["body"]:
        assert list(jieba_tok.tokenize(body)) == list(rjieba_tok.tokenize(body)), body[:40]


def test_unknown_backend_is_refused(monkeypatch):
    monkeypatch.setenv("IPANALYSIS_SEGMENTER", "thulac")
    with pytest.raises(ValueError, match="IPANALYSIS_SEGMENTER"):
        segmentation.backend()
