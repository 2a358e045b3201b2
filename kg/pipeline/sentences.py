"""Sentence boundaries for review prose: line breaks and sentence-final
punctuation followed by whitespace (Korean ``…다.`` included).

Boundaries are computed on the token table; ``doc.user_data["kg_sents"]``
keeps them as (first token, end token, start char, end char). On a spaCy Doc
they are also written with one ``Doc.from_array`` call, so ``doc.sents``
works without a Python loop over Token objects.
"""
from __future__ import annotations

from . import component

ENDERS = {".", "?", "!", "。", "？", "！"}


def sentence_table(tt) -> list[tuple[int, int, int, int]]:
    words, spaces = tt.words, tt.spaces
    starts = [0]
    for i in range(1, len(words)):
        prev = words[i - 1]
        if "\n" in prev or (prev in ENDERS and (spaces[i - 1] or words[i].isspace())):
            starts.append(i)
    out = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(words)
        out.append((s, e, tt.starts[s], tt.end(e - 1)))
    return out


@component("kg_sentences")
def kg_sentences(doc):
    tt = doc.user_data["kg_tokens"]
    sents = sentence_table(tt) if len(tt) else []
    doc.user_data["kg_sents"] = sents
    if sents and hasattr(doc, "from_array"):  # a spaCy Doc: doc.sents follows the same boundaries
        _set_sent_starts(doc, sents)
    return doc


def _set_sent_starts(doc, sents: list[tuple[int, int, int, int]]) -> None:
    import numpy as np
    from spacy.attrs import SENT_START
    arr = np.full((len(doc), 1), -1, dtype="int32")
    for s, _, _, _ in sents:
        arr[s, 0] = 1
    doc.from_array([SENT_START], arr.astype("uint64"))  # spaCy stores -1 wrapped in uint64
