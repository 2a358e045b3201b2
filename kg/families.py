"""Families: which resolved entity is a version, size or variant of which.

Resolution keeps ``Llama-3.1-70B``, ``Llama 3.1`` and ``Llama`` apart (a member
is never merged into its family). This module links them again, as
``VARIANT_OF`` relationships from a member to its nearest family in the build:

- by the name's structure: the member's name is a family's name followed by
  version, size and variant marks only (``Llama-3.1-70B-Instruct`` →
  ``Llama-3.1-70B`` → ``Llama 3.1`` → ``Llama``; ``AIME 2025`` → ``AIME``;
  ``HumanEval+`` → ``HumanEval``; ``DINOv2`` → ``DINO``);
- by an expansion the member is known by (an alias, or the lexicon's:
  ``SDXL`` = ``Stable Diffusion XL`` → ``Stable Diffusion``).

A link needs the family to be an entity of the build, of the member's type (a
Benchmark's family may be a Dataset and back). Only the nearest family that
exists is linked, so a family tree is a chain, not a clique. The links depend
only on each member's names and on which uids exist, which is what lets an
in-place update recompute just the members whose family appeared or went
(:mod:`kg.incremental`).

Examples
--------
>>> family_names("Llama-3.1-70B-Instruct")
['Llama-3.1-70B', 'Llama-3.1', 'Llama']
>>> family_names("HumanEval+"), family_names("DINOv2"), family_names("BERTScore")
(['HumanEval'], ['DINO'], [])
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from .lang import lexicon
from .model import Entity
from .pipeline.shapes import norm_key
from .resolve import entity_uid

__all__ = ["LABEL", "family_names", "family_candidates", "family_table", "choose_family", "variant_props",
           "variant_edges", "FAMILY_TYPES"]

LABEL = "VARIANT_OF"
#: a member's family is of its own type or, for evaluation data, the other evaluation type
FAMILY_TYPES = {"Method": ("Method",), "Benchmark": ("Benchmark", "Dataset"), "Dataset": ("Dataset", "Benchmark")}
#: confidence of a link by the name's own structure, and by an expansion (alias or lexicon)
CONFIDENCE = {"name": 0.9, "expansion": 0.8}

#: a token is a mark of a version, size, year or release: 3, 3.1, v2, 70B, 1.5b, 8x7B, 4o, 512x512, R1, A22B, +
#: (not a score: 29.95, 55.3; not a dimension: 3D)
_MARK = re.compile(r"^(?:\d+[bmktovn]?|\d\.\d(?:\.\d+)*[bmk]?|\d+\.\d+[bmk]|v\d+(?:\.\d+)*|\d+x\d+[bm]?|"
                   r"[a-z]\d+(?:\.\d+)?[bm]?|\+\+?)$", re.I)
#: words that name a size, tuning or release within a family
_SIZE_WORDS = frozenset("""
base pro max mini nano micro lite flash turbo plus ultra large small medium tiny huge giant xl xxl xs s m l b h g
preview exp hd hard verified full instruct chat it sft rl
""".split())
#: words that name a modality or domain variant (``Qwen2-VL``, ``Qwen2.5-Coder``): not after a one- or
#: two-character family, which names a trend rather than a family (``R1-VL``, ``R1-Omni``)
_DOMAIN_WORDS = frozenset("vl v omni vision coder code math next distill".split())
#: a separator-free piece: a word, then (``Qwen2.5``, ``DINOv2``, ``GPT4o``) a number glued to it, then ``+``
_PIECE = re.compile(r"^(?P<word>.*?[A-Za-z]{2,}?)(?P<num>v?\d[^+]*)?(?P<plus>\+\+?)?$")


def _tokens(name: str) -> list[tuple[str, int]]:
    """(token, start offset) of each token of ``name``. A piece is cut where a word
    of two or more letters meets a number (``Llama3.1``, ``DINOv2`` → DINO v2), not
    inside a mark (``o1``, ``K2``, ``8x7B``), and before a trailing ``+``."""
    out: list[tuple[str, int]] = []
    for piece in re.finditer(r"[^\s_/-]+", name):  # the pieces between separators
        text, at = piece.group(), piece.start()
        m = _PIECE.match(text) if not _MARK.match(text) else None
        if not m:
            out.append((text, at))
            continue
        for g in ("word", "num", "plus"):
            if m.group(g):
                out.append((m.group(g), at + m.start(g)))
    return out


def _is_mark(tok: str) -> bool:
    t = tok.lower()
    return bool(_MARK.match(tok)) or t in _SIZE_WORDS or t in _DOMAIN_WORDS


def family_names(name: str) -> list[str]:
    """The names ``name`` would have as a member of a family, nearest first: each
    cut before a run of version, size and variant marks that ends the name.

    >>> family_names("Qwen2.5-VL-7B"), family_names("AIME 2025"), family_names("Stable Diffusion")
    (['Qwen2.5-VL', 'Qwen2.5', 'Qwen'], ['AIME'], [])
    """
    toks = _tokens(name)
    out, domain = [], False
    for i in range(len(toks) - 1, 0, -1):
        if not _is_mark(toks[i][0]):
            break
        domain = domain or toks[i][0].lower() in _DOMAIN_WORDS
        head = name[:toks[i][1]].rstrip(" _/-\t")
        key = norm_key(head)
        if len(key) >= (3 if domain else 2) and re.search(r"[^\W\d_]", head):  # a name, not a number
            out.append(head)
    return out


def family_candidates(e: Entity) -> list[tuple[str, str]]:
    """(family uid, basis) for ``e``, nearest first: from its name, then from its
    expansions (aliases that spell out an acronym, and the lexicon's)."""
    types = FAMILY_TYPES.get(e.type)
    if not types:
        return []
    own = norm_key(e.name)
    expansions = [a for a in sorted(e.aliases) if len(a.split()) >= 2 and norm_key(a) != own]
    known = lexicon.ACRONYMS.get(own)
    if known:
        expansions.insert(0, known)
    out, seen = [], {e.uid}
    for basis, names in (("name", [e.name]), ("expansion", expansions)):
        for n in names:
            for fam in family_names(n):
                for t in types:
                    uid = entity_uid(t, fam)
                    if uid not in seen:
                        seen.add(uid)
                        out.append((uid, basis))
    return out


def choose_family(cands: Iterable[tuple[str, str]], exists: Callable[[str], bool]) -> tuple[str, str] | None:
    """The nearest candidate (uid, basis) that is an entity of the build."""
    return next((c for c in cands if exists(c[0])), None)


def variant_props(basis: str) -> dict:
    """A VARIANT_OF relationship's properties. The link is read from names, not
    stated by a sentence: no papers, evidence or sources of its own (the member
    node lists the papers naming it)."""
    return {"papers": [], "evidence": [], "sources": [], "confidence": CONFIDENCE[basis], "basis": basis}


def family_table(entities: dict[str, Entity]) -> dict[str, list[tuple[str, str]]]:
    """Every entity's family candidates (:func:`family_candidates`), for those that have any."""
    out = {}
    for uid in sorted(entities):
        cands = family_candidates(entities[uid])
        if cands:
            out[uid] = cands
    return out


def variant_edges(entities: dict[str, Entity], min_confidence: float = 0.0,
                  table: dict[str, list[tuple[str, str]]] | None = None) -> dict[tuple[str, str, str], dict]:
    """Every member → nearest family link among ``entities``: (member, LABEL, family) → properties.
    ``table``: the :func:`family_table` of ``entities``, if made already.

    >>> from kg.model import Entity
    >>> es = {u: Entity(u, t, n) for u, t, n in [("method:llama", "Method", "Llama"),
    ...       ("method:llama31", "Method", "Llama 3.1"), ("method:llama3170b", "Method", "Llama-3.1-70B")]}
    >>> sorted((h, t) for h, _, t in variant_edges(es))
    [('method:llama31', 'method:llama'), ('method:llama3170b', 'method:llama31')]
    """
    out = {}
    for uid, cands in (family_table(entities) if table is None else table).items():
        hit = choose_family(cands, entities.__contains__)
        if hit:
            props = variant_props(hit[1])
            if props["confidence"] >= min_confidence:
                out[(uid, LABEL, hit[0])] = props
    return out
