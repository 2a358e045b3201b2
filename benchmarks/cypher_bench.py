"""Relationships/s loading into a Bolt server (FalkorDB, started here) and into the
embedded LadybugDB: batched UNWIND vs one statement per row, side by side.

    python benchmarks/cypher_bench.py [--papers 1500] [--batch 50]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests"), os.path.dirname(os.path.abspath(__file__))]


def ladybug_load(kg, per_row: bool) -> float:
    """Seconds to load relationships into a fresh embedded db (nodes preloaded, not timed)."""
    import ladybug as lb

    from kg.export.cypher import rel_rows
    from kg.query.cypher import REL_COLUMNS, write_embedded
    path = os.path.join(tempfile.mkdtemp(), "g.lbdb")
    write_embedded(kg, path)
    conn = lb.Connection(lb.Database(path))
    conn.execute("MATCH ()-[e]->() DELETE e")
    assign = ", ".join(f"`{k}`: r.`{k}`" for k in REL_COLUMNS)
    t0 = time.perf_counter()
    for (typ, hl, tl), rows in rel_rows(kg).items():
        flat = [{"h": r["h"], "t": r["t"], **{k: r["props"].get(k) for k in REL_COLUMNS}} for r in rows]
        stmt = (f"UNWIND $rows AS r MATCH (a:{hl} {{uid: r.h}}), (b:{tl} {{uid: r.t}}) "
                f"CREATE (a)-[:{typ} {{{assign}}}]->(b)")
        step = 1 if per_row else 2000
        for i in range(0, len(flat), step):
            conn.execute(stmt, {"rows": flat[i:i + step]})
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=50)
    a = ap.parse_args()
    from falkordb_server import FalkorDB
    from synthetic import synthetic_graph

    from kg.query.cypher import cypher_bolt
    from kg.loaders.bolt import load_bolt
    kg = synthetic_graph(a.papers)
    n_rel = kg.g.number_of_edges()
    print(f"synthetic graph: {kg.g.number_of_nodes()} nodes, {n_rel} relationships")
    print(f"\n{'target':<34}{'mode':<22}{'seconds':>9}{'rels/s':>10}")
    server = FalkorDB()
    try:
        for mode, per_row in ((f"UNWIND batch {a.batch}", False), ("one statement per row", True)):
            cypher_bolt(server.uri, "MATCH (n) DETACH DELETE n")
            st = load_bolt(kg, server.uri, batch_size=a.batch, per_row=per_row)
            # nodes and relationships are both timed here; report relationships/s of the whole load
            print(f"{'FalkorDB over Bolt (nodes+rels)':<34}{mode:<22}{st.seconds:>9.2f}{n_rel / st.seconds:>10.0f}",
                  flush=True)
    finally:
        server.stop()
    for mode, per_row in (("UNWIND batch 2000", False), ("one statement per row", True)):
        secs = ladybug_load(kg, per_row)
        print(f"{'LadybugDB embedded (rels only)':<34}{mode:<22}{secs:>9.2f}{n_rel / secs:>10.0f}", flush=True)


if __name__ == "__main__":
    main()
