"""Writers, registered by name (like rdflib serializers): each takes the
KnowledgeGraph and a path. ``kg build`` runs all default writers."""
from __future__ import annotations

import json
import os
from typing import Callable, Iterable

__all__ = ["register_writer", "writers", "write_all", "write_indexed", "register_format", "element_formats", "DEFAULT_OUTPUTS"]

_WRITERS: dict[str, tuple[str, Callable]] = {}
DEFAULT_OUTPUTS = ("jsonl", "ttl", "html", "graphml", "neo4j_csv", "cypher", "lbdb", "report")


def register_writer(name: str, filename: str):
    def deco(fn):
        _WRITERS[name] = (filename, fn)
        return fn
    return deco


_FORMATS: dict = {}


def register_format(cls):
    """Class decorator: an ElementFormat that incremental builds can patch."""
    _FORMATS[cls.name] = cls()
    return cls


def element_formats() -> dict:
    """writer name → its ElementFormat, for the outputs an incremental build patches."""
    _load()
    return dict(_FORMATS)


def graph_elements(kg) -> list:
    """The graph's elements in canonical order, computed once per graph."""
    from .elements import elements
    if getattr(kg, "_elements", None) is None:
        kg._elements = elements(kg)
    return kg._elements


def write_indexed(fmt, kg, path: str):
    """Write ``kg`` element by element; keep the index when the build asks for one
    (``kg.index_dir``), so the next build can patch the file. Returns the index."""
    from .elements import save_index, write_elements
    index = write_elements(fmt, graph_elements(kg), path)
    if getattr(kg, "index_dir", None):
        os.makedirs(kg.index_dir, exist_ok=True)
        save_index(os.path.join(kg.index_dir, fmt.name + ".idx"), index)
    return index


def writers() -> dict[str, tuple[str, Callable]]:
    _load()
    return dict(_WRITERS)


#: graphs at least this big (nodes + relationships) are written by parallel workers: at 1k
#: records (~8k elements) the writers take 2 s one after another, about 1 s in two processes;
#: a few hundred elements are written before a pool would have started
PARALLEL_WRITE_ABOVE = 5_000
_FORKED_KG = None  # the graph, inherited by forked writer processes (never pickled)
#: parallel writers start longest first (their seconds at 100k records, alone:
#: lbdb 15, ttl 15, graphml 10, neo4j_csv 9, cypher 8, jsonl 7, html 1.5), so no
#: long writer starts last while the other worker idles
LONGEST_FIRST = ("lbdb", "ttl", "graphml", "neo4j_csv", "cypher", "jsonl", "html")


def _write_one(args: tuple[str, str]) -> tuple[str, float, str | None]:
    import time
    name, out_dir = args
    filename, fn = _WRITERS[name]
    t0 = time.perf_counter()
    try:
        fn(_FORKED_KG, os.path.join(out_dir, filename))
    except Exception as err:  # noqa: BLE001 - reported by the parent
        return name, 0.0, f"{type(err).__name__}: {err}"
    return name, time.perf_counter() - t0, None


def write_all(kg, out_dir: str, formats: Iterable[str] | None = None, jobs: int | None = None) -> dict[str, str]:
    """Run the writers; the report is written last so it carries every timing.

    Large graphs (see :data:`PARALLEL_WRITE_ABOVE`) are written by ``jobs``
    forked processes, each running whole writers on the inherited graph."""
    import multiprocessing as mp
    import time
    global _FORKED_KG
    from ..progress import track
    _load()
    os.makedirs(out_dir, exist_ok=True)
    names = list(formats or DEFAULT_OUTPUTS)
    work = [n for n in names if n != "report"]
    timings = kg.report.setdefault("seconds", {})
    if jobs is None:
        from ..process import default_jobs
        jobs = default_jobs()
    big = kg.g.number_of_nodes() + kg.g.number_of_edges() >= PARALLEL_WRITE_ABOVE
    if jobs > 1 and len(work) > 1 and big and "fork" in mp.get_all_start_methods():
        from ..gcpolicy import frozen, worker_init
        graph_elements(kg)  # once, before forking: every writer process inherits it
        _FORKED_KG = kg
        try:
            with frozen(), mp.get_context("fork").Pool(min(jobs, len(work)), initializer=worker_init) as pool:
                order = sorted(work, key=lambda n: LONGEST_FIRST.index(n) if n in LONGEST_FIRST else -1)
                results = list(track(pool.imap_unordered(_write_one, [(n, out_dir) for n in order]), len(order),
                                     "writing", "output"))
        finally:
            _FORKED_KG = None
        for name, secs, err in results:
            if err:
                raise RuntimeError(f"writer {name} failed: {err}")
            timings[f"write:{name}"] = round(secs, 3)
    else:
        for name in track(work, len(work), "writing", "output"):
            filename, fn = _WRITERS[name]
            t0 = time.perf_counter()
            fn(kg, os.path.join(out_dir, filename))
            timings[f"write:{name}"] = round(time.perf_counter() - t0, 3)
    if "report" in names:
        _WRITERS["report"][1](kg, os.path.join(out_dir, _WRITERS["report"][0]))
    return {n: os.path.join(out_dir, _WRITERS[n][0]) for n in names}


@register_writer("report", "report.json")
def write_report(kg, path: str) -> None:
    save_report(kg.report, path)


def save_report(report: dict, path: str) -> None:
    """report.json (also written on its own by an in-place update)."""
    with open(path + ".kgpatch", "w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=1)
    os.replace(path + ".kgpatch", path)  # a reader never sees half a report


def _load() -> None:
    from . import cypher, html, jsonl, rdf  # noqa: F401
    from ..query import cypher as _embedded  # noqa: F401  (registers "lbdb")
