"""Command line: ``kg build INPUT... --out DIR`` (also ``python -m kg``)."""
from __future__ import annotations

import argparse
import json
import os
import sys

__all__ = ["main"]


def _build(args) -> int:
    from .build import InputError, build, summary_text
    try:
        kg = build(args.inputs, min_confidence=args.min_confidence)
    except InputError as err:
        print(f"kg build: error: {err}", file=sys.stderr)
        return 2
    formats = None
    if args.rdf_format and args.rdf_format != "turtle":
        from .export import DEFAULT_OUTPUTS
        formats = [f for f in DEFAULT_OUTPUTS if f != "ttl"] + [{"nt": "nt", "json-ld": "jsonld"}[args.rdf_format]]
    kg.write(args.out, formats)
    for w in kg.report["warnings"]:
        print(f"warning: {w}", file=sys.stderr)
    print(summary_text(kg.report))
    print(f"outputs in {os.path.abspath(args.out)}")
    return 0 if kg.report["paper_records"] or not kg.report["files_read"] and False else (
        0 if kg.report["paper_records"] else 1)


def _read_query(args) -> str:
    if args.file:
        with open(args.file, encoding="utf-8") as fh:
            return fh.read()
    if not args.query:
        raise SystemExit("kg query: give a query or --file Q")
    return args.query


def _query_sparql(args) -> int:
    from .query import QueryError, format_rows
    from .query.sparql import load_store, sparql
    try:
        cols, rows = sparql(load_store(args.graph), _read_query(args))
    except (QueryError, OSError) as err:
        print(f"kg query sparql: {err}", file=sys.stderr)
        return 1
    print(format_rows(cols, rows, args.format))
    return 0


def _serve_sparql(args) -> int:
    from .query import QueryError
    from .query.server import make_server
    from .query.sparql import load_store
    try:
        server = make_server(load_store(args.graph), "127.0.0.1", args.port)
    except (QueryError, OSError) as err:
        print(f"kg serve sparql: {err}", file=sys.stderr)
        return 1
    print(f"SPARQL endpoint (read-only): http://127.0.0.1:{server.server_port}/sparql", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _validate(args) -> int:
    from .query import QueryError
    from .query.sparql import load_store, validate_shacl
    from rdflib import Graph
    try:
        store = load_store(args.graph)
    except QueryError as err:
        print(f"kg validate: {err}", file=sys.stderr)
        return 1
    g = Graph()
    from .query.sparql import _FILES
    for name, _ in _FILES:
        path = os.path.join(args.graph, name)
        if os.path.exists(path):
            g.parse(path, format={"graph.nt": "nt", "graph.ttl": "turtle", "graph.jsonld": "json-ld"}[name])
            break
    conforms, problems = validate_shacl(g)
    for p in problems:
        print(f"violation: {p}")
    print(f"SHACL: {'conforms' if conforms else 'does not conform'} ({len(g)} triples, {len(problems)} violations)")
    del store
    return 0 if conforms else 1


def make_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from AI paper reviews.")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the graph of review files and folders")
    b.add_argument("inputs", nargs="+", help="review files and/or folders")
    b.add_argument("--out", default="out", help="output folder (default: out)")
    b.add_argument("--min-confidence", type=float, default=0.0,
                   help="drop relationships with confidence below this (0-1)")
    b.add_argument("--rdf-format", choices=("turtle", "nt", "json-ld"), default="turtle")
    b.set_defaults(func=_build)

    q = sub.add_parser("query", help="query a built graph (SPARQL, Cypher)")
    qsub = q.add_subparsers(dest="language", required=True)
    qs = qsub.add_parser("sparql", help="SPARQL over OUT's RDF with embedded Oxigraph")
    qs.add_argument("query", nargs="?", help="the query text (or --file)")
    qs.add_argument("--file", help="read the query from a .rq file")
    qs.add_argument("--graph", default="out", help="a kg build output folder (default: out)")
    qs.add_argument("--format", choices=("table", "csv", "json"), default="table")
    qs.set_defaults(func=_query_sparql)

    s = sub.add_parser("serve", help="serve a built graph")
    ssub = s.add_subparsers(dest="language", required=True)
    ss = ssub.add_parser("sparql", help="read-only SPARQL endpoint on 127.0.0.1")
    ss.add_argument("--graph", default="out")
    ss.add_argument("--port", type=int, default=7878)
    ss.set_defaults(func=_serve_sparql)

    v = sub.add_parser("validate", help="SHACL-validate a build's RDF against schemas/shapes.ttl")
    v.add_argument("graph", nargs="?", default="out")
    v.set_defaults(func=_validate)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
