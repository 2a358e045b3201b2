"""Neo4j paths end to end against a real Bolt server (FalkorDB) started here,
plus the bulk-import CSVs, load.cypher, GraphML and the embedded Cypher engine."""
import csv
import os

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import LBDB_QUERIES, SHARED, needs_shared, run_kg
from falkordb_server import FalkorDB, free_port

import kg
from kg.loaders.bolt import LoadError, load_bolt
from kg.query.cypher import cypher, cypher_bolt, example_cypher


@pytest.fixture(scope="module")
def server():
    s = FalkorDB()
    yield s
    s.stop()


def counts(uri):
    n = cypher_bolt(uri, "MATCH (n) RETURN count(n)")[1][0][0]
    r = cypher_bolt(uri, "MATCH ()-[e]->() RETURN count(e)")[1][0][0]
    return n, r


def wipe(uri):
    cypher_bolt(uri, "MATCH (n) DETACH DELETE n")


@needs_shared
def test_load_seeds_reload_and_grow(server, tmp_path):
    wipe(server.uri)
    seeds = os.path.join(SHARED, "seeds")
    small = kg.build([os.path.join(seeds, "000_4f5ae511c3fe1c4c.txt")])
    full = kg.build([seeds])
    load_bolt(small, server.uri, batch_size=50)
    n_small = counts(server.uri)
    assert n_small == (small.g.number_of_nodes(), small.g.number_of_edges())
    st = load_bolt(full, server.uri, batch_size=50)  # grown build
    assert st.schema == "uid indexes"  # FalkorDB refuses Neo4j constraints: the fallback ran
    expected = (full.g.number_of_nodes(), full.g.number_of_edges())
    assert counts(server.uri) == expected
    load_bolt(full, server.uri, batch_size=50)  # reload: idempotent
    assert counts(server.uri) == expected
    # known edges and properties come back
    rows = cypher_bolt(server.uri, "MATCH (m:Method)-[e:PROPOSED_BY]->(p:Paper {arxiv_id: '2505.16410'}) "
                                   "RETURN m.name, e.confidence, e.papers")[1]
    assert rows and rows[0][0] == "Tool-Star" and rows[0][2] == ["2505.16410"]
    rows = cypher_bolt(server.uri, "MATCH (p:Paper {arxiv_id: '2510.21581'})-[:PROPOSED_BY]->(o:Organization) RETURN o.name")[1]
    assert rows == [["Stability AI"]]
    labels = dict(cypher_bolt(server.uri, "MATCH (n:Paper) RETURN 'Paper', count(n)")[1])
    assert labels["Paper"] == 90


def test_cli_load_and_query_server(server, examples_out):
    wipe(server.uri)
    r = run_kg("load", "neo4j", str(examples_out), "--uri", server.uri, "--batch-size", "7")
    assert r.returncode == 0, r.stderr
    assert "loaded" in r.stdout
    r = run_kg("query", "cypher", "--file", os.path.join(os.path.dirname(__file__), "..", "schemas", "queries",
                                                         "orgs_by_papers.cypher"), "--uri", server.uri, "--format", "csv")
    assert r.returncode == 0 and r.stdout.splitlines() == ["organization,papers", "NVIDIA,1", "Stability AI,1"]
    rows = cypher_bolt(server.uri, "MATCH (m:Method)-[e:VARIANT_OF]->(f:Method) RETURN m.name, f.name, e.basis, e.confidence")
    assert rows[1] == [["Qwen2.5-1.5B", "Qwen2.5", "name", 0.9]]


def test_hostile_values_are_parameters(server):
    """Quotes, braces and Cypher keywords in names travel as parameters, not code."""
    from kg.build import graph_from
    from kg.extract import RecordExtraction
    from kg.model import Evidence, Mention, PaperRecord, Relation, Section
    wipe(server.uri)
    evil = "x'}) DETACH DELETE n //\" `tick` back\\slash \\' \\n end\\"
    rec = PaperRecord("2501.00009", evil, "u", "t.md", 1, 1, "test", sections=[Section("title", "title", evil, 1)])
    x = RecordExtraction(rec, [Mention(evil, "Method", rec.arxiv_id, "t.md", 1, {"Method": 1})],
                         [Relation(evil, "proposedBy", "@paper", rec.arxiv_id, 0.9, Evidence(evil, "t.md", 1, rec.arxiv_id))])
    load_bolt(graph_from([rec], [x]), server.uri)
    assert cypher_bolt(server.uri, "MATCH (m:Method) RETURN m.name")[1] == [[evil]]


def test_a_refused_row_is_named_and_the_rest_loads(server):
    """A value the server will not store (a map) fails its batch: the batch's rows are sent
    again one by one, the refused one is named, and every other row is loaded."""
    wipe(server.uri)
    g = kg.KnowledgeGraph()
    for uid, extra in (("method:good", {}), ("method:bad", {"extra": {"a": {"b": 1}}}), ("method:good2", {})):
        g.g.add_node(uid, labels=["Method"], properties={"name": uid.split(":")[1], "papers": ["2501.00001"], **extra})
    st = load_bolt(g, server.uri)
    assert st.nodes == 2 and len(st.failed) == 1 and st.failed[0].startswith("node method:bad: ")
    assert cypher_bolt(server.uri, "MATCH (n:Method) RETURN n.name ORDER BY n.name")[1] == [["good"], ["good2"]]


def test_connection_failure_is_one_clear_message(tmp_path, examples_out):
    port = free_port()
    with pytest.raises(LoadError, match="cannot connect"):
        load_bolt(kg.KnowledgeGraph(), f"bolt://127.0.0.1:{port}")
    r = run_kg("load", "neo4j", str(examples_out), "--uri", f"bolt://127.0.0.1:{port}")
    assert r.returncode == 1 and "cannot connect" in r.stderr and "Traceback" not in r.stderr


def test_bulk_import_csvs_and_cypher_script(examples_out, examples_graph):
    folder = examples_out / "neo4j-import"
    with open(folder / "nodes_Paper.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["uid:ID", ":LABEL"] and "review_dates:date[]" in rows[0] and "first_reviewed:date" in rows[0] and "votes:long" in rows[0]
    assert len(rows) - 1 == 9
    with open(folder / "rels_IMPROVES_ON.csv", encoding="utf-8") as fh:
        head = next(csv.reader(fh))
    assert head[:3] == [":START_ID", ":END_ID", ":TYPE"] and "confidence:double" in head
    with open(folder / "rels_VARIANT_OF.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows == [{":START_ID": "method:qwen2515b", ":END_ID": "method:qwen25", ":TYPE": "VARIANT_OF",
                     "basis:string": "name", "confidence:double": "0.9"}]
    cmd = (folder / "import.sh").read_text()
    assert "neo4j-admin database import full" in cmd and "--nodes=neo4j-import/nodes_Method.csv" in cmd \
        and "--relationships=neo4j-import/rels_PROPOSED_BY.csv" in cmd
    script = (examples_out / "load.cypher").read_text(encoding="utf-8")
    assert "CREATE CONSTRAINT kg_method_uid IF NOT EXISTS" in script and ":param rows =>" in script
    assert "MERGE (n:Method {uid: r.uid})" in script
    assert "n.`first_reviewed` = date(n.`first_reviewed`)" in script  # Neo4j gets date values
    assert "MERGE (a)-[e:VARIANT_OF]->(b)" in script and '{`confidence`: 0.9, `basis`: "name"}' in script


def test_a_rewrite_leaves_no_csv_of_a_type_the_graph_lost(examples_graph, tmp_path):
    from kg.export.cypher import write_import_csv
    write_import_csv(examples_graph, str(tmp_path))
    assert (tmp_path / "rels_VARIANT_OF.csv").exists()
    smaller = examples_graph.subgraph([u for u, _, _ in examples_graph.nodes() if u != "method:qwen25"])
    write_import_csv(smaller, str(tmp_path))
    assert not (tmp_path / "rels_VARIANT_OF.csv").exists() and (tmp_path / "rels_BASED_ON.csv").exists()


def test_graphml_opens_in_networkx(examples_out, examples_graph):
    G = nx.read_graphml(examples_out / "graph.graphml")
    assert G.number_of_nodes() == examples_graph.g.number_of_nodes()
    assert G.number_of_edges() == examples_graph.g.number_of_edges()


def test_embedded_cypher_examples_mirror_sparql(examples_out):
    from kg.query.sparql import example_queries, load_store, sparql
    qs = example_cypher()
    store = load_store(str(examples_out))
    for name in ("top_benchmarks", "orgs_by_papers", "papers_per_month", "family_members", "leaderboard"):
        assert cypher(str(examples_out), qs[name])[1] == sparql(store, example_queries()[name])[1], name
    assert cypher(str(examples_out), qs["leaderboard"])[1] == [["Harbor-Bench", 31.0, "%", "GPT-4o", "2503.00202"]]
    cols, rows = cypher(str(examples_out), qs["improves_on_method"])
    assert [r[0] for r in rows] == ["MeshForge"]
    assert cypher(str(examples_out), qs["family_members"])[1] == [["Qwen2.5", "Qwen2.5-1.5B"]]
    assert cypher(str(examples_out), "MATCH (m)-[e:VARIANT_OF]->(f) RETURN m.uid, f.uid, e.basis, e.evidence")[1] == \
        [["method:qwen2515b", "method:qwen25", "name", None]]
    r = run_kg("query", "cypher", "MATCH (n:Nope RETURN n", "--graph", str(examples_out))
    assert r.returncode == 1 and "Cypher error" in r.stderr and "Traceback" not in r.stderr
    # dates are dates: compared as such, and counted as SPARQL counts xsd:date values
    import datetime
    (row,) = cypher(str(examples_out), "MATCH (p:Paper) WHERE p.first_reviewed >= date('2025-03-03') "
                                       "RETURN count(p), min(p.first_reviewed)")[1]
    want = sparql(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?p <https://w3id.org/kg-reviews/ontology#reviewDate> ?d "
                         "FILTER(?d >= '2025-03-03'^^<http://www.w3.org/2001/XMLSchema#date>) "
                         "FILTER NOT EXISTS { ?p <https://w3id.org/kg-reviews/ontology#reviewDate> ?e FILTER(?e < ?d) } }")[1]
    assert row[0] == want[0][0] > 0 and isinstance(row[1], datetime.date)


def test_big_graphs_load_through_a_fresh_process_with_the_same_result(examples_out, examples_graph, tmp_path,
                                                                    monkeypatch):
    import kg.query.cypher as embedded
    monkeypatch.setattr(embedded, "STAGE_ABOVE", 0)  # as for a big graph: Parquet + a fresh loader process
    monkeypatch.setattr(embedded, "COPY_CHUNK", 7)   # and relationship tables written in several chunks
    embedded.write_embedded(examples_graph, str(tmp_path / "graph.lbdb"))
    assert os.listdir(tmp_path) == ["graph.lbdb"]  # the staged Parquet files are gone
    for q in LBDB_QUERIES:
        staged = cypher(str(tmp_path), q)[1]
        assert staged and staged == cypher(str(examples_out), q)[1], q


def test_batches_respect_rows_and_bytes():
    from kg.loaders.bolt import _size, batches
    rows = [{"uid": f"u{i}", "props": {"name": "x" * 50, "evidence": ["문장" * 300] * 5}} for i in range(30)]
    out = list(batches(rows, 7, 3000))
    assert sum(len(b) for b, _ in out) == 30 and all(len(b) <= 7 and _size(b) <= 3000 for b, _ in out)
    assert sum(t for _, t in out) == 30  # every row needed trimming (5 × 1.8 KB of evidence)
    assert [len(b) for b, _ in batches(rows, 7, None)] == [7, 7, 7, 7, 2]


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-2, 2, allow_nan=False),
                     st.text(max_size=4))
_values = st.one_of(_scalars, st.lists(st.one_of(st.text(max_size=3), st.integers(0, 3)), max_size=3))


def _kind_by_definition(values) -> str:
    """The column-kind rule as the documentation states it."""
    vs = [v for v in values if v is not None]
    if not vs:
        return "str"
    for kind, ok in (("list", lambda v: isinstance(v, list)), ("bool", lambda v: isinstance(v, bool)),
                     ("int", lambda v: isinstance(v, int) and not isinstance(v, bool)),
                     ("float", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))):
        if all(map(ok, vs)):
            return kind
    return "str"


@settings(max_examples=400, deadline=None)
@given(columns=st.lists(st.lists(_values, max_size=6), min_size=1, max_size=3))
def test_column_kinds_and_embedded_tables_follow_their_rules(columns):
    """CSV/GraphML/LadybugDB column kinds are collected in one pass by type
    tags; Arrow columns whose values already have the column's type skip the
    per-value coercion. Both must give what the plain rules give."""
    import pyarrow as pa

    from kg.export.cypher import _columns, value_kind
    from kg.export.elements import node_element
    from kg.query.cypher import LADYBUG_TYPES, _arrow_type, _coerce, _typed_table
    for vs in columns:
        assert value_kind(vs) == _kind_by_definition(vs)
        col = LADYBUG_TYPES[value_kind(vs)]
        vs = [None if v == [] else v for v in vs]
        assert _typed_table({"c": (vs, col)}).equals(pa.table({"c": pa.array([_coerce(v, col) for v in vs],
                                                                             _arrow_type(col))}))
    els = [node_element(f"method:m{i}", {f"p{j}": vs[i] for j, vs in enumerate(columns) if i < len(vs)})
           for i in range(max(map(len, columns)))]
    kinds = _columns(els)["nodes"].get("Method", {})
    for j, vs in enumerate(columns):
        kept = [v for v in vs if v is not None and v != []]
        assert kinds.get(f"p{j}") == (value_kind(kept) if kept else None)


def test_embedded_tables_exist_for_every_schema_type_even_without_rows(tmp_path):
    """A build with no scores and no organisations still answers queries that name
    them (no rows, not "table does not exist"), and its tables are the schema's."""
    from kg.schema import NODES, RELATIONSHIPS
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "day.md").write_text("### [Ibis: Birds](https://arxiv.org/abs/2501.02001)\n\n- Ibis를 제안.\n")
    r = run_kg("build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-cache")
    assert r.returncode == 0, r.stderr
    out = str(tmp_path / "out")
    assert cypher(out, "MATCH (m:Method)-[:ACHIEVES]->(r:Result)-[:MEASURED_ON]->(b) RETURN m.name, r.value")[1] == []
    assert cypher(out, "MATCH (p:Paper)-[:PROPOSED_BY]->(o:Organization) RETURN o.name")[1] == []
    assert cypher(out, "MATCH (r:Result) RETURN r.metric, r.unit")[1] == []
    tables = dict(cypher(out, "CALL SHOW_TABLES() RETURN name, type")[1])
    assert {t for t, kind in tables.items() if kind == "NODE"} == set(NODES)
    assert {t for t, kind in tables.items() if kind == "REL"} == set(RELATIONSHIPS)
    assert cypher(out, "MATCH (p:Paper) RETURN p.arxiv_id")[1] == [["2501.02001"]]
