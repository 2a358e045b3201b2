"""The README's schema tables describe what a build writes: every label, relationship type,
end label and property of the examples' graph.jsonl is in them, with its type."""
import json
import os
import re

from conftest import ROOT

TYPES = {"string": str, "integer": int, "float": float, "date": str, "[string]": list, "[date]": list}


def _table(text: str, first_header: str) -> list[list[str]]:
    """Rows of the README table whose first header cell is ``first_header``."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"| {first_header} |"))
    rows = []
    for ln in lines[start + 2:]:
        if not ln.startswith("|"):
            break
        rows.append([c.strip() for c in ln.strip().strip("|").split("|")])
    return rows


def _props(cell: str) -> dict[str, tuple[type, bool]]:
    """``name`` type pairs of a cell: name → (Python type, may be null)."""
    return {m.group(1): (m.group(2), bool(m.group(3)))
            for m in re.finditer(r"`(\w+)` (string|integer|float|date|\[string\]|\[date\])(\?)?", cell)}


def readme_schema():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    nodes = {row[0].strip("`"): _props(row[1]) for row in _table(text, "label")}
    rels = {}
    for row in _table(text, "type"):
        heads, tails = (set(re.split(r",\s*", side.strip())) for side in row[1].split("→"))
        rels[row[0].strip("`")] = (heads, tails, _props(row[2]))
    return nodes, rels


def _check(props: dict, schema: dict, where: str) -> None:
    for k, v in props.items():
        assert k in schema, f"{where}: property {k!r} is not in the README's table"
        typ, nullable = schema[k]
        typ = TYPES[typ]
        if v is None:
            assert nullable, f"{where}.{k} is null but the README does not say it may be"
        else:
            assert isinstance(v, typ) and not (typ is int and isinstance(v, bool)), f"{where}.{k}={v!r}"


def test_the_readme_schema_matches_the_examples_build(examples_out):
    nodes, rels = readme_schema()
    assert set(nodes) == {"Paper", "Method", "Benchmark", "Dataset", "Organization", "Result"}
    seen_labels, seen_types = set(), set()
    with open(examples_out / "graph.jsonl", encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            if o["type"] == "node":
                label = o["labels"][0]
                assert label in nodes, label
                _check(o["properties"], nodes[label], label)
                seen_labels.add(label)
            else:
                assert o["label"] in rels, o["label"]
                heads, tails, schema = rels[o["label"]]
                assert o["start"]["labels"][0] in heads and o["end"]["labels"][0] in tails, o
                _check(o["properties"], schema, o["label"])
                seen_types.add(o["label"])
    # the examples use every label and type but for none: the tables are not padded with inventions
    assert seen_labels == set(nodes)
    assert set(rels) - seen_types <= set()


def test_the_readme_schema_is_the_declared_one():
    """kg.schema, which the embedded database and the typed outputs are made from, says what the README says."""
    from kg.schema import NODES, RELATIONSHIPS
    nodes, rels = readme_schema()
    assert {label: {k: t + "?" * null for k, (t, null) in props.items()} for label, props in nodes.items()} == NODES
    for typ, (heads, tails, props) in rels.items():
        r = RELATIONSHIPS[typ]
        assert (heads, tails) == (set(r.heads), set(r.tails)), typ
        assert {k: t + "?" * null for k, (t, null) in props.items()} == r.properties, typ
    assert set(rels) == set(RELATIONSHIPS)
