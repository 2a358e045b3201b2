"""``kg_mentions``: find named methods, benchmarks, datasets in a section.

Evidence used (all general, none of it lists gold names):

* name shape of tokens (caps inside a word, digits with letters, hyphens);
* runs of capitalised words closed by a version or size (``Kuwain 1.5B``);
* parenthesised acronyms and expansions (``Rollout Routing Replay (R3)``,
  ``TTRL(Test-Time Reinforcement Learning)``), by Schwartz-Hearst matching;
* markdown emphasis (``**QuickDecoder**``) and cue nouns (``X 벤치마크``,
  ``X dataset``, ``X 모델``) for capitalised words with no shape of their own;
* names the record already knows (``doc.user_data["known"]``: the title's name).

Each candidate gets type scores from its shape, the lexicon and the cue
words around it; :mod:`kg.pipeline.cues` adds sentence-level evidence.
``doc._.kg_candidates`` holds them in token order, without overlaps.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Iterator

from ..lang import en, ko, lexicon
from . import component
from .shapes import is_generic, is_hangul, long_form, shape

__all__ = ["Candidate", "kg_mentions", "name_type_scores"]



@dataclass(slots=True)
class Candidate:
    """A name found in a section: token span [start, end) plus what we know of it."""

    start: int
    end: int
    text: str
    s: int = 0  # character offsets in the section text
    e: int = 0
    scores: dict[str, float] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    def add(self, typ: str, weight: float) -> None:
        self.scores[typ] = self.scores.get(typ, 0.0) + weight


CONTINUATIONS = {"bench", "Bench"}
RUN_SHAPES = frozenset(("NAME", "CAP", "GEN"))
KO_CUE_WORDS = frozenset(w for ws in ko.TYPE_CUES.values() for w in ws)


BENCH_NAME = re.compile(r"(?:^|[-\s])(?:eval|arena|leaderboard)(?:$|[-\s])|[-\s](?:test|exam)$")
QA_NAME = re.compile(r"(?:vqa|qa)$|(?<![a-z])(?:squad|glue)")
DATA_NAME = re.compile(r"(?:data|corpus|set|pile|collection)(?:[-\s]?\d+[kKmM]?)?$")
COUNT_SUFFIX = re.compile(r"[-\s]?\d+(?:\.\d+)?[kKmM]$")
MODEL_NAME = re.compile(r"(?:^|[-\s])\d+(?:\.\d+)?[bB]$|(?:^|-)(?:r1|zero|coder|vl|lm|gpt|net|former|reasoner|agent|"
                        r"instruct|chat)(?:$|-)")
LIST_HEAD = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d+\.)\s*\*\*([^*\n]{1,80})\*\*")
EMPHASIS = re.compile(r"\*\*([^*\n]{1,80})\*\*")
PARENS = re.compile(r"\(\s*([^()\n]{1,80}?)\s*\)")
PAREN_SPLIT = re.compile(r"[;,:]")
ACRONYM = re.compile(r"[A-Za-z][A-Za-z0-9\-]{0,14}[A-Za-z0-9]")
LETTER_DIGIT = re.compile(r"[A-Z]\d")
WORDS_TAIL = re.compile(r"((?:[A-Za-z0-9][\w\-]*\s+){0,11}[A-Za-z0-9][\w\-]*)$")
WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z0-9\-]{1,15})\s*$")


def name_type_scores(name: str) -> dict[str, float]:
    """Type evidence carried by a name itself."""
    return dict(_name_type_scores(name))


@functools.lru_cache(maxsize=65536)
def _name_type_scores(name: str) -> tuple[tuple[str, float], ...]:
    # names recur across sections and records: score each distinct one once
    s: dict[str, float] = {"Method": 0.5}
    low = name.lower()
    if "bench" in low or BENCH_NAME.search(low):
        s["Benchmark"] = s.get("Benchmark", 0) + 3
    if QA_NAME.search(low):
        s["Benchmark"] = s.get("Benchmark", 0) + 1.5
    if DATA_NAME.search(low) or COUNT_SUFFIX.search(name):
        s["Dataset"] = s.get("Dataset", 0) + 1.5
    if MODEL_NAME.search(low):
        s["Method"] += 1.5
    if low in lexicon.BENCHMARKS or low.split(" ")[0] in lexicon.BENCHMARKS:
        s["Benchmark"] = s.get("Benchmark", 0) + 3
    if low in lexicon.METHODS or low.split(" ")[0] in lexicon.METHODS:
        s["Method"] += 2
    return tuple(s.items())


def _cue_matcher(cues: dict[str, tuple[str, ...]]):
    """A function word → the type it cues. Hangul cues match as prefixes
    (벤치마크에서), English ones as whole lower-case words."""
    ko_parts, en_words = [], {}
    for typ, words in cues.items():
        hangul = [w for w in words if is_hangul(w)]
        if hangul:
            ko_parts.append(f"(?P<{typ}>" + "|".join(map(re.escape, sorted(hangul, key=len, reverse=True))) + ")")
        for w in words:
            if not is_hangul(w):
                en_words.setdefault(w, typ)
    rx = re.compile("^(?:" + "|".join(ko_parts) + ")") if ko_parts else None

    def match(token_text: str) -> str | None:
        if rx is not None and (m := rx.match(token_text)):
            return m.lastgroup
        return en_words.get(token_text.lower())
    return match


ko_cue = _cue_matcher(ko.TYPE_CUES)
en_cue = _cue_matcher(en.TYPE_CUES)


def _next_word(doc, i: int, step: int = 1) -> str | None:
    """Text of the first non-space token from ``i`` in direction ``step``."""
    words = doc.user_data["kg_tokens"].words
    j = i
    while 0 <= j < len(words):
        if not words[j].isspace():
            return words[j]
        j += step
    return None


@component("kg_mentions")
def kg_mentions(doc):
    known: list[str] = doc.user_data.get("known", [])
    cands: list[Candidate] = []
    emphasised = _emphasis_spans(doc)
    cands += _runs(doc, emphasised)
    cands += _acronym_pairs(doc, cands)
    cands += _known(doc, known)
    cands = _dedupe(doc, cands)
    text = doc.user_data["kg_tokens"].text
    heads = [(m.start(1), m.end(1)) for m in LIST_HEAD.finditer(text)] if "**" in text else []
    for c in cands:
        _type_by_name_and_cues(doc, c)
        if any(a <= c.s < b for a, b in heads):
            c.flags.add("listhead")
    doc._.kg_candidates = cands
    return doc


def _emphasis_spans(doc) -> list[tuple[int, int]]:
    """Character ranges inside ``**…**``."""
    text = doc.user_data["kg_tokens"].text
    return [(m.start(1), m.end(1)) for m in EMPHASIS.finditer(text)] if "**" in text else []


#: a decimal no version is written as (versions stay under 10: ``Llama 3.1``, ``Claude 3.5``)
_SCORE_LIKE = re.compile(r"\d{2,}[.,]\d+%?|\d+[.,]\d{2,}%?")


#: metric names that never end a method's or benchmark's own name (unlike "Loss", "Score", "Error")
_METRIC_AFTER = frozenset("""top-1 top-5 pass@1 pass@5 pass@10 pass@k acc accuracy f1 em bleu rouge rouge-l fid fvd
    wer cer ap map miou auc auroc ndcg mrr psnr ssim lpips elo""".split())


def _ends_a_name(word: str) -> bool:
    """Whether a word after a name is where the name stops: a score, or a metric's name."""
    return bool(_SCORE_LIKE.fullmatch(word)) or word.lower() in _METRIC_AFTER


def _runs(doc, emph: list[tuple[int, int]]) -> list[Candidate]:
    tt = doc.user_data["kg_tokens"]
    words, spaces = tt.words, tt.spaces
    shapes_of = list(map(shape, words))
    out: list[Candidate] = []
    n, i = len(words), 0
    # most tokens (Hangul, spaces, punctuation) cannot start a name: visit only those that can
    for first in [k for k, sh in enumerate(shapes_of) if sh in RUN_SHAPES]:
        if first < i or words[first].lower() in _METRIC_AFTER:
            continue  # inside the previous run, or a metric ("top-1")
        i = first
        j, nver = i + 1, 0
        while j < n and spaces[j - 1]:
            nxt = shapes_of[j]
            if _ends_a_name(words[j]):
                break  # "Swin-L 57.1", "ImageNet-1K top-1 88.1": a score or a metric follows the name
            if nxt in ("NAME", "CAP", "GEN") and nver == 0:
                j += 1
            elif nxt == "CAP" and nver == 1 and words[j].lower() not in en.STOP_CAPS:
                j += 1  # Claude 3.7 Sonnet, Llama 3 Instruct
                nver = 2
            elif nxt == "VER" and nver < 2:
                nver += 1
                j += 1
            elif words[j] in CONTINUATIONS:
                j += 1
                break
            else:
                break
        start, end = i, j
        while start < end and words[start].lower() in en.STOP_CAPS:
            start += 1
        while end > start and words[end - 1].lower() in en.FUNCTION:
            end -= 1
        i = j
        if start >= end:
            continue
        toks = words[start:end]
        shapes = shapes_of[start:end]
        if all(sh in ("GEN", "VER") for sh in shapes) or shapes[0] == "VER":
            continue
        sc, ec = tt.starts[start], tt.end(end - 1)
        c = Candidate(start, end, doc.user_data["kg_tokens"].text[sc:ec], sc, ec)
        if any(sh == "NAME" for sh in shapes):
            c.flags.add("shape")
        if any(a <= sc and ec <= b for a, b in emph):
            c.flags.add("emphasis")
        if nver:
            c.flags.add("versioned")
        low = c.text.lower()
        if low in lexicon.BENCHMARKS or low in lexicon.METHODS:
            c.flags.add("lexicon")
        nxt = _next_word(doc, end)
        cue = nxt is not None and (ko_cue(nxt) or en_cue(nxt))
        if cue in ("Benchmark", "Dataset") or (cue and len(toks) >= 2):
            c.flags.add("cue")  # a lone capitalised word before "모델" is too weak
        if doc.user_data.get("role") == "title" and not c.flags & {"lexicon"} and \
                not (len(toks) == 1 and "shape" in c.flags):
            continue  # titles: only their own name (known) and single name-shaped words
        if c.flags & {"shape", "emphasis", "versioned", "lexicon"} or ("cue" in c.flags and len(toks) <= 3):
            if not (len(toks) > 6 and "shape" not in c.flags):
                out.append(c)
    return out


def _acronym_pairs(doc, found: list[Candidate]) -> list[Candidate]:
    """``Long Form (ACR)`` and ``ACR (Long Form)`` pairs."""
    out: list[Candidate] = []
    text = doc.user_data["kg_tokens"].text
    tt = doc.user_data["kg_tokens"]
    for m in PARENS.finditer(text):
        inner = m.group(1)
        first = PAREN_SPLIT.split(inner, 1)[0].strip()
        before = text[:m.start()].rstrip()
        line_start = before.rfind("\n") + 1  # names never cross a line: search the last line only
        last_line = before[line_start:]
        # Long Form (ACR)
        if ACRONYM.fullmatch(first) and sum(ch.isupper() for ch in first) >= 2 or LETTER_DIGIT.fullmatch(first):
            tail = WORDS_TAIL.search(last_line)
            if tail:
                words = tail.group(1).split()
                k = long_form(first, words)
                if k:
                    long_text = " ".join(words[-k:])
                    s_char = line_start + _find_start(last_line, words[-k:])
                    span = tt.span(s_char, len(before))
                    if span is not None and not is_generic(first):
                        c = Candidate(*span, long_text, s_char, len(before), aliases=[first])
                        c.flags.add("acronym")
                        out.append(c)
                        acr = tt.span(m.start(1), m.start(1) + len(first))
                        if acr is not None:
                            a = Candidate(*acr, first, m.start(1), m.start(1) + len(first), aliases=[long_text])
                            a.flags.add("acronym")
                            out.append(a)
            continue
        # ACR (Long Form)
        words = first.split()
        prev = WORD_BEFORE.search(before, max(0, len(before) - 16))
        if prev and 2 <= len(words) <= 8 and all(w[0].isascii() and w[0].isalpha() for w in words):
            acr = prev.group(1)
            if sum(ch.isupper() for ch in acr) >= 2 and long_form(acr, words) == len(words) and not is_generic(acr):
                span = tt.span(prev.start(1), prev.end(1))
                if span is not None:
                    c = Candidate(*span, acr, prev.start(1), prev.end(1), aliases=[first])
                    c.flags.add("acronym")
                    out.append(c)
    return out


def _find_start(before: str, words: list[str]) -> int:
    pat = r"\s+".join(re.escape(w) for w in words) + r"\s*$"
    m = re.search(pat, before)
    return m.start() if m else len(before) - len(" ".join(words))


def _whole_word(name: str, text: str) -> Iterator[int]:
    """Start offsets of ``name`` where it is not inside a longer Latin word.

    The same matches as ``finditer`` over ``(?<![A-Za-z0-9])NAME(?![A-Za-z0-9])``
    (left to right, not overlapping), found with ``str.find``: every record has
    its own known names, so a compiled pattern was used once, and compiling it
    was ~5% of extraction's instructions."""
    size, at = len(name), text.find(name)
    while at >= 0:
        end = at + size
        if not (at and _latin_alnum(text[at - 1])) and not (end < len(text) and _latin_alnum(text[end])):
            yield at
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)


def _latin_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _known(doc, known: list[str]) -> list[Candidate]:
    out: list[Candidate] = []
    tt = doc.user_data["kg_tokens"]
    for name in known:
        if len(name) < 2:
            continue
        for at in _whole_word(name, tt.text):
            span = tt.span(at, at + len(name))
            if span is not None:
                sc, ec = tt.starts[span[0]], tt.end(span[1] - 1)
                c = Candidate(*span, tt.text[sc:ec], sc, ec)
                c.flags.add("known")
                out.append(c)
    return out


def _dedupe(doc, cands: list[Candidate]) -> list[Candidate]:
    """Keep the longest of overlapping candidates, merging their aliases/flags."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Candidate] = []
    for c in cands:
        if out and c.start < out[-1].end:
            keep = out[-1]
            if (c.end - c.start) > (keep.end - keep.start):
                c.aliases += keep.aliases
                c.flags |= keep.flags
                out[-1] = c
            else:
                keep.aliases += [a for a in c.aliases if a not in keep.aliases]
                keep.flags |= c.flags
            continue
        out.append(c)
    return out


def _type_by_name_and_cues(doc, c: Candidate) -> None:
    for typ, w in _name_type_scores(c.text):
        c.add(typ, w)
    for a in c.aliases:
        for typ, w in _name_type_scores(a):
            if typ != "Method":
                c.add(typ, w / 2)
    nxt = _next_word(doc, c.end)
    if nxt is not None:
        typ = ko_cue(nxt) or en_cue(nxt)
        if typ == "Dataset" and nxt.startswith("데이터") and not nxt.startswith("데이터셋") \
                and not nxt.startswith("데이터셑") and not nxt.startswith("데이터 세트"):
            typ, w = "Dataset", 1.0
        else:
            w = 3.0
        if typ:
            c.add(typ, w)
    prv = _next_word(doc, c.start - 1, step=-1)
    if prv is not None:  # apposition: "벤치마크 X", "the benchmark X" (no particle between)
        typ = ko_cue(prv) if prv in KO_CUE_WORDS else en_cue(prv)
        if typ in ("Benchmark", "Dataset"):
            c.add(typ, 2.0)
