"""graph.jsonl in the Neo4j APOC JSON-lines export shape (``apoc.export.json``).

Node lines: ``{"type":"node","id":…,"labels":[…],"properties":{…}}``;
relationship lines: ``{"type":"relationship","id":…,"label":…,
"start":{"id":…,"labels":[…]},"end":{"id":…,"labels":[…]},"properties":{…}}``.
Ids are the graph's stable uids, so the file is importable with
``apoc.import.json`` and diffable across builds."""
from __future__ import annotations

import json

from . import register_writer

__all__ = ["write_jsonl", "iter_jsonl"]


def iter_jsonl(kg):
    labels = {}
    for uid, lbls, props in sorted(kg.nodes(), key=lambda n: n[0]):
        labels[uid] = lbls
        yield {"type": "node", "id": uid, "labels": lbls,
               "properties": {k: v for k, v in props.items() if v is not None}}
    for h, label, t, props in sorted(kg.edges(), key=lambda e: (e[0], e[1], e[2])):
        yield {"type": "relationship", "id": f"{h}|{label}|{t}", "label": label,
               "start": {"id": h, "labels": labels[h]}, "end": {"id": t, "labels": labels[t]},
               "properties": props}


@register_writer("jsonl", "graph.jsonl")
def write_jsonl(kg, path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for obj in iter_jsonl(kg):
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
