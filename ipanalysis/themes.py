"""Themes and policy instruments: code every provision, with its evidence.

Two signals, kept apart so each can be audited:
- the lexicon (``resources/themes.csv``): terms searched in the provision's
  body; each occurrence adds its weight to the theme's score;
- the drafters' headings: a section, sub-section or item title that names a
  theme ("二、着力强化知识产权保护效果") files the provision under it.

A provision carries a theme when its score reaches ``THRESHOLD`` or a
heading names the theme; it may carry several. Policy instruments
(``resources/instruments.csv``, after Rothwell & Zegveld) are coded from the
lexicon alone. Manual codes in ``data/manual/`` override both.

The stock enumeration of the IP "chain" (创造、运用、保护、管理和服务) names
every theme at once and says nothing about a provision; it is removed before
scoring.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import resource_csv

THRESHOLD = 2

THEME_ORDER = ("protection", "use", "services", "rural", "creation", "management", "culture_talent", "cooperation")
THEME_LABELS = {
    "zh": {
        "protection": "保护", "use": "运用", "services": "服务", "rural": "乡村振兴", "creation": "创造",
        "management": "管理", "culture_talent": "文化人才", "cooperation": "交流合作",
    },
    "en": {
        "protection": "protection", "use": "use", "services": "services", "rural": "rural revitalisation",
        "creation": "creation", "management": "management", "culture_talent": "culture & talent",
        "cooperation": "cooperation",
    },
}  # fmt: skip
INSTRUMENT_ORDER = ("supply", "environment", "demand")

# Three or more of the chain's links joined by 、 / 和 / 及: a formula, not content.
_CHAIN = re.compile(r"(?:创造|运用|保护|管理|服务)(?:(?:、|和|及|与)(?:创造|运用|保护|管理|服务)){2,}")
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


@dataclass(frozen=True)
class Rule:
    label: str  # theme, or instrument
    subtype: str
    kind: str  # "term" or "heading"
    regex: re.Pattern[str]
    weight: float


@lru_cache(maxsize=1)
def theme_rules() -> tuple[Rule, ...]:
    return tuple(
        Rule(r["theme"], "", r["kind"], re.compile(r["pattern"]), float(r["weight"] or 0)) for r in resource_csv("themes.csv")
    )


@lru_cache(maxsize=1)
def instrument_rules() -> tuple[Rule, ...]:
    return tuple(
        Rule(r["instrument"], r["subtype"], "term", re.compile(r["pattern"]), 1.0) for r in resource_csv("instruments.csv")
    )


def strip_chain(text: str) -> str:
    """Remove the stock "创造、运用、保护、管理和服务" enumeration."""
    return _CHAIN.sub("", text)


def _first_sentence_with(text: str, words: set[str]) -> str:
    for m in _SENTENCE.finditer(text):
        if any(w in m.group(0) for w in words):
            return m.group(0).strip()
    return ""


def _format_matches(counts: dict[str, int]) -> str:
    return "、".join(f"{w}×{n}" if n > 1 else w for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def score_themes(body: str) -> dict[str, tuple[float, dict[str, int]]]:
    """theme -> (score, {matched word: count}) from the lexicon alone."""
    text = strip_chain(body)
    out: dict[str, tuple[float, dict[str, int]]] = {}
    for rule in theme_rules():
        if rule.kind != "term":
            continue
        for m in rule.regex.finditer(text):
            score, words = out.get(rule.label, (0.0, {}))
            words[m.group(0)] = words.get(m.group(0), 0) + 1
            out[rule.label] = (score + rule.weight, words)
    return out


def heading_themes(headings: list[str]) -> dict[str, str]:
    """theme -> the first heading that names it."""
    out: dict[str, str] = {}
    for rule in theme_rules():
        if rule.kind != "heading" or rule.label in out:
            continue
        for h in headings:
            if h and rule.regex.search(h):
                out[rule.label] = h
                break
    return out


def code_themes(provision: dict) -> list[dict]:
    """Theme rows for one provision (a dict with doc_id, provision_id, body and titles)."""
    body = provision["body"]
    headings = [provision.get(k, "") for k in ("section_title", "subsection_title", "item_title")]
    lexicon = score_themes(body)
    named = heading_themes(headings)
    stripped = strip_chain(body) if lexicon else ""  # once per provision, not once per theme
    rows = []
    for theme in THEME_ORDER:
        score, words = lexicon.get(theme, (0.0, {}))
        by_heading = theme in named
        by_lexicon = score >= THRESHOLD
        if not (by_heading or by_lexicon):
            continue
        sentence = _first_sentence_with(stripped, set(words)) if words else ""
        rows.append(
            {
                "doc_id": provision["doc_id"],
                "provision_id": provision["provision_id"],
                "theme": theme,
                "score": score,
                "from_heading": by_heading,
                "from_lexicon": by_lexicon,
                "heading": named.get(theme, ""),
                "matched": _format_matches(words),
                "evidence": sentence or named.get(theme, ""),
                "source": "rules",
            }
        )
    return rows


def code_instruments(provision: dict) -> list[dict]:
    """Instrument rows for one provision: one per matching subtype."""
    body = provision["body"]
    rows = []
    for rule in instrument_rules():
        words: dict[str, int] = {}
        for m in rule.regex.finditer(body):
            words[m.group(0)] = words.get(m.group(0), 0) + 1
        if words:
            rows.append(
                {
                    "doc_id": provision["doc_id"],
                    "provision_id": provision["provision_id"],
                    "instrument": rule.label,
                    "subtype": rule.subtype,
                    "matched": _format_matches(words),
                    "evidence": _first_sentence_with(body, set(words)),
                    "source": "rules",
                }
            )
    return rows


# -- manual codes ----------------------------------------------------------------------------



def read_manual_codes(path: Path) -> list[dict]:
    """A researcher's codes: rows of doc_id, provision_id, code, subtype, action (add/remove), note.

    Missing file: no codes. Errors name the file and the line.
    """
    from .errors import InputError

    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(ln for ln in fh if not ln.lstrip().startswith("#"))
        missing = [c for c in ("doc_id", "provision_id", "code", "action") if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(path, f"missing column(s): {', '.join(missing)}")
        rows = []
        for n, rec in enumerate(reader, start=2):
            rec = {k: (v or "").strip() for k, v in rec.items() if k}
            if rec["action"] not in ("add", "remove"):
                raise InputError(path, f"row {n}: action must be 'add' or 'remove', not {rec['action']!r}")
            rows.append(rec)
    return rows


def apply_manual(rows: list[dict], manual: list[dict], *, key: str, known: set[tuple[str, str]], path: Path) -> list[dict]:
    """Apply manual codes: 'remove' drops a rule label, 'add' adds one (or replaces it). The manual code wins."""
    from .errors import InputError

    def same(r: dict, m: dict) -> bool:
        """The rule label a manual code replaces or removes (all subtypes, if the code names none)."""
        if (r["doc_id"], r["provision_id"], r[key]) != (m["doc_id"], m["provision_id"], m["code"]):
            return False
        return key == "theme" or not m.get("subtype") or r["subtype"] == m["subtype"]

    out = list(rows)
    for m in manual:
        if (m["doc_id"], m["provision_id"]) not in known:
            raise InputError(path, f"unknown provision {m['provision_id']!r} of {m['doc_id']!r}")
        out = [r for r in out if not same(r, m)]
        if m["action"] == "add":
            row = {"doc_id": m["doc_id"], "provision_id": m["provision_id"], key: m["code"], "source": "manual",
                   "matched": "", "evidence": m.get("note", "")}  # fmt: skip
            if key == "theme":
                row.update(score=0.0, from_heading=False, from_lexicon=False, heading="")
            else:
                row.update(subtype=m.get("subtype", ""))
            out.append(row)
    return out






# -- agreement between the lexicon and the headings --------------------------------------------


def heading_agreement(themes_df):
    """How often the lexicon alone finds the theme a heading names.

    One row per theme: provisions whose headings name it (``n``), of which the
    lexicon alone also labels (``agree``), and the share. The ``all`` row
    pools every theme.
    """
    import pandas as pd

    named = themes_df[themes_df["from_heading"] & (themes_df["source"] == "rules")]
    per = named.groupby("theme").agg(n=("provision_id", "size"), agree=("from_lexicon", "sum"))
    per = per.reindex([t for t in THEME_ORDER if t in per.index])
    total = pd.DataFrame({"n": [per["n"].sum()], "agree": [per["agree"].sum()]}, index=["all"])
    out = pd.concat([per, total])
    out["share"] = (out["agree"] / out["n"]).round(3)
    out.index.name = "theme"
    return out.reset_index()


# -- comparison helpers (used by notebook 03) --------------------------------------------------


def theme_shares(themes_df, provisions):
    """Per document and theme: provisions carrying it and their characters, as counts and shares.

    ``share_provisions``: share of the document's provisions that carry the
    theme (a provision may carry several, so these do not sum to 1).
    ``share_text``: the same weighted by provision length. ``mix_provisions``
    and ``mix_text``: the theme's share of all theme labels of the document,
    which do sum to 1 (the stacked-bar profile).
    """
    import pandas as pd

    chars = provisions.set_index("provision_id")["n_chars"]
    per_doc = provisions.groupby("doc_id").agg(n=("provision_id", "size"), chars=("n_chars", "sum"))
    t = themes_df.assign(chars=themes_df["provision_id"].map(chars))
    out = t.groupby(["doc_id", "theme"]).agg(provisions=("provision_id", "nunique"), chars=("chars", "sum")).reset_index()
    full = pd.MultiIndex.from_product([per_doc.index, [x for x in THEME_ORDER]], names=["doc_id", "theme"])
    out = out.set_index(["doc_id", "theme"]).reindex(full, fill_value=0).reset_index()
    out["share_provisions"] = out["provisions"] / out["doc_id"].map(per_doc["n"])
    out["share_text"] = out["chars"] / out["doc_id"].map(per_doc["chars"])
    out["mix_provisions"] = out["provisions"] / out.groupby("doc_id")["provisions"].transform("sum")
    out["mix_text"] = out["chars"] / out.groupby("doc_id")["chars"].transform("sum")
    return out


def instrument_theme_counts(themes_df, instruments_df):
    """Provisions per document × instrument × theme: the two-dimensional framework of the literature."""
    pairs = instruments_df[["doc_id", "provision_id", "instrument"]].drop_duplicates().merge(
        themes_df[["doc_id", "provision_id", "theme"]], on=["doc_id", "provision_id"]
    )
    return pairs.groupby(["doc_id", "instrument", "theme"]).size().rename("provisions").reset_index()
