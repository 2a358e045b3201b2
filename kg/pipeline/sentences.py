"""Sentence boundaries for review prose: line breaks and sentence-final
punctuation followed by whitespace (Korean ``…다.`` included)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

ENDERS = {".", "?", "!", "。", "？", "！"}


@Language.component("kg_sentences")
def kg_sentences(doc: Doc) -> Doc:
    for i, tok in enumerate(doc):
        if i == 0:
            tok.is_sent_start = True
            continue
        prev = doc[i - 1]
        tok.is_sent_start = ("\n" in prev.text) or (prev.text in ENDERS and bool(prev.whitespace_) or
                                                     (prev.text in ENDERS and tok.text.isspace()))
    return doc
