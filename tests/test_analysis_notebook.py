"""networkx analysis on a graph with known shape, ``kg stats``/``kg viz``, and the notebook executed headless."""
import json
import os

import pytest

import nbformat
from conftest import ROOT, run_kg
from nbclient import NotebookClient

import kg.analysis as ka
from kg.build import graph_from
from kg.extract import RecordExtraction
from kg.model import Evidence, Mention, PaperRecord, Relation, Section


def chain_graph():
    """A beats B (paper 1), B beats C (paper 2), C beats A (paper 3): a cycle; D beats A (paper 4)."""
    recs, xs = [], []
    for i, (own, other) in enumerate([("AlphaNet", "BetaNet"), ("BetaNet", "GammaNet"),
                                      ("GammaNet", "AlphaNet"), ("DeltaNet", "AlphaNet")], 1):
        r = PaperRecord(f"2501.0000{i}", f"{own}: x", "u", "t.md", i, i, "test", review_date=f"2025-01-0{i}",
                        orgs=["nvidia"] if i < 3 else [], sections=[Section("title", "title", own, i)])
        ms = [Mention(own, "Method", r.arxiv_id, "t.md", i, {"Method": 1}, own=True),
              Mention(other, "Method", r.arxiv_id, "t.md", i, {"Method": 1}),
              Mention("ZooBench", "Benchmark", r.arxiv_id, "t.md", i, {"Benchmark": 5})]
        ev = Evidence("s", "t.md", i, r.arxiv_id)
        rels = [Relation(own, "proposedBy", "@paper", r.arxiv_id, 0.9, ev),
                Relation(own, "improvesOn", other, r.arxiv_id, 0.7, ev),
                Relation("@paper", "evaluatedOn", "ZooBench", r.arxiv_id, 0.8, ev)]
        if i < 3:
            from kg.resolve import canonical_org
            ms.append(Mention(canonical_org("nvidia"), "Organization", r.arxiv_id, "t.md", i))
            rels.append(Relation("@paper", "proposedBy", "NVIDIA", r.arxiv_id, 0.95, ev))
        recs.append(r)
        xs.append(RecordExtraction(r, ms, rels))
    return graph_from(recs, xs)


def test_lineage_cycles_timeline_and_rankings():
    G = chain_graph().to_networkx()
    lin = ka.improves_on_lineage(G)
    assert lin["edges"] == 4
    assert sorted(lin["cycles"][0]) == ["AlphaNet", "BetaNet", "GammaNet"]
    assert lin["longest"][0][0] == "DeltaNet"  # DeltaNet → the A/B/C cycle
    assert ka.most_evaluated_benchmarks(G) == [("ZooBench", 4)]
    assert ka.most_active_organizations(G) == [("NVIDIA", 2)]
    assert ka.timeline(G) == [(f"2025-01-0{i}", 1, 2, 1) for i in range(1, 5)]
    cent = ka.centrality_by_type(G, 2)
    assert cent["Benchmark"][0][0] == "ZooBench" and cent["Benchmark"][0][1] == 4
    assert sum(len(c) for c in ka.communities(G)) == G.number_of_nodes()


def test_cli_stats_and_viz(examples_out, tmp_path):
    r = run_kg("stats", str(examples_out), "--json", "--plots", str(tmp_path / "plots"))
    assert r.returncode == 0
    t = json.loads(r.stdout[: r.stdout.rindex("}") + 1])
    assert t["top_benchmarks"][0] == ["GSM8K", 2]
    for name in ("timeline", "top_benchmarks", "centrality", "communities", "lineage"):  # each listed, each drawn
        assert f"plot: {tmp_path / 'plots' / name}.png" in r.stdout
        assert (tmp_path / "plots" / f"{name}.png").stat().st_size > 1000
    r = run_kg("viz", str(examples_out), "--focus", "OrbitNet", "--depth", "1", "--out", str(tmp_path / "v.html"))
    assert r.returncode == 0 and "within 1 hop" in r.stdout
    html = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert "ViT-B/16" in html and "GSM8K" not in html
    r = run_kg("viz", str(examples_out), "--focus", "NoSuchThing", "--out", str(tmp_path / "x.html"))
    assert r.returncode == 1 and "no node named" in r.stderr and "Traceback" not in r.stderr


def test_notebook_executes(tmp_path):
    path = os.path.join(ROOT, "notebooks", "explore.ipynb")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": os.path.join(ROOT, "notebooks")}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "paper records:" in text and "most-evaluated benchmarks" in text
    assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    # tables are DataFrames (rendered as HTML tables), not printed text
    assert sum("<table" in o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])) >= 4


def test_viz_manners(examples_out, tmp_path):
    """A missing output folder is made; a focus that matches nothing suggests near names;
    --page webgl writes the whole-graph page, and --type combines with --top."""
    r = run_kg("viz", str(examples_out), "--focus", "OrbitNett", "--out", str(tmp_path / "x.html"))
    assert r.returncode == 1 and "did you mean: OrbitNet" in r.stderr and "Traceback" not in r.stderr
    out = tmp_path / "new" / "folder" / "all.html"
    r = run_kg("viz", str(examples_out), "--page", "webgl", "--out", str(out))
    assert r.returncode == 0 and "WebGL" in r.stdout and "graphology" in out.read_text(encoding="utf-8")
    r = run_kg("viz", str(examples_out), "--type", "Method", "--top", "3", "--out", str(tmp_path / "t.html"))
    assert r.returncode == 0 and r.stdout.startswith("3 nodes") and "pyvis" in r.stdout


def test_to_pandas_and_query_frames(examples_out):
    pd = pytest.importorskip("pandas")
    import kg
    from kg.query import cypher_df, sparql_df
    g = kg.KnowledgeGraph.from_jsonl(str(examples_out))
    nodes, rels = g.to_pandas()
    assert isinstance(nodes, pd.DataFrame) and len(nodes) == g.g.number_of_nodes()
    assert len(rels) == g.g.number_of_edges() and {"source", "type", "target", "confidence"} <= set(rels.columns)
    assert set(nodes["label"]) == {"Paper", "Method", "Benchmark", "Dataset", "Organization", "Result"}
    q = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }"
    assert sparql_df(str(examples_out), q)["n"].tolist() == [int((nodes["label"] == "Paper").sum())]
    df = cypher_df(str(examples_out), "MATCH (p:Paper) RETURN count(p) AS n")
    assert df["n"].tolist() == sparql_df(str(examples_out), q)["n"].tolist()
    assert g.query_as_df(q)["n"].tolist() == df["n"].tolist()
