"""Query engines over a built graph (a ``kg build`` output folder): SPARQL
(embedded Oxigraph) and Cypher. Results are (columns, rows) and are printed
by :func:`format_rows` as a table, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json

__all__ = ["format_rows", "QueryError", "to_frame", "sparql_df", "cypher_df", "with_prefixes"]


class QueryError(Exception):
    """A query the engine rejects (syntax or evaluation), with its message."""


def format_rows(columns: list[str], rows: list[list], fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)
        return buf.getvalue().rstrip("\n")
    cells = [[("" if v is None else str(v)).replace("\n", " ") for v in r] for r in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v[:w].ljust(w) for v, w in zip(r, widths)) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def to_frame(columns: list[str], rows: list[list]):
    """Query results as a pandas DataFrame (pandas is optional: ``pip install 'kg[pandas]'``)."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("DataFrames need pandas: pip install pandas (or kg[pandas])") from None
    return pd.DataFrame(rows, columns=columns)


def with_prefixes(query: str) -> str:
    """``query`` with the PREFIX lines of kg's namespaces (``kg:``, ``schema:``, ``prov:`` …) it
    does not declare itself, so notebook queries can be short."""
    import re
    from ..export.rdf import PREFIXES
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+(\w*):", query)}
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared) + query


def sparql_df(graph: str, query: str):
    """A SPARQL query over a build folder's RDF (embedded Oxigraph), as a DataFrame.

    Examples
    --------
    >>> df = sparql_df("out", "SELECT ?name WHERE { ?m a kg:Method ; schema:name ?name }")  # doctest: +SKIP
    """
    from .sparql import load_store, sparql
    return to_frame(*sparql(load_store(graph), with_prefixes(query)))


def cypher_df(graph: str, query: str, params: dict | None = None):
    """A Cypher query over a build folder's embedded LadybugDB database, as a DataFrame."""
    from .cypher import cypher
    return to_frame(*cypher(graph, query, params))
