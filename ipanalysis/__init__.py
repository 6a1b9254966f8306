"""ipanalysis: compare Chinese local intellectual-property policy documents.

Importing the package is cheap: pandas, jieba, OpenCC and matplotlib load only
when a function needs them, so a notebook kernel starts fast.

Example::

    from ipanalysis import load_corpus

    corpus = load_corpus()      # a Corpus: corpus.documents, corpus.targets, corpus.themes …
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Corpus", "load_corpus", "__version__"]


def __getattr__(name):
    # Lazy: ``import ipanalysis`` must not pull in pandas.
    if name in ("load_corpus", "Corpus"):
        from . import corpus

        return getattr(corpus, name)
    raise AttributeError(name)
