"""The extraction pipeline: components registered by name, run over token tables.

A component is a plain function ``doc -> doc`` registered with
:func:`component` (as spaCy's ``Language.component`` registers one). It reads
the section's :class:`~kg.pipeline.tokenizer.TokenTable` from
``doc.user_data["kg_tokens"]`` and writes its findings to ``doc._``, so the
same functions run on two kinds of document:

* a :class:`TableDoc`, which :func:`make_pipeline` makes and the build uses:
  the token table and nothing else. A spaCy ``Doc`` per section (a lexeme
  lookup and a C struct per token) was a tenth of extraction although nothing
  after the components reads it, and the build process need not import spaCy
  at all (about 1 s here, which an update of one day's file would wait for);
* a spaCy ``Doc``: :func:`make_nlp` returns a real spaCy pipeline with the
  same tokenizer and components, for callers who want spaCy's objects
  (``doc.sents``, spans, their own components after ours).

>>> from kg.pipeline import make_pipeline
>>> doc = make_pipeline()("LanternNet은 LongBench에서 OrbitNet보다 높은 점수를 보였다.")
>>> [c.text for c in doc._.kg_candidates]
['LanternNet', 'LongBench', 'OrbitNet']
>>> from kg.pipeline import make_nlp
>>> make_nlp().pipe_names
['kg_sentences', 'kg_mentions', 'kg_cues']
"""
from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Callable

__all__ = ["component", "make_pipeline", "make_nlp", "TableDoc", "COMPONENTS", "DEFAULT_PIPES", "DOC_ATTRS",
           "MixedTokenizer"]

DEFAULT_PIPES = ("kg_sentences", "kg_mentions", "kg_cues")
#: component name → function, filled by :func:`component` when the component modules load
COMPONENTS: dict[str, Callable] = {}
#: what the components set on ``doc._`` (spaCy Doc extensions; TableDoc attributes)
DOC_ATTRS = ("kg_candidates", "kg_sentences")


def component(name: str) -> Callable[[Callable], Callable]:
    """Register a pipeline component under ``name`` (for both kinds of pipeline)."""
    def register(fn: Callable) -> Callable:
        COMPONENTS[name] = fn
        return fn
    return register


def _load_components() -> None:
    from . import cues, mentions, sentences  # noqa: F401  (each registers its component)


class TableDoc:
    """A section as the components see it: ``user_data`` (the token table under
    ``"kg_tokens"``, plus what the caller passes, e.g. the record's known names)
    and ``_``, where components leave their results."""

    __slots__ = ("user_data", "_")

    def __init__(self, table, **user_data) -> None:
        self.user_data = {"kg_tokens": table, **user_data}
        self._ = SimpleNamespace(**dict.fromkeys(DOC_ATTRS))

    def __len__(self) -> int:
        return len(self.user_data["kg_tokens"])


@functools.lru_cache(maxsize=4)
def make_pipeline(pipes: tuple[str, ...] = DEFAULT_PIPES) -> Callable[..., TableDoc]:
    """A function ``(text, **user_data) -> TableDoc`` that tokenizes ``text`` and
    runs the components ``pipes`` in order; spaCy is not imported."""
    from .tokenizer import token_table
    _load_components()
    steps = [COMPONENTS[name] for name in pipes]

    def run(text: str, **user_data) -> TableDoc:
        doc = TableDoc(token_table(text), **user_data)
        for step in steps:
            doc = step(doc)
        return doc
    return run


@functools.lru_cache(maxsize=4)
def make_nlp(pipes: tuple[str, ...] = DEFAULT_PIPES):
    """A blank multilingual spaCy pipeline with kg's tokenizer and components,
    which find in each spaCy Doc what :func:`make_pipeline` finds in a TableDoc."""
    import spacy
    from spacy.language import Language
    from spacy.tokens import Doc

    from .tokenizer import register_tokenizer
    _load_components()
    register_tokenizer()
    for attr in DOC_ATTRS:
        if not Doc.has_extension(attr):
            Doc.set_extension(attr, default=None)
    for name, fn in COMPONENTS.items():
        if not Language.has_factory(name):
            Language.component(name, func=fn)
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "kg.MixedTokenizer.v1"}}})
    for name in pipes:
        nlp.add_pipe(name)
    return nlp


def __getattr__(name: str):
    if name == "MixedTokenizer":
        from .tokenizer import MixedTokenizer
        return MixedTokenizer
    raise AttributeError(name)
