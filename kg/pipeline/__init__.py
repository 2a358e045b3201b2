"""The spaCy pipeline: components registered by name, assembled by :func:`make_nlp`.

>>> from kg.pipeline import make_nlp
>>> make_nlp().pipe_names
['kg_sentences', 'kg_mentions', 'kg_cues']
"""
from __future__ import annotations

import functools

__all__ = ["make_nlp", "DEFAULT_PIPES", "MixedTokenizer"]

DEFAULT_PIPES = ("kg_sentences", "kg_mentions", "kg_cues")


@functools.lru_cache(maxsize=4)
def make_nlp(pipes: tuple[str, ...] = DEFAULT_PIPES):
    """A blank multilingual spaCy pipeline with kg's tokenizer and components.

    spaCy is imported here, not with the package: the name helpers in
    :mod:`kg.pipeline.shapes` are used by resolution and need no spaCy (an
    incremental build with nothing to extract should not pay its import)."""
    import spacy

    from . import cues, mentions, sentences, tokenizer  # noqa: F401  (register components and tokenizer)
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "kg.MixedTokenizer.v1"}}})
    for name in pipes:
        nlp.add_pipe(name)
    return nlp


def __getattr__(name: str):
    if name == "MixedTokenizer":
        from .tokenizer import MixedTokenizer
        return MixedTokenizer
    raise AttributeError(name)
