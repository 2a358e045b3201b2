"""graph.jsonl in the Neo4j APOC JSON-lines export shape (``apoc.export.json``).

Node lines: ``{"type":"node","id":…,"labels":[…],"properties":{…}}``;
relationship lines: ``{"type":"relationship","id":…,"label":…,
"start":{"id":…,"labels":[…]},"end":{"id":…,"labels":[…]},"properties":{…}}``.
Ids are the graph's stable uids, so the file is importable with
``apoc.import.json`` and diffable across builds. Lines come in the canonical
element order (nodes by uid, then relationships), one element per line."""
from __future__ import annotations

import json

from . import register_format, register_writer, write_indexed
from .elements import Element, ElementFormat, elements, label_of

__all__ = ["write_jsonl", "iter_jsonl", "JsonlFormat"]

#: json.dumps(obj, ensure_ascii=False), without building a new encoder for every line
_encode = json.JSONEncoder(ensure_ascii=False).encode


def element_obj(el: Element) -> dict:
    if el.is_node:
        return {"type": "node", "id": el.uid, "labels": [el.label],
                "properties": {k: v for k, v in el.props.items() if v is not None}}
    h, t = el.uid, el.tail
    return {"type": "relationship", "id": f"{h}|{el.label}|{t}", "label": el.label,
            "start": {"id": h, "labels": [label_of(h)]}, "end": {"id": t, "labels": [label_of(t)]},
            "properties": el.props}


def iter_jsonl(kg):
    """The objects of graph.jsonl, in file order."""
    return (element_obj(el) for el in elements(kg))


@register_format
class JsonlFormat(ElementFormat):
    name = "jsonl"

    def layout(self, schema):
        return {"": ["jsonl"]}

    def sections_of(self, el, schema):
        return ["jsonl"]

    def render(self, el, section, schema) -> bytes:
        return (_encode(element_obj(el)) + "\n").encode("utf-8")


@register_writer("jsonl", "graph.jsonl")
def write_jsonl(kg, path: str) -> None:
    write_indexed(JsonlFormat(), kg, path)
