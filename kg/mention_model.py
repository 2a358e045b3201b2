"""The trained mention model: is a candidate name an entity, and of which type?

The rule components (:mod:`kg.pipeline`) propose candidates generously; this
model decides. Its features describe a candidate and where it stands, never
the name itself: the shape of the text (words, capitals, digits, hyphens,
version and size suffixes, name endings such as -Bench or -Net, math and unit
shapes), the rule flags and type scores (cue words around it in Korean and
English), the roles of the sections it is in, its position (title, list head,
a line's label, a whole line), how often the record and the document use it,
whether the document repeats it as a field label in many records, and
membership of the small public lexicon. No feature is derived from gold names.

The model is a multinomial logistic regression (classes ``O``, ``Method``,
``Benchmark``, ``Dataset``) trained by ``python -m kg.train`` on the dev gold;
its weights ship as JSON (``kg/models/mentions.json``) and inference is plain
Python, so a build needs neither scikit-learn nor a download.

>>> x = features_of_text("MathVista-Bench")
>>> x["ends_bench"], x["has_hyphen"], x["n_words_1"]
(1.0, 1.0, 1.0)
>>> features_of_text("NeurIPS 2023")["has_year"]
1.0
>>> features_of_text("128GB")["is_amount"]
1.0
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
from pathlib import Path

from .lang import lexicon

__all__ = ["CLASSES", "FLAGS", "ROLES", "FEATURES", "MentionModel", "features_of_text", "load_model",
           "MODEL_PATH", "MODEL_ENV", "model_path", "model_fingerprint"]

CLASSES = ("O", "Method", "Benchmark", "Dataset")
FLAGS = ("shape", "emphasis", "versioned", "lexicon", "cue", "listhead", "acronym", "known", "propose",
         "propose_subject", "subject", "winner", "compare", "baseline", "based", "eval", "labelled")
ROLES = ("title", "body", "contribution", "method", "experiment", "motivation", "limitation", "future")
MODEL_PATH = Path(__file__).with_name("models") / "mentions.json"
#: a path to other weights (``python -m kg.train --out``), e.g. for leave-one-source-out runs
MODEL_ENV = "KG_MENTION_MODEL"

_YEAR = re.compile(r"(?:^|\D)(?:19|20)\d\d(?:$|\D)")
_AMOUNT = re.compile(r"^[\d.,]+\s*(?:[KMGT]i?B|[kKMG]?Hz|dB|FPS|fps|ms|s|px|[KMB]|x|×|%|GPU|GPUs|TFLOPS?|W)$")
_SIZE = re.compile(r"(?:^|[-\s])\d+(?:\.\d+)?[BMKbmk]$")
_VERSION = re.compile(r"(?:^|[-\s])[vV]?\d+(?:\.\d+)+$|(?:^|\s)[vV]\d+$|[a-zA-Z]-?\d$")
_MATH = re.compile(r"[_^\\{}=]|\b[A-Za-z]_|\^")
_CAMEL = re.compile(r"[a-z][A-Z]")
_LICENCE = re.compile(r"licen[cs]e|apache|\bmit\b|cc[-\s]?by|gpl", re.I)
_VENUE = re.compile(r"^(?:[A-Z][A-Za-z/]{1,12})\s*'?(?:19|20)?\d\d$")
_URLISH = re.compile(r"https?:|www\.|\.(?:com|org|io|ai|html?)\b|^[a-z]+/[a-z]")  # URLs, categories/cs.CV
_ENDINGS = {
    "ends_bench": re.compile(r"bench$|benchmark$", re.I),
    "ends_qa": re.compile(r"(?:qa|vqa)$", re.I),
    "ends_eval": re.compile(r"(?:eval|arena|test|exam)$", re.I),
    "ends_data": re.compile(r"(?:data|corpus|set|pile|\d+[kKmM])$", re.I),
    "ends_model": re.compile(r"(?:net|former|gpt|lm|coder|vl|agent|diffusion|r1|zero|instruct|chat)$", re.I),
}
_FUNCTION = frozenset("of for the with and in on to via by a an from".split())


def _bins(name: str, value: int, edges: tuple[int, ...]) -> dict[str, float]:
    """One-hot ``value`` into ``name_<edge>`` (the last bin is ``edge+``)."""
    for e in edges[:-1]:
        if value <= e:
            return {f"{name}_{e}": 1.0}
    return {f"{name}_{edges[-1]}": 1.0}


@functools.lru_cache(maxsize=65536)
def _text_features(text: str) -> tuple[tuple[str, float], ...]:
    words = text.split()
    letters = [c for c in text if c.isalpha()]
    f: dict[str, float] = _bins("n_words", len(words), (1, 2, 3, 5, 6))
    f["log_len"] = math.log1p(len(text))
    f["has_digit"] = float(any(c.isdigit() for c in text))
    f["starts_digit"] = float(text[:1].isdigit())
    f["has_hyphen"] = float("-" in text)
    f["has_plus"] = float(text.endswith(("+", "*")))
    f["camel"] = float(bool(_CAMEL.search(text)))
    f["all_caps"] = float(len(letters) >= 2 and all(c.isupper() for c in letters))
    f["all_lower"] = float(bool(letters) and all(c.islower() for c in letters))
    caps = [w for w in words if w[:1].isupper()]
    f["cap_ratio"] = len(caps) / len(words) if words else 0.0
    # a single plain capitalised word ("Goal", "Pipeline") is a dictionary word more often than a name
    f["plain_word"] = float(len(words) == 1 and text[:1].isupper() and text[1:].islower() and text.isalpha())
    f["hangul"] = float(any("\uac00" <= c <= "\ud7a3" for c in text))
    f["non_ascii"] = float(any(not c.isascii() for c in text))
    f["math"] = float(bool(_MATH.search(text)))
    f["has_year"] = float(bool(_YEAR.search(text)))
    f["venue_year"] = float(bool(_VENUE.match(text)))
    f["is_amount"] = float(bool(_AMOUNT.match(text)))
    f["size_suffix"] = float(bool(_SIZE.search(text)))
    f["version_suffix"] = float(bool(_VERSION.search(text)))
    f["licence"] = float(bool(_LICENCE.search(text)))
    f["urlish"] = float(bool(_URLISH.search(text)))
    f["has_slash"] = float("/" in text)
    f["function_word"] = float(any(w.lower() in _FUNCTION for w in words[1:]))
    for k, rx in _ENDINGS.items():
        f[k] = float(bool(rx.search(text)))
    low = text.lower()
    head = re.split(r"[\s\-/_]", low, maxsplit=1)[0]  # ``ViT-B/16``: a member of a known family
    f["lex_benchmark"] = float(low in lexicon.BENCHMARKS or head in lexicon.BENCHMARKS)
    f["lex_method"] = float(low in lexicon.METHODS or head in lexicon.METHODS)
    f["lex_generic"] = float(any(w.lower() in lexicon.GENERIC for w in words))
    return tuple(f.items())


def features_of_text(text: str) -> dict[str, float]:
    """The shape features of a candidate's text."""
    return dict(_text_features(text))


def _base_names() -> list[str]:
    names = list(features_of_text("Ab-1 c"))
    for extra in ("n_words_1", "n_words_2", "n_words_3", "n_words_5", "n_words_6"):
        if extra not in names:
            names.append(extra)
    return names


#: every feature name, in the order of the weight vectors
FEATURES: tuple[str, ...] = tuple(dict.fromkeys([
    *_base_names(),
    *(f"flag_{f}" for f in FLAGS), *(f"role_{r}" for r in ROLES), "role_other", "only_skip_roles",
    "score_method", "score_benchmark", "score_dataset", "rule_benchmark", "rule_dataset",
    "own", "title_name", "title_hint_benchmark", "title_hint_dataset", "has_alias", "alias_acronym",
    "log_count", "n_sections_2", "label_share", "line_share", "value_share",
    "doc_template", "section_name", "doc_records_share", "doc_multi", "rule_method",
    # interactions a linear model cannot form itself: the paper's own name evaluated is still a method
    "own_eval", "own_compare", "subject_eval", "title_only", "propose_eval", "emphasis_only", "label_only",
]))


class MentionModel:
    """Multinomial logistic regression over :data:`FEATURES` (weights from JSON)."""

    def __init__(self, weights: dict) -> None:
        self.classes: tuple[str, ...] = tuple(weights["classes"])
        names = weights["features"]
        mean, scale = weights["mean"], weights["scale"]
        # standardisation folded into the weights: a candidate's absent (zero) features cost nothing
        self.weights = {f: tuple(row[i] / scale[i] for row in weights["coef"]) for i, f in enumerate(names)}
        self.bias = [b - sum(row[i] * mean[i] / scale[i] for i in range(len(names)))
                     for row, b in zip(weights["coef"], weights["intercept"])]
        self.threshold = float(weights.get("threshold", 0.5))
        self.version = weights.get("version", "")

    def proba(self, x: dict[str, float]) -> dict[str, float]:
        """Class probabilities for one feature dict (absent features are 0)."""
        z = list(self.bias)
        k = len(z)
        for name, v in x.items():
            w = self.weights.get(name)  # a feature the weights do not know (newer code) counts nothing
            if v and w is not None:
                for c in range(k):
                    z[c] += w[c] * v
        top = max(z)
        e = [math.exp(v - top) for v in z]
        tot = sum(e)
        return {c: v / tot for c, v in zip(self.classes, e)}

    def decide(self, x: dict[str, float]) -> tuple[str | None, float]:
        """``(type, probability)``: the type is None when the candidate is not an entity."""
        p = self.proba(x)
        p_entity = 1.0 - p.get("O", 0.0)
        if p_entity < self.threshold:
            return None, p_entity
        typ = max((c for c in self.classes if c != "O"), key=lambda c: (p[c], c == "Method"))
        return typ, p_entity


@functools.lru_cache(maxsize=8)
def _load(path: str) -> MentionModel | None:
    if path.lower() in ("", "none", "rules"):
        return None  # the rules alone decide (how training data is collected)
    with open(path, encoding="utf-8") as fh:
        return MentionModel(json.load(fh))


def model_path() -> str:
    """The weights in use: ``$KG_MENTION_MODEL`` when set, else the shipped file."""
    return os.environ.get(MODEL_ENV, str(MODEL_PATH))


@functools.lru_cache(maxsize=8)
def _fingerprint(path: str) -> str:
    if path.lower() in ("", "none", "rules"):
        return "rules"
    import hashlib
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:16]
    except OSError:
        return "missing"


def model_fingerprint() -> str:
    """A short hash of the weights in use, part of every cache key: other weights, other extractions."""
    return _fingerprint(model_path())


def load_model() -> MentionModel | None:
    """The shipped model, or the one ``$KG_MENTION_MODEL`` names ("none": rules only)."""
    return _load(model_path())
