"""SPARQL over a build, with no server: the graph's N-Triples/Turtle are bulk
loaded into an in-memory Oxigraph store (pyoxigraph), which answers GROUP BY
queries on a million triples in tens of milliseconds (see benchmarks/)."""
from __future__ import annotations

import os
from itertools import islice

import pyoxigraph as ox

from . import QueryError

__all__ = ["rdf_file", "load_store", "sparql", "SCHEMAS_DIR", "example_queries", "validate_shacl"]

SCHEMAS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "schemas")
_FILES = (("graph.nt", ox.RdfFormat.N_TRIPLES), ("graph.ttl", ox.RdfFormat.TURTLE),
          ("graph.jsonld", ox.RdfFormat.JSON_LD))


def rdf_file(graph: str) -> tuple[str, ox.RdfFormat]:
    """The RDF file of a build folder (or ``graph`` itself if it is a file) and its format."""
    if os.path.isfile(graph):
        fmt = ox.RdfFormat.from_extension(graph.rsplit(".", 1)[-1]) if "." in os.path.basename(graph) else None
        if fmt is None:
            raise QueryError(f"{graph}: not an RDF file (.nt, .ttl, .jsonld) nor a kg build output folder")
        return graph, fmt
    for name, fmt in _FILES:
        path = os.path.join(graph, name)
        if os.path.exists(path):
            return path, fmt
    raise QueryError(f"{graph}: no graph.nt, graph.ttl or graph.jsonld here (run `kg build … --out {graph}`)")


def load_store(graph: str) -> ox.Store:
    """An Oxigraph store holding the RDF of a build folder (or one RDF file)."""
    path, fmt = rdf_file(graph)
    store = ox.Store()
    try:
        store.bulk_load(path=path, format=fmt)
    except (SyntaxError, ValueError) as err:
        raise QueryError(f"{path}: cannot be read as RDF: {str(err).splitlines()[0][:200]}") from None
    return store


def _value(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#int", "#long")):
            return int(term.value)
        if dt.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        if dt.endswith("#date"):
            import datetime
            try:
                return datetime.date.fromisoformat(term.value)
            except ValueError:
                return term.value
        return term.value
    return term.value


def json_term(term) -> dict | None:
    """A term as the SPARQL 1.1 JSON results format writes it: ``uri``, ``bnode`` or
    ``literal`` with its ``datatype`` (``xsd:integer`` for a COUNT) or ``xml:lang``."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # a quoted triple (RDF-star): its text


def sparql(store: ox.Store, query: str, max_rows: int | None = None,
           terms: bool = False) -> tuple[list[str], list[list]]:
    """Run a SELECT/ASK/CONSTRUCT query; returns (columns, rows), at most
    ``max_rows`` of them: Python values, or with ``terms`` each cell as its SPARQL JSON
    term (:func:`json_term`). Unchecked: for queries from anyone else, use
    :func:`kg.query.guard.run_query`."""
    value = json_term if terms else _value
    try:
        res = store.query(query)
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {err}") from None
    except (OSError, ValueError) as err:
        raise QueryError(f"SPARQL error: {err}") from None
    if isinstance(res, ox.QueryBoolean):
        return ["result"], [[{"type": "literal", "value": "true" if res else "false",
                               "datatype": "http://www.w3.org/2001/XMLSchema#boolean"} if terms else bool(res)]]
    if isinstance(res, ox.QuerySolutions):
        cols = [v.value for v in res.variables]
        return cols, [[value(sol[c]) for c in cols] for sol in islice(res, max_rows)]
    return ["subject", "predicate", "object"], [[value(t.subject), value(t.predicate), value(t.object)]
                                                for t in islice(res, max_rows)]


def example_queries() -> dict[str, str]:
    """The queries in ``schemas/queries/*.rq`` by file stem."""
    qdir = os.path.join(SCHEMAS_DIR, "queries")
    return {f[:-3]: open(os.path.join(qdir, f), encoding="utf-8").read()
            for f in sorted(os.listdir(qdir)) if f.endswith(".rq")}


def validate_shacl(data_graph) -> tuple[bool, list[str]]:
    """Validate an rdflib graph against ``schemas/shapes.ttl``.

    Returns (conforms, violations) where each violation names the focus node,
    the path and the message."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    g = Graph()
    for t in data_graph:
        g.add(t)
    conforms, report, _ = pyshacl.validate(g, shacl_graph=os.path.join(SCHEMAS_DIR, "shapes.ttl"),
                                           ont_graph=os.path.join(SCHEMAS_DIR, "ontology.ttl"),
                                           inference="none", advanced=True)
    problems = []
    for r in report.subjects(predicate=SH.focusNode):
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        msg = report.value(r, SH.resultMessage)
        problems.append(f"{focus} {path or ''}: {msg}")
    return bool(conforms), sorted(problems)
