"""A learned theme coder for provisions whose headings name no theme.

Why: the lexicon (:mod:`ipanalysis.themes`) is written by hand and misses the
ways drafters actually phrase a "use" or "services" provision; the heading cue
only works where the drafters' headings name a theme, and most documents a
researcher adds have headings that do not (二、第二部分, 重点任务). But the
provisions whose headings *do* name a theme are free labelled examples of how
each theme is written. This module learns from them.

The model is deliberately simple and explainable: for each theme, a logistic
regression (scikit-learn, one theme against the rest, balanced classes, fixed
solver) on TF-IDF weights of jieba words and of character 2- and 3-grams of the
provision's body (the stock 创造、运用、保护… enumeration removed, as for the
lexicon). Character n-grams catch what segmentation splits differently
(兴农, 富农); words keep the evidence readable. The words that weighed most
in a decision are kept as its evidence, with the sentence that holds the first
of them.

Two signals come from it, both used only where no heading speaks:
- ``model``: the provision's own text, a theme from probability 0.5;
- ``context``: the text of the provision's heading group read as a whole
  (the provisions under the same sub-section, else section, whatever its
  title says): the model's most likely theme for it, and the lexicon's
  strongest when it scores at least ``THRESHOLD`` per provision. Drafters
  group provisions by theme even under a heading such as 第三部分; a
  provision about a museum's cultural products in a section on rural brands
  is filed there by its neighbours, not by its own words.

The model is trained on the whole corpus at every build. Training uses at
most ``MAX_TRAIN`` distinct labelled provisions, drawn with a fixed seed
(:func:`fit`): a cap that only bites above today's corpora (the shipped
documents offer about 150 distinct ones; 2,000 synthetic copies 944 and
10,000 copies 4,144, each copy's first provision being its own), so their
codes are those of the uncapped model; above it, the codes are those of a
model trained on the sample. Coding reads each distinct body and each
distinct heading-group text once, ``PREDICT_BATCH`` at a time, so a corpus
that repeats its boilerplate costs its distinct text, and the feature
matrix stays bounded (:func:`model_rows` is the build's entry point,
:func:`merge_model_rows` puts its rows into the rule-coded themes a batch of
documents at a time). :func:`leave_one_document_out` measures it honestly:
train on every document but one, code the held-out one with all its headings
hidden, compare with the headings. On the five shipped documents the
combined coder agrees with the headings on 0.824 of the heading-named themes
(lexicon alone 0.665), finds every rural provision, and gives 1.8 themes per
provision where the headings give 1.25: the figures are in notebook 06.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import themes

PROBABILITY = 0.5  # a theme is coded when the model's probability reaches this
MIN_GROUP = 2  # provisions a heading group needs before its context is read
MIN_EXAMPLES = 3  # positives (and negatives) a theme needs before a model is trained for it
N_EVIDENCE = 5  # words kept as a decision's evidence
SEED = 0
MAX_TRAIN = 5000  # distinct training provisions at most (see :func:`fit`)
HEADING_FIELDS = ("section_title", "subsection_title", "item_title")


def heading_labels(provisions: pd.DataFrame) -> pd.Series:
    """provision_id -> frozenset of the themes its headings name (empty when none does).

    Decided once per distinct (section, sub-section, item) title: a corpus
    repeats the same headings over and over.
    """
    seen: dict[tuple, frozenset] = {}
    out = {}
    for rec in zip(*(provisions[c].tolist() for c in ("provision_id", *HEADING_FIELDS))):
        key = rec[1:]
        lab = seen.get(key)
        if lab is None:
            lab = seen[key] = frozenset(themes.heading_themes(list(key)))
        out[rec[0]] = lab
    return pd.Series(out, dtype=object)


def _words(text: str) -> list[str]:
    """Content words for the model: jieba tokens of two or more characters, no stopword, generic word or number.

    Generic drafting words (``resources/generic_terms.txt``) would otherwise
    fill the evidence with 加强 and 开展.
    """
    from .segmentation import stopwords, words
    from .similarity import generic_terms

    skip = stopwords() | generic_terms()
    return [w for w in words(text) if len(w) >= 2 and w not in skip and not w[0].isdigit()]


def _text(body: str) -> str:
    return themes.strip_chain(body)


@dataclass
class ThemeModel:
    """One fitted classifier per theme, sharing one vectoriser."""

    vectorizer: object
    classifiers: dict  # theme -> LogisticRegression
    feature_names: np.ndarray
    n_word_features: int

    def matrix(self, bodies: list[str]):
        """The feature rows of ``bodies`` (one transform for many texts: much faster than one each)."""
        return self.vectorizer.transform([_text(b) for b in bodies]).tocsr()

    def probabilities(self, bodies: list[str], *, x=None) -> pd.DataFrame:
        """One row per body, one column per theme with a model: P(theme). ``x``: their :meth:`matrix`, if at hand."""
        x = self.matrix(bodies) if x is None else x
        cols = {t: clf.predict_proba(x)[:, 1] for t, clf in self.classifiers.items()}
        return pd.DataFrame(cols, columns=list(self.classifiers))

    def evidence(self, body: str, theme: str, *, n: int = N_EVIDENCE, row=None) -> list[str]:
        """The words of ``body`` that pushed hardest towards ``theme`` (contribution = TF-IDF weight x coefficient).

        Words first; when fewer than ``n`` words push towards the theme (the
        text uses words the training provisions did not), the strongest
        character n-grams that are not part of a word already listed fill in.
        ``row``: the body's row of :meth:`matrix`, if at hand.
        """
        x = (self.matrix([body]) if row is None else row).tocoo()
        coef = self.classifiers[theme].coef_[0]
        contrib = sorted(
            ((float(v * coef[j]), j) for j, v in zip(x.col, x.data) if v * coef[j] > 0),
            key=lambda c: (-c[0], self.feature_names[c[1]]),
        )
        words = [str(self.feature_names[j]) for _c, j in contrib if j < self.n_word_features][:n]
        for _c, j in contrib:
            if len(words) >= n:
                break
            gram = str(self.feature_names[j])
            if j >= self.n_word_features and gram.isalnum() and not any(gram in w or w in gram for w in words):
                words.append(gram)
        return words


def fit(bodies: list[str], labels: list[frozenset]) -> ThemeModel | None:
    """Train on labelled provisions (body, set of themes). None when there is nothing to learn from.

    A theme gets a classifier only with at least ``MIN_EXAMPLES`` positives and
    negatives among the labelled provisions. Identical examples are merged
    (weighted by their count), and at most ``MAX_TRAIN`` distinct ones are
    used, drawn with a fixed seed: the cap bounds the build's cost however
    large the corpus (the shipped documents offer about 150 labelled
    provisions; whether more than 5,000 would still help is not measured).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    counts = {t: sum(t in lab for lab in labels) for t in themes.THEME_ORDER}
    learnable = [t for t, n in counts.items() if n >= MIN_EXAMPLES and len(labels) - n >= MIN_EXAMPLES]
    if not learnable:
        return None
    merged: dict[tuple[str, frozenset], int] = {}
    for body, lab in zip(bodies, labels):
        key = (_text(body), frozenset(lab))
        merged[key] = merged.get(key, 0) + 1
    examples = sorted(merged.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1])))
    if len(examples) > MAX_TRAIN:
        keep = np.sort(np.random.default_rng(SEED).choice(len(examples), MAX_TRAIN, replace=False))
        examples = [examples[i] for i in keep]
    texts = [text for (text, _lab), _n in examples]
    labels = [lab for (_text, lab), _n in examples]
    weights = np.array([n for _key, n in examples], dtype=float)
    learnable = [t for t in learnable if MIN_EXAMPLES <= sum(t in lab for lab in labels) <= len(labels) - MIN_EXAMPLES]
    if not learnable:
        return None
    words = TfidfVectorizer(analyzer=_words, min_df=1, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), min_df=2, sublinear_tf=True)
    union = FeatureUnion([("words", words), ("chars", chars)])
    x = union.fit_transform(texts)
    classifiers = {}
    for theme in learnable:
        y = np.array([theme in lab for lab in labels], dtype=int)
        clf = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear", random_state=SEED)
        classifiers[theme] = clf.fit(x, y, sample_weight=weights)
    n_words = len(words.vocabulary_)
    names = np.array([*words.get_feature_names_out(), *chars.get_feature_names_out()], dtype=object)
    return ThemeModel(union, classifiers, names, n_words)


def fit_on_headings(provisions: pd.DataFrame) -> ThemeModel | None:
    """The model trained on every provision whose headings name a theme."""
    labels = heading_labels(provisions).to_dict()
    own = [labels.get(p) for p in provisions["provision_id"].tolist()] if len(provisions) else []
    keep = np.array([bool(lab) for lab in own], dtype=bool)
    train = provisions[keep]
    return fit(train["body"].tolist(), [lab for lab, k in zip(own, keep) if k])


# -- coding provisions no heading speaks for ------------------------------------------------------


def heading_group(provisions: pd.DataFrame) -> pd.Series:
    """The heading a provision sits under, whatever it says: its sub-section, else its section.

    Drafters group provisions by theme even when the heading names none
    (二、第二部分), so the group's text as a whole is evidence for each of its
    provisions.
    """
    return provisions["doc_id"] + "|" + provisions["section_no"].astype(str) + "|" + provisions["subsection_label"]


@dataclass(frozen=True)
class Code:
    theme: str
    signal: str  # "model" (the provision's own text) or "context" (its heading group's text)
    prob: float  # the model's probability (provision or group); NaN for a context code from the lexicon
    words: tuple[str, ...]  # the evidence: words that weighed most, or the lexicon's matches
    sentence: str = ""  # for a context code: the group's first sentence holding one of the words


def _model_codes(model: ThemeModel, probs: pd.Series, body: str, row) -> list[Code]:
    """Every theme whose probability reaches ``PROBABILITY``.

    (Also coding the most likely theme from 0.3 was tried: same agreement
    left one document out, more themes per provision, so not kept.)
    """
    values = dict(zip(probs.index, probs.to_numpy()))
    chosen = [t for t in probs.index if values[t] >= PROBABILITY]
    return [Code(t, "model", round(float(values[t]), 4), tuple(model.evidence(body, t, row=row))) for t in chosen]


def _group_sentence(text: str, words) -> str:
    return themes._first_sentence_with(themes.strip_chain(text), set(words)) if words else ""


def _context_codes(model: ThemeModel | None, group_text: str, n_provisions: int, probs=None, row=None) -> list[Code]:
    """Themes of a whole heading group: the model's most likely one, and the lexicon's strongest.

    The model's must reach ``PROBABILITY``; the lexicon's must score, over the
    group, at least ``THRESHOLD`` per provision (the group reads as that theme
    throughout, not in one sentence).
    """
    out: dict[str, Code] = {}
    if model is not None:
        probs = model.probabilities([group_text]).iloc[0] if probs is None else probs
        top = probs.idxmax()
        if probs[top] >= PROBABILITY:
            words = tuple(model.evidence(group_text, top, row=row))
            out[top] = Code(top, "context", round(float(probs[top]), 4), words, _group_sentence(group_text, words))
    scores = themes.score_themes(group_text)
    if scores:
        best = min(scores, key=lambda t: (-scores[t][0], themes.THEME_ORDER.index(t)))
        score, words = scores[best]
        if score >= themes.THRESHOLD * n_provisions and best not in out:
            top_words = sorted(words, key=lambda w: (-words[w], w))[:N_EVIDENCE]
            out[best] = Code(best, "context", float("nan"), tuple(top_words), _group_sentence(group_text, top_words))
    return list(out.values())


def code_silent(provisions: pd.DataFrame, model: ThemeModel | None) -> dict[str, list[Code]]:
    """provision_id -> the model's and the heading group's codes, for every provision given.

    The caller decides which provisions are silent (no heading names a
    theme); groups are read over the provisions given. Each distinct body
    (and each distinct group text) is vectorised, predicted and explained
    once: corpora repeat boilerplate provisions word for word.
    """
    if not len(provisions):
        return {}
    bodies = provisions["body"].tolist()
    own = _codes_by_text(model, sorted(set(bodies))) if model else {}
    groups = heading_group(provisions).tolist()
    members: dict[str, list[str]] = {}
    for group, body in zip(groups, bodies):
        members.setdefault(group, []).append(body)
    keyed = {key: ("\n".join(m), len(m)) for key, m in members.items() if len(m) >= MIN_GROUP}
    del members
    done = _context_by_text(model, sorted(set(keyed.values())))
    context = {key: done[tn] for key, tn in keyed.items()}
    out = {}
    for pid, body, group in zip(provisions["provision_id"].tolist(), bodies, groups):
        mine = own.get(body, [])
        seen = {c.theme for c in mine}
        out[pid] = mine + [c for c in context.get(group, []) if c.theme not in seen]
    return out


PREDICT_BATCH = 2000  # distinct bodies vectorised and predicted at once (bounds the feature matrix)


def _codes_by_text(model: ThemeModel, texts: list[str]) -> dict[str, list[Code]]:
    """text -> the model's own codes for it, ``PREDICT_BATCH`` texts at a time."""
    out = {}
    for at in range(0, len(texts), PREDICT_BATCH):
        part = texts[at : at + PREDICT_BATCH]
        x = model.matrix(part)
        probs = model.probabilities(part, x=x)
        for i, text in enumerate(part):
            out[text] = _model_codes(model, probs.iloc[i], text, x[i])
    return out


def _context_by_text(model: ThemeModel | None, texts: list[tuple[str, int]]) -> dict[tuple[str, int], list[Code]]:
    """(group text, provisions in it) -> the group's codes, ``PREDICT_BATCH`` texts vectorised at a time."""
    out = {}
    for at in range(0, len(texts), PREDICT_BATCH):
        part = texts[at : at + PREDICT_BATCH]
        x = model.matrix([t for t, _n in part]) if model else None
        probs = model.probabilities([t for t, _n in part], x=x) if model else None
        for i, (text, n) in enumerate(part):
            p_row = probs.iloc[i] if probs is not None else None
            out[(text, n)] = _context_codes(model, text, n, p_row, x[i] if x is not None else None)
    return out


# -- the themes table -----------------------------------------------------------------------------


def silent_provisions(provisions: pd.DataFrame) -> pd.DataFrame:
    """The provisions whose headings name no theme (the ones the model codes)."""
    if not len(provisions):
        return provisions
    labels = heading_labels(provisions).to_dict()
    return provisions[np.array([not labels.get(p) for p in provisions["provision_id"].tolist()], dtype=bool)]


def model_rows(provisions: pd.DataFrame) -> pd.DataFrame:
    """The learned codes of a corpus as rows of the themes table, as if no rule had coded anything.

    One row per (silent provision, theme) the model or the heading group
    codes: ``from_model`` true with ``model_prob``, ``score`` 0,
    ``from_heading`` and ``from_lexicon`` false, no heading, ``matched`` the
    words that weighed most, ``evidence`` the first sentence holding one of
    them (else the body's first line), ``source`` ``model`` or ``context``.
    Sorted by document, provision ``seq``, theme order. The model is trained
    on the provisions given (:func:`fit_on_headings`); ``provisions`` needs
    doc_id, provision_id, seq, section_no, subsection_label, the heading
    titles and body. :func:`merge_model_rows` puts these rows into a rule-coded table.
    """
    from .tables import SCHEMAS, enforce

    cols = list(SCHEMAS["provision_themes"])
    silent = silent_provisions(provisions)
    if not len(silent):
        return enforce("provision_themes", pd.DataFrame(columns=cols))
    codes = code_silent(silent, fit_on_headings(provisions))
    seq = dict(zip(provisions["provision_id"].tolist(), provisions["seq"].tolist()))
    rank = {t: i for i, t in enumerate(themes.THEME_ORDER)}
    cache: dict[tuple[str, int], tuple[str, str]] = {}
    rows = []
    for doc_id, pid, body in zip(silent["doc_id"].tolist(), silent["provision_id"].tolist(), silent["body"].tolist()):
        for code in codes.get(pid, []):
            key = (body, id(code))
            if key not in cache:
                sentence = code.sentence or _group_sentence(body, code.words)
                cache[key] = ("、".join(code.words), sentence or body.split("\n")[0])
            matched, evidence = cache[key]
            rows.append((doc_id, seq[pid], rank.get(code.theme, len(rank)), code.theme, pid, matched, evidence,
                         code.signal, code.prob))  # fmt: skip
    rows.sort(key=lambda r: r[:4])
    df = pd.DataFrame(rows, columns=["doc_id", "_seq", "_rank", "theme", "provision_id", "matched", "evidence", "source",
                                     "model_prob"])  # fmt: skip
    df = df.assign(score=0.0, from_heading=False, from_lexicon=False, heading="", from_model=True)
    return enforce("provision_themes", df[cols])


def merge_model_rows(themes_df: pd.DataFrame, model_rows: pd.DataFrame, seq: dict[str, int]) -> pd.DataFrame:
    """Rule-coded themes of some documents with the model rows of the same documents (:func:`model_rows`).

    Where a rule row exists for (provision_id, theme), it is marked
    ``from_model`` with the model's ``model_prob`` and the model row is
    dropped; otherwise the model row is added. Sorted by document, provision
    (``seq``: provision_id -> seq), theme order, schema enforced. The build
    calls it a batch of documents at a time; :func:`add_model_codes` once.
    """
    from .tables import SCHEMAS, enforce

    cols = list(SCHEMAS["provision_themes"])
    out = themes_df.assign(from_model=False, model_prob=np.nan)
    if len(model_rows):
        index = pd.MultiIndex.from_arrays([out["provision_id"], out["theme"]])
        at = pd.MultiIndex.from_arrays([model_rows["provision_id"], model_rows["theme"]])
        hit = at.isin(index)
        if hit.any():
            last = pd.Series(np.arange(len(out)), index=index)
            last = last[~last.index.duplicated(keep="last")]  # as a dict of the rows would: the last one
            where = last.reindex(at[hit]).to_numpy()
            fm, mp = out.columns.get_loc("from_model"), out.columns.get_loc("model_prob")
            out.iloc[where, fm] = True
            out.iloc[where, mp] = model_rows["model_prob"].to_numpy()[hit]
        new = model_rows[~hit]
        if len(new):
            out = pd.concat([out[cols], new[cols]], ignore_index=True) if len(out) else new[cols].reset_index(drop=True)
    rank = {t: i for i, t in enumerate(themes.THEME_ORDER)}
    out = out.assign(_seq=out["provision_id"].map(seq), _rank=out["theme"].map(lambda t: rank.get(t, len(rank))))
    out = out.sort_values(["doc_id", "_seq", "_rank", "theme"], kind="stable")
    return enforce("provision_themes", out[cols].reset_index(drop=True))


def add_model_codes(themes_df: pd.DataFrame, provisions: pd.DataFrame) -> pd.DataFrame:
    """The rule-coded themes table with the learned codes added where no heading names a theme.

    The model is trained on the corpus's headed provisions. For each silent
    provision, a theme the model (or its heading group) codes is marked on the
    lexicon's row when there is one (``from_model`` true, ``model_prob``), and
    otherwise gets a row of its own with ``source`` ``model`` (the provision's
    own text) or ``context`` (its group's text): ``matched`` holds the words
    that weighed most, ``evidence`` the first sentence holding one of them.
    Rows keep the stage's order: document, provision, theme order.
    Same as the build's path: :func:`merge_model_rows` of :func:`model_rows`.
    """
    seq = dict(zip(provisions["provision_id"], provisions["seq"]))
    return merge_model_rows(themes_df, model_rows(provisions), seq)


# -- measuring it ----------------------------------------------------------------------------------


def _lexicon_themes(body: str) -> set[str]:
    return {t for t, (score, _w) in themes.score_themes(body).items() if score >= themes.THRESHOLD}


CODERS = ("lexicon", "model", "context", "combined")


def leave_one_document_out(provisions: pd.DataFrame) -> pd.DataFrame:
    """Code each document with its headings hidden, by a model trained on the other documents.

    Gold: the themes a provision's section, sub-section or item heading names
    (the drafters' classification). Headings hidden: no heading cue, so every
    provision of the held-out document is silent; its text (item lead phrase
    included, as it is part of the provision) is all the coders see, plus
    which provisions share a heading. Only provisions with a gold theme are
    scored. One row per (provision, gold theme): whether the lexicon alone,
    the model alone (the provision's own text), the heading-group context and
    all combined find it, how many themes each gave the provision and how
    many of those the headings name (so over-coding shows next to agreement).
    """
    labels = heading_labels(provisions)
    rows = []
    for doc_id in sorted(provisions["doc_id"].unique()):
        doc = provisions[provisions["doc_id"] == doc_id]
        if not doc["provision_id"].map(lambda p: bool(labels[p])).any():
            continue
        codes = code_silent(doc, fit_on_headings(provisions[provisions["doc_id"] != doc_id]))
        for rec in doc[["provision_id", "body"]].itertuples(index=False):
            gold = labels[rec.provision_id]
            if not gold:
                continue
            found = {
                "lexicon": _lexicon_themes(rec.body),
                "model": {c.theme for c in codes[rec.provision_id] if c.signal == "model"},
                "context": {c.theme for c in codes[rec.provision_id] if c.signal == "context"},
            }
            found["combined"] = set().union(*found.values())
            for theme in sorted(gold, key=themes.THEME_ORDER.index):
                rows.append({"doc_id": doc_id, "provision_id": rec.provision_id, "theme": theme, "n_gold": len(gold),
                             **{c: theme in found[c] for c in CODERS},
                             **{f"n_{c}": len(found[c]) for c in CODERS},
                             **{f"n_correct_{c}": len(gold & found[c]) for c in CODERS}})  # fmt: skip
    columns = ["doc_id", "provision_id", "theme", "n_gold", *CODERS, *(f"n_{c}" for c in CODERS),
               *(f"n_correct_{c}" for c in CODERS)]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def agreement_table(loo: pd.DataFrame) -> pd.DataFrame:
    """Per theme, and ``all``: gold pairs ``n`` and the share each coder found (from :func:`leave_one_document_out`).

    The ``precision`` row: of the themes a coder gave the scored provisions,
    the share their headings name. It is a lower bound (a provision may
    rightly carry a theme its heading does not name) but shows over-coding.
    """
    per = loo.groupby("theme")[list(CODERS)].agg(["sum", "size"])
    out = pd.DataFrame({"n": per[(CODERS[0], "size")]})
    for c in CODERS:
        out[c] = per[(c, "sum")] / out["n"]
    out = out.reindex([t for t in themes.THEME_ORDER if t in out.index])
    total = pd.DataFrame({"n": [len(loo)], **{c: [loo[c].mean()] for c in CODERS}}, index=["all"])
    prov = loo.drop_duplicates("provision_id")
    precision = pd.DataFrame(
        {"n": [int(prov[f"n_{CODERS[0]}"].size)],
         **{c: [prov[f"n_correct_{c}"].sum() / max(1, prov[f"n_{c}"].sum())] for c in CODERS}},
        index=["precision"],
    )  # fmt: skip
    out = pd.concat([out, total, precision]).astype({"n": int}).round(3)
    out.index.name = "theme"
    return out.reset_index()
