"""End to end on the bundled examples: API, CLI, outputs and their contracts."""
import os
import json
import re

import networkx as nx
from conftest import EXAMPLES, run_kg

import kg
from kg.build import graph_from
from kg.graph import RESULT_LABELS
from kg.extract import extract_records
from kg.model import Mention
from kg.readers import read_document
from kg.resolve import resolve


def test_api_build_returns_graph_with_views(examples_graph):
    g = examples_graph
    assert isinstance(g.to_networkx(), nx.MultiDiGraph)
    assert len(g.to_rdflib()) > 50
    c = g.counts()
    assert c["nodes"]["Paper"] == 9 and c["relationships"]["PROPOSED_BY"] >= 9


def test_same_paper_in_several_files_is_one_paper_with_reviews(examples_graph):
    (uid,) = examples_graph.find("2503.00101", "Paper")
    p = examples_graph.g.nodes[uid]["properties"]
    assert len(p["reviews"]) == 2 and set(p["formats"]) == {"blog", "hf_daily_digest"}
    assert p["review_dates"] == ["2025-03-02", "2025-03-03"]
    (uid,) = examples_graph.find("2503.00201", "Paper")
    assert len(examples_graph.g.nodes[uid]["properties"]["reviews"]) == 2  # digest + generic notes


def test_graph_jsonl_contract(examples_out):
    nodes, rels = {}, []
    for line in (examples_out / "graph.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        assert obj["type"] in ("node", "relationship")
        if obj["type"] == "node":
            assert set(obj) == {"type", "id", "labels", "properties"}
            nodes[obj["id"]] = obj
        else:
            assert set(obj) == {"type", "id", "label", "start", "end", "properties"}
            rels.append(obj)
    for n in nodes.values():
        p = n["properties"]
        assert p["papers"], n
        if n["labels"] == ["Paper"]:
            assert p["arxiv_id"] and p["title"]
        elif n["labels"] == ["Result"]:  # the score as written, and where it is written
            assert isinstance(p["value"], float) and p["benchmark"] and p["evidence"] and p["sources"]
        else:
            assert p["name"] and isinstance(p["aliases"], list)
    results = {(r["start"]["id"], r["label"]): r["end"]["id"] for r in rels if r["label"] in RESULT_LABELS}
    for r in rels:
        assert r["label"] in ("PROPOSED_BY", "EVALUATED_ON", "IMPROVES_ON", "BASED_ON", "VARIANT_OF",
                              "MENTIONS") + RESULT_LABELS
        assert r["start"]["id"] in nodes and r["end"]["id"] in nodes
        assert r["start"]["labels"] == nodes[r["start"]["id"]]["labels"]
        p = r["properties"]
        if r["label"] in RESULT_LABELS:  # the provenance is on the Result node
            assert p == {"papers": [nodes[r["end" if r["label"] != "MEASURED_ON" else "start"]["id"]]["properties"]
                                    ["papers"][0]], "confidence": 0.8}
            continue
        assert 0 < p["confidence"] <= 1
        if r["label"] == "VARIANT_OF":  # read from the names: a basis instead of evidence
            assert p["basis"] in ("name", "expansion") and not (p["papers"] or p["evidence"] or p["sources"])
            continue
        assert p["papers"] and p["evidence"] and all(isinstance(e, str) and e for e in p["evidence"])
        assert p["sources"] and "basis" not in p
    # the examples' one family: Qwen2.5-1.5B is a member of Qwen2.5, and both are nodes
    assert [(r["start"]["id"], r["end"]["id"]) for r in rels if r["label"] == "VARIANT_OF"] == \
        [("method:qwen2515b", "method:qwen25")]
    # the examples' one reported score: a baseline's, on a benchmark, stated by its paper
    (res,) = [n for n in nodes.values() if n["labels"] == ["Result"] and n["properties"]["value"] == 31.0]
    assert (res["properties"]["method"], res["properties"]["unit"]) == ("GPT-4o", "%")
    assert nodes[results[(res["id"], "MEASURED_ON")]]["labels"] == ["Benchmark"]
    assert ("method:gpt4o", "ACHIEVES") in results and results[("paper:2503.00202", "REPORTS")] == res["id"]
    # every entity is joined to something: MENTIONS where its paper states no typed relation of it
    ends = {r[k]["id"] for r in rels for k in ("start", "end")}
    assert [u for u, n in nodes.items() if u not in ends] == []
    mentions = [r for r in rels if r["label"] == "MENTIONS"]
    assert mentions and all(r["start"]["labels"] == ["Paper"] and r["end"]["labels"][0] in
                            ("Method", "Benchmark", "Dataset", "Organization") for r in mentions)
    typed = {(r["start"]["id"], r["end"]["id"]) for r in rels if r["label"] != "MENTIONS"}
    typed |= {(t, h) for h, t in typed}
    assert not any((r["start"]["id"], r["end"]["id"]) in typed for r in mentions)  # never beside a typed one
    for r in mentions:  # the sentence that names it, and its line
        name = nodes[r["end"]["id"]]["properties"]
        assert any(a in r["properties"]["evidence"][0] for a in [name["name"], *name["aliases"]]) or \
            r["properties"]["evidence"][0] in (name["name"], *name["aliases"]), r
        assert r["properties"]["papers"] == [r["start"]["id"].split(":", 1)[1]]
    # a known edge of the examples, with its evidence sentence
    (edge,) = [r for r in rels if r["start"]["id"] == "method:orbitnet" and r["label"] == "IMPROVES_ON"]
    assert edge["end"]["id"] == "method:vitb/16" and any("ViT-B/16" in e for e in edge["properties"]["evidence"])


def test_outputs_written_and_html_is_offline(examples_out):
    for name in ("graph.jsonl", "graph.ttl", "graph.html", "report.json"):
        assert (examples_out / name).stat().st_size > 0
    html = (examples_out / "graph.html").read_text(encoding="utf-8")
    assert "vis-network" in html
    assert not re.search(r'(?:src|href)="https?://', html)  # nothing fetched: renders offline
    rep = json.loads((examples_out / "report.json").read_text(encoding="utf-8"))
    assert rep["files_read"] == 5 and rep["paper_records"] == 11 and len(rep["skipped"]) == 1
    assert rep["formats"] == {"blog": 1, "english_table": 1, "hf_daily_digest": 1, "markdown": 1,
                              "structured_summary": 1}


def test_python_m_kg_and_summary(tmp_path):
    r = run_kg("build", EXAMPLES, "--out", str(tmp_path))
    assert r.returncode == 0
    assert "paper records: 11" in r.stdout and "skipped records: 1" in r.stdout


def test_min_confidence_filters(tmp_path):
    low = kg.build([EXAMPLES])
    high = kg.build([EXAMPLES], min_confidence=0.8)
    assert 0 < sum(1 for _ in high.edges()) < sum(1 for _ in low.edges())
    assert all(p["confidence"] >= 0.8 for *_, p in high.edges())


def test_entity_identity_is_type_plus_name():
    ms = [Mention("Heron", "Method", "2501.1", "a", 1, {"Method": 5}),
          Mention("Heron", "Organization", "2501.2", "b", 1)]
    ents, _ = resolve(ms)
    assert sorted(ents) == ["method:heron", "organization:heron"]


def test_acronym_and_expansion_resolve_to_one_entity():
    ms = [Mention("Layer Token Mixing", "Method", "2501.1", "a", 1, aliases=["LTM"]),
          Mention("LTM", "Method", "2501.2", "b", 1)]
    ents, lookup = resolve(ms)
    assert len(ents) == 1
    (e,) = ents.values()
    assert e.papers == {"2501.1", "2501.2"} and {"LTM", "Layer Token Mixing"} <= e.aliases | {e.name}


def test_build_is_deterministic():
    docs = [read_document(f"{EXAMPLES}/{n}") for n in ("digest_2025-03-03.md", "blog_2025-03-02.md")]
    recs = [r for d in docs for r in d.records]
    a = graph_from(recs, extract_records(recs))
    b = graph_from(list(reversed(recs)), extract_records(list(reversed(recs))))
    assert sorted(a.nodes()) == sorted(b.nodes()) and sorted(a.edges()) == sorted(b.edges())


def test_output_identical_across_processes(tmp_path):
    """Set iteration order varies with PYTHONHASHSEED; the output must not."""
    import os
    import subprocess
    import sys
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-m", "kg", "build", EXAMPLES, "--out", str(out)], check=True,
                       capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append((out / "graph.jsonl").read_bytes())
    assert outs[0] == outs[1]


def test_a_page_template_that_no_longer_embeds_each_list_once_is_refused(monkeypatch):
    """graph.html is joined from fragments at slots in pyvis's page template;
    should a pyvis release embed the nodes twice (or not at all), building
    the page must fail loudly instead of writing a broken view."""
    import pytest
    from jinja2 import DictLoader, Environment

    import kg.export.html as H
    env = Environment(loader=DictLoader({"template.html": "<head></head><body>{{nodes|tojson}} {{nodes|tojson}} "
                                                          "{{edges|tojson}}</body>"}))
    env.policies["json.dumps_function"] = H._dumps
    monkeypatch.setattr(H, "_templates", lambda: env)
    H._page_parts.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="pyvis"):
            H.page([], [])
    finally:
        monkeypatch.undo()
        H._page_parts.cache_clear()
    assert H.page([], []).count("new vis.DataSet([])") == 2  # the real template: both lists, once each


def test_a_leaderboard_ranks_reported_scores_and_flags_disagreements(tmp_path):
    """Two reviews (our own sentences) score methods on one benchmark; the same baseline gets two values."""
    (tmp_path / "day.md").write_text(
        "# 2025-04-01 papers review\n\n"
        "## 1. [OwlNet: Seeing in the Dark](https://arxiv.org/abs/2504.00011)\n"
        "OwlNet은 저조도 영상 질의응답 모델이다. OwlNet은 ZebraVQA 벤치마크에서 정확도 72.4%를 기록해 "
        "HeronNet(61.5%)을 능가했다.\n\n"
        "## 2. [KiteNet: Fast Eyes](https://arxiv.org/abs/2504.00012)\n"
        "We propose KiteNet, a compact VQA model. On the ZebraVQA benchmark KiteNet reaches 75.0% accuracy "
        "and beats HeronNet (63.0% accuracy).\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_kg("build", str(tmp_path / "day.md"), "--out", str(out)).returncode == 0
    rows = kg.KnowledgeGraph.from_jsonl(str(out)).leaderboard("zebravqa")
    rows = rows.to_dict("records") if hasattr(rows, "to_dict") else rows
    assert [(r["rank"], r["value"], r["paper"]) for r in rows] == [
        (1, 75.0, "2504.00012"), (2, 72.4, "2504.00011"), (3, 63.0, "2504.00012"), (4, 61.5, "2504.00011")]
    assert [r["method"] for r in rows][1:] == ["OwlNet", "HeronNet", "HeronNet"]
    assert [r["disagrees"] for r in rows] == [False, False, True, True]
    # one metric only, and the command line
    r = run_kg("leaderboard", "ZebraVQA", "--metric", "정확도", "--graph", str(out), "--json")
    assert [(x["method"], x["value"]) for x in json.loads(r.stdout)] == [("OwlNet", 72.4), ("HeronNet", 61.5)]
    r = run_kg("leaderboard", "NoSuchBench", "--graph", str(out))
    assert r.returncode == 1 and "no reported scores" in r.stderr


def test_no_output_names_a_path_of_the_building_machine(tmp_path):
    """Inputs given by absolute path: every output file (graph files, CSVs, view, report,
    embedded database) names sources relative to the input's folder, never absolutely."""
    out = tmp_path / "out"
    r = run_kg("build", os.path.abspath(EXAMPLES), "--out", str(out), "--no-cache")
    assert r.returncode == 0, r.stderr
    machine = [os.path.dirname(os.path.abspath(EXAMPLES)).encode(), str(tmp_path).encode()]
    scanned = 0
    for root, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".kg-")]  # the build's own state, not an output
        for f in files:
            data = open(os.path.join(root, f), "rb").read()
            assert not any(m in data for m in machine), os.path.join(root, f)
            scanned += 1
    assert scanned >= 8
    text = (out / "graph.jsonl").read_text(encoding="utf-8")
    assert '"examples/digest_2025-03-03.md:' in text  # relative to the folder holding the input
    # the same build from a relative path names its sources the same way
    out2 = tmp_path / "out2"
    assert run_kg("build", "examples", "--out", str(out2), "--no-cache", cwd=os.path.dirname(EXAMPLES)).returncode == 0
    assert (out2 / "graph.jsonl").read_text(encoding="utf-8") == text
