"""``kg build``: review documents in, one KnowledgeGraph out.

read (per file, format detected) → paper records → extraction (kg.pipeline) →
resolution → graph. Every paper block ends up either in the graph or in
``report["skipped"]`` with a reason.
"""
from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Iterable

from .gcpolicy import gc_paused
from .provenance import input_roots, shown
from .process import process_files
from .graph import KnowledgeGraph, named_in, paper_links, paper_uid, relation_fits
from .model import RELATION_TYPES, DocumentResult, PaperRecord, Relation, Result
from .families import family_table, variant_edges
from .resolve import GroupResolution, clusters, resolve_group

if TYPE_CHECKING:
    from .extract import RecordExtraction

__all__ = ["build", "collect_files", "graph_from", "graph_and_resolution", "make_report", "doc_summary",
           "InputError", "REVIEW_SUFFIXES"]

REVIEW_SUFFIXES = (".md", ".mdx", ".markdown", ".txt", ".html", ".htm")


class InputError(Exception):
    """An input path that does not exist (a usage error, not bad content)."""


def collect_files(paths: Iterable[str]) -> list[str]:
    """Files named directly, plus review files found under folders (sorted).

    What cannot be read is kept in the list, so that its reader reports it with
    its path (:func:`kg.readers.common.special_file`): a folder that cannot be
    listed, a link that leads nowhere or in a loop, a FIFO or a device. Only a
    path that does not exist at all is a usage error."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            def unlisted(err: OSError) -> None:
                out.append(err.filename)  # reported as unreadable, never silently left out
            for root, dirs, files in os.walk(p, onerror=unlisted):
                # hidden folders and kg's own output folders (graph.html names every paper) are not reviews
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _is_output(os.path.join(root, d)))
                out += [os.path.join(root, f) for f in sorted(files)
                        if f.lower().endswith(REVIEW_SUFFIXES) and f.upper() != "SOURCES.MD"]
        elif os.path.lexists(p):
            out.append(p)
        else:
            raise InputError(f"input path not found: {p}")
    return sorted(dict.fromkeys(out))


def _is_output(folder: str) -> bool:
    """Whether a folder holds a kg build's outputs (the lock a build leaves, or its graph.jsonl)."""
    from .outdir import LOCK
    return os.path.exists(os.path.join(folder, LOCK)) or os.path.exists(os.path.join(folder, "graph.jsonl"))


class Resolution:
    """What resolving a build produced, kept for the build state: the
    resolution groups, and per paper its name lookups and relationships."""

    def __init__(self) -> None:
        self.groups: list[tuple[list, GroupResolution]] = []   # (mentions, their resolution) per group
        self.paper_lookup: dict[str, dict[str, str]] = defaultdict(dict)
        self.paper_rels: dict[str, list[Relation]] = defaultdict(list)
        self.paper_results: dict[str, list[tuple[str, Result]]] = defaultdict(list)  # (source, result)
        self.edges: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
        self.dropped: dict[str, int] = defaultdict(int)
        self.families: dict[str, list[tuple[str, str]]] = {}  # member uid → its family candidates
        self.variants: dict[tuple[str, str, str], dict] = {}  # the VARIANT_OF relationships chosen
        self.named: dict[str, dict[tuple[str, str], tuple[str, int]]] = {}  # per paper, where it names what
        self.links: dict[str, list[tuple[str, str, str]]] = {}  # per paper, its result and MENTIONS relationships


def paper_edges(aid: str, rels: list[Relation], lookup: dict[str, str]) -> tuple[list, int]:
    """One paper's relations with both ends resolved: ([((head, LABEL, tail), relation)], dropped),
    where dropped counts relations whose resolved ends cannot carry the relation."""
    out, dropped = [], 0
    for r in rels:
        h = paper_uid(aid) if r.head == "@paper" else lookup.get(r.head)
        t = paper_uid(aid) if r.tail == "@paper" else lookup.get(r.tail)
        if h and t:
            if relation_fits(h, r.type, t):
                out.append(((h, RELATION_TYPES[r.type], t), r))
            else:
                dropped += 1
    return out, dropped


def graph_from(records: list[PaperRecord], extractions: list["RecordExtraction"],
               min_confidence: float = 0.0) -> KnowledgeGraph:
    """Resolve the extractions of all records and assemble the graph."""
    return graph_and_resolution(records, extractions, min_confidence)[0]


def graph_and_resolution(records: list[PaperRecord], extractions: list["RecordExtraction"],
                         min_confidence: float = 0.0) -> tuple[KnowledgeGraph, Resolution]:
    """Resolve the extractions group by group (:func:`kg.resolve.clusters`) and
    assemble the graph; also return the resolution, for the build state."""
    kg = KnowledgeGraph()
    kg.add_papers(records)
    res = Resolution()
    entities: dict = {}
    for ms in clusters([m for x in extractions for m in x.mentions]):
        group = resolve_group(ms)
        entities.update(group.entities)
        for (paper, text), uid in group.lookup.items():
            res.paper_lookup[paper][text] = uid
        res.groups.append((ms, group))
    kg.add_entities(entities)
    res.families = family_table(entities)
    res.variants = variant_edges(entities, min_confidence, res.families)
    kg.add_variants(res.variants)
    for x in extractions:
        res.paper_rels[x.record.arxiv_id] += x.relations
        res.paper_results[x.record.arxiv_id] += [(x.record.source, r) for r in x.results]
    related: dict[str, set[str]] = {}
    for aid, rels in res.paper_rels.items():
        edges, res.dropped[aid] = paper_edges(aid, rels, res.paper_lookup.get(aid, {}))
        related[aid] = {end for (h, _, t), _ in edges for end in (h, t)}
        for key, r in edges:
            res.edges[key].append(r)
    kg.add_edges(res.edges, min_confidence)
    mentions: dict[str, list] = defaultdict(list)
    for x in extractions:
        mentions[x.record.arxiv_id] += x.mentions
    for aid in sorted(res.paper_rels):
        res.named[aid] = named_in(mentions[aid])
        nodes, links = paper_links(aid, res.named[aid], res.paper_results.get(aid, []),
                                   res.paper_lookup.get(aid, {}), related[aid], min_confidence)
        kg.add_results(nodes, links)
        res.links[aid] = list(links)
    kg.dropped_relations = sum(res.dropped.values())
    return kg, res


def build(paths: Iterable[str] | str, *, min_confidence: float = 0.0, jobs: int | None = None,
          cache_dir: str | None = None, keep_state: bool = False) -> KnowledgeGraph:
    """Build the knowledge graph of the review files under ``paths``.

    Parameters
    ----------
    paths : files and/or folders (folders are searched for review files: :data:`REVIEW_SUFFIXES`)
    min_confidence : drop relationships whose merged confidence is below this
    jobs : worker processes for extraction (default: the number of cores)
    cache_dir : where per-file extraction results are cached by content hash
        (None: no cache); a rebuild re-extracts only new or changed files
    keep_state : keep what :func:`kg.incremental.save_state` needs on the graph

    Returns
    -------
    KnowledgeGraph, with ``.report`` describing what was read and skipped.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [str(paths)]
    with input_roots(paths):
        return _build(paths, min_confidence, jobs, cache_dir, keep_state)


def _build(paths: list[str], min_confidence: float, jobs: int | None, cache_dir: str | None,
           keep_state: bool) -> KnowledgeGraph:
    t0 = time.perf_counter()
    files = collect_files(paths)
    t1 = time.perf_counter()
    with gc_paused():
        results = process_files(files, jobs, cache_dir)
        docs = [r.doc for r in results]
        records = [rec for d in docs for rec in d.records]
        extractions = [x for r in results for x in r.extractions]
        t2 = time.perf_counter()
        kg, resolution = graph_and_resolution(records, extractions, min_confidence)
    t3 = time.perf_counter()
    if keep_state:
        kg.build_inputs = (files, results, records, resolution)  # for kg.incremental.save_state
    del resolution
    cached = sum(r.cached for r in results)
    del results, extractions  # the graph holds what outputs need; free the rest before writers run
    kg.report = make_report([doc_summary(d) for d in docs], kg.counts(), kg.dropped_relations,
                            {"collect": t1 - t0, "read+extract": t2 - t1, "resolve": t3 - t2})
    kg.report["files_from_cache"] = cached
    return kg


def doc_summary(doc: DocumentResult) -> dict:
    """What the report (and the build state) keeps of a read file."""
    return {"path": doc.path, "format": doc.format, "encoding": doc.encoding, "records": len(doc.records),
            "aids": sorted({r.arxiv_id for r in doc.records}), "skipped": doc.skipped, "warnings": doc.warnings,
            "cited": sorted({c.paper for c in doc.citations})}


def accounting(files: list[dict]) -> dict[str, int]:
    """Where every arXiv id of the input went, counted per (document, paper): each id a
    document names is one of its records, cited only, or skipped with a reason."""
    records = sum(len(d["aids"]) for d in files)
    cited = sum(len(d.get("cited", ())) for d in files)
    skipped = sum(len({s.paper for s in d["skipped"] if s.paper}) for d in files)
    return {"papers_in_input": records + cited + skipped, "records": records, "cited_only": cited,
            "skipped": skipped}


def make_report(files: list[dict], counts: dict, dropped: int, timings: dict[str, float]) -> dict:
    """The build report from file summaries (:func:`doc_summary`) and graph counts."""
    return {
        "files_read": len(files),
        "formats": dict(sorted(Counter(d["format"] for d in files).items())),
        "files": [{"path": shown(d["path"]), "format": d["format"], "encoding": d["encoding"],
                   "records": d["records"], "skipped": len(d["skipped"])} for d in files],
        "paper_records": sum(d["records"] for d in files),
        "papers": counts["nodes"].get("Paper", 0),
        "arxiv_ids": accounting(files),
        "entities": {k: v for k, v in counts["nodes"].items() if k != "Paper"},
        "relationships": counts["relationships"],
        "relations_dropped_type_conflict": dropped,
        "skipped": [{"source": shown(s.source), "line": s.line, "reason": _shown_in(s.reason, s.source),
                     "excerpt": s.excerpt} for d in files for s in d["skipped"]],
        "warnings": [_shown_in(w, d["path"]) for d in files for w in d["warnings"]],
        "seconds": rounded(timings),
    }


def _shown_in(text: str, path: str) -> str:
    """A message naming ``path`` as the outputs name it (:func:`kg.provenance.shown`)."""
    return text.replace(path, shown(path)) if path and path in text else text


def rounded(timings: dict[str, float]) -> dict[str, float]:
    """Stage timings as the report keeps them (milliseconds)."""
    return {k: round(v, 3) for k, v in timings.items()}


def summary_text(report: dict) -> str:
    """The short printed summary of a build."""
    lines = [f"files read: {report['files_read']}  formats: " +
             ", ".join(f"{k}={v}" for k, v in report["formats"].items()),
             f"paper records: {report['paper_records']}  papers: {report['papers']}",
             "arXiv ids per document: {papers_in_input} in input = {records} records + {cited_only} cited only"
             " + {skipped} skipped".format(**report.get("arxiv_ids", accounting([]))),
             "entities: " + (", ".join(f"{k}={v}" for k, v in report["entities"].items()) or "none"),
             "relationships: " + (", ".join(f"{k}={v}" for k, v in report["relationships"].items()) or "none"),
             f"skipped records: {len(report['skipped'])}"]
    for s in report["skipped"][:20]:
        lines.append(f"  {s['source']}:{s['line']}: {s['reason']}")
    if len(report["skipped"]) > 20:
        lines.append(f"  … {len(report['skipped']) - 20} more in report.json")
    return "\n".join(lines)
