"""ipanalysis: compare Chinese local intellectual-property policy documents.

Importing the package is cheap: pandas, jieba, OpenCC and matplotlib load only
when a function needs them, so a notebook kernel starts fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["load_corpus", "__version__"]


def __getattr__(name):
    if name == "load_corpus":
        from .corpus import load_corpus

        return load_corpus
    raise AttributeError(name)
