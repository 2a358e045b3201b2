"""Query engines over a built graph (a ``kg build`` output folder): SPARQL
(embedded Oxigraph) and Cypher. Results are (columns, rows) and are printed
by :func:`format_rows` as a table, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json

__all__ = ["format_rows", "QueryError"]


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
