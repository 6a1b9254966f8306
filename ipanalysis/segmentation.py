"""Segmentation: jieba through the library's own tokenizer and dictionary.

Why a private ``jieba.Tokenizer`` (as wordfreq does) rather than the global
``jieba.lcut``: the domain dictionary in ``resources/userdict.txt`` must not
leak into, or be changed by, other code in the same kernel, and the
dictionary is loaded once, lazily, on first use rather than on import.

Why HMM is off: with HMM on, jieba guesses new words from character
statistics, and its guesses shift as the dictionary changes. With it off,
every multi-character token is a dictionary word, so a researcher can explain
each token and fix a bad split by editing one file. Place names that jieba
does not know then come out as single characters, which frequency tables
drop anyway (``min_len``).

Two backends read the same dictionary and give the same tokens: ``jieba``
itself, and ``rjieba``, a binding of jieba's Rust port that is about twenty
times faster. The default is ``rjieba`` when it is installed (it is in the
project's pinned dependencies), else ``jieba``; set ``IPANALYSIS_SEGMENTER``
to choose. ``tests/test_segmentation.py`` checks that both give identical
tokens and offsets on every provision of the shipped documents and on
hyphenated number ranges (where older versions were seen to differ).
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

from . import patterns
from .config import resource_lines

_lock = threading.Lock()
_tokenizer = None

# Tokens that are only punctuation, whitespace or symbols are not words.
_NOT_A_WORD = re.compile(rf"^[\s{patterns.CJK_PUNCT}\W_]+$")


BACKENDS = ("rjieba", "jieba")


def backend() -> str:
    """The segmentation backend in use: ``$IPANALYSIS_SEGMENTER``, else rjieba if installed, else jieba."""
    import importlib.util
    import os

    chosen = os.environ.get("IPANALYSIS_SEGMENTER", "")
    if chosen:
        if chosen not in BACKENDS:
            raise ValueError(f"IPANALYSIS_SEGMENTER must be one of {BACKENDS}, not {chosen!r}")
        return chosen
    return "rjieba" if importlib.util.find_spec("rjieba") else "jieba"


def _user_words() -> list[tuple[str, int | None, str | None]]:
    out = []
    for entry in resource_lines("userdict.txt"):
        word, *rest = entry.split()
        freq = int(rest[0]) if rest and rest[0].isdigit() else None
        tag = rest[-1] if rest and not rest[-1].isdigit() else None
        out.append((word, freq, tag))
    return out


class _Segmenter:
    """``tokenize(text)`` -> iterable of (token, start, end), HMM off, for either backend."""

    def __init__(self, name: str):
        self.name = name
        if name == "jieba":
            import jieba

            # jieba attaches its own stderr handler; silence it so notebooks stay clean.
            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            for word, freq, tag in _user_words():
                tok.add_word(word, freq, tag)
            self._tokenize = lambda text: tok.tokenize(text, HMM=False)
        else:
            import rjieba

            tok = rjieba.Jieba()
            for word, freq, tag in _user_words():
                # as jieba.Tokenizer.add_word does: no frequency means the smallest that keeps the word whole
                tok.add_word(word, freq if freq is not None else tok.suggest_freq(word), tag)
            self._tokenize = lambda text: tok.tokenize(text, "default", False)

    def tokenize(self, text: str):
        return self._tokenize(text)


def get_tokenizer(name: str | None = None) -> _Segmenter:
    """The shared segmenter with the domain dictionary, built on first call (per backend)."""
    global _tokenizer
    name = name or backend()
    with _lock:
        if _tokenizer is None or _tokenizer.name != name:
            _tokenizer = _Segmenter(name)
    return _tokenizer


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The editable stopword list in ``resources/stopwords.txt``."""
    return frozenset(resource_lines("stopwords.txt"))


def tokenize(text: str) -> list[tuple[int, str]]:
    """Segment ``text`` into ``(char_offset, token)`` pairs, words only.

    Whitespace and punctuation tokens are dropped; offsets point into ``text``
    so a token can be found again in its sentence.
    """
    match = _NOT_A_WORD.match
    return [(start, token) for token, start, _end in get_tokenizer().tokenize(text) if not match(token)]


def words(text: str) -> list[str]:
    """Just the tokens of :func:`tokenize`."""
    return [tok for _start, tok in tokenize(text)]
