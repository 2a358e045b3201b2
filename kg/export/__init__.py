"""Writers, registered by name (like rdflib serializers): each takes the
KnowledgeGraph and a path. ``kg build`` runs all default writers."""
from __future__ import annotations

import json
import os
from typing import Callable, Iterable

__all__ = ["register_writer", "writers", "write_all", "DEFAULT_OUTPUTS"]

_WRITERS: dict[str, tuple[str, Callable]] = {}
DEFAULT_OUTPUTS = ("jsonl", "ttl", "html", "graphml", "neo4j_csv", "cypher", "lbdb", "report")


def register_writer(name: str, filename: str):
    def deco(fn):
        _WRITERS[name] = (filename, fn)
        return fn
    return deco


def writers() -> dict[str, tuple[str, Callable]]:
    _load()
    return dict(_WRITERS)


def write_all(kg, out_dir: str, formats: Iterable[str] | None = None) -> dict[str, str]:
    _load()
    os.makedirs(out_dir, exist_ok=True)
    import time
    written = {}
    timings = kg.report.setdefault("seconds", {})
    for name in formats or DEFAULT_OUTPUTS:
        filename, fn = _WRITERS[name]
        path = os.path.join(out_dir, filename)
        t0 = time.perf_counter()
        fn(kg, path)
        timings[f"write:{name}"] = round(time.perf_counter() - t0, 3)
        written[name] = path
    return written


@register_writer("report", "report.json")
def write_report(kg, path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(kg.report, fh, ensure_ascii=False, indent=1)


def _load() -> None:
    from . import cypher, html, jsonl, rdf  # noqa: F401
    from ..query import cypher as _embedded  # noqa: F401  (registers "lbdb")
