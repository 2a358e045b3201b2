"""The graph's schema, declared once: node labels with their properties, and
relationship types with the labels at each end and their properties.

Exporters that need a schema before they see data read it here: the embedded
LadybugDB database creates a table for every label and relationship type, so a
Cypher query naming a type a build has none of (``ACHIEVES`` in a build without
named-method scores) returns no rows instead of failing; the neo4j-admin CSVs
and the Bolt loader type the dates from it. The README's schema tables are
tested against it and against a build (``tests/test_readme_schema.py``).

Property types are those of the JSON-lines view: ``string``, ``integer``,
``float``, ``date`` (an ISO string there, typed where the format has dates) and
lists of them (``[string]``); a trailing ``?`` says the value may be null.

Examples
--------
>>> NODES["Result"]["value"]
'float'
>>> sorted(RELATIONSHIPS["MEASURED_ON"].tails)
['Benchmark', 'Dataset']
>>> column_type("[date]"), column_type("integer?")
('DATE[]', 'INT64')
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["NODES", "RELATIONSHIPS", "RelationshipType", "column_type", "date_properties", "pairs"]

_ENTITY = {"name": "string", "aliases": "[string]", "papers": "[string]", "sources": "[string]"}
_STATED = {"papers": "[string]", "evidence": "[string]", "sources": "[string]", "confidence": "float"}
_RESULT_LINK = {"papers": "[string]", "confidence": "float"}

#: label → property → type
NODES: dict[str, dict[str, str]] = {
    "Paper": {"arxiv_id": "string", "title": "string", "url": "string", "hf_url": "string",
              "review_dates": "[date]", "first_reviewed": "date?", "authors": "[string]", "votes": "integer?",
              "org_tags": "[string]", "reviews": "[string]", "formats": "[string]", "cites": "[string]",
              "papers": "[string]"},
    "Method": dict(_ENTITY),
    "Benchmark": dict(_ENTITY),
    "Dataset": dict(_ENTITY),
    "Organization": dict(_ENTITY),
    "Result": {"value": "float", "unit": "string?", "metric": "string?", "kind": "string", "benchmark": "string",
               "method": "string?", "evidence": "[string]", "sources": "[string]", "papers": "[string]",
               "confidence": "float"},
}


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type: the labels it may start and end at, and its properties."""

    heads: tuple[str, ...]
    tails: tuple[str, ...]
    properties: dict[str, str] = field(default_factory=dict)


_NAMED = ("Method", "Benchmark", "Dataset")
#: relationship type → its ends and properties
RELATIONSHIPS: dict[str, RelationshipType] = {
    "PROPOSED_BY": RelationshipType((*_NAMED, "Paper"), ("Paper", "Organization"), dict(_STATED)),
    "EVALUATED_ON": RelationshipType(("Paper", "Method"), ("Benchmark", "Dataset"), dict(_STATED)),
    "IMPROVES_ON": RelationshipType(("Paper", "Method"), ("Method",), dict(_STATED)),
    "BASED_ON": RelationshipType(("Method",), ("Method",), dict(_STATED)),
    "VARIANT_OF": RelationshipType(_NAMED, _NAMED, {"basis": "string", **_STATED}),
    "MENTIONS": RelationshipType(("Paper",), (*_NAMED, "Organization"), dict(_STATED)),
    "REPORTS": RelationshipType(("Paper",), ("Result",), dict(_RESULT_LINK)),
    "MEASURED_ON": RelationshipType(("Result",), ("Benchmark", "Dataset"), dict(_RESULT_LINK)),
    "ACHIEVES": RelationshipType(("Method",), ("Result",), dict(_RESULT_LINK)),
}

_COLUMN = {"string": "STRING", "integer": "INT64", "float": "DOUBLE", "date": "DATE"}


def column_type(typ: str) -> str:
    """The LadybugDB column type of a schema type (``[x]`` is a list, ``?`` only says nullable)."""
    typ = typ.rstrip("?")
    if typ.startswith("["):
        return _COLUMN[typ[1:-1]] + "[]"
    return _COLUMN[typ]


def date_properties(label: str) -> dict[str, str]:
    """``{property: "date" | "date[]"}`` of a label's date-valued properties (Neo4j's type names)."""
    out = {}
    for k, t in NODES.get(label, {}).items():
        t = t.rstrip("?")
        if t in ("date", "[date]"):
            out[k] = "date[]" if t.startswith("[") else "date"
    return out


def pairs(typ: str) -> list[tuple[str, str]]:
    """Every (head label, tail label) a relationship type may join."""
    r = RELATIONSHIPS[typ]
    return [(h, t) for h in r.heads for t in r.tails]
