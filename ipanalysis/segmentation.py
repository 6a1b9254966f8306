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
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

from . import patterns
from .config import resource

_lock = threading.Lock()
_tokenizer = None

# Tokens that are only punctuation, whitespace or symbols are not words.
_NOT_A_WORD = re.compile(rf"^[\s{patterns.CJK_PUNCT}\W_]+$")


def _read_terms(name: str) -> list[str]:
    terms = []
    for line in resource(name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms.append(line)
    return terms


def get_tokenizer():
    """The shared ``jieba.Tokenizer`` with the domain dictionary, built on first call."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                # jieba attaches its own stderr handler; silence it so notebooks stay clean.
                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for entry in _read_terms("userdict.txt"):
                    word, *rest = entry.split()
                    freq = int(rest[0]) if rest and rest[0].isdigit() else None
                    tag = rest[-1] if rest and not rest[-1].isdigit() else None
                    tok.add_word(word, freq, tag)
                _tokenizer = tok
    return _tokenizer


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The editable stopword list in ``resources/stopwords.txt``."""
    return frozenset(_read_terms("stopwords.txt"))


def is_word(token: str) -> bool:
    """False for whitespace, punctuation and symbol tokens."""
    return not _NOT_A_WORD.match(token)


def tokenize(text: str) -> list[tuple[int, str]]:
    """Segment ``text`` into ``(char_offset, token)`` pairs, words only.

    Whitespace and punctuation tokens are dropped; offsets point into ``text``
    so a token can be found again in its sentence.
    """
    out = []
    for token, start, _end in get_tokenizer().tokenize(text, HMM=False):
        if is_word(token):
            out.append((start, token))
    return out


def words(text: str) -> list[str]:
    """Just the tokens of :func:`tokenize`."""
    return [tok for _start, tok in tokenize(text)]
