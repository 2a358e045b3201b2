"""A tokenizer for Korean prose full of English technical names.

Technical names stay whole (``Qwen-2.5-Math-7B``, ``SNS-Bench``, ``V*``,
``HIVAU-70k``) and Korean particles split off them (``DigiData와`` →
``DigiData`` ``와``) because a Latin run and a Hangul run are separate tokens.
The text round-trips exactly (``doc.text == text``).

Examples
--------
>>> import spacy
>>> from kg.pipeline.tokenizer import MixedTokenizer
>>> nlp = spacy.blank("xx"); nlp.tokenizer = MixedTokenizer(nlp.vocab)
>>> [t.text for t in nlp("Qwen-2.5-Math-7B와 MATH500에서")]
['Qwen-2.5-Math-7B', '와', 'MATH500', '에서']
"""
from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry

__all__ = ["MixedTokenizer", "LATIN_CHARS", "TOKEN_RE"]

LATIN_CHARS = r"A-Za-z0-9\u00C0-\u024F\u0370-\u03FF"
TOKEN_RE = re.compile(
    rf"[A-Z]\*(?!\*)"                                      # V*
    rf"|[{LATIN_CHARS}](?:[{LATIN_CHARS}\-\.\+/_&^]*[{LATIN_CHARS}\+])?"  # names, numbers
    r"|[\uAC00-\uD7A3\u1100-\u11FF\u3131-\u318E]+"         # Hangul run
    r"|\s+"                                                # whitespace (kept)
    r"|\S"                                                 # any other character
)


class MixedTokenizer:
    """Regex tokenizer; spaCy calls it like any tokenizer."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for m in TOKEN_RE.finditer(text):
            w = m.group(0)
            if w.isspace():
                if words and not spaces[-1] and w[0] == " ":
                    spaces[-1] = True
                    w = w[1:]
                if not w:
                    continue
            words.append(w)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy serialisation hooks (nothing to save: the tokenizer is rule-only)
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "MixedTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "MixedTokenizer":
        return self


@registry.tokenizers("kg.MixedTokenizer.v1")
def create_mixed_tokenizer():
    def make(nlp):
        return MixedTokenizer(nlp.vocab)
    return make
