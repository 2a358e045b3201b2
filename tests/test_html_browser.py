"""graph.html in real headless Chromium (Debian chromium, driven by Playwright)."""
import os
import shutil

import pytest

from kg.build import graph_from
from kg.export.html import write_html
from kg.extract import RecordExtraction
from kg.model import Evidence, Mention, PaperRecord, Relation, Section

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (.ci/run installs it)")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path):
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"file://{path}")
    page.wait_for_function("window.network !== undefined && window.kgStable === true", timeout=30000)
    return page, dialogs


PAINTED = """() => {
    const c = document.querySelector('#mynetwork canvas'); const ctx = c.getContext('2d');
    const d = ctx.getImageData(0, 0, c.width, c.height).data; let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i+3] > 0 && (d[i] < 240 || d[i+1] < 240 || d[i+2] < 240)) n++;
    return n; }"""


def wait_painted(page, minimum: int = 500) -> int:
    """Canvas pixels drawn, polled: painting happens on a later animation frame."""
    page.wait_for_function(f"({PAINTED})() > {minimum}", timeout=15000)
    return page.evaluate(PAINTED)


def test_view_draws_with_legend_and_search(browser, examples_out):
    page, dialogs = open_page(browser, examples_out / "graph.html")
    assert wait_painted(page) > 500
    legend = page.inner_text("#kg-legend")
    for t in ("Paper", "Method", "Benchmark", "Dataset", "Organization"):
        assert t in legend
    assert page.locator("#kg-search").count() == 1
    page.fill("#kg-search", "MATH500")
    page.press("#kg-search", "Enter")
    assert page.evaluate("window.kgFocused") == "benchmark:math500"
    assert page.evaluate("network.getSelectedNodes()") == ["benchmark:math500"]
    assert "huggingface.co/papers/" in page.inner_html("#kg-links")
    # type filter hides all Method nodes
    page.uncheck("input.kg-type[value=Method]")
    assert page.evaluate("nodes.get({filter: n => n.kgtype === 'Method' && !n.hidden}).length") == 0
    # relationship legend: VARIANT_OF is drawn dashed and can be hidden on its own
    assert "VARIANT_OF" in page.inner_text("#kg-edge-legend")
    assert page.evaluate("edges.get({filter: e => e.label === 'VARIANT_OF' && e.dashes}).length") == 1
    page.uncheck("input.kg-rel[value=VARIANT_OF]")
    assert page.evaluate("edges.get({filter: e => e.label === 'VARIANT_OF' && !e.hidden}).length") == 0
    assert page.evaluate("edges.get({filter: e => e.label !== 'VARIANT_OF' && e.hidden}).length") == 0
    assert not dialogs
    page.close()


def test_hostile_text_shows_as_text_and_runs_nothing(browser, tmp_path):
    evil_title = "<img src=x onerror=alert(1)>"
    evil_name = "</script><script>window.pwned=1;alert(2)</script>"
    rec = PaperRecord("2501.00001", evil_title, "https://arxiv.org/abs/2501.00001", "t.md", 1, 2, "test",
                      sections=[Section("title", "title", evil_title, 1)])
    x = RecordExtraction(rec, [Mention(evil_name, "Method", rec.arxiv_id, "t.md", 2, {"Method": 1})],
                         [Relation(evil_name, "proposedBy", "@paper", rec.arxiv_id, 0.9,
                                   Evidence(evil_title + evil_name, "t.md", 2, rec.arxiv_id))])
    g = graph_from([rec], [x])
    path = tmp_path / "evil.html"
    write_html(g, str(path))
    page, dialogs = open_page(browser, path)
    assert dialogs == [] and page.evaluate("window.pwned") is None
    labels = page.evaluate("nodes.get().map(n => n.label)")
    assert evil_title in labels and evil_name in labels  # shown verbatim, as text
    assert page.locator("img[src=x]").count() == 0
    page.fill("#kg-search", "pwned")
    page.press("#kg-search", "Enter")
    assert page.evaluate("window.pwned") is None and dialogs == []
    page.close()


def test_reduced_view_note_for_large_graphs(browser, tmp_path, monkeypatch):
    import kg.views as views
    from conftest import EXAMPLES
    import kg
    monkeypatch.setattr(views, "MAX_FULL_VIEW", 10)
    g = kg.build([EXAMPLES])
    path = tmp_path / "reduced.html"
    write_html(g, str(path))
    page, _ = open_page(browser, path)
    assert page.evaluate("nodes.get().length") == 10
    assert "left out" in page.inner_text("#kg-note")
    page.close()


def test_a_benchmark_panel_shows_its_leaderboard(browser, tmp_path):
    """Two reviews (our own sentences) score methods on one benchmark; clicking it ranks them."""
    import kg
    (tmp_path / "day.md").write_text(
        "# 2025-05-02 papers review\n\n"
        "## 1. [MothNet: Night Vision QA](https://arxiv.org/abs/2505.00021)\n"
        "MothNet은 야간 영상 질의응답 모델이다. MothNet은 OtterQA 벤치마크에서 정확도 68.1%를 기록해 "
        "CraneNet(59.2%)을 능가했다.\n\n"
        "## 2. [WrenNet: Small and Quick](https://arxiv.org/abs/2505.00022)\n"
        "We propose WrenNet, a small VQA model. On the OtterQA benchmark WrenNet reaches 70.5% accuracy.\n",
        encoding="utf-8")
    g = kg.build([str(tmp_path / "day.md")])
    path = tmp_path / "board.html"
    write_html(g, str(path))
    page, dialogs = open_page(browser, path)
    bench = page.evaluate("nodes.get({filter: n => n.kgtype === 'Benchmark' && n.label === 'OtterQA'})[0].id")
    # a click on the node (its position on the canvas) opens its panel
    pos = page.evaluate("id => { const p = network.canvasToDOM(network.getPositions([id])[id]); return [p.x, p.y]; }",
                        bench)
    box = page.locator("#mynetwork canvas").bounding_box()
    page.mouse.click(box["x"] + pos[0], box["y"] + pos[1])
    page.wait_for_selector("#kg-board-table")
    rows = page.evaluate("[...document.querySelectorAll('#kg-board-table tr')].slice(1)"
                         ".map(tr => [...tr.cells].map(c => c.textContent))")
    assert [r[1:3] for r in rows] == [["WrenNet", "70.5%"], ["MothNet", "68.1%"], ["CraneNet", "59.2%"]]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert "higher is better" in page.inner_text("#kg-board")
    hrefs = page.evaluate("[...document.querySelectorAll('#kg-board-table a')].map(a => a.href)")
    assert hrefs[0] == "https://arxiv.org/abs/2505.00022"
    # a name not drawn clears the selection instead of keeping the last hit
    page.fill("#kg-search", "no such thing at all")
    page.press("#kg-search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [] and page.inner_text("#kg-board") == ""
    assert not dialogs
    page.close()
