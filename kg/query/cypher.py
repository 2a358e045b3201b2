"""Cypher without a server: the build writes an embedded LadybugDB database
(maintained fork of Kùzu) into ``OUT/graph.lbdb``; ``kg query cypher`` reads it.
With ``--uri`` the same command runs against a Bolt server instead.

Schema: one node table per label (``uid`` primary key, the graph's properties
as typed columns) and one relationship table per relation type, with a
FROM/TO pair for each label combination that occurs.
"""
from __future__ import annotations

import os
import shutil
from collections import defaultdict

from . import QueryError

__all__ = ["write_embedded", "cypher", "cypher_bolt", "example_cypher", "EMBEDDED_NAME"]

EMBEDDED_NAME = "graph.lbdb"
REL_COLUMNS = {"papers": "STRING[]", "evidence": "STRING[]", "sources": "STRING[]", "confidence": "DOUBLE"}


def _col_type(values) -> str:
    vs = [v for v in values if v is not None]
    if vs and all(isinstance(v, list) for v in vs):
        return "STRING[]"
    if vs and all(isinstance(v, int) and not isinstance(v, bool) for v in vs):
        return "INT64"
    if vs and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vs):
        return "DOUBLE"
    return "STRING"


def write_embedded(kg, path: str, batch: int = 2000) -> None:
    """(Re)create the embedded database at ``path`` from the graph model."""
    import ladybug as lb

    from ..export.cypher import node_rows, rel_rows
    for p in (path, path + ".wal"):
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    conn = lb.Connection(lb.Database(path))
    nodes, rels = node_rows(kg), rel_rows(kg)
    for label, rows in nodes.items():
        keys = sorted({k for r in rows for k in r["props"]})
        types = {k: _col_type([r["props"].get(k) for r in rows]) for k in keys}
        cols = ", ".join(f"`{k}` {types[k]}" for k in keys)
        conn.execute(f"CREATE NODE TABLE {label}(uid STRING, {cols}, PRIMARY KEY(uid))")
        assign = ", ".join(f"`{k}`: r.`{k}`" for k in keys)
        for i in range(0, len(rows), batch):
            flat = [{"uid": r["uid"], **{k: r["props"].get(k) for k in keys}} for r in rows[i:i + batch]]
            conn.execute(f"UNWIND $rows AS r CREATE (:{label} {{uid: r.uid, {assign}}})", {"rows": flat})
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for typ, hl, tl in rels:
        pairs[typ].append((hl, tl))
    cols = ", ".join(f"`{k}` {t}" for k, t in REL_COLUMNS.items())
    for typ, ps in pairs.items():
        conn.execute(f"CREATE REL TABLE {typ}(" + ", ".join(f"FROM {a} TO {b}" for a, b in ps) + f", {cols})")
    assign = ", ".join(f"`{k}`: r.`{k}`" for k in REL_COLUMNS)
    for (typ, hl, tl), rows in rels.items():
        for i in range(0, len(rows), batch):
            flat = [{"h": r["h"], "t": r["t"], **{k: r["props"].get(k) for k in REL_COLUMNS}} for r in rows[i:i + batch]]
            conn.execute(f"UNWIND $rows AS r MATCH (a:{hl} {{uid: r.h}}), (b:{tl} {{uid: r.t}}) "
                         f"CREATE (a)-[:{typ} {{{assign}}}]->(b)", {"rows": flat})
    conn.close()


def _register() -> None:
    from ..export import register_writer
    register_writer("lbdb", EMBEDDED_NAME)(write_embedded)


_register()


def cypher(graph: str, query: str, params: dict | None = None) -> tuple[list[str], list[list]]:
    """Run Cypher on the embedded database of a build folder (read-only)."""
    import ladybug as lb
    path = os.path.join(graph, EMBEDDED_NAME) if os.path.isdir(graph) else graph
    if not os.path.exists(path):
        raise QueryError(f"{graph}: no {EMBEDDED_NAME} (run `kg build … --out {graph}`)")
    db = lb.Database(path, read_only=True)
    conn = lb.Connection(db)
    try:
        res = conn.execute(query, params or {})
    except RuntimeError as err:
        raise QueryError(f"Cypher error: {err}") from None
    finally:
        pass
    cols = res.get_column_names()
    rows = []
    while res.has_next():
        rows.append(list(res.get_next()))
    conn.close()
    return cols, rows


def cypher_bolt(uri: str, query: str, user: str | None = None, password: str | None = None,
                database: str | None = None) -> tuple[list[str], list[list]]:
    """The same against a Bolt server (Neo4j, FalkorDB …)."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    from ..loaders.bolt import LoadError, open_driver
    try:
        driver = open_driver(uri, user, password, database)
    except LoadError as err:
        raise QueryError(str(err)) from None
    try:
        with driver.session(**({"database": database} if database else {})) as s:
            res = s.run(query)
            cols = list(res.keys())
            return cols, [list(r.values()) for r in res]
    except (ServiceUnavailable, OSError) as err:
        raise QueryError(f"connection to {uri} lost: {err}") from None
    except Neo4jError as err:
        raise QueryError(f"Cypher error: {err.message}") from None
    finally:
        driver.close()


def example_cypher() -> dict[str, str]:
    from .sparql import SCHEMAS_DIR
    qdir = os.path.join(SCHEMAS_DIR, "queries")
    return {f[:-7]: open(os.path.join(qdir, f), encoding="utf-8").read()
            for f in sorted(os.listdir(qdir)) if f.endswith(".cypher")}
