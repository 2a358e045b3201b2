"""graph.html: an offline pyvis view (vis-network inlined) with a legend,
a search box, type filters and rich tooltips.

Text safety: pyvis embeds node data with Jinja's ``tojson`` (``<``, ``>``,
``&`` escaped inside the script) and vis-network 9 shows string tooltips as
text, so names like ``</script>`` or ``<img onerror=…>`` display and never run.
Our own panel builds DOM nodes with ``textContent`` only.
"""
from __future__ import annotations

import functools
import json
import os
import re

from . import register_writer

__all__ = ["write_html", "render_html", "preload", "TYPE_STYLE"]

TYPE_STYLE = {
    "Paper": ("#4e79a7", "box"),
    "Method": ("#f28e2b", "dot"),
    "Benchmark": ("#59a14f", "diamond"),
    "Dataset": ("#76b7b2", "triangle"),
    "Organization": ("#e15759", "star"),
}


def _tooltip(labels, p) -> str:
    if labels[0] == "Paper":
        lines = [p.get("title", ""), f"arXiv {p['arxiv_id']}", f"arxiv.org: {p.get('url', '')}",
                 f"huggingface: {p.get('hf_url', '')}", "reviewed: " + ", ".join(p.get("review_dates") or [])]
    else:
        papers = p.get("papers") or []
        lines = [f"{labels[0]}: {p.get('name', '')}"]
        if p.get("aliases"):
            lines.append("aliases: " + ", ".join(p["aliases"]))
        lines.append(f"papers ({len(papers)}): " + ", ".join(papers[:8]) + (" …" if len(papers) > 8 else ""))
        lines += [f"https://huggingface.co/papers/{x}" for x in papers[:3]]
    return "\n".join(lines)


PANEL = """
<div id="kg-panel" style="position:absolute;top:8px;left:8px;z-index:10;background:rgba(255,255,255,.92);
 padding:8px 10px;border:1px solid #ccc;border-radius:6px;font:13px sans-serif;max-width:340px">
 <input id="kg-search" type="search" placeholder="search name / alias / arXiv id" style="width:220px">
 <button id="kg-go">find</button>
 <div id="kg-legend" style="margin-top:6px"></div>
 <div id="kg-note" style="margin-top:6px;color:#a33"></div>
 <div id="kg-links" style="margin-top:6px"></div>
</div>
<script>
(function () {
  var STYLE = __STYLE__, NOTE = __NOTE__, META = __META__;
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  var legend = document.getElementById("kg-legend");
  Object.keys(STYLE).forEach(function (t) {
    var lab = el("label"); lab.style.marginRight = "8px"; lab.style.whiteSpace = "nowrap";
    var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.className = "kg-type"; cb.value = t;
    var sw = el("span", "\u25A0 "); sw.style.color = STYLE[t][0];
    lab.appendChild(cb); lab.appendChild(sw); lab.appendChild(document.createTextNode(t));
    legend.appendChild(lab);
    cb.addEventListener("change", function () {
      nodes.update(nodes.get({filter: function (n) { return n.kgtype === t; }})
        .map(function (n) { return {id: n.id, hidden: !cb.checked}; }));
    });
  });
  document.getElementById("kg-note").textContent = NOTE;
  function find() {
    var q = document.getElementById("kg-search").value.trim().toLowerCase();
    if (!q) return;
    var hit = nodes.get().find(function (n) {
      var m = META[n.id] || [];
      return m.some(function (s) { return s.toLowerCase() === q; });
    }) || nodes.get().find(function (n) {
      return (META[n.id] || []).some(function (s) { return s.toLowerCase().indexOf(q) >= 0; });
    });
    var links = document.getElementById("kg-links"); links.textContent = "";
    if (!hit) { links.textContent = "not found"; return; }
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.4, animation: false});
    window.kgFocused = hit.id;
    (META[hit.id + "#papers"] || []).slice(0, 6).forEach(function (p) {
      var a = el("a", "hf:" + p); a.href = "https://huggingface.co/papers/" + encodeURIComponent(p);
      a.target = "_blank"; a.rel = "noopener"; links.appendChild(a); links.appendChild(document.createTextNode(" "));
      var b = el("a", "arXiv:" + p); b.href = "https://arxiv.org/abs/" + encodeURIComponent(p);
      b.target = "_blank"; b.rel = "noopener"; links.appendChild(b); links.appendChild(el("br"));
    });
  }
  document.getElementById("kg-go").addEventListener("click", find);
  document.getElementById("kg-search").addEventListener("keydown", function (e) { if (e.key === "Enter") find(); });
  // physics off once the layout has settled (big graphs stall with it on); asking
  // for stabilisation again covers small graphs that settled before this ran
  network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); window.kgStable = true; });
  network.stabilize(300);
})();
</script>
"""


def _script_json(obj) -> str:
    """JSON safe inside <script>: no '<', '>', '&' that could close the tag."""
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@functools.lru_cache(maxsize=1)
def _templates():
    """One Jinja environment for every view: pyvis makes a new one per network,
    which compiles its page template again (~0.1 s) each time."""
    import pyvis
    from jinja2 import Environment, FileSystemLoader
    return Environment(loader=FileSystemLoader(os.path.join(os.path.dirname(pyvis.__file__), "templates")))


def preload() -> None:
    """Import pyvis and compile its page template now: an in-place update does
    this while it waits for extraction, and its forked view inherits both.
    Rendering an empty page compiles the templates it includes too (the
    inlined vis-network script is one: lexing it took ~0.1 s)."""
    from pyvis.network import Network
    net = Network(cdn_resources="in_line", notebook=False)
    net.templateEnv = _templates()
    net.generate_html()


def render_html(kg, uids=None, note: str = "", height: str = "900px") -> str:
    from pyvis.network import Network

    from ..views import default_view
    if uids is None:
        uids, note = default_view(kg)
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    net.templateEnv = _templates()
    meta = {}
    for uid, labels, p in kg.nodes():
        if uid not in uids:
            continue
        color, shape = TYPE_STYLE.get(labels[0], ("#999999", "dot"))
        label = p.get("name") or p.get("arxiv_id") or uid
        if labels[0] == "Paper":
            label = (p.get("title") or label)[:40]
        net.add_node(uid, label=label, title=_tooltip(labels, p), color=color, shape=shape, kgtype=labels[0])
        meta[uid] = [label, p.get("name", ""), p.get("title", ""), p.get("arxiv_id", "")] + list(p.get("aliases") or [])
        meta[uid + "#papers"] = list(p.get("papers") or [])
    from pyvis.edge import Edge
    for h, label, t, p in kg.edges():
        if h in uids and t in uids:
            tip = f"{label} (confidence {p['confidence']})\n" + "\n".join(p["evidence"][:3]) + \
                  "\n" + ", ".join(p.get("sources", [])[:3])
            # what Network.add_edge appends, without its scan of every node per edge (quadratic)
            net.edges.append(Edge(h, t, True, label=label, title=tip, arrows="to", font={"size": 9}).options)
    net.set_options(json.dumps({"physics": {"stabilization": {"iterations": 300}},
                                "interaction": {"hover": True, "navigationButtons": False}}))
    html = net.generate_html()
    panel = PANEL.replace("__STYLE__", _script_json(TYPE_STYLE)).replace("__NOTE__", _script_json(note)) \
        .replace("__META__", _script_json(meta))
    html = html.replace("<head>", '<head>\n<meta charset="utf-8">', 1)
    # pyvis links Bootstrap from a CDN even with in-line resources; the view does not use it
    html = re.sub(r'<link[^>]+href="https?://[^"]+"[^>]*>|<script[^>]+src="https?://[^"]+"[^>]*>\s*</script>', "", html)
    return html.replace("</body>", panel + "\n</body>", 1)


@register_writer("html", "graph.html")
def write_html(kg, path: str, uids=None, note: str = "") -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render_html(kg, uids, note))
