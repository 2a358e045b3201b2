"""SPARQL latency on a large synthetic graph: rdflib's default store vs Oxigraph.

    python benchmarks/sparql_bench.py [--papers 60000] [--timeout 120]

The graph has kg's real shape (papers, entities, relations, reified statements
with provenance) at ≥ 1M triples; the queries are schemas/queries/*.rq. Each
rdflib query runs in a child process with a timeout, since the default store
can take minutes on GROUP BY at this size.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

KG = "https://w3id.org/kg-reviews/ontology#"
ID = "https://w3id.org/kg-reviews/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def synth(path: str, papers: int, seed: int = 7) -> int:
    """Write a synthetic N-Triples graph; returns the triple count."""
    rnd = random.Random(seed)
    n = 0
    methods, benches, orgs = papers // 2, max(50, papers // 40), 200
    with open(path, "w", encoding="utf-8") as fh:
        def t(s, p, o):
            nonlocal n
            fh.write(f"{s} {p} {o} .\n")
            n += 1
        for i in range(methods):
            t(f"<{ID}method/m{i}>", f"<{RDF}type>", f"<{KG}Method>")
            t(f"<{ID}method/m{i}>", f"<{RDFS}label>", f'"Method-{i}"')
        for i in range(benches):
            t(f"<{ID}benchmark/b{i}>", f"<{RDF}type>", f"<{KG}Benchmark>")
            t(f"<{ID}benchmark/b{i}>", f"<{RDFS}label>", f'"Bench-{i}"')
        for i in range(orgs):
            t(f"<{ID}organization/o{i}>", f"<{RDF}type>", f"<{KG}Organization>")
            t(f"<{ID}organization/o{i}>", f"<{RDFS}label>", f'"Org {i}"')

        def rel(s, pred, o, pid, k):
            t(s, f"<{KG}{pred}>", o)
            st = f"<{ID}statement/{pid}/{pred}/{k}>"
            t(st, f"<{RDF}type>", f"<{RDF}Statement>")
            t(st, f"<{RDF}subject>", s)
            t(st, f"<{RDF}predicate>", f"<{KG}{pred}>")
            t(st, f"<{RDF}object>", o)
            t(st, f"<{KG}confidence>", f'"0.{rnd.randint(5, 9)}"^^<{XSD}decimal>')
            t(st, f"<{KG}evidence>", f'"synthetic evidence sentence {k}"')
            t(st, f"<{KG}paper>", f"<{ID}paper/{pid}>")
            t(st, f"<{PROV}wasDerivedFrom>", f'"day-{pid[:4]}.md:{k}"')

        for i in range(papers):
            pid = f"{24 + i % 2}{(i % 12) + 1:02d}.{i:05d}"
            p = f"<{ID}paper/{pid}>"
            t(p, f"<{RDF}type>", f"<{KG}Paper>")
            t(p, f"<{DCT}identifier>", f'"{pid}"')
            t(p, f"<{DCT}title>", f'"Synthetic paper {i}"')
            t(p, f"<{KG}reviewDate>", f'"20{pid[:2]}-{pid[2:4]}-15"^^<{XSD}date>')
            own = f"<{ID}method/m{i % methods}>"
            rel(own, "proposedBy", p, pid, 0)
            rel(p, "proposedBy", f"<{ID}organization/o{rnd.randrange(orgs)}>", pid, 1)
            for k in range(2):
                rel(p, "evaluatedOn", f"<{ID}benchmark/b{int(rnd.paretovariate(1.2)) % benches}>", pid, 2 + k)
            rel(own, "improvesOn", f"<{ID}method/m{rnd.randrange(methods)}>", pid, 4)
    return n


def _rdflib_query(path, query, q):
    from rdflib import Graph
    g = Graph()
    g.parse(path, format="nt")
    t0 = time.perf_counter()
    rows = len(list(g.query(query)))
    q.put((time.perf_counter() - t0, rows))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=32000)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--skip-rdflib", action="store_true")
    a = ap.parse_args()
    import pyoxigraph as ox
    from kg.query.sparql import example_queries, sparql

    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "big.nt")
    t0 = time.perf_counter()
    n = synth(path, a.papers)
    print(f"synthetic graph: {n:,} triples ({os.path.getsize(path) / 1e6:.0f} MB N-Triples) in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
    print(f"oxigraph load: {time.perf_counter() - t0:.1f}s")
    if not a.skip_rdflib:
        from rdflib import Graph
        t0 = time.perf_counter()
        Graph().parse(path, format="nt")
        print(f"rdflib default store load: {time.perf_counter() - t0:.1f}s (each rdflib query below reloads in a child)")
    print(f"\n{'query':<22}{'rows':>6}{'oxigraph s':>12}{'rdflib s':>12}")
    for name, q in example_queries().items():
        t0 = time.perf_counter()
        _, rows = sparql(store, q)
        ox_s = time.perf_counter() - t0
        rd = "skipped"
        if not a.skip_rdflib:
            qq: mp.Queue = mp.Queue()
            proc = mp.Process(target=_rdflib_query, args=(path, q, qq))
            proc.start()
            proc.join(a.timeout + 120)  # load time is not counted, only the query
            if proc.is_alive():
                proc.terminate()
                rd = f">{a.timeout:.0f}"
            else:
                secs, _ = qq.get() if not qq.empty() else (float("nan"), 0)
                rd = f"{secs:.2f}"
        print(f"{name:<22}{len(rows):>6}{ox_s:>12.3f}{rd:>12}", flush=True)


if __name__ == "__main__":
    main()
