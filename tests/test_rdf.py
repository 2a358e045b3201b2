"""RDF: SHACL validity, round-trips of every serialisation, example SPARQL queries, the endpoint."""
import json
import os
import threading
import urllib.parse
import urllib.request

import pytest
from conftest import SHARED, needs_shared, run_kg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

import kg
from kg.build import graph_from
from kg.export.rdf import to_rdflib, write_rdf
from kg.model import Evidence, PaperRecord, Relation, Section
from kg.extract import RecordExtraction
from kg.model import Mention
from kg.query.sparql import example_queries, load_store, sparql, validate_shacl


def test_examples_rdf_conforms_to_shapes(examples_graph):
    ok, problems = validate_shacl(examples_graph.to_rdflib())
    assert ok, problems


def test_variant_of_is_valid_only_between_entities_of_matching_types(examples_graph):
    from rdflib import Literal, URIRef
    from kg.export.rdf import KG, KGID
    g = Graph()
    for t in examples_graph.to_rdflib():
        g.add(t)
    member, family = KGID["method/qwen2515b"], KGID["method/qwen25"]
    assert (member, KG.variantOf, family) in g
    st = URIRef(f"{KGID}statement/method%3Aqwen2515b/VARIANT_OF/method%3Aqwen25")
    assert (st, KG.basis, Literal("name")) in g or any(str(o) == "name" for o in g.objects(st, KG.basis))
    assert validate_shacl(g)[0]
    g.add((member, KG.variantOf, KGID["benchmark/gsm8k"]))  # a Method's family is not a Benchmark (and one only)
    ok, problems = validate_shacl(g)
    assert not ok and any(str(member) in p for p in problems)
    g.remove((member, KG.variantOf, KGID["benchmark/gsm8k"]))
    g.remove((st, KG.basis, None))  # a name-derived statement must say what it rests on
    ok, problems = validate_shacl(g)
    assert not ok and any(str(st) in p for p in problems)


def test_violation_names_the_offending_node(examples_graph):
    from rdflib import RDFS, URIRef
    g = Graph()
    for t in examples_graph.to_rdflib():
        g.add(t)
    node = URIRef("https://w3id.org/kg-reviews/id/method/orbitnet")
    g.remove((node, RDFS.label, None))
    ok, problems = validate_shacl(g)
    assert not ok and any(str(node) in p for p in problems)


@needs_shared
@pytest.mark.parametrize("folder", ["seeds", "corpus"])
def test_shared_builds_conform(folder):
    g = kg.build([os.path.join(SHARED, folder)])
    ok, problems = validate_shacl(g.to_rdflib())
    assert ok, problems[:5]


def tiny_graph(title: str, name: str, sentence: str):
    rec = PaperRecord("2501.00001", title, "https://arxiv.org/abs/2501.00001", "t.md", 1, 3, "test",
                      review_date="2025-01-01", sections=[Section("title", "title", title, 1)])
    x = RecordExtraction(rec, [Mention(name, "Method", rec.arxiv_id, "t.md", 2, {"Method": 1.0})],
                         [Relation(name, "proposedBy", "@paper", rec.arxiv_id, 0.8,
                                   Evidence(sentence, "t.md", 2, rec.arxiv_id))])
    return graph_from([rec], [x])


weird = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: s.strip() and any(c.isalnum() for c in s))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=weird, name=weird, sentence=st.sampled_from(
    ['say "hi"\nnext <b>', "emoji 🚀 and RTL مرحبا", "ctrl \x01\x07 chars </script>", "back\\slash 'quote'"]))
def test_every_serialisation_round_trips(tmp_path, title, name, sentence):
    g = tiny_graph(title, name, sentence)
    original = to_rdflib(g, store="default")  # plain literals, as rdflib's parsers produce
    for fmt, parse_fmt in (("turtle", "turtle"), ("nt", "nt"), ("json-ld", "json-ld")):
        path = tmp_path / f"g.{fmt}"
        write_rdf(g, str(path), fmt)
        back = Graph().parse(str(path), format=parse_fmt)
        assert isomorphic(original, back), fmt


def test_example_queries_on_examples(examples_out):
    store = load_store(str(examples_out))
    qs = example_queries()
    assert set(qs) >= {"top_benchmarks", "orgs_by_papers", "papers_per_month", "improves_on_method"}
    cols, rows = sparql(store, qs["top_benchmarks"])
    assert cols == ["benchmark", "papers"] and rows[:2] == [["GSM8K", 2], ["MATH500", 2]]
    assert sparql(store, qs["orgs_by_papers"])[1] == [["NVIDIA", 1], ["Stability AI", 1]]
    assert sparql(store, qs["papers_per_month"])[1] == [["2025-03", 9]]
    cols, rows = sparql(store, qs["improves_on_method"])
    assert [r[0] for r in rows] == ["MeshForge"] and "InstantMesh" in rows[0][2]
    cols, rows = sparql(store, qs["evidence_for_edges"])
    assert {r[1] for r in rows} == {"ViT-B/16", "Phi-3-mini", "InstantMesh", "StreamingLLM", "DDPO", "Math-Shepherd"} \
        or {"ViT-B/16", "InstantMesh"} <= {r[1] for r in rows}


def test_cli_sparql_formats_and_errors(examples_out):
    q = "SELECT ?n WHERE { ?x a <https://w3id.org/kg-reviews/ontology#Organization> ; " \
        "<http://www.w3.org/2000/01/rdf-schema#label> ?n } ORDER BY ?n"
    r = run_kg("query", "sparql", q, "--graph", str(examples_out), "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout) == [{"n": "NVIDIA"}, {"n": "Stability AI"}]
    r = run_kg("query", "sparql", q, "--graph", str(examples_out), "--format", "csv")
    assert r.stdout.splitlines() == ["n", "NVIDIA", "Stability AI"]
    r = run_kg("query", "sparql", "SELEC ?x WHERE {", "--graph", str(examples_out))
    assert r.returncode == 1 and "syntax error" in r.stderr and "Traceback" not in r.stderr


def test_rdf_formats_from_build(tmp_path):
    for fmt, name in (("nt", "graph.nt"), ("json-ld", "graph.jsonld")):
        r = run_kg("build", os.path.join(os.path.dirname(__file__), "..", "examples"), "--out",
                   str(tmp_path / fmt), "--rdf-format", fmt)
        assert r.returncode == 0 and (tmp_path / fmt / name).stat().st_size > 0
        assert sparql(load_store(str(tmp_path / fmt)), "ASK { ?p a <https://w3id.org/kg-reviews/ontology#Paper> }")[1] == [[True]]


def test_read_only_endpoint(examples_out):
    from kg.query.server import make_server
    server = make_server(load_store(str(examples_out)), "127.0.0.1", 0)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/sparql"
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/kg-reviews/ontology#Paper> }"
        with urllib.request.urlopen(base + "?" + urllib.parse.urlencode({"query": q})) as resp:
            body = json.load(resp)
        assert body["results"]["bindings"][0]["n"] == {"type": "literal", "value": "9",
                                                       "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
        q = ("SELECT ?p ?t WHERE { ?p <http://purl.org/dc/terms/identifier> '2503.00201' ; "
             "<http://purl.org/dc/terms/title> ?t }")
        with urllib.request.urlopen(base + "?" + urllib.parse.urlencode({"query": q})) as resp:
            (row,) = json.load(resp)["results"]["bindings"]
        assert row["p"] == {"type": "uri", "value": "https://w3id.org/kg-reviews/id/paper/2503.00201"}
        assert row["t"]["xml:lang"] == "en" and row["t"]["value"].startswith("LatticeLM")
        req = urllib.request.Request(base, data=b"INSERT DATA { <a:b> <a:c> <a:d> }",
                                     headers={"Content-Type": "application/sparql-query"})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req)
        assert err.value.code == 403
    finally:
        server.shutdown()


hostile = st.sampled_from(['quote " back\\slash \n newline </script> 🚀', "ctrl \x01\x0b\x1f\r\t end"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=weird, name=weird, sentence=st.one_of(hostile, weird))
def test_streamed_turtle_for_large_graphs_round_trips(tmp_path, monkeypatch, title, name, sentence):
    """Large graphs are written line by line; the result must parse to the same graph."""
    import kg.export.rdf as rdf
    monkeypatch.setattr(rdf, "STREAM_ABOVE", 0)
    g = tiny_graph(title, name, sentence)
    original = to_rdflib(g, store="default")
    for fmt, parse_fmt in (("turtle", "turtle"), ("nt", "nt")):
        path = tmp_path / f"s.{fmt}"
        write_rdf(g, str(path), fmt)
        assert isomorphic(original, Graph().parse(str(path), format=parse_fmt)), fmt


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=weird, name=weird)
def test_graphml_round_trips_hostile_text(tmp_path, title, name):
    """GraphML escapes are valid in text and in attributes; XML-illegal controls show as U+FFFD."""
    import networkx as nx

    from kg.export.cypher import write_graphml
    g = tiny_graph(title, name, 'say "hi" & <b>bye</b>\n\x01')
    write_graphml(g, str(tmp_path / "g.graphml"))
    G = nx.read_graphml(tmp_path / "g.graphml")
    assert set(G.nodes) == set(g.g.nodes)
    (h, t, data), = G.edges(data=True)
    assert data["evidence"] == 'say "hi" & <b>bye</b>\n\ufffd'
    assert G.nodes["paper:2501.00001"]["title"] == "".join(
        c if c in "\t\n\r" or 32 <= ord(c) and c not in "\ufffe\uffff" else "\ufffd"
        for c in g.g.nodes["paper:2501.00001"]["properties"]["title"])


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(hostile, weird, st.text(alphabet='ab"\\\n\r\t\x00\x01\x0b\x1f\x7f', max_size=12)))
def test_turtle_string_literal_shortcut_is_the_general_rule(text):
    """Evidence literals skip the general term path when nothing needs dropping or escaping."""
    from kg.export.rdf import _lit, _ttl_string, _ttl_term
    assert _ttl_string(text) == _ttl_term(*_lit(text))


def test_an_entity_written_directly_is_the_generic_turtle_block(examples_graph):
    """turtle_entity is a fast path of turtle_block(node_triples(...)): the same
    bytes for every entity of the examples, and for names that need escaping,
    IRI segments that must not resolve away ('.', '..') and no aliases."""
    from kg.export.rdf import node_triples, turtle_block, turtle_entity
    entities = [(uid, labels[0], p) for uid, labels, p in examples_graph.nodes() if labels[0] != "Paper"]
    odd = {"name": 'say "hi" \\ \n\x01 <b>', "aliases": ["x<y>", "한국어 이름"], "papers": ["2401.00001", ".", "..", "a/b"]}
    entities += [("method:a b/..", "Method", odd), ("benchmark:.", "Benchmark", {"name": "", "papers": []}),
                 ("dataset:..", "Dataset", odd), ("organization:한국", "Organization", odd)]
    assert len(entities) > 20
    for uid, label, p in entities:
        assert turtle_entity(uid, label, p) == turtle_block(node_triples(uid, label, p)), uid


def test_a_relationship_written_directly_is_the_generic_turtle_block(examples_graph):
    """turtle_edge likewise, with paper ids that are not plain IRI segments."""
    from kg.export.rdf import edge_triples, turtle_block, turtle_edge
    edges = list(examples_graph.edges())
    h, label, t, p = edges[0]
    edges.append((h, label, t, dict(p, papers=["2401.00001", ".", "..", "a/b", ".x", "한"])))
    assert len(edges) > 20
    for h, label, t, p in edges:
        assert turtle_edge(h, label, t, p) == turtle_block(edge_triples(h, label, t, p)), (h, label, t)


def test_literals_carry_their_language_and_every_node_a_label(examples_out):
    """Korean review text is @ko, English @en; papers are labelled by title; a paper's arXiv
    page is its schema:url, not owl:sameAs (a page is not the paper)."""
    store = load_store(str(examples_out))
    langs = dict(sparql(store, "SELECT ?l (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/kg-reviews/ontology#evidence> ?e "
                             "BIND(LANG(?e) AS ?l) } GROUP BY ?l")[1])
    assert langs.get("ko", 0) > 0 and langs.get("en", 0) > 0 and "" not in langs
    unlabelled = sparql(store, "SELECT ?s WHERE { ?s a ?c . FILTER(STRSTARTS(STR(?c), 'https://w3id.org/kg-reviews/ontology#')) "
                               "FILTER NOT EXISTS { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
                               "FILTER(!STRSTARTS(STR(?s), 'https://w3id.org/kg-reviews/id/statement/')) }")[1]
    assert unlabelled == []
    assert sparql(store, "ASK { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }")[1] == [[False]]
    assert sparql(store, "ASK { <https://w3id.org/kg-reviews/id/paper/2503.00201> <https://schema.org/url> "
                         "<https://arxiv.org/abs/2503.00201> }")[1] == [[True]]
