"""Property-graph outputs for Neo4j and friends: rows for batched loading,
``neo4j-admin database import full`` CSVs, a ``load.cypher`` script for
cypher-shell, and GraphML for Gephi/yEd.

Node identity is the graph uid (``uid`` property, also the CSV ``:ID``), so
every output loads idempotently with ``MERGE (n:Label {uid: …})``.
"""
from __future__ import annotations

import csv
import json
import os
from collections import defaultdict

from . import register_writer

__all__ = ["node_rows", "rel_rows", "write_import_csv", "write_load_cypher", "write_graphml",
           "ARRAY_DELIMITER", "import_command"]

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
    """The one type a property column can have: list, bool, int, float or str."""
    vs = [v for v in values if v is not None]
    if vs and all(isinstance(v, list) for v in vs):
        return "list"
    if vs and all(isinstance(v, bool) for v in vs):
        return "bool"
    if vs and all(isinstance(v, int) and not isinstance(v, bool) for v in vs):
        return "int"
    if vs and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vs):
        return "float"
    return "str"


CSV_TYPES = {"list": "string[]", "bool": "boolean", "int": "long", "float": "double", "str": "string"}


def _csv_type(values) -> str:
    return CSV_TYPES[value_kind(values)]


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ARRAY_DELIMITER.join(str(x) for x in v)
    return str(v)


def import_command(folder: str = "neo4j-import", database: str = "neo4j") -> str:
    """The exact neo4j-admin command for the CSVs in ``folder`` (paths as given)."""
    files = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    name = os.path.basename(os.path.normpath(folder))
    nodes = " ".join(f"--nodes={name}/{f}" for f in files if f.startswith("nodes_"))
    rels = " ".join(f"--relationships={name}/{f}" for f in files if f.startswith("rels_"))
    return (f"neo4j-admin database import full {database} {nodes} {rels} "
            f"--array-delimiter=U+241F --multiline-fields=true --overwrite-destination=true")


@register_writer("neo4j_csv", "neo4j-import")
def write_import_csv(kg, folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    for label, rows in node_rows(kg).items():
        keys = sorted({k for r in rows for k in r["props"]})
        types = {k: _csv_type([r["props"].get(k) for r in rows]) for k in keys}
        with open(os.path.join(folder, f"nodes_{label}.csv"), "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["uid:ID", ":LABEL"] + [f"{k}:{types[k]}" for k in keys])
            for r in rows:
                w.writerow([r["uid"], label] + [_cell(r["props"].get(k)) for k in keys])
    by_type: dict[str, list] = defaultdict(list)
    for (typ, _, _), rows in rel_rows(kg).items():
        by_type[typ] += rows
    for typ, rows in by_type.items():
        keys = sorted({k for r in rows for k in r["props"]})
        types = {k: _csv_type([r["props"].get(k) for r in rows]) for k in keys}
        with open(os.path.join(folder, f"rels_{typ}.csv"), "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([":START_ID", ":END_ID", ":TYPE"] + [f"{k}:{types[k]}" for k in keys])
            for r in rows:
                w.writerow([r["h"], r["t"], typ] + [_cell(r["props"].get(k)) for k in keys])
    with open(os.path.join(folder, "import.sh"), "w", encoding="utf-8") as fh:
        fh.write("#!/bin/sh\n# run from the build output folder, with Neo4j stopped\n")
        fh.write(import_command(folder) + "\n")


def _literal(v) -> str:
    """A Cypher literal for cypher-shell :param maps (strings JSON-escaped, which Cypher reads)."""
    if isinstance(v, dict):
        return "{" + ", ".join(f"`{k}`: {_literal(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_literal(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    s = json.dumps(str(v), ensure_ascii=True)  # \uXXXX escapes: nothing can break out of the string
    return s


@register_writer("cypher", "load.cypher")
def write_load_cypher(kg, path: str, batch: int = 50) -> None:
    """A cypher-shell script: constraints, then batched UNWIND/MERGE with the rows
    given as :param values (values are never spliced into the statements)."""
    from ..loaders.bolt import NEO4J_SCHEMA, node_statement, rel_statement
    nodes, rels = node_rows(kg), rel_rows(kg)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("// kg graph for cypher-shell:  cypher-shell -u neo4j -p … -f load.cypher\n")
        for stmt in NEO4J_SCHEMA(sorted(nodes)):
            fh.write(stmt + ";\n")
        for label, rows in nodes.items():
            for i in range(0, len(rows), batch):
                fh.write(f":param rows => {_literal(rows[i:i + batch])}\n{node_statement(label)};\n")
        for (typ, hl, tl), rows in rels.items():
            for i in range(0, len(rows), batch):
                fh.write(f":param rows => {_literal(rows[i:i + batch])}\n{rel_statement(typ, hl, tl)};\n")


@register_writer("graphml", "graph.graphml")
def write_graphml(kg, path: str) -> None:
    """GraphML for Gephi/yEd, streamed (lists joined with '; ': GraphML has no list type)."""
    from xml.sax.saxutils import quoteattr

    def esc(v) -> str:
        return quoteattr("; ".join(map(str, v)) if isinstance(v, list) else str(v))[1:-1]

    def kind(v) -> str:
        return {"int": "long", "float": "double", "bool": "boolean"}.get(value_kind([v]), "string")

    node_keys: dict[str, str] = {"label": "string"}
    edge_keys: dict[str, str] = {"label": "string"}
    for _, _, p in kg.nodes():
        for k, v in p.items():
            if v is not None:
                node_keys.setdefault(k, kind(v))
    for *_, p in kg.edges():
        for k, v in p.items():
            if v is not None:
                edge_keys.setdefault(k, kind(v))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        for k, t in node_keys.items():
            fh.write(f'<key id="n_{k}" for="node" attr.name="{k}" attr.type="{t}"/>\n')
        for k, t in edge_keys.items():
            fh.write(f'<key id="e_{k}" for="edge" attr.name="{k}" attr.type="{t}"/>\n')
        fh.write('<graph edgedefault="directed">\n')
        for uid, labels, p in kg.nodes():
            fh.write(f'<node id="{esc(uid)}"><data key="n_label">{labels[0]}</data>')
            fh.writelines(f'<data key="n_{k}">{esc(v)}</data>' for k, v in p.items() if v is not None)
            fh.write("</node>\n")
        for i, (h, label, t, p) in enumerate(kg.edges()):
            fh.write(f'<edge id="e{i}" source="{esc(h)}" target="{esc(t)}"><data key="e_label">{label}</data>')
            fh.writelines(f'<data key="e_{k}">{esc(v)}</data>' for k, v in p.items() if v is not None)
            fh.write("</edge>\n")
        fh.write("</graph>\n</graphml>\n")
