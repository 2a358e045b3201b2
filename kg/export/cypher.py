"""Property-graph outputs for Neo4j and friends: rows for batched loading,
``neo4j-admin database import full`` CSVs, a ``load.cypher`` script for
cypher-shell, and GraphML for Gephi/yEd.

Node identity is the graph uid (``uid`` property, also the CSV ``:ID``), so
every output loads idempotently with ``MERGE (n:Label {uid: …})``.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import zlib
from collections import defaultdict

from . import register_format, register_writer, write_indexed
from ..chars import NOT_XML  # GraphML shows these as U+FFFD (the reader warns of them)
from .elements import ElementFormat, label_of

__all__ = ["node_rows", "rel_rows", "write_import_csv", "write_load_cypher", "write_graphml",
           "ARRAY_DELIMITER", "Neo4jCsvFormat", "LoadCypherFormat", "GraphmlFormat"]

#: array separator in the CSVs (printable, never in review text); neo4j-admin --array-delimiter=U+241F
ARRAY_DELIMITER = "\u241f"


def _clean_props(props: dict) -> dict:
    return {k: v for k, v in props.items() if v is not None and v != []}


def node_rows(kg) -> dict[str, list[dict]]:
    """label → [{"uid": …, "props": {…}}] (sorted, so loads are deterministic)."""
    out: dict[str, list[dict]] = defaultdict(list)
    for uid, labels, p in sorted(kg.nodes(), key=lambda n: n[0]):
        out[labels[0]].append({"uid": uid, "props": _clean_props(p)})
    return dict(out)


def rel_rows(kg) -> dict[tuple[str, str, str], list[dict]]:
    """(type, head label, tail label) → [{"h", "t", "props"}], grouped so each
    batch matches its endpoints through one label's uid index."""
    labels = {uid: lbls[0] for uid, lbls, _ in kg.nodes()}
    out: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for h, label, t, p in sorted(kg.edges(), key=lambda e: (e[1], e[0], e[2])):
        out[(label, labels[h], labels[t])].append({"h": h, "t": t, "props": _clean_props(p)})
    return dict(out)


def value_kind(values) -> str:
    """The one type a property column can have: list, bool, int, float or str.

    >>> value_kind([1, 2.5, None]), value_kind([True, 1]), value_kind([])
    ('float', 'str', 'str')
    """
    return kind_of({_tag(v) for v in values if v is not None})


_TAGS = {list: "list", bool: "bool", int: "int", float: "float", str: "other"}


def _tag(v) -> str:
    """What :func:`kind_of` needs to know about one value (its exact type,
    looked up; the ``isinstance`` rules only for other types)."""
    tag = _TAGS.get(type(v))
    if tag is None:
        tag = ("list" if isinstance(v, list) else "bool" if isinstance(v, bool) else
               "int" if isinstance(v, int) else "float" if isinstance(v, float) else "other")
    return tag


def kind_of(tags: set[str]) -> str:
    """A column's kind from the tags of its values (:func:`_tag`): one pass
    over a column collects them, however its values are visited."""
    if len(tags) == 1 and "other" not in tags:
        return next(iter(tags))
    return "float" if tags and tags <= {"int", "float"} else "str"


CSV_TYPES = {"list": "string[]", "bool": "boolean", "int": "long", "float": "double", "str": "string"}


def _cell(v) -> str:
    if v is None:
        return ""
    if type(v) is str:
        return v
    if isinstance(v, list):
        # neo4j-admin has no escape for its array delimiter: one inside a value would split it
        return ARRAY_DELIMITER.join(str(x).replace(ARRAY_DELIMITER, "\ufffd") for x in v)
    return str(v)


def _kind_fits(col: str, v) -> bool:
    """A value can go in a column of kind ``col`` without changing its type."""
    if v is None or v == [] or col == "str":
        return True
    kind = value_kind([v])
    return kind == col or (col == "float" and kind == "int")


def _columns(els) -> dict[str, dict[str, dict[str, str]]]:
    """"nodes"/"rels" → file group (node label / relationship type) → property
    → value kind, in one pass over the elements."""
    tags: dict[bool, dict[str, dict[str, set]]] = {True: defaultdict(lambda: defaultdict(set)),
                                                   False: defaultdict(lambda: defaultdict(set))}
    for el in els:
        cols = tags[el.tail is None][el.label]
        for k, v in el.props.items():
            if v is not None and v != []:
                cols[k].add(_tag(v))
    return {part: {g: {k: kind_of(ts) for k, ts in sorted(cols.items())} for g, cols in sorted(tags[node].items())}
            for part, node in (("nodes", True), ("rels", False))}


class _CsvLine:
    """One CSV row as bytes, through a csv writer kept for every row."""

    def __init__(self) -> None:
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf)

    def __call__(self, cells: list[str]) -> bytes:
        self.buf.seek(0)
        self.buf.truncate()
        self.writer.writerow(cells)
        return self.buf.getvalue().encode("utf-8")


_csv_line = _CsvLine()


@register_format
class Neo4jCsvFormat(ElementFormat):
    """neo4j-admin import CSVs: nodes_<Label>.csv and rels_<TYPE>.csv, typed headers."""

    name = "neo4j_csv"

    def schema(self, els):
        return _columns(els)

    def layout(self, schema):
        files = {f"nodes_{g}.csv": [f"nodes_{g}.csv"] for g in schema["nodes"]}
        files.update({f"rels_{g}.csv": [f"rels_{g}.csv"] for g in schema["rels"]})
        files["import.sh"] = ["import.sh"]
        return files

    def sections_of(self, el, schema):
        return [f"nodes_{el.label}.csv" if el.is_node else f"rels_{el.label}.csv"]

    def _cols(self, section, schema):
        kind, _, group = section[:-4].partition("_")
        return kind, group, schema["nodes" if kind == "nodes" else "rels"][group]

    def header(self, section, schema) -> bytes:
        if section == "import.sh":
            names = sorted(f for f in self.layout(schema) if f != "import.sh")
            nodes = " ".join(f"--nodes=neo4j-import/{f}" for f in names if f.startswith("nodes_"))
            rels = " ".join(f"--relationships=neo4j-import/{f}" for f in names if f.startswith("rels_"))
            return ("#!/bin/sh\n# run from the build output folder, with Neo4j stopped\n"
                    f"neo4j-admin database import full neo4j {nodes} {rels} "
                    "--array-delimiter=U+241F --multiline-fields=true --overwrite-destination=true\n").encode()
        kind, group, cols = self._cols(section, schema)
        from ..schema import date_properties
        head = ["uid:ID", ":LABEL"] if kind == "nodes" else [":START_ID", ":END_ID", ":TYPE"]
        dates = date_properties(group) if kind == "nodes" else {}
        return _csv_line(head + [f"{k}:{dates.get(k) or CSV_TYPES[t]}" for k, t in cols.items()])

    def render(self, el, section, schema) -> bytes:
        cols = self._cols(section, schema)[2]
        head = [el.uid, el.label] if el.is_node else [el.uid, el.tail, el.label]
        return _csv_line(head + [_cell(el.props.get(k)) for k in cols])

    def fits(self, el, schema) -> bool:
        cols = schema["nodes" if el.is_node else "rels"].get(el.label)
        return cols is not None and all(k in cols and _kind_fits(cols[k], v)
                                        for k, v in _clean_props(el.props).items())


@register_writer("neo4j_csv", "neo4j-import")
def write_import_csv(kg, folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    kept = set(write_indexed(Neo4jCsvFormat(), kg, folder).layout)
    for name in os.listdir(folder):  # a label or type an earlier build had and this one lacks
        if name.endswith(".csv") and name.startswith(("nodes_", "rels_")) and name not in kept:
            os.remove(os.path.join(folder, name))


#: JSON string escaping with \\uXXXX for non-ASCII: nothing can break out of the string
_string_literal = json.encoder.encode_basestring_ascii


def _literal(v) -> str:
    """A Cypher literal for cypher-shell :param maps (strings JSON-escaped, which Cypher reads)."""
    if isinstance(v, str):
        return _string_literal(v)
    if type(v) is float:  # every relationship's confidence
        return repr(v)
    if isinstance(v, dict):
        return "{" + ", ".join([f"`{k}`: {_literal(x)}" for k, x in v.items()]) + "}"
    if isinstance(v, list):
        try:  # lists of strings, mostly: the C encoder refuses anything else
            return "[" + ", ".join(map(_string_literal, v)) + "]"
        except TypeError:
            return "[" + ", ".join(map(_literal, v)) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return _string_literal(str(v))


#: rows end a load.cypher batch where crc32(key) % BATCH == 0: batches average
#: BATCH rows and depend only on their own rows, so one new row changes one batch
BATCH = 50


@register_format
class LoadCypherFormat(ElementFormat):
    """A cypher-shell script: constraints, then UNWIND/MERGE batches whose rows
    are :param values (never spliced into the statements). Each batch list ends
    with ``null`` (skipped by the statement), which lets every row be rendered
    on its own."""

    name = "cypher"

    def schema(self, els):
        labels = sorted({el.label for el in els if el.is_node})
        rels = sorted({(el.label, label_of(el.uid), label_of(el.tail)) for el in els if not el.is_node})
        return {"labels": labels, "rels": rels}

    def layout(self, schema):
        secs = ["ddl"] + [f"n:{lb}" for lb in schema["labels"]] + ["r:" + ":".join(r) for r in schema["rels"]]
        return {"": secs}

    def sections_of(self, el, schema):
        return [f"n:{el.label}" if el.is_node else f"r:{el.label}:{label_of(el.uid)}:{label_of(el.tail)}"]

    def _statement(self, section) -> str:
        from ..loaders.bolt import node_statement, rel_statement
        kind, *parts = section.split(":")
        stmt = node_statement(parts[0], typed_dates=True) if kind == "n" else rel_statement(*parts)
        return stmt.replace("UNWIND $rows AS r ", "UNWIND $rows AS r WITH r WHERE r IS NOT NULL ", 1)

    def header(self, section, schema) -> bytes:
        if section == "ddl":
            from ..loaders.bolt import NEO4J_SCHEMA
            return ("// kg graph for cypher-shell:  cypher-shell -u neo4j -p … -f load.cypher\n" +
                    "".join(stmt + ";\n" for stmt in NEO4J_SCHEMA(schema["labels"]))).encode()
        return b":param rows => ["

    def footer(self, section, schema) -> bytes:
        return b"" if section == "ddl" else f"null]\n{self._statement(section)};\n".encode()

    def render(self, el, section, schema) -> bytes:
        props = _clean_props(el.props)
        row = {"uid": el.uid, "props": props} if el.is_node else {"h": el.uid, "t": el.tail, "props": props}
        text = _literal(row) + ",\n"
        if zlib.crc32(el.key.encode("utf-8")) % BATCH == 0:
            text += f"null]\n{self._statement(section)};\n:param rows => ["
        return text.encode("utf-8")

    def fits(self, el, schema) -> bool:
        if el.is_node:
            return el.label in schema["labels"]
        return (el.label, label_of(el.uid), label_of(el.tail)) in schema["rels"]


@register_writer("cypher", "load.cypher")
def write_load_cypher(kg, path: str) -> None:
    write_indexed(LoadCypherFormat(), kg, path)


def _graphml_kind(v) -> str:
    if isinstance(v, bool):
        return "boolean"
    return "long" if isinstance(v, int) else "double" if isinstance(v, float) else "string"


#: XML escapes valid both in element text and in double-quoted attributes
_XML_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                             "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_XML_SPECIAL = re.compile(r'[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')


def _esc(v) -> str:
    text = "; ".join(map(str, v)) if isinstance(v, list) else str(v)
    if not _XML_SPECIAL.search(text):
        return text  # most values (uids, names, numbers) need no escaping: skip two copies
    return NOT_XML.sub("\ufffd", text).translate(_XML_ESCAPE)


@register_format
class GraphmlFormat(ElementFormat):
    """GraphML for Gephi/yEd (lists joined with '; ': GraphML has no list type).
    Edge ids are the relationship ids of graph.jsonl (``head|LABEL|tail``)."""

    name = "graphml"

    def schema(self, els):
        """Declared keys (sorted, so the order does not depend on which element
        came first), typed by their first value."""
        keys: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
        for el in els:
            seen = keys["node" if el.tail is None else "edge"]
            for k, v in el.props.items():
                if k not in seen and v is not None:
                    seen[k] = _graphml_kind(v)
        return {kind: {"label": "string", **dict(sorted(ks.items()))} for kind, ks in keys.items()}

    def layout(self, schema):
        return {"": ["nodes", "edges"]}

    def sections_of(self, el, schema):
        return ["nodes" if el.is_node else "edges"]

    def header(self, section, schema) -> bytes:
        if section == "edges":
            return b""
        lines = ['<?xml version="1.0" encoding="utf-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n']
        for kind in ("node", "edge"):
            lines += [f'<key id="{kind[0]}_{k}" for="{kind}" attr.name="{k}" attr.type="{t}"/>\n'
                      for k, t in schema[kind].items()]
        lines.append('<graph edgedefault="directed">\n')
        return "".join(lines).encode("utf-8")

    def footer(self, section, schema) -> bytes:
        return b"</graph>\n</graphml>\n" if section == "edges" else b""

    def render(self, el, section, schema) -> bytes:
        if el.is_node:
            out = [f'<node id="{_esc(el.uid)}"><data key="n_label">{el.label}</data>']
            end, p = "</node>\n", "n"
        else:
            out = [f'<edge id="{_esc(f"{el.uid}|{el.label}|{el.tail}")}" source="{_esc(el.uid)}" '
                   f'target="{_esc(el.tail)}"><data key="e_label">{el.label}</data>']
            end, p = "</edge>\n", "e"
        out += [f'<data key="{p}_{k}">{_esc(v)}</data>' for k, v in el.props.items() if v is not None]
        out.append(end)
        return "".join(out).encode("utf-8")

    def fits(self, el, schema) -> bool:
        keys = schema["node" if el.is_node else "edge"]
        return all(keys.get(k) == _graphml_kind(v) for k, v in el.props.items() if v is not None)


@register_writer("graphml", "graph.graphml")
def write_graphml(kg, path: str) -> None:
    write_indexed(GraphmlFormat(), kg, path)
