"""``kg load neo4j``: batched, idempotent loading over Bolt with the official driver.

Nodes: ``UNWIND $rows AS r MERGE (n:Label {uid: r.uid}) SET n += r.props``;
relationships: grouped by (type, head label, tail label) and matched through
the uid of each label. Values are always parameters. Re-loading the same or a
grown build updates properties and adds what is new, never duplicates.

Neo4j-only DDL lives in :func:`NEO4J_SCHEMA` (uniqueness constraints, Neo4j 5
syntax). A server that refuses it is treated as FalkorDB-like (its Bolt mode
rejects ``CREATE CONSTRAINT``/``IF NOT EXISTS`` and reports itself as Neo4j),
and gets the compatibility measures of :func:`falkordb_compatible`: uid indexes,
batches under 3 KB, and apostrophes escaped in string parameters. Everything
server-specific is in this module.
"""
from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["open_driver", "NEO4J_SCHEMA", "FALLBACK_SCHEMA", "node_statement", "rel_statement", "load_bolt", "LoadError",
           "LoadStats"]


def NEO4J_SCHEMA(labels: list[str]) -> list[str]:
    """Neo4j 5 uniqueness constraints on ``uid`` (the only Neo4j-specific DDL)."""
    return [f"CREATE CONSTRAINT kg_{lab.lower()}_uid IF NOT EXISTS FOR (n:{lab}) REQUIRE n.uid IS UNIQUE"
            for lab in labels]


def FALLBACK_SCHEMA(labels: list[str]) -> list[str]:
    """Portable openCypher indexes for servers without constraints."""
    return [f"CREATE INDEX FOR (n:{lab}) ON (n.uid)" for lab in labels]


def node_statement(label: str, typed_dates: bool = False) -> str:
    """The MERGE of a batch of ``label`` nodes; ``typed_dates`` (Neo4j) turns the date
    properties into ``date`` values, so ``p.first_reviewed < date('2025-01-01')`` compares dates."""
    stmt = f"UNWIND $rows AS r MERGE (n:{label} {{uid: r.uid}}) SET n += r.props"
    from ..schema import date_properties
    dates = date_properties(label) if typed_dates else None
    if dates:
        stmt += " SET " + ", ".join(f"n.`{k}` = date(n.`{k}`)" if t == "date" else f"n.`{k}` = [d IN n.`{k}` | date(d)]"
                                    for k, t in dates.items())
    return stmt


def rel_statement(typ: str, head_label: str, tail_label: str) -> str:
    return (f"UNWIND $rows AS r MATCH (a:{head_label} {{uid: r.h}}) MATCH (b:{tail_label} {{uid: r.t}}) "
            f"MERGE (a)-[e:{typ}]->(b) SET e += r.props")


class LoadError(Exception):
    """Connection, authentication or server failure, as one clear message."""


@contextmanager
def bolt_errors(uri: str, error: type[Exception], failed: str = "failed"):
    """Driver exceptions during work on ``uri`` → one ``error`` with a clear message."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable
    try:
        yield
    except (ServiceUnavailable, OSError) as err:
        raise error(f"connection to {uri} lost: {err}") from None
    except Neo4jError as err:
        raise error(f"{failed}: {err.message}") from None


def open_driver(uri: str, user: str | None = None, password: str | None = None, database: str | None = None,
                attempts: int = 3):
    """A connected driver, checked with ``RETURN 1``.

    Handshake failures are retried (``attempts`` times, short timeouts): FalkorDB's
    Bolt endpoint fails every second fresh connection's handshake, and does not
    answer ``verify_connectivity()``'s routing probe. Auth errors are not retried."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable
    auth = (user, password or "") if user else None
    last: Exception | None = None
    for timeout in (2.0, 10.0, 30.0)[:attempts]:  # a healthy handshake takes ~0.05 s on loopback
        driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=timeout,
                                      connection_acquisition_timeout=timeout)
        try:
            with driver.session(**({"database": database} if database else {})) as s:
                s.run("RETURN 1").consume()
            return driver
        except AuthError as err:
            driver.close()
            raise LoadError(f"authentication failed for {user!r} at {uri}: {err.message}") from None
        except (ServiceUnavailable, OSError, ValueError) as err:
            driver.close()
            last = err
        except Neo4jError as err:
            driver.close()
            raise LoadError(f"server at {uri} refused the connection: {err.message}") from None
    raise LoadError(f"cannot connect to {uri}: {last}")


#: bytes per batch for servers that refuse Neo4j 5 DDL: FalkorDB's Bolt endpoint
#: crashes on messages over ~4.5 KB (measured: 3 KB fine, 4.6 KB segfaults)
CONSERVATIVE_BATCH_BYTES = 3000


def _size(obj) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _fit(row: dict, max_bytes: int) -> tuple[dict, bool]:
    """Trim list properties (from the end, longest list first), then long strings,
    until the row fits in ``max_bytes``."""
    if _size(row) <= max_bytes:
        return row, False
    props = {k: (list(v) if isinstance(v, list) else v) for k, v in row["props"].items()}
    row = {**row, "props": props}
    while _size(row) > max_bytes:
        lists = [k for k, v in props.items() if isinstance(v, list) and len(v) > 1]
        if lists:
            k = max(lists, key=lambda k: _size(props[k]))
            props[k].pop()
            continue
        k = max(props, key=lambda k: _size(props[k]))
        v = props[k]
        if isinstance(v, list):
            props[k] = [v[0][: max(20, len(v[0]) // 2)]]
        elif isinstance(v, str) and len(v) > 20:
            props[k] = v[: len(v) // 2]
        else:
            break
    return row, True


def batches(rows: list[dict], max_rows: int, max_bytes: int | None):
    """Consecutive batches of at most ``max_rows`` rows and ``max_bytes`` bytes
    (as sent); yields (batch, number of rows trimmed to fit)."""
    batch, size, trimmed = [], 2, 0
    for row in rows:
        if max_bytes:
            row, cut = _fit(row, max_bytes - 2)
            trimmed += cut
            n = _size(row) + 1
            if batch and (len(batch) >= max_rows or size + n > max_bytes):
                yield batch, trimmed
                batch, size, trimmed = [], 2, 0
            size += n
        elif len(batch) >= max_rows:
            yield batch, trimmed
            batch, trimmed = [], 0
        batch.append(row)
    if batch:
        yield batch, trimmed


@dataclass
class LoadStats:
    nodes: int = 0
    relationships: int = 0
    batches: int = 0
    seconds: float = 0.0
    schema: str = ""
    notes: list[str] = field(default_factory=list)
    #: rows the server refused, each named with its message (the rest were loaded)
    failed: list[str] = field(default_factory=list)


def falkordb_compatible(obj):
    """FalkorDB's Bolt endpoint splices string parameters into query text without
    escaping: a raw ``'`` fails the statement, ``\\'`` arrives as ``'`` (measured), and a
    backslash starts an escape. Escaping both makes the stored value exact there."""
    if isinstance(obj, str):
        return obj.replace("\\", "\\\\").replace("'", "\\'") if ("'" in obj or "\\" in obj) else obj
    if isinstance(obj, list):
        return [falkordb_compatible(x) for x in obj]
    if isinstance(obj, dict):
        return {k: falkordb_compatible(v) for k, v in obj.items()}
    return obj


def _apply_schema(session, labels: list[str], stats: LoadStats) -> None:
    try:
        for stmt in NEO4J_SCHEMA(labels):
            session.run(stmt).consume()
        stats.schema = "neo4j constraints"
        return
    except Exception as err:  # noqa: BLE001 - any refusal means: not Neo4j 5 DDL
        stats.notes.append(f"constraints refused ({type(err).__name__}); using uid indexes")
    for stmt in FALLBACK_SCHEMA(labels):
        try:
            session.run(stmt).consume()
        except Exception:  # noqa: BLE001 - index already exists
            pass
    stats.schema = "uid indexes"


def _run_batch(session, stmt: str, batch: list[dict], kind: str, stats: "LoadStats") -> int:
    """Run one batch; if the server refuses it, run its rows one by one so that
    only the refused rows are left out, each named in ``stats.failed`` with the
    server's message. Returns how many rows were refused. (A server that fails,
    rather than refuses, still ends the load: :func:`bolt_errors`.)"""
    from neo4j.exceptions import ClientError, DatabaseError
    try:
        session.run(stmt, rows=batch).consume()
        return 0
    except (ClientError, DatabaseError):
        pass
    refused = 0
    for row in batch:
        try:
            session.run(stmt, rows=[row]).consume()
        except (ClientError, DatabaseError) as err:
            refused += 1
            what = row.get("uid") or f"{row.get('h')} -> {row.get('t')}"
            stats.failed.append(f"{kind[:-1]} {what}: {str(err.message or err).splitlines()[0][:200]}")
    return refused


def load_bolt(kg, uri: str, user: str | None = None, password: str | None = None, database: str | None = None,
              batch_size: int = 50, per_row: bool = False, max_batch_bytes: int | None = None) -> LoadStats:
    """Load ``kg`` into the server at ``uri``.

    ``max_batch_bytes`` caps a batch's size; when None it is unlimited on Neo4j
    and :data:`CONSERVATIVE_BATCH_BYTES` on servers that refuse Neo4j 5 DDL.
    ``per_row`` sends one statement per row (for the benchmark)."""
    from ..export.cypher import node_rows, rel_rows
    stats = LoadStats()
    t0 = time.perf_counter()
    driver = open_driver(uri, user, password, database)
    nodes, rels = node_rows(kg), rel_rows(kg)
    step = 1 if per_row else max(1, batch_size)
    trimmed = 0
    try:
        with bolt_errors(uri, LoadError, f"server at {uri} failed"), \
                driver.session(**({"database": database} if database else {})) as s:
            _apply_schema(s, sorted(nodes), stats)
            neo4j = stats.schema == "neo4j constraints"
            cap = max_batch_bytes if max_batch_bytes is not None else (None if neo4j else CONSERVATIVE_BATCH_BYTES)
            work = [(node_statement(label, typed_dates=neo4j), rows, "nodes") for label, rows in nodes.items()] + \
                   [(rel_statement(*key), rows, "relationships") for key, rows in rels.items()]
            for stmt, rows, kind in work:
                failed = 0
                for batch, cut in batches(rows, step, cap):
                    failed += _run_batch(s, stmt, batch if neo4j else falkordb_compatible(batch), kind, stats)
                    stats.batches += 1
                    trimmed += cut
                setattr(stats, kind, getattr(stats, kind) + len(rows) - failed)
            if trimmed:
                stats.notes.append(f"{trimmed} rows had long list/string properties trimmed to fit "
                                   f"{cap}-byte batches (full values are in graph.jsonl)")
    finally:
        driver.close()
    stats.seconds = time.perf_counter() - t0
    return stats
