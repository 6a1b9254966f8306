"""The shortcuts taken for speed in the per-document stages answer exactly what the long way does.

Each cheap test before an expensive one (a first character before the label regexes, anchored
patterns tried at the line start only, a line's own conditions before the rest of the page is
joined) must never change an answer: checked here against the plain computation, on every line
of the shipped and test documents and on made-up edge cases. ``benchmarks/stage_digest.py``
checks the stages' whole outputs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipanalysis import cleaning, patterns, reading, targets
from ipanalysis.errors import InputError

REPO = Path(__file__).resolve().parent.parent


def _corpus_lines() -> list[str]:
    """Every cleaned and raw line of the shipped documents and the test fixtures."""
    out: list[str] = []
    files = sorted((REPO / "data" / "raw").glob("*.txt")) + sorted((REPO / "tests" / "data").rglob("*.txt"))
    for path in files:
        try:
            raw, _encoding = reading.read_text(path)
        except InputError:  # a checksum list, a README in English: not a document
            continue
        kept, removed = cleaning.clean_lines(raw)
        out += [ln.text for ln in kept + removed] + [ln.original for ln in kept + removed]
    return out


LINES = _corpus_lines()
EDGE = ["", " ", "第", "１、", "٣、开展", "①开展", "（一）", "(2)", "十、", "第三章 ", "附件：", " 附件1", "x附件：",
        "粤ICP备12345678号", "首页 长者版", "苏公网安备 32010202010000号", "请扫一扫在手机打开当前页"]


@pytest.mark.parametrize("name", ["chrome_patterns.txt", "closing_patterns.txt"])
def test_combined_patterns_find_what_each_pattern_finds(name):
    compiled = cleaning.load_patterns(name)
    for text in LINES + EDGE:
        assert cleaning._any_pattern(name, text) == any(p.search(text) for p in compiled), text


def test_anchored_at_start_only_for_patterns_that_cannot_match_later():
    assert cleaning.anchored_at_start(re.compile(r"^附件[：:]"))
    assert not cleaning.anchored_at_start(re.compile(r"^a|b"))  # the second branch matches anywhere
    assert not cleaning.anchored_at_start(re.compile(r"(?m)^附件"))  # at every line start
    assert not cleaning.anchored_at_start(re.compile(r"ICP备\d{6,}"))
    assert cleaning.anchored_at_start(re.compile(r"(?:^a)"))  # the parser flattens the group
    assert not cleaning.anchored_at_start(re.compile(r"(?:^a|b)"))


def test_no_label_is_lost_by_the_first_character_test():
    """Every line whose start a label regex matches passes :func:`patterns.may_start_label`."""
    for text in LINES + EDGE:
        full = next((s.regex.match(text) for s in patterns.LABEL_STYLES if s.regex.match(text)), None)
        if full is not None:
            assert patterns.may_start_label(text), text
        assert (patterns.match_label(text) is None) == (full is None), text


def test_may_be_foreign_is_necessary_for_is_foreign():
    """A line :func:`cleaning.may_be_foreign` rejects is never foreign, whatever the rest of the page."""
    rests = ["", "\n".join(LINES[:200])]
    for text in LINES + ["欧美日韩精品视频在线", "欧美日韩，精品视频"]:
        if not cleaning.may_be_foreign(text):
            assert not any(cleaning.is_foreign(text, rest) for rest in rests), text
    assert cleaning.is_foreign("欧美日韩精品视频在线", "知识产权强市建设")


def test_cached_helpers_equal_their_uncached_computation():
    for text in LINES[:2000]:
        assert targets.close_spaces(text) == targets.close_spaces.__wrapped__(text)
        for clause in targets._CLAUSE_SPLIT.split(text):
            assert targets._clause_years(clause) == targets._clause_years.__wrapped__(clause)
        assert targets.names_past_period(text, 2022) == targets.names_past_period.__wrapped__(text, 2022)
        assert cleaning.spaced_fields(text) == cleaning.spaced_fields.__wrapped__(text)


def test_thousands_separator_shortcut():
    assert targets.drop_thousands_separators("12,000件") == "12000件"
    assert targets.drop_thousands_separators("1，250，000元") == "1250000元"
    assert targets.drop_thousands_separators("2021,2022") == "2021,2022"
    assert targets.drop_thousands_separators("达到8310件") == "达到8310件"


def test_punctuation_shortcut():
    assert cleaning.normalise_punctuation("（一）全市") == "（一）全市"
    assert cleaning.normalise_punctuation("(一)全市;１２３") == "（一）全市；123"
    assert cleaning.normalise_whitespace("知识产权 强市 2024—2026 年") == "知识产权强市2024—2026年"
    assert cleaning.normalise_whitespace("知识产权\u3000强市") == "知识产权强市"
