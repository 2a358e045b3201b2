"""``kg build``: review documents in, one KnowledgeGraph out.

read (per file, format detected) → paper records → extraction (spaCy) →
resolution → graph. Every paper block ends up either in the graph or in
``report["skipped"]`` with a reason.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from typing import Iterable

from .extract import RecordExtraction
from .process import process_files
from .graph import KnowledgeGraph, paper_uid
from .model import DocumentResult, PaperRecord
from .resolve import resolve

__all__ = ["build", "collect_files", "InputError", "REVIEW_SUFFIXES"]

REVIEW_SUFFIXES = (".md", ".mdx", ".markdown", ".txt")


class InputError(Exception):
    """An input path that does not exist (a usage error, not bad content)."""


def collect_files(paths: Iterable[str]) -> list[str]:
    """Files named directly, plus review files found under folders (sorted)."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out += [os.path.join(root, f) for f in sorted(files)
                        if f.lower().endswith(REVIEW_SUFFIXES) and f.upper() != "SOURCES.MD"]
        elif os.path.exists(p):
            out.append(p)
        else:
            raise InputError(f"input path not found: {p}")
    return sorted(dict.fromkeys(out))


def graph_from(records: list[PaperRecord], extractions: list[RecordExtraction],
               min_confidence: float = 0.0) -> KnowledgeGraph:
    """Resolve the extractions of all records and assemble the graph."""
    kg = KnowledgeGraph()
    kg.add_papers(records)
    mentions = [m for x in extractions for m in x.mentions]
    entities, lookup = resolve(mentions)
    kg.add_entities(entities)
    rels = []
    for x in extractions:
        pid = x.record.arxiv_id
        for r in x.relations:
            h = paper_uid(pid) if r.head == "@paper" else lookup.get((pid, r.head))
            t = paper_uid(pid) if r.tail == "@paper" else lookup.get((pid, r.tail))
            if h and t:
                rels.append((h, r.type, t, r))
    kg.add_relations(rels, min_confidence)
    return kg


def build(paths: Iterable[str] | str, *, min_confidence: float = 0.0, jobs: int | None = None,
          cache_dir: str | None = None) -> KnowledgeGraph:
    """Build the knowledge graph of the review files under ``paths``.

    Parameters
    ----------
    paths : files and/or folders (folders are searched for .md/.mdx/.txt)
    min_confidence : drop relationships whose merged confidence is below this
    jobs : worker processes for extraction (default: the number of cores)
    cache_dir : where per-file extraction results are cached by content hash
        (None: no cache); a rebuild re-extracts only new or changed files

    Returns
    -------
    KnowledgeGraph, with ``.report`` describing what was read and skipped.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [str(paths)]
    t0 = time.perf_counter()
    files = collect_files(paths)
    t1 = time.perf_counter()
    results = process_files(files, jobs, cache_dir)
    docs = [r.doc for r in results]
    records = [rec for d in docs for rec in d.records]
    extractions = [x for r in results for x in r.extractions]
    t2 = time.perf_counter()
    kg = graph_from(records, extractions, min_confidence)
    t3 = time.perf_counter()
    cached = sum(r.cached for r in results)
    del results, extractions  # the graph holds what outputs need; free the rest before writers run
    kg.report = make_report(docs, records, kg, {"collect": t1 - t0, "read+extract": t2 - t1, "resolve": t3 - t2})
    kg.report["files_from_cache"] = cached
    return kg


def make_report(docs: list[DocumentResult], records: list[PaperRecord], kg: KnowledgeGraph,
                timings: dict[str, float]) -> dict:
    counts = kg.counts()
    return {
        "files_read": len(docs),
        "formats": dict(sorted(Counter(d.format for d in docs).items())),
        "files": [{"path": d.path, "format": d.format, "encoding": d.encoding,
                   "records": len(d.records), "skipped": len(d.skipped)} for d in docs],
        "paper_records": len(records),
        "papers": counts["nodes"].get("Paper", 0),
        "entities": {k: v for k, v in counts["nodes"].items() if k != "Paper"},
        "relationships": counts["relationships"],
        "relations_dropped_type_conflict": getattr(kg, "dropped_relations", 0),
        "skipped": [{"source": s.source, "line": s.line, "reason": s.reason, "excerpt": s.excerpt}
                    for d in docs for s in d.skipped],
        "warnings": [w for d in docs for w in d.warnings],
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }


def summary_text(report: dict) -> str:
    """The short printed summary of a build."""
    lines = [f"files read: {report['files_read']}  formats: " +
             ", ".join(f"{k}={v}" for k, v in report["formats"].items()),
             f"paper records: {report['paper_records']}  papers: {report['papers']}",
             "entities: " + (", ".join(f"{k}={v}" for k, v in report["entities"].items()) or "none"),
             "relationships: " + (", ".join(f"{k}={v}" for k, v in report["relationships"].items()) or "none"),
             f"skipped records: {len(report['skipped'])}"]
    for s in report["skipped"][:20]:
        lines.append(f"  {s['source']}:{s['line']}: {s['reason']}")
    if len(report["skipped"]) > 20:
        lines.append(f"  … {len(report['skipped']) - 20} more in report.json")
    return "\n".join(lines)
