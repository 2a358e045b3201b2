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


LADYBUG_TYPES = {"list": "STRING[]", "bool": "STRING", "int": "INT64", "float": "DOUBLE", "str": "STRING"}


def _col_type(values) -> str:
    from ..export.cypher import value_kind
    return LADYBUG_TYPES[value_kind(values)]


def _arrow_type(col: str):
    import pyarrow as pa
    return {"STRING[]": pa.list_(pa.string()), "INT64": pa.int64(), "DOUBLE": pa.float64()}.get(col, pa.string())


def write_embedded(kg, path: str) -> None:
    """(Re)create the embedded database at ``path`` from the graph model.

    Tables are filled with ``COPY … FROM`` Arrow tables (bulk, ~100k rows/s);
    ``UNWIND … MATCH`` by primary key ran at ~2k relationships/s here."""
    import ladybug as lb
    import pyarrow as pa

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
        arrow_rows = pa.table({"uid": pa.array([r["uid"] for r in rows], pa.string()),
                          **{k: pa.array([_coerce(r["props"].get(k), types[k]) for r in rows], _arrow_type(types[k]))
                             for k in keys}})
        conn.execute(f"COPY {label} FROM $rows", {"rows": arrow_rows})
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for typ, hl, tl in rels:
        pairs[typ].append((hl, tl))
    cols = ", ".join(f"`{k}` {t}" for k, t in REL_COLUMNS.items())
    for typ, ps in pairs.items():
        conn.execute(f"CREATE REL TABLE {typ}(" + ", ".join(f"FROM {a} TO {b}" for a, b in ps) + f", {cols})")
    for (typ, hl, tl), rows in rels.items():
        arrow_rows = pa.table({"from": pa.array([r["h"] for r in rows], pa.string()),
                          "to": pa.array([r["t"] for r in rows], pa.string()),
                          **{k: pa.array([_coerce(r["props"].get(k), t) for r in rows], _arrow_type(t))
                             for k, t in REL_COLUMNS.items()}})
        option = f" (from='{hl}', to='{tl}')" if len(pairs[typ]) > 1 else ""
        conn.execute(f"COPY {typ} FROM $rows{option}", {"rows": arrow_rows})
    conn.close()


def _coerce(v, col: str):
    if v is None:
        return None
    if col == "STRING[]":
        return [str(x) for x in v] if isinstance(v, list) else [str(v)]
    if col == "STRING":
        return str(v)
    return v


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
    from ..loaders.bolt import LoadError, bolt_errors, open_driver
    try:
        driver = open_driver(uri, user, password, database)
    except LoadError as err:
        raise QueryError(str(err)) from None
    try:
        with bolt_errors(uri, QueryError, "Cypher error"), \
                driver.session(**({"database": database} if database else {})) as s:
            res = s.run(query)
            return list(res.keys()), [list(r.values()) for r in res]
    finally:
        driver.close()


def example_cypher() -> dict[str, str]:
    from .sparql import SCHEMAS_DIR
    qdir = os.path.join(SCHEMAS_DIR, "queries")
    return {f[:-7]: open(os.path.join(qdir, f), encoding="utf-8").read()
            for f in sorted(os.listdir(qdir)) if f.endswith(".cypher")}
