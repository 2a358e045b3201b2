"""A tokenizer for Korean prose full of English technical names.

Technical names stay whole (``Qwen-2.5-Math-7B``, ``SNS-Bench``, ``V*``,
``HIVAU-70k``) and Korean particles split off them (``DigiData와`` →
``DigiData`` ``와``) because a Latin run and a Hangul run are separate tokens.
The text round-trips exactly (``doc.text == text``).

Examples
--------
>>> from kg.pipeline.tokenizer import token_table
>>> tt = token_table("Qwen-2.5-Math-7B와 MATH500에서")
>>> tt.words, tt.spaces
(['Qwen-2.5-Math-7B', '와', 'MATH500', '에서'], [False, True, False, False])

The spaCy tokenizer (:class:`MixedTokenizer`) makes a Doc of the same tokens:

>>> import spacy
>>> from kg.pipeline.tokenizer import MixedTokenizer
>>> nlp = spacy.blank("xx"); nlp.tokenizer = MixedTokenizer(nlp.vocab)
>>> [t.text for t in nlp("Qwen-2.5-Math-7B와 MATH500에서")]
['Qwen-2.5-Math-7B', '와', 'MATH500', '에서']
"""
from __future__ import annotations

import re
from itertools import accumulate

__all__ = ["token_table", "MixedTokenizer", "TokenTable", "register_tokenizer", "LATIN_CHARS", "TOKEN_RE"]

LATIN_CHARS = r"A-Za-z0-9\u00C0-\u024F\u0370-\u03FF"
_WORD = (rf"[A-Z]\*(?!\*)"                                  # V*
         rf"|[{LATIN_CHARS}](?:[{LATIN_CHARS}\-\.\+/_&^]*[{LATIN_CHARS}\+])?"  # names, numbers
         r"|[\uAC00-\uD7A3\u1100-\u11FF\u3131-\u318E]+")   # Hangul run
TOKEN_RE = re.compile(_WORD + r"|\s+|\S")  # whitespace runs are kept; any other character is a token
#: the same tokens, each with the one space after it that spaCy keeps as a flag
_SPLIT_RE = re.compile(rf"((?:{_WORD})|\S)( ?)|(\s+)")


class TokenTable:
    """Token texts, trailing-space flags and character offsets of a text."""

    __slots__ = ("words", "spaces", "starts", "text")

    def __init__(self, words: list[str], spaces: list[bool], starts: list[int], text: str = ""):
        # ``text`` is the original string: spaCy's ``doc.text`` re-joins every token on each access
        self.words, self.spaces, self.starts, self.text = words, spaces, starts, text

    def __len__(self) -> int:
        return len(self.words)

    def end(self, i: int) -> int:
        """Character offset just after token ``i``."""
        return self.starts[i] + len(self.words[i])

    def token_at(self, char: int) -> int:
        """Index of the token containing (or, in whitespace, following) ``char``."""
        from bisect import bisect_right
        return max(0, bisect_right(self.starts, char) - 1)

    def span(self, start_char: int, end_char: int) -> tuple[int, int] | None:
        """Token range covering [start_char, end_char) (expanded to token edges)."""
        if not self.words or end_char <= start_char:
            return None
        i = self.token_at(start_char)
        if self.end(i) <= start_char:
            i += 1
        j = self.token_at(end_char - 1) + 1
        return (i, j) if i < j else None


def token_table(text: str) -> TokenTable:
    """The tokens of ``text`` as a :class:`TokenTable` (what the components read)."""
    # one C-level findall; a space right after a token becomes its trailing-space flag
    parts = _SPLIT_RE.findall(text)
    words = [tok or ws for tok, _, ws in parts]
    spaces = [sp == " " for _, sp, _ in parts]
    starts = list(accumulate([len(w) + sp for w, sp in zip(words, spaces)], initial=0))
    starts.pop()
    return TokenTable(words, spaces, starts, text)


class MixedTokenizer:
    """:func:`token_table` as a spaCy tokenizer: a Doc of the same tokens,
    carrying the table in ``doc.user_data["kg_tokens"]`` for the components."""

    def __init__(self, vocab):
        from spacy.tokens import Doc
        self.vocab = vocab
        self._doc = Doc

    def __call__(self, text: str):
        tt = token_table(text)
        doc = self._doc(self.vocab, words=tt.words, spaces=tt.spaces)
        doc.user_data["kg_tokens"] = tt
        return doc

    # spaCy serialisation hooks (nothing to save: the tokenizer is rule-only)
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "MixedTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "MixedTokenizer":
        return self


def register_tokenizer() -> None:
    """Make ``{"@tokenizers": "kg.MixedTokenizer.v1"}`` usable in spaCy configs."""
    from spacy.util import registry
    registry.tokenizers.register("kg.MixedTokenizer.v1", func=_create_mixed_tokenizer)


def _create_mixed_tokenizer():
    def make(nlp):
        return MixedTokenizer(nlp.vocab)
    return make
