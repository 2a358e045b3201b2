"""The whole-graph WebGL view (kg/export/webgl.py) in real headless Chromium, on a generated 50k-node graph."""
import os
import random
import shutil

import pytest

from kg.export.webgl import write_webgl
from kg.graph import KnowledgeGraph

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (.ci/run installs it)")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
N_PAPERS, N_METHODS, N_BENCH, N_ORGS, N_LONE = 12000, 30000, 4000, 2000, 2000  # 50,000 nodes


def _aid(i: int) -> str:
    return f"25{i // 1000 % 12 + 1:02d}.{i:05d}"


def generated_graph() -> KnowledgeGraph:
    """Papers proposing methods evaluated on benchmarks, from organisations, with 2,000 nodes
    that nothing relates to (a mention-only entity of an older build)."""
    rnd = random.Random(7)
    kg = KnowledgeGraph()
    add = kg.g.add_node
    for i in range(N_PAPERS):
        aid = _aid(i)
        add(f"paper:{aid}", labels=["Paper"], properties={"arxiv_id": aid, "title": f"Paper number {i} on topic {i % 97}"})
    for i in range(N_METHODS):
        add(f"method:m{i}", labels=["Method"], properties={"name": f"Method{i}Net", "aliases": [f"M{i}-alias"],
                                                           "papers": [_aid(i % N_PAPERS)]})
    for i in range(N_BENCH):
        add(f"benchmark:b{i}", labels=["Benchmark"], properties={"name": f"Bench-{i}", "papers": []})
    for i in range(N_ORGS):
        add(f"organization:o{i}", labels=["Organization"], properties={"name": f"Lab {i}", "papers": []})
    for i in range(N_LONE):
        add(f"dataset:lone{i}", labels=["Dataset"], properties={"name": f"LonelySet{i}", "papers": []})
    papers = [u for u in kg.g if u.startswith("paper:")]

    def edge(h, label, t):
        kg.g.add_edge(h, t, key=label, label=label,
                      properties={"confidence": 0.9, "evidence": [f"{h} {label} {t}"], "sources": ["r.md:1"]})
    for i in range(N_METHODS):
        topic = i % 400  # methods of a topic share benchmarks: communities to find
        edge(f"method:m{i}", "PROPOSED_BY", papers[i % N_PAPERS])
        edge(f"method:m{i}", "EVALUATED_ON", f"benchmark:b{topic * 10 + rnd.randrange(10)}")
        if i > 400 and rnd.random() < 0.5:
            edge(f"method:m{i}", "IMPROVES_ON", f"method:m{i - 400 * rnd.randrange(1, 3) if i > 800 else i - 400}")
    for i in range(N_ORGS):
        edge(f"method:m{i * 15}", "PROPOSED_BY", f"organization:o{i}")
    return kg


@pytest.fixture(scope="module")
def big_page(tmp_path_factory):
    kg = generated_graph()
    assert kg.g.number_of_nodes() == 50000
    path = tmp_path_factory.mktemp("webgl") / "sub" / "graph-full.html"  # a folder that does not exist yet
    write_webgl(kg, str(path))
    return path, sum(1 for _, d in kg.g.degree() if d == 0)  # the 2,000, and benchmarks no method drew


@pytest.fixture(scope="module")
def page(big_page):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = b.new_page(viewport={"width": 1400, "height": 900})
        fetched = []
        pg.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"file://{big_page[0]}")
        pg.wait_for_function("window.kgReady === true", timeout=120000)
        pg.fetched, pg.errors, pg.lone = fetched, errors, big_page[1]
        yield pg
        b.close()


def test_the_page_loads_offline_and_draws_every_node(page):
    assert page.errors == [] and page.fetched == []
    assert page.evaluate("kgGraph.order") == 50000
    assert page.evaluate("document.querySelectorAll('#kg-sigma canvas').length") >= 2  # sigma's WebGL layers
    # nodes without relationships are hidden by default, the others drawn
    assert page.evaluate("kgRenderer.getNodeDisplayData('dataset:lone3').hidden") is True
    assert page.evaluate("kgRenderer.getNodeDisplayData('method:m5').hidden") is False
    assert page.lone >= N_LONE and f"{page.lone} without relationships are hidden" in page.inner_text("#kg-note")


def test_every_node_is_searchable_and_found(page):
    missing = page.evaluate("""() => { const out = [];
        kgGraph.forEachNode((id, a) => { if (kgSearch(a.full, true).indexOf(id) < 0) out.push(id); });
        return out; }""")
    assert missing == []
    # through the search box: an alias, an arXiv id, and a hidden edgeless node, which is then shown
    for query, uid in (("m123-alias", "method:m123"), ("2501.00001", "paper:2501.00001"),
                       ("LonelySet7", "dataset:lone7")):
        page.fill("#kg-search", query)
        page.press("#kg-search", "Enter")
        assert page.evaluate("window.kgSelected") == uid
    assert page.evaluate("kgRenderer.getNodeDisplayData('dataset:lone7').hidden") is False
    page.fill("#kg-search", "no node is called this")
    page.press("#kg-search", "Enter")
    assert page.evaluate("window.kgSelected") is None and page.inner_text("#kg-hits") == "not found"


def test_type_filters_and_the_edgeless_box(page):
    page.uncheck("input.kg-type[value=Method]")
    hidden = page.evaluate("""() => { let shown = 0;
        kgGraph.forEachNode((id, a) => { if (a.kgtype === 'Method' && !kgRenderer.getNodeDisplayData(id).hidden) shown++; });
        return shown; }""")
    assert hidden == 0
    assert page.evaluate("kgRenderer.getNodeDisplayData('benchmark:b3').hidden") is False
    page.check("input.kg-type[value=Method]")
    assert page.evaluate("kgRenderer.getNodeDisplayData('method:m3').hidden") is False
    page.check("#kg-lone")
    assert page.evaluate("kgRenderer.getNodeDisplayData('dataset:lone3').hidden") is False
    page.uncheck("#kg-lone")


def test_the_panel_links_papers_and_lists_neighbours(page):
    page.evaluate("kgSelect('method:m42')")
    hrefs = page.evaluate("[...document.querySelectorAll('#kg-papers a')].map(a => a.href)")
    assert "https://arxiv.org/abs/2501.00042" in hrefs and "https://huggingface.co/papers/2501.00042" in hrefs
    rels = page.inner_text("#kg-neighbours")
    assert "PROPOSED_BY" in rels and "EVALUATED_ON" in rels and "confidence 0.9" in rels
    # a neighbour in the list opens its own panel
    page.click("#kg-neighbours div >> text=PROPOSED_BY")
    assert page.evaluate("window.kgSelected") == "paper:2501.00042"
