"""The one graph model every output is written from.

:class:`KnowledgeGraph` wraps a :class:`networkx.MultiDiGraph` whose nodes are
Papers and resolved entities (keyed by stable uids such as
``paper:2504.16084`` or ``method:ttrl``) and whose edges are typed relations
(``PROPOSED_BY``, ``EVALUATED_ON``, ``IMPROVES_ON``, ``BASED_ON``) carrying
``papers``, ``evidence``, ``sources`` and ``confidence``, plus ``VARIANT_OF``
(a member to its family: ``Llama-3.1-70B`` → ``Llama 3.1``), which names,
not sentences, state (``basis``, no evidence of its own; :mod:`kg.families`).

Exporters read this model only; they never look at documents again.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable


from .export.elements import label_of
from .provenance import shown, source_ref
from .model import RELATION_TYPES, Entity, PaperRecord, Relation, Result

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KnowledgeGraph", "paper_uid", "paper_links", "paper_mentions", "named_in", "MENTIONS", "paper_props", "entity_props", "relation_props", "relation_fits",
           "paper_results", "RESULT_LABELS"]


def paper_uid(arxiv_id: str) -> str:
    return f"paper:{arxiv_id}"


def _noisy_or(confs: Iterable[float]) -> float:
    """Independent evidence combined: 1 - Π(1 - c), capped at 0.99."""
    p = 1.0
    for c in confs:
        p *= 1.0 - min(max(c, 0.0), 1.0)
        if p <= 0.01:
            break  # already at the cap
    return round(min(1.0 - p, 0.99), 3)


def paper_props(aid: str, records: list[PaperRecord]) -> dict[str, Any]:
    """A Paper node's properties from every review of it."""
    recs = sorted(records, key=lambda r: (r.review_date or "", r.source, r.line_start))
    titles = [r.title for r in recs if r.title and r.title != aid]
    votes = [r.votes for r in recs if r.votes is not None]
    dates = sorted({r.review_date for r in recs if r.review_date})
    return {
        "arxiv_id": aid,
        "title": max(titles, key=len) if titles else aid,
        "url": f"https://arxiv.org/abs/{aid}",
        "hf_url": f"https://huggingface.co/papers/{aid}",
        "review_dates": dates,
        "first_reviewed": dates[0] if dates else None,
        "authors": next((r.authors for r in recs if r.authors), []),
        "votes": max(votes) if votes else None,
        "org_tags": sorted({o for r in recs for o in r.orgs}),
        "reviews": [source_ref(r.source, f"{r.line_start}-{r.line_end}") for r in recs],
        "formats": sorted({r.format for r in recs}),
        "cites": sorted({c for r in recs for c in r.cites} - {aid}),
        "papers": [aid],
    }


def entity_props(e: Entity) -> dict[str, Any]:
    return {"name": e.name, "aliases": sorted(e.aliases), "papers": sorted(e.papers),
            "sources": sorted(shown(s) for s in e.sources)}


def relation_props(rs: list[Relation]) -> dict[str, Any]:
    """One relationship from every statement of it: papers, the five most
    confident distinct evidence sentences, sources and noisy-OR confidence."""
    if len(rs) == 1:  # most relationships are stated once: skip the sorting and merging
        r = rs[0]
        return {"papers": [r.paper], "evidence": [r.evidence.sentence],
                "sources": [source_ref(r.evidence.source, r.evidence.line)], "confidence": _noisy_or((r.confidence,))}
    evid, seen = [], set()
    for r in sorted(rs, key=lambda r: (-r.confidence, r.evidence.source, r.evidence.line)):
        if r.evidence.sentence not in seen:
            seen.add(r.evidence.sentence)
            evid.append(r.evidence)
    return {
        "papers": sorted({r.paper for r in rs}),
        "evidence": [e.sentence for e in evid[:5]],
        "sources": sorted({source_ref(r.evidence.source, r.evidence.line) for r in rs}),
        "confidence": _noisy_or(r.confidence for r in rs),
    }


#: how a Result node is joined: (Paper)-[:REPORTS]->(Result)-[:MEASURED_ON]->(Benchmark|Dataset), and
#: (Method)-[:ACHIEVES]->(Result) when the review names the method the score is of
RESULT_LABELS = ("REPORTS", "MEASURED_ON", "ACHIEVES")


#: how sure the rule-based result finder is of a score it ties to a benchmark (no learned model yet)
RESULT_CONFIDENCE = 0.8


def paper_results(aid: str, items: list[tuple[str, Result]], lookup: dict[str, str],
                  min_confidence: float = 0.0) -> tuple[dict, dict]:
    """One paper's Result nodes and their relationships, from its records' results
    (``(source, Result)``) and its name lookup: (uid → properties, (head, LABEL, tail) → properties).

    A Result keeps the names as the review wrote them (``benchmark``, ``method``; None for the
    paper's own method); the resolved nodes are the ends of its relationships. So a Result
    depends only on its paper: an update re-renders it only when that paper changes.
    The same score stated twice (two reviews, or a sentence and a table) is one node.
    """
    merged: dict[str, list[tuple[str, Result]]] = defaultdict(list)
    if RESULT_CONFIDENCE < min_confidence:
        return {}, {}
    for source, r in items:
        bench = lookup.get(r.benchmark)
        if bench is None or bench.split(":", 1)[0] not in ("benchmark", "dataset"):
            continue  # its benchmark did not resolve to a Benchmark or Dataset node
        method = None if r.method == "@paper" else lookup.get(r.method)
        if method is not None and not method.startswith("method:"):
            method = None
        key = "\x1f".join((bench, method or "@paper", repr(r.value), r.unit or "", r.metric or ""))
        uid = "result:" + aid + ":" + hashlib.sha1(key.encode()).hexdigest()[:12]
        merged[uid].append((source, r))
    nodes, edges = {}, {}
    for uid, rs in merged.items():
        first = min(rs, key=lambda x: (x[0], x[1].line))[1]
        nodes[uid] = {"papers": [aid], "benchmark": first.benchmark,
                      "method": None if first.method == "@paper" else first.method,
                      "value": first.value, "unit": first.unit, "metric": first.metric, "kind": first.kind,
                      "evidence": sorted({r.sentence for _, r in rs})[:5],
                      "sources": sorted({source_ref(src, r.line) for src, r in rs}), "confidence": RESULT_CONFIDENCE}
        link = {"papers": [aid], "confidence": RESULT_CONFIDENCE}
        edges[(paper_uid(aid), "REPORTS", uid)] = link
        edges[(uid, "MEASURED_ON", lookup[first.benchmark])] = dict(link)
        if first.method != "@paper" and (m := lookup.get(first.method, "")).startswith("method:"):
            edges[(m, "ACHIEVES", uid)] = dict(link)
    return nodes, edges


#: (Paper)-[:MENTIONS]->(entity): the paper's record names the entity but states no typed
#: relation of it, so the entity is joined to the paper it came from rather than to nothing
MENTIONS = "MENTIONS"
#: a name found in the record: what is uncertain is its type and resolution, not that it is there
MENTION_CONFIDENCE = 0.9
_ENTITY_PREFIXES = ("method:", "benchmark:", "dataset:", "organization:")


def paper_mentions(aid: str, named: dict[tuple[str, str], tuple[str, int]], lookup: dict[str, str],
                   related: set[str]) -> dict[tuple[str, str, str], dict]:
    """One paper's MENTIONS relationships: every entity its name ``lookup`` resolves to that is
    not in ``related`` (the ends of the typed relationships the paper states), with the
    sentence that names it as evidence (``named``: (text, source) → (sentence, line), from
    :func:`named_in`; the name itself when none was kept).

    Like a paper's results, these depend only on the paper (its mentions and lookup), so an
    update re-renders them only when that paper changes.
    """
    by_uid: dict[str, list[str]] = defaultdict(list)
    for text, uid in lookup.items():
        if uid.startswith(_ENTITY_PREFIXES) and uid not in related:
            by_uid[uid].append(text)
    places: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for (text, source), (sentence, line) in named.items():
        places[text].append((source, line, sentence or text))
    edges = {}
    for uid in sorted(by_uid):
        where = sorted(w for t in by_uid[uid] for w in places.get(t, ()))
        source, line, sentence = where[0] if where else ("", 0, min(by_uid[uid]))
        edges[(paper_uid(aid), MENTIONS, uid)] = {"papers": [aid], "evidence": [sentence],
                                                 "sources": [source_ref(source, line)] if source else [],
                                                 "confidence": MENTION_CONFIDENCE}
    return edges


def named_in(mentions) -> dict[tuple[str, str], tuple[str, int]]:
    """Where a paper's mentions first name each text in each file: (text, source) → (sentence, line).
    Kept per file, so an update that removes a file drops exactly what that file said."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for m in sorted(mentions, key=lambda m: (m.source, m.line)):
        out.setdefault((m.text, m.source), (m.sentence, m.line))
    return out


def paper_links(aid: str, named: dict[tuple[str, str], tuple[str, int]], items: list[tuple[str, Result]],
                lookup: dict[str, str], related: set[str], min_confidence: float = 0.0) -> tuple[dict, dict]:
    """What a paper adds beside its typed relationships: its Result nodes and their
    relationships (:func:`paper_results`) and its MENTIONS (:func:`paper_mentions`)."""
    nodes, edges = paper_results(aid, items, lookup, min_confidence)
    if MENTION_CONFIDENCE >= min_confidence:
        edges.update(paper_mentions(aid, named, lookup, related))
    return nodes, edges


FITS = {
    "proposedBy": ({"Method", "Benchmark", "Dataset"}, {"Paper"}),
    "evaluatedOn": ({"Paper", "Method"}, {"Benchmark", "Dataset"}),
    "improvesOn": ({"Paper", "Method"}, {"Method"}),
    "basedOn": ({"Method"}, {"Method"}),
    "variantOf": ({"Method", "Benchmark", "Dataset"}, {"Method", "Benchmark", "Dataset"}),
}


def relation_fits(h: str, t: str, tl: str) -> bool:
    """A relation whose ends were resolved to types it cannot join (e.g.
    evaluatedOn a Method, after the build-wide type vote), or to one node, is dropped."""
    if h == tl:
        return False
    hl, tll = label_of(h), label_of(tl)
    if t == "proposedBy" and (hl, tll) == ("Paper", "Organization"):
        return True
    heads, tails = FITS[t]
    return hl in heads and tll in tails


class KnowledgeGraph:
    """Papers, entities and relations of a build, plus its report.

    Examples
    --------
    >>> import kg
    >>> g = kg.build(["examples"])          # doctest: +SKIP
    >>> g.to_networkx().number_of_nodes()    # doctest: +SKIP
    """

    def __init__(self) -> None:
        import networkx as nx  # here, not at import: an in-place update builds no graph (~0.17 s)
        self.g = nx.MultiDiGraph()
        self.report: dict[str, Any] = {}

    @classmethod
    def from_jsonl(cls, path: str) -> "KnowledgeGraph":
        """Load a build's graph.jsonl (views and queries read this, never the reviews)."""
        import json
        import os
        if os.path.isdir(path):
            path = os.path.join(path, "graph.jsonl")
        kg = cls()
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                o = json.loads(line)
                if o["type"] == "node":
                    kg.g.add_node(o["id"], labels=o["labels"], properties=o["properties"])
                else:
                    kg.g.add_edge(o["start"]["id"], o["end"]["id"], key=o["label"], label=o["label"],
                                  properties=o["properties"])
        report = os.path.join(os.path.dirname(path), "report.json")
        if os.path.exists(report):
            with open(report, encoding="utf-8") as fh:
                kg.report = json.load(fh)
        return kg

    def subgraph(self, uids) -> "KnowledgeGraph":
        """A KnowledgeGraph restricted to ``uids`` (for focused views)."""
        sub = KnowledgeGraph()
        sub.g = self.g.subgraph(uids).copy()
        sub.report = self.report
        return sub

    # ---- construction -------------------------------------------------
    def add_papers(self, records: list[PaperRecord]) -> None:
        by_id: dict[str, list[PaperRecord]] = defaultdict(list)
        for r in records:
            by_id[r.arxiv_id].append(r)
        for aid in sorted(by_id):
            self.g.add_node(paper_uid(aid), labels=["Paper"], properties=paper_props(aid, by_id[aid]))

    def add_entities(self, entities: dict[str, Entity]) -> None:
        for uid in sorted(entities):
            e = entities[uid]
            self.g.add_node(uid, labels=[e.type], properties=entity_props(e))

    def add_relations(self, rels: list[tuple[str, str, str, Relation]], min_confidence: float = 0.0) -> None:
        """``rels``: (head uid, relation type, tail uid, Relation); merged per (head, type, tail)."""
        grouped: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
        self.dropped_relations = 0
        for h, t, tl, r in rels:
            if relation_fits(h, t, tl):
                grouped[(h, RELATION_TYPES[t], tl)].append(r)
            else:
                self.dropped_relations += 1
        self.add_edges(grouped, min_confidence)

    def add_edges(self, edges: dict[tuple[str, str, str], list[Relation]], min_confidence: float = 0.0) -> None:
        """``edges``: (head uid, LABEL, tail uid) → its statements (already type-checked)."""
        for (h, label, t) in sorted(edges):
            props = relation_props(edges[(h, label, t)])
            if props["confidence"] >= min_confidence:
                self.g.add_edge(h, t, key=label, label=label, properties=props)

    def add_results(self, nodes: dict[str, dict], edges: dict[tuple[str, str, str], dict]) -> None:
        """Result nodes and their relationships (:func:`paper_results`)."""
        for uid in sorted(nodes):
            self.g.add_node(uid, labels=["Result"], properties=nodes[uid])
        for (h, label, t) in sorted(edges):
            self.g.add_edge(h, t, key=label, label=label, properties=edges[(h, label, t)])

    def add_variants(self, edges: dict[tuple[str, str, str], dict]) -> None:
        """``edges``: (member uid, VARIANT_OF, family uid) → properties (:func:`kg.families.variant_edges`)."""
        for (h, label, t) in sorted(edges):
            self.g.add_edge(h, t, key=label, label=label, properties=edges[(h, label, t)])

    # ---- access ---------------------------------------------------------
    def nodes(self, label: str | None = None):
        """(uid, labels, properties) for every node, optionally of one label."""
        for uid, data in self.g.nodes(data=True):
            if label is None or label in data["labels"]:
                yield uid, data["labels"], data["properties"]

    def edges(self, label: str | None = None):
        """(head uid, label, tail uid, properties) for every relationship."""
        for h, t, data in self.g.edges(data=True):
            if label is None or data["label"] == label:
                yield h, data["label"], t, data["properties"]

    def find(self, name: str, label: str | None = None) -> list[str]:
        """uids whose name, alias, arXiv id or title matches ``name`` (normalised)."""
        from .pipeline.shapes import norm_key
        k = norm_key(name)
        out = []
        for uid, labels, p in self.nodes(label):
            keys = {norm_key(p.get("name", "")), norm_key(p.get("title", ""))}
            keys |= {norm_key(a) for a in p.get("aliases", [])}
            if k in keys or name.strip() == p.get("arxiv_id"):
                out.append(uid)
        return out

    def counts(self) -> dict[str, dict[str, int]]:
        nodes: dict[str, int] = defaultdict(int)
        edges: dict[str, int] = defaultdict(int)
        for _, labels, _ in self.nodes():
            nodes[labels[0]] += 1
        for _, label, _, _ in self.edges():
            edges[label] += 1
        return {"nodes": dict(sorted(nodes.items())), "relationships": dict(sorted(edges.items()))}

    # ---- conversions ----------------------------------------------------
    def to_networkx(self) -> nx.MultiDiGraph:
        """A copy with flat node/edge attributes (``label``, ``name`` …) for analysis."""
        import networkx as nx
        out = nx.MultiDiGraph()
        for uid, labels, p in self.nodes():
            out.add_node(uid, label=labels[0], **p)
        for h, label, t, p in self.edges():
            out.add_edge(h, t, key=label, label=label, **p)
        return out

    def to_pandas(self):
        """``(nodes, relationships)`` as pandas DataFrames: one row per node (``id``, ``label``
        and its properties) and per relationship (``source``, ``type``, ``target`` and its
        properties); pandas is optional (``pip install 'kg[pandas]'``)."""
        from .query import to_frame
        nodes = [{"id": uid, "label": labels[0], **p} for uid, labels, p in self.nodes()]
        rels = [{"source": h, "type": label, "target": t, **p} for h, label, t, p in self.edges()]
        ncols = ["id", "label"] + sorted({k for r in nodes for k in r} - {"id", "label"})
        rcols = ["source", "type", "target"] + sorted({k for r in rels for k in r} - {"source", "type", "target"})
        return (to_frame(ncols, [[r.get(c) for c in ncols] for r in nodes]),
                to_frame(rcols, [[r.get(c) for c in rcols] for r in rels]))

    def query_as_df(self, sparql: str):
        """A SPARQL query over this graph's RDF, as a DataFrame (kglab's name for it)."""
        from .query import to_frame, with_prefixes
        res = self.to_rdflib().query(with_prefixes(sparql))
        cols = [str(v) for v in res.vars]
        return to_frame(cols, [[None if t is None else t.toPython() for t in row] for row in res])

    def leaderboard(self, benchmark: str, metric: str | None = None):
        """The scores reported on ``benchmark``, best first (:func:`kg.analysis.leaderboard`):
        a pandas DataFrame when pandas is installed, else a list of dicts."""
        from .analysis import leaderboard
        rows = leaderboard(self.to_networkx(), benchmark, metric)
        try:
            import pandas as pd
        except ImportError:
            return rows
        return pd.DataFrame(rows, columns=["rank", "method", "value", "unit", "metric", "benchmark", "paper", "date",
                                           "disagrees", "evidence"])

    def to_rdflib(self, store: str = "Oxigraph"):
        from .export.rdf import to_rdflib
        return to_rdflib(self, store=store)

    def write(self, out_dir: str, formats: Iterable[str] | None = None, jobs: int | None = None) -> dict[str, str]:
        """Write the named outputs (default: all registered writers) into ``out_dir``."""
        from .export import write_all
        return write_all(self, out_dir, formats, jobs)

    def write_jsonl(self, path: str) -> None:
        from .export.jsonl import write_jsonl
        write_jsonl(self, path)

    def write_rdf(self, path: str, fmt: str = "turtle") -> None:
        from .export.rdf import write_rdf
        write_rdf(self, path, fmt)

    def write_html(self, path: str, **kw) -> None:
        from .export.html import write_html
        write_html(self, path, **kw)

    def __repr__(self) -> str:
        c = self.counts()
        return f"<KnowledgeGraph nodes={c['nodes']} relationships={c['relationships']}>"
