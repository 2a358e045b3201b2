"""Domain records that flow one way through kg.

documents → :class:`PaperRecord` → :class:`Mention` / :class:`Relation`
(per record) → resolved :class:`Entity` → :class:`kg.graph.KnowledgeGraph`.

These are plain dataclasses so that readers, the extractor and the resolver
can be tested in isolation and cached as JSON.
"""
from __future__ import annotations

import operator
from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = [
    "ENTITY_TYPES", "RELATION_TYPES", "Section", "PaperRecord", "Skipped",
    "Mention", "Evidence", "Relation", "Result", "Entity", "DocumentResult", "Citation",
]

ENTITY_TYPES = ("Method", "Benchmark", "Dataset", "Organization")
#: relation label (Neo4j style) for each relation type of ANNOTATION.md
RELATION_TYPES = {
    "proposedBy": "PROPOSED_BY",
    "evaluatedOn": "EVALUATED_ON",
    "improvesOn": "IMPROVES_ON",
    "basedOn": "BASED_ON",
    "variantOf": "VARIANT_OF",  # member → family, read from the resolved names (:mod:`kg.families`)
}


def pickled_by_fields(cls):
    """Pickle as ``cls(*fields)``: a slotted dataclass otherwise pickles through
    a Python ``__getstate__`` that looks up its fields for every object, and a
    100k-record build pickles millions of them (worker results, cache, state)."""
    names = [f.name for f in fields(cls)]
    values = operator.attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))

    def __reduce__(self):
        return cls, values(self)
    cls.__reduce__ = __reduce__
    return cls


@pickled_by_fields
@dataclass(slots=True)
class Section:
    """One titled part of a paper record.

    ``role`` tells the extractor what kind of statements to expect:
    ``title``, ``contribution``, ``method``, ``experiment``, ``body``,
    ``motivation``, ``limitation`` or ``future``.
    """

    name: str
    role: str
    text: str
    line: int  # 1-based line of the section's first text line in the source


@pickled_by_fields
@dataclass(slots=True)
class PaperRecord:
    """The part of one review document that discusses one paper."""

    arxiv_id: str
    title: str
    url: str
    source: str
    line_start: int
    line_end: int
    format: str
    review_date: str | None = None
    orgs: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    votes: int | None = None
    sections: list[Section] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)  # arXiv ids this review only cites

    @property
    def record_id(self) -> str:
        """Stable identifier of this review (not of the paper)."""
        return f"{self.source}#L{self.line_start}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PaperRecord":
        d = dict(d)
        d["sections"] = [Section(**s) for s in d.get("sections", [])]
        return cls(**d)


@pickled_by_fields
@dataclass(slots=True)
class Skipped:
    """A block that looked like a paper record but could not become one."""

    source: str
    line: int
    reason: str
    excerpt: str = ""
    paper: str = ""  # the arXiv id, when what was skipped is an id the document names


@pickled_by_fields
@dataclass(slots=True)
class Citation:
    """An arXiv id a document names without reviewing it (related work, similar papers)."""

    paper: str
    source: str
    line: int
    cited_by: str | None = None  # the arXiv id of the citing record, if the id sits in one


@pickled_by_fields
@dataclass(slots=True)
class Evidence:
    """Where a statement comes from: one sentence of one review."""

    sentence: str
    source: str
    line: int
    paper: str
    section: str = ""


@pickled_by_fields
@dataclass(slots=True)
class Mention:
    """A name found in a paper record, with the type the extractor gave it."""

    text: str
    type: str
    paper: str
    source: str
    line: int
    type_scores: dict[str, float] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    own: bool = False  # the record's own contribution
    confidence: float = 1.0  # the mention model's probability that this is an entity of some type
    #: shorter forms the record used for this name that name its family elsewhere (``Kuwain`` for
    #: ``Kuwain 1.5B``): they resolve to it within the paper, but are not its aliases across the build
    variants: list[str] = field(default_factory=list)
    #: the first sentence naming it, kept only when the record states no relation of it: the
    #: evidence of the paper's MENTIONS relationship (:func:`kg.graph.paper_mentions`)
    sentence: str = ""


@pickled_by_fields
@dataclass(slots=True)
class Result:
    """A score a record reports (:mod:`kg.pipeline.results`): of ``method`` (a mention text of
    the record, or ``@paper`` for its own) on ``benchmark`` (a mention text), as written."""

    method: str
    benchmark: str
    metric: str | None
    value: float
    unit: str | None
    kind: str
    sentence: str
    line: int


@pickled_by_fields
@dataclass(slots=True)
class Relation:
    """A typed statement between two mention texts (or ``@paper``)."""

    head: str
    type: str
    tail: str
    paper: str
    confidence: float
    evidence: Evidence


@pickled_by_fields
@dataclass(slots=True)
class Entity:
    """A resolved entity: one node of the graph."""

    uid: str
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    papers: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    #: family forms its papers used for it (:attr:`Mention.variants`): resolved within those papers, never aliases
    variants: set[str] = field(default_factory=set)
    #: how many mentions used each surface form: the most used good spelling names the node
    forms: dict[str, int] = field(default_factory=dict)


@pickled_by_fields
@dataclass(slots=True)
class DocumentResult:
    """What a reader made of one file."""

    path: str
    format: str
    records: list[PaperRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    citations: list[Citation] = field(default_factory=list)
