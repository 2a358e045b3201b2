"""Cypher without a server: the build writes an embedded LadybugDB database
(maintained fork of Kùzu) into ``OUT/graph.lbdb``; ``kg query cypher`` reads it.
With ``--uri`` the same command runs against a Bolt server instead.

Schema: one node table per label of :mod:`kg.schema` (``uid`` primary key, the
declared properties and any others the graph has as typed columns) and one
relationship table per relationship type, with a FROM/TO pair for each label
combination the schema allows, whether or not the build has rows for it.
"""
from __future__ import annotations

import os
import re
import shutil
from collections import defaultdict
from itertools import chain

from . import QueryError
from ..export.elements import label_of
from ..schema import NODES, RELATIONSHIPS, column_type, pairs as schema_pairs

__all__ = ["write_embedded", "patch_embedded", "queue_embedded", "sync_embedded", "cypher", "cypher_bolt", "example_cypher", "EMBEDDED_NAME"]

EMBEDDED_NAME = "graph.lbdb"
#: Neo4j's toString() for queries written for Neo4j (LadybugDB names it string())
MACROS = ["CREATE MACRO toString(x) AS string(x)"]
#: every relationship table has the union of the relationship properties (``basis``: of a VARIANT_OF link)
REL_COLUMNS = {k: column_type(t) for r in RELATIONSHIPS.values() for k, t in r.properties.items()}


LADYBUG_TYPES = {"list": "STRING[]", "bool": "STRING", "int": "INT64", "float": "DOUBLE", "str": "STRING"}


def _col_type(values) -> str:
    from ..export.cypher import value_kind
    return LADYBUG_TYPES[value_kind(values)]


def _arrow_type(col: str):
    import pyarrow as pa
    return {"STRING[]": pa.list_(pa.string()), "INT64": pa.int64(), "DOUBLE": pa.float64(), "DATE": pa.date32(),
            "DATE[]": pa.list_(pa.date32())}.get(col, pa.string())


#: relationship rows per Arrow chunk: bounds the copy of the evidence text in memory
COPY_CHUNK = 50_000
#: graphs with at least this many elements are loaded by a fresh process (see write_embedded)
STAGE_ABOVE = 50_000
#: the write-ahead log size above which :func:`patch_embedded` checkpoints
CHECKPOINT_WAL_BYTES = 8 << 20


def write_embedded(kg, path: str) -> None:
    """(Re)create the embedded database at ``path`` from the graph model.

    Tables are filled with ``COPY … FROM`` Arrow tables (bulk, ~100k rows/s;
    ``UNWIND … MATCH`` by primary key ran at ~2k relationships/s here), built
    column by column from the graph's elements one table (and, for
    relationships, one chunk) at a time.

    A big graph's tables are staged as Parquet files and copied in by a fresh
    Python process. LadybugDB's memory grows ~0.7 GB during COPY and never
    shrinks; in a writer forked from the build, which already maps the whole
    graph, that made it the build's peak (100k records: 2.36 GB). The fresh
    process holds only LadybugDB."""
    from ..export import graph_elements
    for p in (path, path + ".wal", _pending_path(path)):
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    elements = graph_elements(kg)
    if len(elements) < STAGE_ABOVE:
        import ladybug as lb
        import pyarrow as pa
        db = lb.Database(path)
        conn = lb.Connection(db)
        try:
            for statement, chunks in _load_statements(elements):
                if chunks is None:
                    conn.execute(statement)
                else:
                    conn.execute(statement.format(rows="$rows"), {"rows": pa.concat_tables(chunks)})
        finally:
            conn.close()
            db.close()
        return
    _load_staged(elements, path)


def _load_staged(elements, path: str) -> None:
    """Stage the tables as Parquet beside ``path``, then run :func:`load_staged` in a fresh interpreter.

    One file (and one COPY) per table, written chunk by chunk: COPY into a
    relationship table that already holds rows is slow (100k records: 27.5 s
    for 50k-row COPYs, 8.5 s for one COPY per table)."""
    import json
    import subprocess
    import sys
    import tempfile

    import pyarrow.parquet as pq
    with tempfile.TemporaryDirectory(prefix=".lbdb-stage-", dir=os.path.dirname(os.path.abspath(path))) as stage:
        statements = []
        for i, (statement, chunks) in enumerate(_load_statements(elements)):
            if chunks is not None:
                file = os.path.join(stage, f"{i}.parquet")
                writer = None
                for table in chunks:
                    writer = writer or pq.ParquetWriter(file, table.schema, compression="none")
                    writer.write_table(table)
                writer.close()
                statement = statement.format(rows="'" + file.replace("'", "\\'") + "'")
            statements.append(statement)
        manifest = os.path.join(stage, "statements.json")
        with open(manifest, "w", encoding="utf-8") as fh:
            json.dump(statements, fh)
        code = "import sys; from kg.query.cypher import load_staged; load_staged(sys.argv[1], sys.argv[2])"
        done = subprocess.run([sys.executable, "-c", code, path, manifest], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"loading {path} failed: {done.stderr.strip()[-2000:]}")


def load_staged(path: str, manifest: str) -> None:
    """Run the statements of a staged load (:func:`_load_staged`) against a new database at ``path``."""
    import json

    import ladybug as lb
    with open(manifest, encoding="utf-8") as fh:
        statements = json.load(fh)
    db = lb.Database(path)
    conn = lb.Connection(db)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()
        db.close()


def _load_statements(elements):
    """The bulk load as (statement, Arrow chunks or None): ``CREATE … TABLE``
    statements, then one ``COPY … FROM {rows}`` per table, whose rows come as an
    iterator of Arrow tables (relationships in chunks of :data:`COPY_CHUNK`)."""
    nodes: dict[str, list] = defaultdict(list)
    rels: dict[tuple[str, str, str], list] = defaultdict(list)
    for el in elements:
        if el.is_node:
            nodes[el.label].append(el)
        else:
            rels[(el.label, label_of(el.uid), label_of(el.tail))].append(el)
    for macro in MACROS:
        yield macro, None
    for label in sorted(NODES.keys() | nodes.keys()):  # a table for every label of the schema, rows or not
        els = nodes.get(label, [])
        declared = {k: column_type(t) for k, t in NODES.get(label, {}).items()}
        keys = sorted({k for el in els for k, v in el.props.items() if v is not None and v != []} | declared.keys())
        types = {k: declared.get(k) or _col_type([_value(el.props, k) for el in els]) for k in keys}
        cols = ", ".join(f"`{k}` {types[k]}" for k in keys)
        yield f"CREATE NODE TABLE {label}(uid STRING, {cols}, PRIMARY KEY(uid))", None
        if els:
            yield f"COPY {label} FROM {{rows}}", iter([_typed_table({
                "uid": ([el.uid for el in els], "STRING"),
                **{k: ([_value(el.props, k) for el in els], t) for k, t in types.items()}})])
    pairs: dict[str, list[tuple[str, str]]] = {typ: schema_pairs(typ) for typ in RELATIONSHIPS}
    for typ, hl, tl in sorted(rels):
        if (hl, tl) not in pairs.setdefault(typ, []):
            pairs[typ].append((hl, tl))
    cols = ", ".join(f"`{k}` {t}" for k, t in REL_COLUMNS.items())
    for typ, ps in sorted(pairs.items()):
        yield f"CREATE REL TABLE {typ}(" + ", ".join(f"FROM {a} TO {b}" for a, b in ps) + f", {cols})", None
    for (typ, hl, tl), els in sorted(rels.items()):
        option = f" (from='{hl}', to='{tl}')" if len(pairs[typ]) > 1 else ""
        yield f"COPY {typ} FROM {{rows}}{option}", _rel_chunks(els)


def _rel_chunks(els):
    for i in range(0, len(els), COPY_CHUNK):
        part = els[i:i + COPY_CHUNK]
        yield _typed_table({"from": ([el.uid for el in part], "STRING"), "to": ([el.tail for el in part], "STRING"),
                        **{k: ([_value(el.props, k) for el in part], t) for k, t in REL_COLUMNS.items()}})


def _value(props: dict, key: str):
    """A property as the tables hold it: empty lists are NULL, like missing ones."""
    v = props.get(key)
    return None if v == [] else v


def _coerce(v, col: str):
    if v is None:
        return None
    if col == "STRING[]":
        return [str(x) for x in v] if isinstance(v, list) else [str(v)]
    if col == "STRING":
        return str(v)
    if col == "DATE":
        return _date(v)
    if col == "DATE[]":
        return [_date(x) for x in v] if isinstance(v, list) else [_date(v)]
    return v


def _date(v):
    """An ISO date string as a date (a value that is not one is NULL, never a failed load)."""
    import datetime
    if isinstance(v, datetime.date):
        return v
    try:
        return datetime.date.fromisoformat(str(v))
    except ValueError:
        return None


def _table_columns(conn, table: str) -> dict[str, str]:
    res = conn.execute(f"CALL TABLE_INFO('{table}') RETURN name, type")
    cols = {}
    while res.has_next():
        name, typ = res.get_next()
        cols[name] = typ
    return cols


def _connections(conn, table: str) -> set[tuple[str, str]]:
    res = conn.execute(f"CALL SHOW_CONNECTION('{table}') RETURN *")
    out = set()
    while res.has_next():
        row = res.get_next()
        out.add((row[0], row[1]))
    return out


def _typed_table(columns: dict[str, tuple[list, str]], prefix: str = ""):
    """An Arrow table from name → (values, column type)."""
    import pyarrow as pa
    return pa.table({prefix + k: pa.array(vs if _typed_already(vs, t) else [_coerce(v, t) for v in vs], _arrow_type(t))
                     for k, (vs, t) in columns.items()})


#: the value types a column of each type takes as they are (None is NULL)
_AS_IS = {"STRING": {str, type(None)}, "INT64": {int, type(None)}, "DOUBLE": {int, float, type(None)},
          "STRING[]": {list, type(None)}}


def _typed_already(values: list, col: str) -> bool:
    """Whether ``values`` need no :func:`_coerce` for column ``col``: told by
    the set of their types, collected in C (coercing every value in Python was
    a quarter of this writer's own instructions at 10k records)."""
    if not set(map(type, values)) <= _AS_IS.get(col, set()):
        return False
    return col != "STRING[]" or set(map(type, chain.from_iterable(filter(None, values)))) <= {str}


def _arrow_rows(columns: dict[str, tuple[list, str]]):
    """Rows for ``LOAD FROM`` (columns ``c_<name>``: never clash with query variables)."""
    return _typed_table(columns, "c_")


def patch_embedded(path: str, changed: dict, existed) -> None:
    """Apply changed elements (key → Element, or None: gone) to the embedded
    database with ``LOAD FROM`` typed Arrow rows; ``existed(key)`` tells whether
    the element was there before. Relationships that stay are updated with SET,
    not deleted and created again: at 100k records the checkpoint after them
    cost ~20 ms per SET, ~46 ms per delete and ~12 ms per create. Raises
    ``NeedsRewrite`` for a label, column or endpoint pair the tables lack.

    The changes are committed to LadybugDB's write-ahead log (``path +
    ".wal"``), and checkpointed into the database file only once the log is
    over :data:`CHECKPOINT_WAL_BYTES`. A checkpoint rewrites most of the
    tables whatever the number of changes: one day's changes to the
    100k-record graph (~1,000 elements, ~3.5 MB of log) took 1.2 s to apply
    and 10 s to checkpoint. A read-only open replays the log instead, ~0.07 s
    per MB here, so the 8 MB bound keeps that under ~0.6 s per query and
    checkpoints every few days instead of every day."""
    import ladybug as lb

    from ..export.cypher import _clean_props
    from ..export.elements import NeedsRewrite, label_of
    upserts, drops = defaultdict(list), defaultdict(list)
    rel_new, rel_set, rel_drop = defaultdict(list), defaultdict(list), defaultdict(list)
    for key, el in sorted(changed.items()):
        kind, *parts = key.split("\x00")
        if kind == "0":
            (upserts[el.label].append(el) if el is not None else drops[label_of(parts[0])].append(parts[0]))
            continue
        h, label, t = parts
        group = (label, label_of(h), label_of(t))
        if el is None:
            rel_drop[group].append(h + "\x00" + t)
        else:
            (rel_set if existed(key) else rel_new)[group].append(el)
    db = lb.Database(path)
    conn = lb.Connection(db)
    conn.execute("CALL force_checkpoint_on_close=false")
    try:
        tables = dict(_rows(conn, "CALL SHOW_TABLES() RETURN name, type"))
        pairs = {t: {(a, b) for a, b, *_ in _rows(conn, f"CALL SHOW_CONNECTION('{t}') RETURN *")}
                 for t, kind in tables.items() if kind == "REL"}
        for label, els in upserts.items():
            if label not in tables:
                raise NeedsRewrite(f"lbdb: no node table {label}")
            cols = {k: t for k, t in _rows(conn, f"CALL TABLE_INFO('{label}') RETURN name, type") if k != "uid"}
            props = [_clean_props(el.props) for el in els]
            if any(not set(p) <= set(cols) for p in props):
                raise NeedsRewrite(f"lbdb: a new {label} column")
            rows = _arrow_rows({"uid": ([el.uid for el in els], "STRING"),
                                **{k: ([p.get(k) for p in props], t) for k, t in cols.items()}})
            sets = ", ".join(f"n.`{k}` = c_{k}" for k in cols)
            conn.execute(f"LOAD FROM $rows MERGE (n:{label} {{uid: c_uid}}) SET {sets}", {"rows": rows})
        for (typ, hl, tl), els in list(rel_new.items()) + list(rel_set.items()):
            if (hl, tl) not in pairs.get(typ, ()):
                raise NeedsRewrite(f"lbdb: no {typ} table from {hl} to {tl}")
        sets = ", ".join(f"e.`{k}` = c_{k}" for k in REL_COLUMNS)
        carry = ", ".join(f"c_{k}" for k in REL_COLUMNS)
        for (typ, hl, tl), ends in rel_drop.items():
            if (hl, tl) in pairs.get(typ, ()):
                rows = _arrow_rows({"h": ([e.split("\x00")[0] for e in ends], "STRING"),
                                    "t": ([e.split("\x00")[1] for e in ends], "STRING")})
                conn.execute(f"LOAD FROM $rows MATCH (a:{hl} {{uid: c_h}})-[e:{typ}]->(b:{tl} {{uid: c_t}}) DELETE e",
                             {"rows": rows})
        for (typ, hl, tl), els in rel_set.items():
            conn.execute(f"LOAD FROM $rows MATCH (a:{hl} {{uid: c_h}})-[e:{typ}]->(b:{tl} {{uid: c_t}}) SET {sets}",
                         {"rows": _rel_rows(els)})
        for (typ, hl, tl), els in rel_new.items():
            # two MATCHes joined by WITH: a single MATCH (a …), (b …) is planned as a cross product
            conn.execute(f"LOAD FROM $rows MATCH (a:{hl} {{uid: c_h}}) WITH a, c_t, {carry} "
                         f"MATCH (b:{tl} {{uid: c_t}}) CREATE (a)-[e:{typ}]->(b) SET {sets}", {"rows": _rel_rows(els)})
        for label, uids in drops.items():
            if label in tables:
                conn.execute(f"LOAD FROM $rows MATCH (n:{label} {{uid: c_uid}}) DETACH DELETE n",
                             {"rows": _arrow_rows({"uid": (uids, "STRING")})})
        wal = path + ".wal"
        if os.path.exists(wal) and os.path.getsize(wal) > CHECKPOINT_WAL_BYTES:
            conn.execute("CHECKPOINT")
    finally:
        conn.close()
        db.close()  # checkpoints the changes into the database file


def _pending_path(path: str) -> str:
    return path + ".pending"


def queue_embedded(path: str, changed: dict, existed) -> None:
    """Record changes for the embedded database instead of applying them now.

    Applying one day's changes to a 100k-record graph takes ~1.2 s even
    without a checkpoint (see :func:`patch_embedded`), a third of the rest of an
    incremental build. So the build queues the changes and
    :func:`sync_embedded`, run by the next Cypher query, applies them.

    Each update appends one frame, its own changes with whether each element
    existed before it: queueing costs what this update changed, however much is
    still pending from earlier ones."""
    import pickle
    frame = pickle.dumps({key: (el, existed(key)) for key, el in changed.items()}, protocol=pickle.HIGHEST_PROTOCOL)
    with open(_pending_path(path), "ab") as fh:
        fh.write(frame)


def _pending_changes(pending_file: str) -> dict:
    """The queued frames merged in order: the latest element, and whether it
    existed before the first frame that changed it."""
    import pickle
    pending: dict = {}
    with open(pending_file, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        while fh.tell() < size:
            try:
                frame = pickle.load(fh)
            except (pickle.UnpicklingError, EOFError, ValueError) as err:
                raise RuntimeError(f"{pending_file} is damaged ({err}); run `kg build` again") from None
            for key, (el, was) in frame.items():
                pending[key] = (el, pending[key][1] if key in pending else was)
    return pending


def sync_embedded(path: str) -> None:
    """Apply queued changes (:func:`queue_embedded`) to the database at ``path``."""
    pending_file = _pending_path(path)
    if not os.path.exists(pending_file):
        return
    pending = _pending_changes(pending_file)
    patch_embedded(path, {k: el for k, (el, _) in pending.items()}, lambda k: pending[k][1])
    os.remove(pending_file)


def _rel_rows(els):
    return _arrow_rows({"h": ([el.uid for el in els], "STRING"), "t": ([el.tail for el in els], "STRING"),
                        **{k: ([_value(el.props, k) for el in els], t) for k, t in REL_COLUMNS.items()}})


def _rows(conn, query: str) -> list[list]:
    res = conn.execute(query)
    out = []
    while res.has_next():
        out.append(res.get_next())
    return out


def _register() -> None:
    from ..export import register_writer
    register_writer("lbdb", EMBEDDED_NAME)(write_embedded)


_register()


#: statements that reach past the database: extensions (downloaded, loaded), files and URLs read
#: or written, other databases attached. The embedded engine runs none of them for a query.
_OUTSIDE = re.compile(r"(?<![\w`$.])(INSTALL|UNINSTALL|LOAD|COPY|ATTACH|EXPORT|IMPORT|USE)(?![\w`])", re.I)
#: string literals, quoted names and comments: their words are not statements
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)


def check_embedded(query: str) -> None:
    """Refuse a query that would make the embedded engine install or load an
    extension, read or write files or URLs, or attach another database."""
    m = _OUTSIDE.search(_QUOTED.sub(" ", query))
    if m:
        raise QueryError(f"{m.group(1).upper()} is not allowed on the embedded database "
                         "(extensions, files and URLs are disabled for queries)")


def cypher(graph: str, query: str, params: dict | None = None) -> tuple[list[str], list[list]]:
    """Run Cypher on the embedded database of a build folder (read-only; no
    extensions, files or URLs: :func:`check_embedded`)."""
    import ladybug as lb
    check_embedded(query)
    path = os.path.join(graph, EMBEDDED_NAME) if os.path.isdir(graph) else graph
    if not os.path.exists(path):
        raise QueryError(f"{graph}: no {EMBEDDED_NAME} (run `kg build … --out {graph}`)")
    try:
        sync_embedded(path)
    except (RuntimeError, OSError) as err:
        raise QueryError(f"{graph}: could not apply the last incremental build to {EMBEDDED_NAME}: {err}") from None
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
